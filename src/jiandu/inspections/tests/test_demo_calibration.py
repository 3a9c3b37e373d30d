"""The demo's 巡察 and 单元制 reproduce seeds 002 and 000 (the figures do not scale with the
demo's size, so the small demo the tests share has them all), read through the same
statistics the page shows, each figure equal to the records it opens."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jiandu.accounts.models import User
from jiandu.clues.choices import ClueSource
from jiandu.demo import inspections as demo
from jiandu.inspections import statistics
from jiandu.inspections.choices import LedgerKind, SuggestionStatus
from jiandu.inspections.models import (
    EscalationSuggestion,
    InspectionRound,
    LedgerReport,
    LedgerRow,
    ReportComment,
    RoundTarget,
    TalentEntry,
    TeamDraw,
)
from jiandu.orgs.choices import OrgKind
from jiandu.oversight.choices import RectificationStatus
from jiandu.oversight.models import Problem

pytestmark = pytest.mark.django_db


def test_three_rounds_calibrated_to_seed_002(small_demo):
    xuncha = User.objects.get(username="xuncha")
    assert xuncha.org.name == "市委巡察办"
    rounds = InspectionRound.objects.order_by("starts_on")
    assert [r.get_form_display() for r in rounds] == ["板块式", "联动式", "菜单式"]
    assert {r.get_level_display() for r in rounds} == {"市县统合"}
    targets = RoundTarget.objects.select_related("org")
    assert sum(t.org.kind == OrgKind.VILLAGE for t in targets) == 25
    assert sum(t.org.kind != OrgKind.VILLAGE for t in targets) == 40
    assert TeamDraw.objects.filter(adopted=True, feasible=True).count() == 3
    assert TalentEntry.objects.filter(owner_org=xuncha.org.parent).count() == demo.TALENT_POOL

    by_round = statistics.round_statistics(user=xuncha, by="round")
    assert sum(r.problems for r in by_round) == 819
    assert sum(r.clues for r in by_round) == 185
    assert sum(r.funds for r in by_round) == Decimal("44220000")
    kinds = {r.key: r for r in statistics.round_statistics(user=xuncha, by="kind")}
    village, unit = kinds["village"], kinds["unit"]
    assert (village.clues, village.case_filed, village.case_rate) == (110, 61, 55.5)
    assert (unit.clues, unit.case_filed, unit.case_rate) == (75, 12, 16.0)
    assert round(village.case_rate / unit.case_rate, 1) == 3.5
    for row in by_round:
        for figure in ("problems", "closed", "clues", "case_filed"):
            records = statistics.round_records(user=xuncha, figure=figure, by="round",
                                               key=row.key)  # fmt: skip
            assert records.count() == getattr(row, figure)
    # Older rounds are mostly rectified; nothing open is overdue on the demo's day.
    first, last = sorted(by_round, key=lambda r: int(r.key))[0], by_round[-1]
    assert first.completion > 85 and last.completion < first.completion
    open_ = Problem.objects.filter(inspection_link__isnull=False).exclude(
        rectification__status=RectificationStatus.CLOSED
    )
    assert open_.exists()
    assert not open_.filter(rectification__due_on__lt=small_demo.last_day).exists()


def test_clues_escalations_reports_and_ledgers(small_demo):
    from jiandu.clues.models import Clue

    # (The case plan's own 巡察移交 clues are not the rounds'.)
    transferred = Clue.objects.filter(inspection_link__isnull=False)
    assert transferred.count() == 185
    assert set(transferred.values_list("source", flat=True)) == {ClueSource.INSPECTION}
    statuses = {
        s: EscalationSuggestion.objects.filter(status=s).count() for s in SuggestionStatus.values
    }
    assert statuses == {"confirmed": 90, "pending": 12, "declined": 8}
    assert transferred.filter(is_escalated=True).count() == 90
    # Clues past their deadline were closed in time: none is overdue on the demo's day.
    assert transferred.filter(status="closed").exists()
    assert not transferred.open().filter(due_date__lt=small_demo.last_day).exists()
    comment = ReportComment.objects.get()
    assert comment.clue is not None and "18周岁" in comment.text
    assert comment.clue.disposal_method == "case_filed"
    counties = LedgerRow.objects.values("county").distinct().count()
    assert counties == 14
    assert LedgerRow.objects.filter(kind=LedgerKind.TRANSFERRED).count() == 185
    assert LedgerReport.objects.count() > LedgerRow.objects.count()


def test_songming_units_calibrated_to_seed_000(small_demo):
    songming = User.objects.get(username="songming")
    year = small_demo.last_day.year
    rows = statistics.unit_statistics(user=songming, year=year)
    assert len(rows) == 4
    figures = ("checks", "problems", "orders", "talks", "admonitions", "covered")
    totals = {f: sum(getattr(r, f) for r in rows) for f in figures}
    assert totals == {"checks": 14, "problems": 145, "orders": 145, "talks": 14,
                      "admonitions": 4, "covered": 15}  # fmt: skip
    assert TalentEntry.objects.filter(owner_org=songming.org).count() == 68
    from jiandu.inspections.models import CoveragePlan

    assert CoveragePlan.objects.filter(key_check=True).count() == 4
    for row in rows:
        for figure in ("checks", "problems", "orders", "talks", "admonitions"):
            records = statistics.unit_records(user=songming, unit_id=row.unit_id, figure=figure,
                                              year=year)  # fmt: skip
            assert records.count() == getattr(row, figure)
