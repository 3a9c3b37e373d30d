"""单元制 as the unit's 派驻组 (``group1``) walks it, in Debian's chromium driven by
Playwright: the unit set up by the city commission's office, the group opens it from the
menu, sets up a special check, draws its team with 回避, moves it through 看问题 → 查台账 →
走访谈, registers a finding — opens it in the 整改闭环 — records a 谈话, and sees the open
problem put before the group on the unit's page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_group_runs_a_unit_check_through_its_steps_to_a_finding(live_server, page, log_in):
    from jiandu.inspections import services, units
    from jiandu.inspections.models import SpecialCheck
    from jiandu.people.choices import ManagementLevel
    from jiandu.people.models import Person, Post
    from jiandu.testing import build_role_world

    rw = build_role_world()
    w = rw.world
    stats = rw.accounts["stats"]
    homes = [w.unit_a, w.unit_b, w.county, w.other_county, w.city, w.group1]
    for i in range(8):
        person = Person.objects.create(name=f"检查干部{i}", registered_org=w.city)
        Post.objects.create(person=person, org=homes[i % len(homes)], title="干部",
                            management_level=ManagementLevel.GENERAL,
                            start_date=dt.date(2020, 1, 1))  # fmt: skip
        services.talent_set(actor=stats, person=person, skills=["财务"], can_lead=i < 4)
    unit = units.unit_create(actor=stats, name="第一监督单元",
                             members=[(w.group1, "stationed"), (w.township, "township")],
                             covered=[w.unit_a, w.unit_b])  # fmt: skip

    log_in("group1")
    page.click("nav >> text=单元制监督")
    page.click("text=第一监督单元")
    page.wait_for_url(re.compile(rf"/inspections/units/{unit.pk}/$"))
    page.fill("input[name=name]", "节假日专项检查")
    page.select_option("select[name=topic]", label="节假日")
    page.check("input[name=targets] >> nth=0")
    page.click("button:has-text('建立专项检查')")
    page.wait_for_selector("text=下一步抽取检查组")
    check = SpecialCheck.objects.get()
    page.fill("input[name=seed]", "3")
    page.click("button:has-text('抽取检查组')")
    page.wait_for_selector("text=已抽取检查组")
    assert "组长" in page.inner_text("#team")
    for step in ("查台账", "走访谈"):
        page.click(f"button:has-text('进入“{step}”')")
        page.wait_for_selector(f"text=已进入“{step}”")
    assert SpecialCheck.objects.get().step == "visits"
    page.select_option("select[name=org]", label="市财政局")
    page.select_option("select[name=category]", index=1)
    page.fill("textarea[name=description]", "节日期间违规发放购物卡")
    page.click("button:has-text('登记问题')")
    page.wait_for_selector("text=进入整改闭环")
    problem = check.problems.get().problem
    page.select_option("#outcomes select[name=kind]", label="责任提醒谈话")
    page.select_option("#outcomes select[name=org]", label="市财政局")
    page.fill("#outcomes input[name=person_name]", "张某（办公室主任）")
    page.click("button:has-text('记录处理')")
    page.wait_for_selector("text=已记录责任提醒谈话")
    assert "张某（办公室主任）" in page.inner_text("#outcomes")
    page.click(f"a:has-text('{problem.number}')")
    page.wait_for_url(re.compile(rf"/oversight/problems/{problem.pk}/$"))
    assert "节日期间违规发放购物卡" in page.content()
    page.goto(f"{live_server.url}/inspections/units/{unit.pk}/")
    assert problem.number in page.inner_text("#open-problems")
