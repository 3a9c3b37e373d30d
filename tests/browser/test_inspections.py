"""巡察 as ``stats`` (党风政风监督室, running rounds for the city commission) walks it, in
Debian's chromium driven by Playwright: a round set up with its talent pool, the team
drawn with 回避 on the page, the round moved to 进驻, a finding registered — and the
finding opened in the 整改闭环. Then 五华区's account sees the round but cannot draw."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_stats_runs_a_round_from_draw_to_a_finding_in_the_loop(live_server, page, log_in):
    from django.utils import timezone

    from jiandu.inspections import services
    from jiandu.inspections.models import FocusItem, InspectionRound
    from jiandu.people.choices import ManagementLevel
    from jiandu.people.models import Person, Post
    from jiandu.testing import build_role_world

    rw = build_role_world()
    w = rw.world
    stats = rw.accounts["stats"]
    homes = [w.unit_a, w.unit_b, w.county, w.other_county, w.city, w.group1]
    for i in range(8):
        person = Person.objects.create(name=f"巡察干部{i}", registered_org=w.city)
        Post.objects.create(person=person, org=homes[i % len(homes)], title="干部",
                            management_level=ManagementLevel.GENERAL,
                            start_date=dt.date(2020, 1, 1))  # fmt: skip
        services.talent_set(actor=stats, person=person, skills=["财务"] if i % 2 else ["审计"],
                            can_lead=i < 3)  # fmt: skip
    today = timezone.localdate()
    item = services.round_create(
        actor=stats, name="市委第一轮巡察", form="menu", level="joint", starts_on=today,
        ends_on=today + dt.timedelta(days=60), targets=[w.county],
        focus_items={w.county.pk: list(FocusItem.objects.filter(key="poverty"))},
        team_size=3, required_skills=["财务"],
    )  # fmt: skip

    log_in("stats")
    page.click("nav >> text=巡察")
    page.click("text=市委第一轮巡察")
    page.wait_for_url(re.compile(rf"/inspections/{item.pk}/$"))
    page.fill("input[name=seed]", "7")
    page.click("button:has-text('抽取巡察组')")
    page.wait_for_selector("text=组队成功（已采用）")
    teams = page.inner_text("section:has-text('被巡察单位和巡察组')")
    assert "五华区纪委监委" in teams and "巡察干部" in teams
    page.click("button:has-text('进入“进驻”阶段')")
    page.wait_for_selector("text=已进入“进驻”阶段")
    assert InspectionRound.objects.get(pk=item.pk).stage == "stationed"

    page.select_option("select[name=target]", label="五华区纪委监委")
    page.select_option("select[name=focus_item]", label="脱贫攻坚和乡村振兴政策落实")
    page.select_option("select[name=category]", index=1)
    page.fill("textarea[name=description]", "扶贫项目资金拨付滞后三个月")
    page.click("button:has-text('登记问题')")
    page.wait_for_selector("text=进入整改闭环")
    problem = item.problems.get().problem
    page.click(f"a:has-text('{problem.number}')")
    page.wait_for_url(re.compile(rf"/oversight/problems/{problem.pk}/$"))
    detail = page.content()
    assert "扶贫项目资金拨付滞后三个月" in detail and "巡察" in detail

    log_in("wuhua")
    page.click("nav >> text=巡察")
    page.click("text=市委第一轮巡察")
    assert "扶贫项目资金拨付滞后三个月" in page.content()
    assert page.locator("button:has-text('抽取巡察组')").count() == 0
