"""零报告 detection on constructed data: the rule's edges (no other-source items, exactly
at the threshold), the evidence behind each count, idempotence, and the rule's versions
(a change does not rewrite earlier flags)."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from jiandu.core.models import AuditLog
from jiandu.reconciliation.choices import EvidenceKind, FlagReason
from jiandu.reconciliation.models import ZeroReportFlag, ZeroReportRule
from jiandu.reconciliation.services import (
    zero_report_detect,
    zero_report_evaluate,
    zero_report_rule_current,
    zero_report_rule_set,
)

pytestmark = pytest.mark.django_db


def rule(zero_min_other=1, share="0.5", share_min_other=3) -> ZeroReportRule:
    return ZeroReportRule(
        zero_min_other=zero_min_other,
        share_threshold=Decimal(share),
        share_min_other=share_min_other,
    )


@pytest.mark.parametrize(
    ("self_found", "others", "expected"),
    [
        (0, 0, None),  # nothing about the unit from elsewhere: not a 零报告 under the default
        (0, 1, FlagReason.ZERO),
        (1, 2, None),  # below the share but too few other items to judge
        (1, 3, FlagReason.LOW_SHARE),  # 1 < 0.5 × 3
        (2, 4, None),  # exactly at the threshold (2 = 0.5 × 4) is not below it
        (1, 4, FlagReason.LOW_SHARE),
        (5, 0, None),
    ],
)
def test_the_rule_at_its_edges(self_found, others, expected):
    assert zero_report_evaluate(rule(), self_found=self_found, others=others) == expected


def test_a_strict_rule_flags_a_zero_report_with_nothing_from_elsewhere():
    strict = rule(zero_min_other=0)
    assert zero_report_evaluate(strict, self_found=0, others=0) == FlagReason.ZERO


def test_detection_flags_a_zero_report_with_its_evidence(rec):
    supervision = rec.problem(source="supervision", day=3)
    report = rec.problem(source="report", day=9)
    petition = rec.petition(day=12)
    rec.problem(source="self_check", org=rec.world.unit_b, day=4)  # unit_b found its own

    result = zero_report_detect(actor=rec.stats, period=rec.period)

    flag = ZeroReportFlag.objects.get(org=rec.world.unit_a)
    assert [f.pk for f in result.created] == [flag.pk]
    assert flag.reason == FlagReason.ZERO and flag.period_key == rec.period.key
    assert (flag.self_found_count, flag.other_problem_count, flag.petition_count) == (0, 2, 1)
    evidence = {(e.kind, e.problem_id or e.petition_id) for e in flag.evidence.all()}
    assert evidence == {
        (EvidenceKind.OTHER_PROBLEM, supervision.pk),
        (EvidenceKind.OTHER_PROBLEM, report.pk),
        (EvidenceKind.PETITION, petition.pk),
    }
    assert not ZeroReportFlag.objects.filter(org=rec.world.unit_b).exists()
    assert AuditLog.objects.filter(object_type="reconciliation.zeroreportflag").count() == 1


def test_records_outside_the_period_do_not_count(rec):
    rec.problem(source="supervision", day=-1)  # the day before the period
    rec.petition(day=(rec.period.end - rec.period.start).days + 1)  # the day after it
    zero_report_detect(actor=rec.stats, period=rec.period)
    assert not ZeroReportFlag.objects.exists()


def test_self_found_problems_below_the_share_are_flagged_and_exactly_at_it_are_not(rec):
    unit_a, unit_b = rec.world.unit_a, rec.world.unit_b
    # unit_a: 1 self-found against 3 from elsewhere → 1 < 1.5: flagged.
    rec.problem(source="self_check", org=unit_a)
    for day in (1, 2):
        rec.problem(source="inspection", org=unit_a, day=day)
    rec.petition(org=unit_a)
    # unit_b: 2 self-found against 4 → exactly half: not flagged.
    for day in (1, 2):
        rec.problem(source="self_check", org=unit_b, day=day)
    for day in (3, 4, 5, 6):
        rec.problem(source="supervision", org=unit_b, day=day)

    zero_report_detect(actor=rec.stats, period=rec.period)

    flag = ZeroReportFlag.objects.get()
    assert flag.org == unit_a and flag.reason == FlagReason.LOW_SHARE
    assert (flag.self_found_count, flag.other_count) == (1, 3)


def test_detection_is_idempotent(rec):
    rec.problem(source="supervision")
    first = zero_report_detect(actor=rec.stats, period=rec.period)
    rec.problem(source="report", day=8)  # a later record does not rewrite the flag
    second = zero_report_detect(actor=rec.stats, period=rec.period)
    assert len(first.created) == 1 and second.created == [] and second.existing == 1
    flag = ZeroReportFlag.objects.get()
    assert flag.other_problem_count == 1 and flag.evidence.count() == 1


def test_a_rule_change_does_not_rewrite_earlier_flags(rec):
    rec.problem(source="supervision")
    zero_report_detect(actor=rec.stats, period=rec.period)
    old_rule = zero_report_rule_current()
    old_flag = ZeroReportFlag.objects.get()

    new_rule = zero_report_rule_set(
        actor=rec.stats,
        zero_min_other=2,
        share_threshold=Decimal("0.8"),
        share_min_other=2,
        reason="专项行动要求提高",
    )
    old_rule.refresh_from_db()
    assert old_rule.archived_at is not None and old_rule.archive_reason == "专项行动要求提高"
    assert zero_report_rule_current() == new_rule
    old_flag.refresh_from_db()
    assert old_flag.rule == old_rule  # the flag keeps the rule it was raised under

    # Under the new rule a single other-source item no longer makes a 零报告.
    rec.problem(source="supervision", org=rec.world.unit_b)
    zero_report_detect(actor=rec.stats, period=rec.period)
    assert not ZeroReportFlag.objects.filter(org=rec.world.unit_b).exists()


def test_a_rule_change_needs_a_reason(rec):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        zero_report_rule_set(
            actor=rec.stats,
            zero_min_other=1,
            share_threshold=Decimal("0.5"),
            share_min_other=3,
            reason=" ",
        )
    assert "修改原因" in str(error.value)


def test_detection_sees_only_the_actors_jurisdiction(rec):
    rec.problem(source="supervision")
    result = zero_report_detect(actor=rec.outsider, period=rec.period)
    assert result.created == [] and not ZeroReportFlag.objects.exists()


def test_the_command_line_detects_and_prints_json(rec):
    rec.problem(source="supervision")
    out = StringIO()
    call_command(
        "reconcile", "zero-report", "--period", rec.period.key, "--user", "stats", "--json",
        stdout=out,
    )  # fmt: skip
    data = json.loads(out.getvalue())
    assert data["flags_created"] == 1 and data["created"][0]["org"] == "市财政局"
    again = StringIO()
    call_command("reconcile", "zero-report", "--period", rec.period.key, "--json", stdout=again)
    assert json.loads(again.getvalue())["flags_created"] == 0


def test_the_command_line_names_a_bad_period(rec):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2026Q5"):
        call_command("reconcile", "zero-report", "--period", "2026Q5")


def test_the_page_starts_the_task_and_the_flag_opens_to_its_records(rec, client):
    from django.urls import reverse

    problem = rec.problem(source="supervision")
    client.force_login(rec.stats)
    response = client.post(reverse("reconciliation:flag_detect"), {"period": rec.period.key})
    assert response.status_code == 302  # to the task's page (run at once in tests)
    flag = ZeroReportFlag.objects.get()
    page = client.get(reverse("reconciliation:flag_detail", args=[flag.pk])).content.decode()
    assert problem.number in page
    assert reverse("oversight:problem_detail", args=[problem.pk]) in page
    listing = client.get(reverse("reconciliation:flag_list")).content.decode()
    assert f"{reverse('reconciliation:flag_detail', args=[flag.pk])}#other_problem" in listing
