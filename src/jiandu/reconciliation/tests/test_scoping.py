"""Every page and API endpoint of the app, as the statistics officer (sees and acts), the
leader (reads, no writes: 403), and a statistics officer of another county (the records
do not exist for her: 404; lists are empty)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.people.services import person_create
from jiandu.reconciliation.models import LedgerPair, ZeroReportFlag
from jiandu.reconciliation.services import (
    inquiry_create,
    ledger_pair,
    reconciliation_open,
    zero_report_detect,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/reconciliation"


@pytest.fixture
def records(rec):
    own = rec.problem(source="self_check", category="工作纪律", day=-10)
    gap = rec.problem(source="supervision", category="财务管理", day=3)
    other = rec.problem(source="report", category="工作纪律", day=4)
    rec.petition(day=6)
    zero_report_detect(actor=rec.stats, period=rec.period)
    reconciliation = reconciliation_open(actor=rec.stats, org=rec.world.unit_a, period=rec.period)
    pair = ledger_pair(actor=rec.stats, reconciliation=reconciliation, self_problem=own,
                       other_problem=other, reason="同一问题")  # fmt: skip
    meeting = inquiry_create(actor=rec.stats, title="质询会", org=rec.world.unit_a,
                             convening_org=rec.world.city, held_on=rec.day(20), place="会议室",
                             chair="主持人", participants="甲", problems=[gap])  # fmt: skip
    person = person_create(actor=rec.stats, name="王局长", registered_org=rec.world.unit_a)
    return {
        "flag": ZeroReportFlag.objects.get(),
        "reconciliation": reconciliation,
        "pair": pair,
        "meeting": meeting,
        "item": meeting.items.get(),
        "gap": gap,
        "person": person,
    }


def pages(rec, r):
    org, period = rec.world.unit_a.pk, rec.period.key
    return [
        reverse("reconciliation:flag_detail", args=[r["flag"].pk]),
        f"{reverse('reconciliation:ledger')}?org={org}&period={period}",
        reverse("reconciliation:inquiry_detail", args=[r["meeting"].pk]),
        reverse("reconciliation:inquiry_agenda", args=[r["meeting"].pk]),
    ]


def writes(rec, r):
    org, period = rec.world.unit_a.pk, rec.period.key
    today = dt.date.today().isoformat()
    return [
        (reverse("reconciliation:flag_supervise", args=[r["flag"].pk]),
         {"supervised_on": today, "note": "已督导"}),
        (reverse("reconciliation:ledger_match"), {"org": org, "period": period}),
        (reverse("reconciliation:ledger_pair", args=[r["reconciliation"].pk]),
         {"self_problem": r["gap"].pk, "other_problem": r["gap"].pk, "reason": "x"}),
        (reverse("reconciliation:ledger_unpair", args=[r["pair"].pk]), {"reason": "x"}),
        (reverse("reconciliation:gap_accountability", args=[r["reconciliation"].pk]),
         {"problem": r["gap"].pk}),
        (reverse("reconciliation:ledger_move", args=[r["reconciliation"].pk]),
         {"action": "close"}),
        (reverse("reconciliation:inquiry_hold", args=[r["meeting"].pk]), {}),
        (reverse("reconciliation:inquiry_mark", args=[r["item"].pk]),
         {"decision": "hand_over", "text": "x"}),
        (reverse("reconciliation:inquiry_minutes", args=[r["meeting"].pk]), {}),
    ]  # fmt: skip


def test_the_statistics_officer_opens_every_page(rec, records, client):
    client.force_login(rec.stats)
    for url in [*pages(rec, records), reverse("reconciliation:flag_list"),
                reverse("reconciliation:inquiry_list"), reverse("reconciliation:rule"),
                reverse("reconciliation:ledger")]:  # fmt: skip
        assert client.get(url).status_code == 200, url


def test_outside_the_jurisdiction_nothing_exists(rec, records, client):
    client.force_login(rec.outsider)
    for url in pages(rec, records):
        assert client.get(url).status_code == 404, url
    for url, data in writes(rec, records):
        assert client.post(url, data).status_code == 404, url
    listing = client.get(reverse("reconciliation:flag_list")).content.decode()
    assert "市财政局" not in listing
    assert "市财政局" not in client.get(reverse("reconciliation:inquiry_list")).content.decode()
    assert LedgerPair.objects.get().ended_at is None


def test_the_leader_reads_and_may_not_write(rec, records, client):
    client.force_login(rec.leader)
    for url in pages(rec, records):
        assert client.get(url).status_code == 200, url
    for url, data in writes(rec, records):
        assert client.post(url, data).status_code == 403, url
    assert client.post(reverse("reconciliation:rule"), {}).status_code == 403


def api_reads(rec, r):
    return [
        f"{API}/zero-report-flags/{r['flag'].pk}",
        f"{API}/ledgers?org={rec.world.unit_a.pk}&period={rec.period.key}",
        f"{API}/inquiries/{r['meeting'].pk}",
    ]


def api_writes(rec, r):
    today = dt.date.today().isoformat()
    return [
        (f"{API}/zero-report-flags/{r['flag'].pk}/supervise",
         {"supervised_on": today, "note": "已督导"}),
        (f"{API}/ledgers/match", {"org": rec.world.unit_a.pk, "period": rec.period.key}),
        (f"{API}/reconciliations/{r['reconciliation'].pk}/pairs",
         {"self_problem": r["gap"].pk, "other_problem": r["gap"].pk, "reason": "x"}),
        (f"{API}/pairs/{r['pair'].pk}/unpair", {"reason": "x"}),
        (f"{API}/reconciliations/{r['reconciliation'].pk}/accountabilities",
         {"problem": r["gap"].pk, "supervising_leader": r["person"].pk,
          "principal": r["person"].pk, "form": "criticism", "decided_on": today,
          "decision": "x"}),
        (f"{API}/reconciliations/{r['reconciliation'].pk}/moves", {"action": "close"}),
        (f"{API}/inquiries/{r['meeting'].pk}/hold", {}),
        (f"{API}/inquiry-items/{r['item'].pk}/mark", {"decision": "hand_over", "text": "x"}),
        (f"{API}/inquiries/{r['meeting'].pk}/minutes", {}),
    ]  # fmt: skip


def test_the_api_answers_404_outside_the_jurisdiction(rec, records, client):
    client.force_login(rec.outsider)
    for url in api_reads(rec, records):
        assert client.get(url).status_code == 404, url
    for url, data in api_writes(rec, records):
        response = client.post(url, data, content_type="application/json")
        assert response.status_code == 404, (url, response.content)
    assert client.get(f"{API}/zero-report-flags").json()["items"] == []
    assert client.get(f"{API}/inquiries").json()["items"] == []


def test_the_api_refuses_the_leaders_writes(rec, records, client):
    client.force_login(rec.leader)
    for url in api_reads(rec, records):
        assert client.get(url).status_code == 200, url
    for url, data in api_writes(rec, records):
        response = client.post(url, data, content_type="application/json")
        assert response.status_code == 403, (url, response.content)


def test_the_api_serves_the_officers_work(rec, records, client):
    client.force_login(rec.stats)
    flag = client.get(f"{API}/zero-report-flags/{records['flag'].pk}").json()
    assert flag["reason_label"] == "零报告"
    assert [e["record_id"] for e in flag["other_problems"]] == [
        records["gap"].pk,
        LedgerPair.objects.get().other_problem_id,
    ]
    assert len(flag["petitions"]) == 1 and flag["petitions"][0]["record_type"] == "petition"

    ledger = client.get(
        f"{API}/ledgers", {"org": rec.world.unit_a.pk, "period": rec.period.key}
    ).json()
    assert ledger["counts"]["gap"] == 1 and ledger["gaps"][0]["id"] == records["gap"].pk

    bad = client.get(f"{API}/ledgers", {"org": rec.world.unit_a.pk, "period": "2026Q9"})
    assert bad.status_code == 422 and "2026Q9" in bad.json()["detail"]

    rule = client.post(
        f"{API}/zero-report-rules",
        {"zero_min_other": 2, "share_threshold": "0.4", "share_min_other": 5, "reason": "调整"},
        content_type="application/json",
    )
    assert rule.status_code == 201
    history = client.get(f"{API}/zero-report-rules").json()
    assert len(history) == 2 and history[0]["until"] is None
    assert history[1]["change_reason"] == "调整"

    run = client.post(
        f"{API}/zero-report-runs", {"period": rec.period.key}, content_type="application/json"
    )
    assert run.status_code == 200 and run.json()["flags_existing"] == 1

    illegal = client.post(
        f"{API}/inquiry-items/{records['item'].pk}/mark",
        {"decision": "hand_over", "text": "限期整改"},
        content_type="application/json",
    )
    assert illegal.status_code == 409 and "筹备中" in illegal.json()["detail"]
