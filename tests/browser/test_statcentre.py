"""统计中心 and 统计报表 as the demo accounts use them (docs/roles.md): ``wuhua`` prepares,
corrects and submits its monthly return; ``stats`` reads the city's figures, reopens a
county's return with a reason and submits the city's consolidated return; ``leader``
reads. Charts come from the platform's own static files (the CSP test walks pages)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_code_like_text"),
]


def _month_before(today: dt.date, months: int) -> dt.date:
    first = today.replace(day=1)
    for _ in range(months):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


@pytest.fixture
def rw():
    from jiandu.statcentre.tests import factories as f
    from jiandu.testing import build_role_world

    rw = build_role_world()
    u = rw.accounts["wuhua"]
    last = _month_before(dt.date.today(), 1)
    a_year_before = last.replace(year=last.year - 1)
    for day in (last, last + dt.timedelta(days=1)):
        f.petition(rw.world.county, u, day, closed=day)
    f.petition(rw.world.county, u, a_year_before)
    f.petition(rw.world.other_county, u, last)
    f.clue(rw.world.county, u, last, disposed=last, method="case_filed")
    return rw


def _ok(response) -> None:
    assert response is not None and response.status < 400, response and response.status


def test_wuhua_prepares_corrects_and_submits_its_monthly_return(rw, page, log_in):
    base = log_in("wuhua")
    _ok(page.goto(f"{base}/statistics/?period={_month_before(dt.date.today(), 1):%Y-%m}"))
    assert page.locator("h1").inner_text().startswith("统计中心 · 五华区纪委监委")
    row = page.locator("tr", has=page.locator("text=检举控告")).first
    assert row.locator("td").first.inner_text() == "2"
    assert row.locator("td").nth(2).inner_text() == "+100.0%"  # 2 against 1 a year earlier
    # The number opens exactly its records.
    row.locator("td a").first.click()
    page.wait_for_selector("text=共 2 条记录")
    # Another county does not exist for it.
    assert page.goto(f"{base}/statistics/?org={rw.world.other_county.pk}").status == 404

    _ok(page.goto(f"{base}/statistics/returns/"))
    page.locator("form", has=page.locator("input[value=monthly]")).locator("button").click()
    page.wait_for_selector("text=报表已按统计数据生成")
    # A wrong correction is named and blocks the submission.
    page.fill("input[name=petitions_first]", "9")
    page.click("text=保存修改")
    page.wait_for_selector("text=“初信初访”（9件）大于“检举控告”（2件）")
    assert page.locator("button:has-text('上报')").first.is_disabled()
    page.fill("input[name=petitions_first]", "2")
    page.click("text=保存修改")
    page.wait_for_selector("text=校验通过")
    page.click("button:has-text('上报')")
    page.wait_for_selector("text=报表已上报并锁定")
    assert page.locator("input[name=petitions_first]").count() == 0
    with page.expect_download() as download:
        page.click("text=导出Excel")
    assert download.value.suggested_filename.endswith(".xlsx")


def test_stats_consolidates_reopens_one_county_and_submits_the_city(rw, page, log_in):
    from jiandu.statcentre import services
    from jiandu.statcentre.models import StatReturn
    from jiandu.statcentre.periods import parse_period

    period = parse_period(f"{_month_before(dt.date.today(), 1):%Y-%m}")
    wuhua = rw.accounts["wuhua"]
    ret = services.return_prepare(
        actor=wuhua, org=rw.world.county, form_code="monthly", period=period
    )
    services.return_submit(actor=wuhua, stat_return=ret)

    base = log_in("stats")
    _ok(page.goto(f"{base}/statistics/?period={period.code}"))
    assert "昆明市纪委监委" in page.locator("h1").inner_text()
    assert page.locator("[data-chart=bar]").count() == 2
    page.wait_for_selector("[data-chart=line] canvas")

    _ok(page.goto(f"{base}/statistics/returns/"))
    page.wait_for_selector("text=/已上报 1\\/\\d+/")
    page.click(f"a:has-text('{rw.world.county.name}')")
    page.fill("#reopen-reason", "积案数与信访室台账不符，请核对")
    page.click("button:has-text('退回修改')")
    page.wait_for_selector("text=报表已退回填报单位修改")
    page.wait_for_selector("text=积案数与信访室台账不符，请核对")
    ret.refresh_from_db()
    assert ret.status == "reopened"

    _ok(page.goto(f"{base}/statistics/returns/"))
    page.locator("form", has=page.locator("input[value=monthly]")).locator("button").click()
    page.wait_for_selector("text=报表已按统计数据生成")
    page.click("button:has-text('上报')")
    page.wait_for_selector("text=报表已上报并锁定")
    city = StatReturn.objects.get(org=rw.world.city)
    assert city.is_locked
    assert page.locator("#reopen-reason").count() == 0  # no province account here


def test_leader_reads_the_statistics_centre(rw, page, log_in):
    log_in("leader")
    page.click("#sidebar a:has-text('统计中心')")
    page.wait_for_url(re.compile(r".*/statistics/"))
    page.click(f"a:has-text('{rw.world.county.name}')")
    page.wait_for_selector("text=统计中心 · 五华区纪委监委")
    label = page.locator(".stat-label", has_text="初信初访办结率").first
    assert "口径" in (label.get_attribute("title") or "")
    satisfaction = page.locator(".stat-label", has_text="实名举报满意率").first
    assert "满意" in (satisfaction.get_attribute("title") or "")  # fed by the follow-up records
    assert page.locator("button:has-text('上报')").count() == 0
