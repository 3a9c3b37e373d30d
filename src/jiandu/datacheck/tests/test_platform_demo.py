"""The demo's 大数据比对: a generated county moved to a 昆明 region, its nine datasets
imported, one completed run with hits of every rule, and hits taken through
verification (assigned, confirmed, excluded with a reason, converted to a clue)."""

from jiandu.clues.choices import ClueSource
from jiandu.clues.models import Clue
from jiandu.core import idnumbers
from jiandu.datacheck.choices import HitStatus
from jiandu.datacheck.demo import build_datacheck_demo
from jiandu.datacheck.engine.rules import RULES
from jiandu.datacheck.models import DatasetVersion, Hit, Run

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]


def test_demo_builds_a_verified_run(dc):
    summary = build_datacheck_demo(actor=dc.city_data, region_code="530102", persons=300)

    assert DatasetVersion.objects.count() == 9
    assert DatasetVersion.objects.filter(region_code="530102").count() == 9
    run = Run.objects.get()
    assert run.succeeded and run.rules == list(RULES)
    assert summary["run"] == run.pk and summary["hits"] == run.hit_count
    assert all(summary["hits_by_rule"][code] > 0 for code in RULES), summary["hits_by_rule"]

    hits = Hit.objects.filter(run=run)
    assert all(h.region_code.startswith("530102") for h in hits)
    # moved IDs stay valid (R06's deliberately broken ones stay broken)
    valid = [h.subject for h in hits.exclude(rule_code__in=["R06", "R07"])]
    assert valid and all(idnumbers.is_valid(s) and s.startswith("530102") for s in valid)
    assert {h.subject_name for h in hits if h.rule_code == "R01"} != {""}

    verified = summary["verified"]
    assert set(verified) == {
        HitStatus.ASSIGNED,
        HitStatus.CONFIRMED,
        HitStatus.EXCLUDED,
        HitStatus.CONVERTED,
    }
    for status, pk in verified.items():
        hit = Hit.objects.get(pk=pk)
        assert hit.status == status and hit.handling_org == dc.world.county
    assert Hit.objects.get(pk=verified[HitStatus.EXCLUDED]).decision_reason
    clue = Clue.objects.get()
    assert clue.source == ClueSource.DATACHECK and clue.number == summary["clue"]
    assert Hit.objects.get(pk=verified[HitStatus.CONVERTED]).clue == clue
