"""A board warning joins the rectification loop: its issue opens a problem for the warned
unit (source 多色榜预警, supervised by the board's owner), which the unit's staff sign and
report on and the owner accepts; the problem page links back to the warning."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from jiandu.accounts import roles
from jiandu.boards.services import board_close
from jiandu.oversight.choices import RectificationAction, RectificationStatus
from jiandu.oversight.models import Problem
from jiandu.oversight.services import problem_from_board_warning, rectification_move
from jiandu.testing import make_user


def _warned(bw):
    for month in (1, 2):
        for org in (bw.world.county, bw.dongchuan):
            bw.receive(org, month, 1)
        board_close(actor=bw.users["city"], board=bw.counties_board, month=f"2020-0{month}")
    return bw.counties_board.warnings.get(org=bw.luquan)


def test_issuing_a_warning_opens_one_problem_for_the_warned_unit(bw, client):
    warning = _warned(bw)
    problem = Problem.objects.get(origin_type="boards.boardwarning", origin_id=warning.pk)
    assert problem.org == bw.luquan
    assert problem.supervising_org == bw.counties_board.owner_org == bw.world.city
    assert problem.source.key == "board_warning" and problem.found_on == dt.date.today()
    assert warning.description in problem.description
    assert problem.rectification.status == RectificationStatus.PENDING
    # Idempotent: asking again returns the same problem.
    assert problem_from_board_warning(actor=bw.users["city"], warning=warning) == problem

    staff = make_user("luquan-staff", bw.luquan, roles.ROLE_RECTIFICATION)
    client.force_login(staff)
    page = client.get(reverse("oversight:problem_detail", args=[problem.pk])).content.decode()
    assert "多色榜预警" in page and 'data-action="sign"' in page
    rect = problem.rectification
    rectification_move(actor=staff, rectification=rect, action=RectificationAction.SIGN)
    rectification_move(
        actor=staff, rectification=rect, action=RectificationAction.PLAN, text="方案"
    )
    rectification_move(
        actor=staff, rectification=rect, action=RectificationAction.SUBMIT, text="整改报告"
    )
    rectification_move(
        actor=bw.users["city"], rectification=rect, action=RectificationAction.ACCEPT
    )
    rect.refresh_from_db()
    assert rect.status == RectificationStatus.CLOSED and rect.signed_by == staff

    client.force_login(bw.users["city"])
    page = client.get(reverse("oversight:problem_detail", args=[problem.pk])).content.decode()
    assert reverse("boards:warning_detail", args=[warning.pk]) in page


def test_a_close_without_an_actor_still_opens_the_problem(bw):
    for month in (1, 2):
        for org in (bw.world.county, bw.dongchuan):
            bw.receive(org, month, 1)
        board_close(actor=None, board=bw.counties_board, month=f"2020-0{month}")
    warning = bw.counties_board.warnings.get(org=bw.luquan)
    problem = Problem.objects.get(origin_type="boards.boardwarning", origin_id=warning.pk)
    assert problem.found_by is None and problem.found_by_org == bw.world.city
