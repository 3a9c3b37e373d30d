"""The demo's 质询会 on 三本账 rows (seed 002): the city questions the county whose
ledgers lag most; its rows are on the agenda, one each marked 交账, 销账 (a row 已办结)
and 清账, the rest still to be decided; 党风政风监督室's ``stats``, who runs 质询会 on
三本账 (docs/roles.md), reaches it on the page and through the API; another county does
not see it."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q
from django.urls import reverse

from jiandu.accounts.models import User
from jiandu.inspections.choices import LedgerStatus
from jiandu.inspections.hooks import LEDGER_RECORD
from jiandu.inspections.models import LedgerRow
from jiandu.reconciliation.choices import InquiryStatus
from jiandu.reconciliation.models import InquiryMeeting
from jiandu.reconciliation.selectors import inquiry_list

pytestmark = pytest.mark.django_db


def test_the_demo_holds_a_ledger_inquiry_on_the_lagging_county(small_demo, client):
    meeting = InquiryMeeting.objects.get(title__endswith="三本账质询会")
    county = meeting.org
    assert meeting.status == InquiryStatus.HELD and meeting.convening_org.name == "昆明市纪委监委"
    standing = {
        c["county_id"]: c["done"] / c["total"]
        for c in LedgerRow.objects.values("county_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=LedgerStatus.DONE)))
        .filter(done__gt=0)
    }
    assert standing[county.pk] == min(standing.values())  # the lagging county
    items = list(meeting.record_items.order_by("order"))
    assert {i.record_type for i in items} == {LEDGER_RECORD} and len(items) >= 4
    rows = LedgerRow.objects.in_bulk([i.record_id for i in items])
    assert {r.county_id for r in rows.values()} == {county.pk}
    decided = {i.get_decision_display(): rows[i.record_id] for i in items if i.decision}
    assert sorted(decided) == sorted(["交账", "销账", "清账"])
    assert decided["销账"].status == LedgerStatus.DONE
    assert any(not i.decision for i in items)  # 对账 goes on: the rest still to decide

    stats = User.objects.get(username="stats")
    client.force_login(stats)
    page = client.get(reverse("reconciliation:inquiry_detail", args=[meeting.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert decided["交账"].title in text and "销账" in text
    listing = client.get(reverse("reconciliation:inquiry_list")).content.decode()
    assert meeting.title in listing
    api = client.get(f"/api/v1/reconciliation/inquiries/{meeting.pk}")
    assert api.status_code == 200
    # Another county's account: the meeting is outside its jurisdiction.
    other = User.objects.filter(org__kind="county").exclude(org=county).first()
    assert not inquiry_list(user=other).filter(pk=meeting.pk).exists()
    client.force_login(other)
    detail = reverse("reconciliation:inquiry_detail", args=[meeting.pk])
    assert client.get(detail).status_code in (403, 404)
