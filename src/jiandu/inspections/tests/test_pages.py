"""Pages of the 巡察 rounds: a round from draw to a finding in the loop; scoping (404
outside the jurisdiction, 403 for a county that may only look)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiandu.inspections.models import InspectionRound
from jiandu.inspections.tests.helpers import make_round
from jiandu.oversight.models import ProblemCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(rw, actor, pool):
    return make_round(rw, actor, targets=[rw.world.county])


def test_round_from_draw_to_a_finding(client, actor, item, rw):
    client.force_login(actor)
    listing = client.get(reverse("inspections:round_list")).content.decode()
    assert "市委第一轮巡察" in listing and "菜单式" in listing
    detail = reverse("inspections:round_detail", args=[item.pk])
    page = client.get(detail).content.decode()
    assert "尚未抽取巡察组" in page and "抽取巡察组" in page
    client.post(reverse("inspections:round_draw", args=[item.pk]), {"seed": "8"})
    page = client.get(detail).content.decode()
    assert "组队成功（已采用）" in page and "五华区纪委监委" in page
    draw = item.draws.get()
    inputs = client.get(reverse("inspections:draw_inputs", args=[item.pk, draw.pk]))
    assert inputs.json()["seed"] == 8
    client.post(reverse("inspections:round_stage", args=[item.pk]), {"to_stage": "stationed"})
    assert InspectionRound.objects.get(pk=item.pk).stage == "stationed"
    # An illegal move is refused with the reason.
    client.post(reverse("inspections:round_stage", args=[item.pk]), {"to_stage": "archived"})
    assert InspectionRound.objects.get(pk=item.pk).stage == "stationed"
    target = item.targets.get()
    client.post(
        reverse("inspections:finding_create", args=[item.pk]),
        {"target": target.pk, "category": ProblemCategory.objects.first().pk,
         "description": "扶贫资金拨付滞后"},
    )  # fmt: skip
    page = client.get(detail).content.decode()
    problem = item.problems.get().problem
    assert problem.number in page and problem.source.name == "巡察"
    assert reverse("oversight:problem_detail", args=[problem.pk]) in page


def test_county_sees_but_does_not_manage(client, rw, item):
    client.force_login(rw.accounts["wuhua"])
    page = client.get(reverse("inspections:round_detail", args=[item.pk])).content.decode()
    assert "市委第一轮巡察" in page
    assert reverse("inspections:round_draw", args=[item.pk]) not in page
    assert client.post(reverse("inspections:round_draw", args=[item.pk])).status_code == 403


def test_other_county_gets_404(client, rw, item):
    client.force_login(rw.accounts["dongchuan"])
    assert "市委第一轮巡察" not in client.get(reverse("inspections:round_list")).content.decode()
    for name in ("round_detail", "round_draw", "round_stage", "finding_create"):
        url = reverse(f"inspections:{name}", args=[item.pk])
        response = client.post(url) if name != "round_detail" else client.get(url)
        # Writes: 403 without the right, 404 with it (outside the jurisdiction).
        assert response.status_code in ((404,) if name == "round_detail" else (403, 404)), name
    outsider = rw.world.users["outsider"]
    from jiandu.accounts import roles
    from jiandu.testing import role_group

    outsider.groups.add(role_group(roles.ROLE_STATISTICS))
    client.force_login(outsider)
    for name in ("round_detail", "round_draw", "round_stage", "finding_create"):
        url = reverse(f"inspections:{name}", args=[item.pk])
        response = client.post(url) if name != "round_detail" else client.get(url)
        assert response.status_code == 404, name


def test_round_figures_drill_to_their_records(client, actor, item, rw):
    from jiandu.clues.choices import DisposalMethod
    from jiandu.clues.services import clue_dispose
    from jiandu.inspections import selectors, services

    w = rw.world
    services.round_draw(actor=actor, round=item, seed=1)
    services.round_advance(actor=actor, round=item, to_stage="stationed")
    category = ProblemCategory.objects.first()
    for text in ("问题一", "问题二"):
        services.finding_add(actor=actor, round=item, org=w.county, description=text,
                             category=category)  # fmt: skip
    clues = [
        services.clue_transfer(
            actor=actor, round=item, org=w.county, title=t, handling_org=w.county
        )
        for t in ("线索一", "线索二", "线索三", "线索四")
    ]
    clue_dispose(actor=actor, clue=clues[0], method=DisposalMethod.CASE_FILED, note="立案")
    figures = selectors.round_figures(item)
    assert figures["problems"] == 2 and figures["closed"] == 0 and figures["completion"] == 0
    assert figures["clues"] == 4 and figures["case_filed"] == 1 and figures["case_rate"] == 25.0
    client.force_login(actor)
    page = client.get(reverse("inspections:round_detail", args=[item.pk])).content.decode()
    assert "成案率25.0%" in page and "立案审查1件" in page
    # The figures' records are the rows listed below them.
    assert page.count(reverse("oversight:problem_detail", args=[0]).replace("/0/", "/")) >= 2
    for clue in clues:
        assert reverse("clues:clue_detail", args=[clue.pk]) in page


def test_create_round_on_the_page(client, actor, rw, pool):
    w = rw.world
    client.force_login(actor)
    url = reverse("inspections:round_create")
    assert "被巡察单位" in client.get(url).content.decode()
    response = client.post(url, {
        "name": "机动巡察", "form": "mobile", "level": "city", "starts_on": "2026-03-01",
        "ends_on": "2026-04-01", "targets": [w.county.pk, w.unit_b.pk],
        "focus_items": [], "team_size": "3", "required_skills": "财务、审计",
        "cooldown_months": "24",
    })  # fmt: skip
    item = InspectionRound.objects.get(name="机动巡察")
    assert response.status_code == 302
    assert item.required_skills == ["财务", "审计"] and item.cooldown_months == 24
    assert set(item.targets.values_list("org_id", flat=True)) == {w.county.pk, w.unit_b.pk}
    client.force_login(rw.accounts["wuhua"])
    assert client.get(url).status_code == 403
