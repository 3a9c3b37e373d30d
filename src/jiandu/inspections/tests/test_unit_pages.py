"""单元制 pages and API, as the roles that do the work: the commission's office
(``stats``) sets the unit up and plans the year; the unit's 派驻组 (``group1``) runs a
special check through the six steps to a finding in the loop and records the 谈话 that
followed; illegal steps are refused; outside the unit a check does not exist (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from jiandu.inspections.models import SpecialCheck, SupervisionUnit
from jiandu.oversight.models import ProblemCategory

pytestmark = pytest.mark.django_db
API = "/api/v1/inspections"


@pytest.fixture
def unit(client, rw, actor, pool):
    """Set up on the page by 党风政风监督室 (``stats``), for the city commission."""
    w = rw.world
    client.force_login(actor)
    response = client.post(
        reverse("inspections:unit_create"),
        {"name": "第一监督单元", "stationed": w.group1.pk, "township": w.township.pk,
         "departments": [w.unit_b.pk], "covered": [w.unit_a.pk, w.unit_b.pk]},
    )  # fmt: skip
    unit = SupervisionUnit.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/units/{unit.pk}/")
    client.logout()
    return unit


def test_unit_needs_a_stationed_group_and_a_township(client, rw, actor):
    w = rw.world
    client.force_login(actor)
    response = client.post(
        reverse("inspections:unit_create"),
        {"name": "缺镇纪委", "stationed": w.group1.pk, "township": "",
         "covered": [w.unit_a.pk]},
    )  # fmt: skip
    assert response.status_code == 422 and not SupervisionUnit.objects.exists()


def test_an_org_is_a_member_under_one_heading_only(client, rw, actor):
    """The same org as 派驻组 and 镇纪委 (or again among the departments) is refused on the
    page, naming the field, and through the API: no unit, no 500."""
    w = rw.world
    client.force_login(actor)
    response = client.post(
        reverse("inspections:unit_create"),
        {"name": "重复成员", "stationed": w.group1.pk, "township": w.township.pk,
         "departments": [w.township.pk], "covered": [w.unit_a.pk]},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.context["form"].errors["departments"] == [
        f"{w.township.name}已选为镇（园区）纪（工）委、纪检监察室，每个单位只能以一种身份加入"
    ]
    made = client.post(
        f"{API}/units",
        {"name": "重复成员",
         "members": [{"org": w.group1.pk, "role": "stationed"},
                     {"org": w.township.pk, "role": "township"},
                     {"org": w.township.pk, "role": "department"}],
         "covered": [w.unit_a.pk]},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 422 and "在成员单位中重复" in made.json()["detail"]
    assert not SupervisionUnit.objects.exists()


def test_a_year_out_of_range_in_the_address_shows_this_year(client, rw, actor, unit):
    """``?year=`` comes from the address: a negative or huge one is this year, not a 500."""
    client.force_login(actor)
    this_year = timezone.localdate().year
    for year in ("-5", "0", "99999999999999999999999"):
        for url in (reverse("inspections:unit_detail", args=[unit.pk]),
                    reverse("inspections:unit_list")):  # fmt: skip
            response = client.get(url, {"year": year})
            assert response.status_code == 200, (url, year)
        assert response.context["year"] == this_year


def test_plan_then_a_check_through_the_six_steps_to_a_finding(client, rw, actor, unit):
    w = rw.world
    year = timezone.localdate().year
    client.force_login(actor)
    client.post(
        reverse("inspections:unit_plan", args=[unit.pk]),
        {"year": year, "orgs": [w.unit_a.pk, w.unit_b.pk], "key": [w.unit_a.pk]},
    )
    page = client.get(reverse("inspections:unit_detail", args=[unit.pk])).content.decode()
    assert "已列入（重点检查）" in page and page.count("<strong>未检查</strong>") == 2

    # The unit's 派驻组 runs the check.
    group = rw.accounts["group1"]
    client.force_login(group)
    listing = client.get(reverse("inspections:unit_list")).content.decode()
    assert "第一监督单元" in listing
    page = client.get(reverse("inspections:unit_detail", args=[unit.pk])).content.decode()
    assert "开展专项检查" in page and "保存年度计划" not in page  # plans: the commission
    assert client.post(reverse("inspections:unit_plan", args=[unit.pk]),
                       {"year": year, "orgs": [w.unit_a.pk]}).status_code == 403  # fmt: skip
    client.post(
        reverse("inspections:check_create", args=[unit.pk]),
        {"name": "节假日专项检查", "topic": "节假日", "held_on": timezone.localdate().isoformat(),
         "targets": [w.unit_a.pk], "team_size": 3},
    )  # fmt: skip
    check = SpecialCheck.objects.get()
    detail = reverse("inspections:check_detail", args=[check.pk])
    step = reverse("inspections:check_step", args=[check.pk])
    # No team yet: the first step is refused.
    client.post(step, {"to_step": "ledgers"})
    assert SpecialCheck.objects.get().step == "problems"
    client.post(reverse("inspections:check_draw", args=[check.pk]), {"seed": "5"})
    page = client.get(detail).content.decode()
    assert "组长" in page and "随机种子" in page
    # Skipping a step is refused with the reason.
    response = client.post(step, {"to_step": "causes"}, follow=True)
    assert "须按顺序逐步推进" in response.content.decode()
    client.post(step, {"to_step": "ledgers"})
    client.post(step, {"to_step": "visits"})
    client.post(
        reverse("inspections:check_finding", args=[check.pk]),
        {"org": w.unit_a.pk, "category": ProblemCategory.objects.first().pk,
         "description": "节日期间违规发放购物卡"},
    )  # fmt: skip
    problem = check.problems.get().problem
    assert problem.source.key == "unit_check"
    # 谈话 needs the person talked to.
    refused = client.post(reverse("inspections:check_outcome", args=[check.pk]),
                          {"kind": "talk", "org": w.unit_a.pk}, follow=True)  # fmt: skip
    assert "须写明对象" in refused.content.decode()
    client.post(reverse("inspections:check_outcome", args=[check.pk]),
                {"kind": "talk", "org": w.unit_a.pk,
                 "person_name": "张某（办公室主任）"})  # fmt: skip
    for to in ("causes", "rectify", "review", "done"):
        client.post(step, {"to_step": to})
    page = client.get(detail).content.decode()
    assert SpecialCheck.objects.get().step == "done"
    assert problem.number in page and "张某（办公室主任）" in page
    assert reverse("inspections:check_finding", args=[check.pk]) not in page  # after 回头看
    # Before the next check: the unit's open problem is in front of the group; coverage.
    page = client.get(reverse("inspections:unit_detail", args=[unit.pk])).content.decode()
    assert "未销号的问题（1个）" in page and problem.number in page
    assert page.count("<strong>未检查</strong>") == 1  # 市民政局 not yet checked


def test_outside_the_unit_a_check_does_not_exist(client, rw, actor, unit):
    from jiandu.inspections import units

    w = rw.world
    check = units.check_create(actor=actor, unit=unit, name="扶贫专项检查", topic="扶贫",
                               held_on=timezone.localdate(), targets=[w.unit_a])  # fmt: skip
    client.force_login(rw.accounts["dongchuan"])
    assert client.get(reverse("inspections:unit_detail", args=[unit.pk])).status_code == 404
    assert client.get(reverse("inspections:check_detail", args=[check.pk])).status_code == 404
    assert client.post(reverse("inspections:check_step", args=[check.pk]),
                       {"to_step": "ledgers"}).status_code == 404  # fmt: skip
    assert client.get(f"{API}/units/{unit.pk}").status_code == 404
    assert client.get(f"{API}/checks/{check.pk}").status_code == 404
    assert client.get(f"{API}/units").json() == []


def test_unit_api_as_the_roles_that_do_the_work(client, rw, actor, pool):
    w = rw.world
    client.force_login(actor)
    made = client.post(
        f"{API}/units",
        {"name": "第二监督单元",
         "members": [{"org": w.group1.pk, "role": "stationed"},
                     {"org": w.township.pk, "role": "township"}],
         "covered": [w.unit_a.pk, w.unit_b.pk]},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    unit = made.json()
    assert [m["role_label"] for m in unit["members"]] == [
        "派驻纪检监察组", "镇（园区）纪（工）委、纪检监察室"]  # fmt: skip
    year = timezone.localdate().year
    planned = client.put(f"{API}/units/{unit['id']}/plans/{year}",
                         {"orgs": [w.unit_a.pk], "key": [w.unit_a.pk]},
                         content_type="application/json").json()  # fmt: skip
    assert planned["plan"] == [{"org": {"id": w.unit_a.pk, "name": "市财政局"}, "key_check": True}]
    assert {o["name"] for o in planned["unchecked"]} == {"市财政局", "市民政局"}

    client.force_login(rw.accounts["group1"])
    bad = client.post(f"{API}/units/{unit['id']}/checks",
                      {"name": "x", "topic": "没有这类", "held_on": str(timezone.localdate()),
                       "targets": [w.unit_a.pk]}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and "没有“没有这类”这类专项检查" in bad.json()["detail"]
    check = client.post(f"{API}/units/{unit['id']}/checks",
                        {"name": "高档烟酒专项检查", "topic": "高档烟酒",
                         "held_on": str(timezone.localdate()), "targets": [w.unit_a.pk]},
                        content_type="application/json").json()  # fmt: skip
    url = f"{API}/checks/{check['id']}"
    early = client.post(f"{url}/step", {"to_step": "ledgers"}, content_type="application/json")
    assert early.status_code == 409 and "尚未抽取" in early.json()["detail"]
    drawn = client.post(f"{url}/draw", {"seed": 2}, content_type="application/json").json()
    assert drawn["draw"]["seed"] == 2 and len(drawn["team"]) == 3
    assert [m["role"] for m in drawn["team"]].count("组长") == 1
    moved = client.post(f"{url}/step", {"to_step": "ledgers"}, content_type="application/json")
    assert moved.json()["step_label"] == "查台账"
    skip = client.post(f"{url}/step", {"to_step": "review"}, content_type="application/json")
    assert skip.status_code == 409
    found = client.post(f"{url}/findings",
                        {"org": w.unit_a.pk, "category": ProblemCategory.objects.first().pk,
                         "description": "公款购买高档烟酒"},
                        content_type="application/json")  # fmt: skip
    assert found.status_code == 201 and found.json()["problems"][0]["status_label"]
    stranger = client.post(f"{url}/findings",
                           {"org": w.county.pk, "category": ProblemCategory.objects.first().pk,
                            "description": "x"}, content_type="application/json")  # fmt: skip
    assert stranger.status_code == 422
    outcome = client.post(f"{url}/outcomes",
                          {"kind": "admonish", "org": w.unit_a.pk, "person_name": "李某"},
                          content_type="application/json")  # fmt: skip
    assert outcome.json()["outcomes"][0]["kind_label"] == "纠错诫勉"
    detail = client.get(f"{API}/units/{unit['id']}").json()
    assert detail["figures"]["problems"] == 1 and detail["figures"]["admonitions"] == 1
    assert [p["description"] for p in detail["open_problems"]] == ["公款购买高档烟酒"]
    # A 派驻组 may run checks but not plan the year.
    assert client.put(f"{API}/units/{unit['id']}/plans/{year}", {"orgs": []},
                      content_type="application/json").status_code == 403  # fmt: skip
