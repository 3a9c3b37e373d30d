"""督导 as the two roles walk it, in Debian's chromium driven by Playwright: ``stats``
(党风政风监督室) sets up a campaign with its 四级督导 chain, forms a 督导组 from the
registry, records a 督导检查 and its finding with a 限期整改通知, and runs the 警示卡
check; the unit's staff (an account of the ``rectify`` kind: 整改落实 of 市委办公室 —
the test world's 市财政局) fill their 任务清单 on the page and see their 整改警示卡."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_stats_sets_up_a_campaign_and_the_unit_fills_its_list_and_sees_its_card(
    live_server, page, log_in
):
    from django.utils import timezone

    from jiandu.people.models import Person
    from jiandu.supervision.models import Campaign, ListEntry, WarningCard
    from jiandu.testing import build_role_world

    rw = build_role_world()
    w = rw.world
    Person.objects.create(name="督导员甲", registered_org=w.city)
    held_on = timezone.localdate() - dt.timedelta(days=35)  # due some days ago

    # --- stats: the campaign, its chain and units ---
    base = log_in("stats")
    page.click("nav >> text=督导")
    page.click("text=建立督导")
    page.fill("input[name=name]", "“一问责八清理”专项行动")
    page.select_option("select[name=kind]", label="专项治理")
    page.select_option("select[name=lead_org]", str(w.unit_b.pk))
    page.select_option("select[name=units]", [str(w.unit_a.pk), str(w.township.pk)])
    for i, org in enumerate((w.unit_b, w.group1, rw.conduct_room, w.city), start=1):
        page.select_option(f"select[name=chain_org_{i}]", str(org.pk))
    page.click("button:has-text('建立')")
    page.wait_for_url(re.compile(r"/supervision/\d+/$"))
    campaign = Campaign.objects.get()
    chain = page.inner_text("dl.facts")
    assert "1. 牵头责任单位（市民政局） → 2. 督导问责组（派驻第一纪检监察组）" in chain
    assert "4. 领导小组（昆明市纪委监委）" in chain

    # --- a 督导组 from the registry ---
    page.click("text=组建督导组")
    page.fill("input[name=name]", "第一督导问责组")
    page.fill("input[type=search]", "督导员甲")
    page.click("button:has-text('＋ 督导员甲')")
    page.wait_for_selector(".person-chip")
    page.click("button:has-text('组建')")
    page.wait_for_url(re.compile(rf"/supervision/{campaign.pk}/$"))
    assert "督导员甲（组长）" in page.content()

    # --- a 督导检查 and its finding, with the 限期整改通知 ---
    page.click("text=记录督导检查")
    page.fill("input[name=held_on]", held_on.isoformat())
    page.select_option("select[name=team]", label="第一督导问责组")
    page.check(f"input[name=units][value='{w.unit_a.pk}']")
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r"/supervision/inspections/\d+/$"))
    page.select_option("select[name=org]", str(w.unit_a.pk))
    page.fill("textarea[name=description]", "违规发放津贴补贴未清退")
    page.select_option("select[name=category]", label="财务管理")
    page.check("input[name=notice]")
    page.click("button:has-text('登记问题')")
    page.wait_for_selector("text=已下发限期整改通知")
    assert "违规发放津贴补贴未清退" in page.content()

    # --- the count opens exactly its items ---
    page.goto(f"{base}/supervision/{campaign.pk}/")
    assert page.inner_text("#total-pending") == "1"
    page.click("#total-pending")
    assert page.inner_text("#item-count") == "1"
    assert page.locator("tr.problem-row").count() == 1

    # --- the daily check, now: the overdue rectification gets its 警示卡 ---
    page.goto(f"{base}/supervision/cards/")
    page.click("button:has-text('立即检查并发卡')")
    page.wait_for_selector("text=新发整改警示卡")
    card = WarningCard.objects.get()
    assert card.level_name == "牵头责任单位" and card.document.number in page.content()

    # --- the unit's staff fill their 任务清单 and see the card ---
    log_in("rectify")
    page.click("nav >> text=督导")
    page.click("text=“一问责八清理”专项行动")
    page.click("text=查看、填报清单")
    assert "违规发放津贴补贴未清退" in page.content()
    assert card.document.number in page.inner_text("#unit-cards")
    page.click("text=填报任务清单")
    page.fill("input[name=form-0-item]", "全面清理违规发放津贴补贴")
    page.fill("input[name=form-0-responsible]", "分管副局长")
    page.fill("input[name=form-0-due_on]", "2027-06-30")
    page.click("button:has-text('保存任务清单')")
    page.wait_for_selector("text=已保存任务清单（1项）")
    assert "全面清理违规发放津贴补贴" in page.inner_text("#list-tasks")
    assert ListEntry.objects.get().org_id == w.unit_a.pk
    with page.expect_download() as download:
        page.locator("#unit-cards").get_by_text("警示卡（Word）").click()
    assert download.value.suggested_filename.endswith(".docx")
