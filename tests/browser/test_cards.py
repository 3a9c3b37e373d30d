"""主体责任提醒卡 as the two sides walk it, in Debian's chromium driven by Playwright:
``stats`` (党风政风监督室, who issues for the committee) lists 中共昆明市委's leaders for
the quarter, keeps one, issues the card (a 文号 from the register, the printed card with
its QR code); ``rectify`` (the staff of the leader's unit) opens the card and returns the
quarterly summary item by item; ``stats`` sees the summary and the statistics."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_stats_issues_a_card_and_the_leaders_unit_returns_its_summary(page, log_in):
    from jiandu.accounts.models import User
    from jiandu.cards.models import ReminderCard
    from jiandu.cards.reference import install_reference_data
    from jiandu.cards.selectors import last_full_quarter
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.services import org_create
    from jiandu.people.services import person_create, post_add
    from jiandu.testing import build_role_world

    install_reference_data()
    roles = build_role_world()
    world = roles.world
    system = User.objects.get(username="system-setup")
    org_create(actor=system, name="中共昆明市委", kind=OrgKind.CITY_UNIT, parent=world.city)
    for org, name in ((world.unit_a, "周主任"), (world.unit_b, "吴局长")):
        person = person_create(actor=system, name=name, registered_org=org)
        post_add(
            actor=system, person=person, org=org, title="主任" if org == world.unit_a else "局长",
            management_level="city_managed", start_date=dt.date(2019, 1, 1), is_leader=True,
        )  # fmt: skip
    year, quarter = last_full_quarter()

    base = log_in("stats")
    page.goto(f"{base}/cards/issue/")
    page.select_option("select[name=committee]", label="中共昆明市委")
    page.select_option("select[name=year]", str(year))
    page.select_option("select[name=quarter]", str(quarter))
    page.select_option("select[name=negative_list]", index=1)
    page.click("text=列出提醒对象")
    page.wait_for_selector("#issue-form")
    assert page.locator("#issue-form td:text-is('下级党委（党组）一把手')").count() == 2
    page.uncheck("label:has-text('吴局长') >> xpath=ancestor::tr//input[@type='checkbox']")
    page.click("button[value=issue]")
    page.wait_for_url(re.compile(r".*/cards/\d+/$"))
    card = ReminderCard.objects.get()
    assert card.status == "issued" and card.leader.name == "周主任"
    assert card.number in page.locator("#card-number").inner_text()
    assert page.locator("img.card-qr").count() == 1
    with page.expect_download() as download:
        page.click("text=下载提醒卡（Word）")
    assert download.value.suggested_filename.endswith(".docx")

    log_in("rectify")
    page.goto(f"{base}/cards/")
    page.click(f"text={card.number}")
    page.wait_for_selector("#summary-form")
    items = list(card.items.order_by("order"))
    for item in items:
        page.fill(f"textarea[name=item_{item.pk}]", f"第{item.order}项：本季度已落实")
    page.click("#summary-form button[type=submit]")
    page.wait_for_url(re.compile(rf".*/cards/{card.pk}/$"))
    assert "已报送履责小结" in page.content()
    assert all(i.summarised_on for i in card.items.all())

    log_in("stats")
    page.goto(f"{base}/cards/{card.pk}/")
    assert "第1项：本季度已落实" in page.content()
    page.goto(f"{base}/cards/stats/?year={year}&quarter={quarter}")
    page.click("#stats-table tbody a[data-metric=summarised]")
    assert card.number in page.content()
