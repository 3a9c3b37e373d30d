"""The close writes its warnings in bulk, all or nothing: a close that fails half-way
leaves no snapshot, score, warning, problem, audit row nor warning number behind, and the
next close numbers from where the month stood. Warnings are linked to their problems in
one statement, each to the problem that names it as its origin."""

import pytest

from jiandu.core.models import AuditLog
from jiandu.ecoindex.close import WARNING_ORIGIN, index_close
from jiandu.ecoindex.models import EcoWarning, IndexScore, IndexSnapshot
from jiandu.ecoindex.tests.conftest import report_all
from jiandu.ecoindex.tests.test_close import YELLOW, units
from jiandu.inbox.models import Message
from jiandu.oversight.models import Problem, Rectification

pytestmark = pytest.mark.django_db


def _two_yellow(world):
    """市民政局 and 红云街道 yellow (71.67 each), 市财政局 green."""
    return {(org.pk, k): v for org in (world.unit_b, world.township) for k, v in YELLOW.items()}


def _written():
    return {
        "snapshots": IndexSnapshot.objects.count(),
        "scores": IndexScore.objects.count(),
        "warnings": EcoWarning.objects.count(),
        "problems": Problem.objects.count(),
        "rectifications": Rectification.objects.count(),
        "messages": Message.objects.count(),
        "audit": AuditLog.objects.count(),
    }


def test_a_close_failing_half_way_writes_nothing_and_consumes_no_number(world, monkeypatch):
    city = world.users["city"]
    report_all(actor=city, month="2026-09", orgs=units(world), overrides=_two_yellow(world))
    before = _written()

    import jiandu.oversight.services as oversight

    real = oversight.problems_create_many
    calls = []

    def failing(*, actor, specs):
        real(actor=actor, specs=specs)  # the problems, audit rows and messages are written
        calls.append(len(specs))
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr(oversight, "problems_create_many", failing)
    with pytest.raises(RuntimeError):
        index_close(actor=city, month="2026-09")
    assert calls == [2]  # it did fail after the warnings and their problems were written
    assert _written() == before

    monkeypatch.setattr(oversight, "problems_create_many", real)
    outcome = index_close(actor=city, month="2026-09")
    assert outcome.snapshot.version == 1
    assert sorted(w.number for w in outcome.warnings) == [
        "生态预〔2026〕09001号",
        "生态预〔2026〕09002号",
    ]


def test_every_warning_is_linked_to_its_own_problem(world):
    city = world.users["city"]
    report_all(actor=city, month="2026-09", orgs=units(world), overrides=_two_yellow(world))
    outcome = index_close(actor=city, month="2026-09")
    assert len(outcome.warnings) == 2
    for warning in EcoWarning.objects.select_related("problem"):
        problem = warning.problem
        assert (problem.origin_type, problem.origin_id) == (WARNING_ORIGIN, warning.pk)
        assert problem.org_id == warning.org_id
        assert warning.number in problem.description
    # the outcome's warnings carry the same problems as the rows
    assert {w.pk: w.problem.pk for w in outcome.warnings} == dict(
        EcoWarning.objects.values_list("pk", "problem_id")
    )
    audited = AuditLog.objects.filter(
        object_type="oversight.problem",
        object_id__in=[str(p) for p in EcoWarning.objects.values_list("problem_id", flat=True)],
    )
    assert audited.count() == 2
