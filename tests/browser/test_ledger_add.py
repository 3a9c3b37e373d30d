"""三本账 as the county that keeps it (``wuhua``, docs/roles.md): from the sidebar to the
list, a row added through the 记入台账 form on the list page (its fields rendered once per
county list and kept), the row's page, and back to the list, filtered by the selects."""

from __future__ import annotations

import re

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_code_like_text"),
]


@pytest.fixture
def rw():
    from jiandu.testing import build_role_world

    return build_role_world()


def test_wuhua_adds_a_ledger_row_on_the_list_page(rw, page, log_in):
    from jiandu.inspections.models import LedgerRow

    log_in("wuhua")
    page.click("#sidebar >> text=三本账")
    page.wait_for_url(re.compile(r".*/inspections/ledgers/$"))
    assert page.locator("#sidebar a[aria-current=page]").inner_text() == "三本账"
    # Only its own county to choose; the form needs county, ledger and title.
    options = page.locator("#id_county option").all_inner_texts()
    assert options == ["---------", "五华区纪委监委"]
    page.select_option("#id_county", label="五华区纪委监委")
    page.select_option("#id_kind", label="专项治理建议台账")
    page.fill("#id_title", "规范村级工程项目<审批>")
    page.click("button:has-text('记入')")
    page.wait_for_url(re.compile(r".*/inspections/ledgers/\d+/$"))
    assert "已记入专项治理建议台账" in page.content()
    row = LedgerRow.objects.get(title="规范村级工程项目<审批>")
    assert row.county_id == rw.world.county.pk and row.kind == "governance"
    # Back on the list, filtered by the selects: the row, its title as typed.
    page.click("#sidebar >> text=三本账")
    page.select_option("#f-kind", label="专项治理建议台账")
    page.select_option("#f-status", label="办理中")
    page.click("#ledger-filters button[type=submit]")
    page.wait_for_url(re.compile(r".*kind=governance.*"))
    first = page.locator("table tbody tr").first
    assert first.locator("td").nth(3).inner_text() == "规范村级工程项目<审批>"
    assert page.locator("#f-kind option:checked").inner_text() == "专项治理建议台账"
    first.locator("a").click()
    page.wait_for_url(re.compile(rf".*/inspections/ledgers/{row.pk}/$"))


def test_a_second_click_while_the_form_is_on_its_way_adds_the_row_once(
    rw, page, log_in, monkeypatch
):
    """A slow answer (the server takes a second and a half) and an impatient user who
    clicks 记入 again before the page changes: one row, not two."""
    import time

    from jiandu.inspections import ledgers
    from jiandu.inspections.models import LedgerRow

    add = ledgers.ledger_row_add

    def slow_add(**kwargs):
        time.sleep(1.5)
        return add(**kwargs)

    monkeypatch.setattr(ledgers, "ledger_row_add", slow_add)
    log_in("wuhua")
    page.click("#sidebar >> text=三本账")
    page.wait_for_url(re.compile(r".*/inspections/ledgers/$"))
    page.select_option("#id_county", label="五华区纪委监委")
    page.select_option("#id_kind", label="专项治理建议台账")
    page.fill("#id_title", "再点一次只记入一次")
    # The second click comes from the page half a second after the first submit, while
    # the answer is on its way (Playwright's own click would wait for the navigation).
    page.evaluate(
        """() => {
          const button = [...document.querySelectorAll("button")]
            .find((b) => b.textContent.includes("记入"));
          document.addEventListener("submit", () => setTimeout(() => button.click(), 500),
                                    {once: true});
        }"""
    )
    page.click("button:has-text('记入')", no_wait_after=True)
    page.wait_for_timeout(4000)  # both answers, had a second request gone out
    assert LedgerRow.objects.filter(title="再点一次只记入一次").count() == 1
    assert re.fullmatch(r".*/inspections/ledgers/\d+/", page.url)
    assert "已记入专项治理建议台账" in page.content()
