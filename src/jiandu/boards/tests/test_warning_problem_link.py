"""The warning pages (list and detail) link to the problem the warning opened in the
rectification loop (整改闭环) with its rectification's state — for a viewer who may see
that problem; a viewer who sees the warning but not the problem gets no link."""

from __future__ import annotations

from django.urls import reverse

from jiandu.accounts import roles
from jiandu.boards.services import board_close
from jiandu.oversight.choices import RectificationAction
from jiandu.oversight.models import Problem
from jiandu.oversight.services import rectification_move
from jiandu.testing import make_user


def _warned(bw):
    """February's close warns 禄劝 (last two months running) and opens its problem."""
    for month in (1, 2):
        for org in (bw.world.county, bw.dongchuan):
            bw.receive(org, month, 1)
        board_close(actor=bw.users["city"], board=bw.counties_board, month=f"2020-0{month}")
    warning = bw.counties_board.warnings.get(org=bw.luquan)
    problem = Problem.objects.get(origin_type="boards.boardwarning", origin_id=warning.pk)
    return warning, problem


def _pages(client, warning):
    listed = client.get(reverse("boards:warning_list"))
    detail = client.get(reverse("boards:warning_detail", args=[warning.pk]))
    assert listed.status_code == detail.status_code == 200
    return listed.content.decode(), detail.content.decode()


def test_the_owner_sees_the_problem_and_its_state_from_both_warning_pages(bw, client):
    warning, problem = _warned(bw)
    link = reverse("oversight:problem_detail", args=[problem.pk])
    client.force_login(bw.users["city"])
    for page in _pages(client, warning):
        assert f'href="{link}"' in page
        assert problem.number in page
        assert '<span class="badge badge-orange">待整改</span>' in page
    # The state follows the rectification.
    staff = make_user("luquan-staff", bw.luquan, roles.ROLE_RECTIFICATION)
    rect = problem.rectification
    rectification_move(actor=staff, rectification=rect, action=RectificationAction.SIGN)
    rectification_move(
        actor=staff, rectification=rect, action=RectificationAction.PLAN, text="整改方案"
    )
    listed, detail = _pages(client, warning)
    for page in (listed, detail):
        assert '<span class="badge badge-blue">正在整改</span>' in page
    assert "整改期限" in detail


def test_a_viewer_outside_the_problems_jurisdiction_sees_the_warning_without_the_link(bw, client):
    warning, problem = _warned(bw)
    # 东川区's officer sees the whole board and its warnings, not 禄劝县's problem.
    officer = make_user("dongchuan-officer", bw.dongchuan, roles.ROLE_CLUES)
    assert officer.has_perm("oversight.view_problem")
    client.force_login(officer)
    assert client.get(reverse("oversight:problem_detail", args=[problem.pk])).status_code == 404
    listed, detail = _pages(client, warning)
    assert warning.description in listed and warning.description in detail
    for page in (listed, detail):
        assert problem.number not in page
        assert reverse("oversight:problem_detail", args=[problem.pk]) not in page


def test_the_warned_unit_follows_the_link_to_its_own_problem(bw, client):
    warning, problem = _warned(bw)
    officer = make_user("luquan-officer", bw.luquan, roles.ROLE_CLUES)
    client.force_login(officer)
    listed, detail = _pages(client, warning)
    link = reverse("oversight:problem_detail", args=[problem.pk])
    assert link in listed and link in detail
    assert client.get(link).status_code == 200
