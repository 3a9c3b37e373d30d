"""对账销账 on constructed data: automatic matching by unit, category and period; manual
pairing and unpairing with a reason; the gap list and its accountability; 销账."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jiandu.people.services import person_create, post_add
from jiandu.reconciliation.choices import PairKind, ReconciliationStatus
from jiandu.reconciliation.lifecycle import TransitionError
from jiandu.reconciliation.models import GapAccountability, LedgerPair
from jiandu.reconciliation.selectors import ledgers
from jiandu.reconciliation.services import (
    gap_accountability_record,
    gap_problems,
    ledger_pair,
    ledger_unpair,
    reconciliation_match,
    reconciliation_move,
    reconciliation_open,
)

pytestmark = pytest.mark.django_db


def leaders(rec):
    unit = rec.world.unit_a
    start = dt.date(2020, 1, 1)
    principal = person_create(actor=rec.stats, name="王局长", registered_org=unit)
    deputy = person_create(actor=rec.stats, name="李副局长", registered_org=unit)
    post_add(actor=rec.stats, person=principal, org=unit, title="局长",
             management_level="city_managed", start_date=start, is_leader=True)  # fmt: skip
    post_add(actor=rec.stats, person=deputy, org=unit, title="副局长",
             management_level="city_managed", start_date=start)  # fmt: skip
    return deputy, principal


def opened(rec):
    return reconciliation_open(actor=rec.stats, org=rec.world.unit_a, period=rec.period)


def test_no_other_source_items_gives_an_empty_gap_list(rec):
    rec.problem(source="self_check")
    reconciliation = opened(rec)
    assert reconciliation_match(actor=rec.stats, reconciliation=reconciliation) == []
    books = ledgers(org=rec.world.unit_a, period=rec.period, reconciliation=reconciliation)
    assert books.counts == {"self": 1, "other": 0, "paired": 0, "gap": 0, "accounted": 0}


def test_matching_pairs_by_category_and_period_one_to_one(rec):
    own_finance = rec.problem(source="self_check", category="财务管理", day=2)
    own_conduct = rec.problem(source="self_check", category="作风建设（四风）", day=3)
    earlier_own = rec.problem(source="self_check", category="工作纪律", day=-10)  # last period
    finance_a = rec.problem(source="supervision", category="财务管理", day=4)
    finance_b = rec.problem(source="inspection", category="财务管理", day=40)
    discipline = rec.problem(source="report", category="工作纪律", day=6)
    other_unit = rec.problem(source="supervision", category="作风建设（四风）",
                             org=rec.world.unit_b)  # fmt: skip

    reconciliation = opened(rec)
    created = reconciliation_match(actor=rec.stats, reconciliation=reconciliation)

    assert {(p.self_problem_id, p.other_problem_id) for p in created} == {
        (own_finance.pk, finance_a.pk)  # the nearest in date; one to one
    }
    assert all(p.kind == PairKind.AUTO for p in created)
    gap_ids = set(gap_problems(reconciliation).values_list("pk", flat=True))
    # finance_b: its category's self-found problem is taken; discipline: the unit's own
    # 工作纪律 problem is of another period; the other unit's problem is not on this ledger.
    assert gap_ids == {finance_b.pk, discipline.pk}
    assert own_conduct.pk not in gap_ids and other_unit.pk not in gap_ids
    # Running again pairs nothing new.
    assert reconciliation_match(actor=rec.stats, reconciliation=reconciliation) == []
    assert earlier_own.pk not in {p.self_problem_id for p in LedgerPair.objects.all()}


def test_manual_pairing_and_unpairing_with_a_reason(rec):
    earlier_own = rec.problem(source="self_check", category="工作纪律", day=-10)
    discipline = rec.problem(source="report", category="工作纪律", day=6)
    reconciliation = opened(rec)

    with pytest.raises(ValidationError, match="理由"):
        ledger_pair(actor=rec.stats, reconciliation=reconciliation, self_problem=earlier_own,
                    other_problem=discipline, reason="")  # fmt: skip
    with pytest.raises(ValidationError, match="不是自查自纠问题"):
        ledger_pair(actor=rec.stats, reconciliation=reconciliation, self_problem=discipline,
                    other_problem=discipline, reason="同一问题")  # fmt: skip

    pair = ledger_pair(
        actor=rec.stats,
        reconciliation=reconciliation,
        self_problem=earlier_own,
        other_problem=discipline,
        reason="单位上季度已自查发现同一问题",
    )
    assert pair.kind == PairKind.MANUAL
    assert not gap_problems(reconciliation).exists()
    with pytest.raises(ValidationError, match="已有配对"):
        ledger_pair(actor=rec.stats, reconciliation=reconciliation, self_problem=earlier_own,
                    other_problem=discipline, reason="再配一次")  # fmt: skip

    with pytest.raises(ValidationError, match="理由"):
        ledger_unpair(actor=rec.stats, pair=pair, reason="")
    ledger_unpair(actor=rec.stats, pair=pair, reason="经核实不是同一问题")
    assert list(gap_problems(reconciliation)) == [discipline]
    with pytest.raises(TransitionError, match="已解除"):
        ledger_unpair(actor=rec.stats, pair=pair, reason="again")


def test_an_unpaired_automatic_pair_is_not_matched_again(rec):
    rec.problem(source="self_check", category="财务管理", day=2)
    rec.problem(source="supervision", category="财务管理", day=4)
    reconciliation = opened(rec)
    (pair,) = reconciliation_match(actor=rec.stats, reconciliation=reconciliation)
    ledger_unpair(actor=rec.stats, pair=pair, reason="问题性质不同")
    assert reconciliation_match(actor=rec.stats, reconciliation=reconciliation) == []
    assert gap_problems(reconciliation).count() == 1


def test_the_gap_item_is_held_to_account_before_the_books_are_closed(rec):
    deputy, principal = leaders(rec)
    gap = rec.problem(source="supervision", category="财务管理")
    reconciliation = opened(rec)
    reconciliation_match(actor=rec.stats, reconciliation=reconciliation)

    with pytest.raises(TransitionError, match="未登记问责"):
        reconciliation_move(actor=rec.stats, reconciliation=reconciliation, action="close")

    record = gap_accountability_record(
        actor=rec.stats,
        reconciliation=reconciliation,
        problem=gap,
        supervising_leader=deputy,
        principal=principal,
        form="admonishment",
        decided_on=rec.day(30),
        decision="对被动查纠问题，对分管副局长、局长诫勉",
    )
    assert GapAccountability.objects.get() == record
    with pytest.raises(ValidationError, match="已登记问责"):
        gap_accountability_record(actor=rec.stats, reconciliation=reconciliation, problem=gap,
                                  supervising_leader=deputy, principal=principal,
                                  form="criticism", decided_on=rec.day(30),
                                  decision="重复")  # fmt: skip

    closed = reconciliation_move(actor=rec.stats, reconciliation=reconciliation, action="close")
    assert closed.status == ReconciliationStatus.CLOSED
    assert (closed.self_count, closed.other_count, closed.gap_count) == (0, 1, 1)
    with pytest.raises(TransitionError, match="已销账"):
        reconciliation_match(actor=rec.stats, reconciliation=reconciliation)
    with pytest.raises(ValidationError, match="理由"):
        reconciliation_move(actor=rec.stats, reconciliation=closed, action="reopen")
    with pytest.raises(TransitionError, match="“已销账”的对账不能“销账”"):
        reconciliation_move(actor=rec.stats, reconciliation=closed, action="close")
    reopened = reconciliation_move(
        actor=rec.stats, reconciliation=closed, action="reopen", reason="补充巡察发现的问题"
    )
    assert reopened.status == ReconciliationStatus.OPEN
    assert [e.action for e in reopened.events.all()] == ["close", "reopen"]


def test_a_problem_that_is_not_a_gap_item_cannot_be_held_to_account_here(rec):
    deputy, principal = leaders(rec)
    own = rec.problem(source="self_check")
    reconciliation = opened(rec)
    with pytest.raises(ValidationError, match="不在本期差额清单中"):
        gap_accountability_record(actor=rec.stats, reconciliation=reconciliation, problem=own,
                                  supervising_leader=deputy, principal=principal,
                                  form="criticism", decided_on=rec.day(30),
                                  decision="x")  # fmt: skip


def test_the_ledger_page_shows_three_views_and_pairs_by_hand(rec, client):
    from django.urls import reverse

    earlier_own = rec.problem(source="self_check", category="工作纪律", day=-10)
    discipline = rec.problem(source="report", category="工作纪律", day=6)
    client.force_login(rec.stats)
    url = reverse("reconciliation:ledger")
    query = {"org": rec.world.unit_a.pk, "period": rec.period.key}
    page = client.get(url, query).content.decode()
    assert "自查台账" in page and "被查台账" in page and "差额清单" in page
    assert discipline.number in page

    assert client.post(reverse("reconciliation:ledger_match"), query).status_code == 302
    reconciliation = opened(rec)
    refused = client.post(
        reverse("reconciliation:ledger_pair", args=[reconciliation.pk]),
        {"self_problem": earlier_own.pk, "other_problem": discipline.pk, "reason": ""},
    )
    assert refused.status_code == 422
    done = client.post(
        reverse("reconciliation:ledger_pair", args=[reconciliation.pk]),
        {"self_problem": earlier_own.pk, "other_problem": discipline.pk, "reason": "同一问题"},
    )
    assert done.status_code == 302
    pair = LedgerPair.objects.get()
    assert pair.kind == PairKind.MANUAL and pair.created_by == rec.stats
    unpaired = client.post(
        reverse("reconciliation:ledger_unpair", args=[pair.pk]), {"reason": "核实不符"}
    )
    assert unpaired.status_code == 302
    pair.refresh_from_db()
    assert pair.end_reason == "核实不符"


def test_the_ledger_page_records_the_accountability_of_a_gap_item(rec, client):
    from django.urls import reverse

    deputy, principal = leaders(rec)
    gap = rec.problem(source="supervision")
    reconciliation = opened(rec)
    client.force_login(rec.stats)
    page = client.get(
        reverse("reconciliation:ledger"), {"org": rec.world.unit_a.pk, "period": rec.period.key}
    )
    form = page.context["accountability_form"]
    assert form.initial["principal"] == principal.pk  # the unit's 一把手 is preselected
    url = reverse("reconciliation:gap_accountability", args=[reconciliation.pk])
    data = {
        "problem": gap.pk,
        "supervising_leader": deputy.pk,
        "principal": principal.pk,
        "form": "circulated",
        "decided_on": rec.day(40).isoformat(),
        "decision": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 422 and not GapAccountability.objects.exists()
    data["decision"] = "通报批评分管副局长和局长"
    assert client.post(url, data).status_code == 302
    record = GapAccountability.objects.get()
    assert (record.supervising_leader, record.principal) == (deputy, principal)
    assert client.post(reverse("reconciliation:ledger_move", args=[reconciliation.pk]),
                       {"action": "close"}).status_code == 302  # fmt: skip
    reconciliation.refresh_from_db()
    assert reconciliation.status == ReconciliationStatus.CLOSED
