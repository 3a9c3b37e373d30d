"""The demo's 零报告 flag (with its evidence), 市委办公室's reconciliation with a gap
list, and the 质询会 with its minutes, on the small demo the tests share (built to the
day before its "today"); 党风政风监督室's ``stats`` sees all three."""

from __future__ import annotations

import pytest

from jiandu.reconciliation import selectors
from jiandu.reconciliation.choices import FlagReason, InquiryStatus
from jiandu.reconciliation.models import InquiryMeeting, Reconciliation, ZeroReportFlag
from jiandu.reconciliation.periods import period_parse
from jiandu.reconciliation.selectors import ledgers, unit_principal


@pytest.fixture(scope="module")
def demo(small_demo):
    return small_demo


@pytest.mark.django_db
def test_the_demo_shows_a_flag_a_gap_list_and_a_meeting(demo):
    flag = ZeroReportFlag.objects.get()
    assert flag.org.name == "五华区住房和城乡建设局" and flag.reason == FlagReason.ZERO
    assert flag.self_found_count == 0
    assert flag.other_problem_count == 2 and flag.petition_count >= 2
    assert flag.evidence.count() == flag.other_problem_count + flag.petition_count

    reconciliation = Reconciliation.objects.get()
    assert reconciliation.org.name == "五华区财政局"
    books = ledgers(
        org=reconciliation.org,
        period=period_parse(reconciliation.period_key),
        reconciliation=reconciliation,
    )
    assert books.counts["self"] == 3 and books.counts["paired"] == 2
    # The story's three gaps; the 巡察 demo's findings may add one where its rounds
    # targeted the same unit in the period (which units depends on the database's order).
    assert books.counts["gap"] >= 3
    assert books.counts["gap"] == books.counts["other"] - books.counts["paired"]
    if unit_principal(reconciliation.org) is not None:
        assert books.counts["accounted"] == 1

    from django.contrib.auth import get_user_model

    stats = get_user_model().objects.get(username="stats")
    assert selectors.zero_report_flag_list(user=stats).count() == 1
    assert selectors.reconciliation_list(user=stats).count() == 1
    # The 质询会 on 五华区财政局's problems, and the 巡察 demo's one on a county's 三本账
    # (src/jiandu/inspections/tests/test_demo_ledger_inquiry.py).
    assert selectors.inquiry_list(user=stats).count() == 2

    meeting = InquiryMeeting.objects.get(org__name="五华区财政局")
    assert meeting.status == InquiryStatus.MINUTED
    assert [i.get_decision_display() for i in meeting.items.order_by("order")] == [
        "交账",
        "销账",
        "清账",
    ]
