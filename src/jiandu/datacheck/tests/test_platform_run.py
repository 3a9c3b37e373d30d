"""A comparison run end to end (tasks eager): every dataset imported as a version, the
run executed by the ``datacheck.run`` task, each hit of the engine stored with its
subject's region, the summary recorded with the exact dataset versions read."""

import csv

from django.urls import reverse

from jiandu.core.choices import TaskStatus
from jiandu.datacheck.engine.datasets import DATASETS
from jiandu.datacheck.engine.rules import RULES
from jiandu.datacheck.models import Hit
from jiandu.datacheck.services import run_start

from .platform_data import WUHUA, import_files

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]


def test_run_over_generated_data_stores_every_hit(dc, generated_county):
    files = {name: generated_county / f"{name}.parquet" for name in DATASETS}
    versions = import_files(dc.city_data, files, WUHUA)
    run = run_start(actor=dc.city_data, rules=list(RULES), versions=versions, region_code=WUHUA)

    assert run.task.status == TaskStatus.SUCCEEDED, run.task.error
    assert run.finished_at is not None
    assert run.task.result["url"] == reverse("datacheck:run_detail", args=[run.pk])
    # exactly the versions read, in the summary and as relations
    assert set(run.dataset_versions.values_list("pk", flat=True)) == {v.pk for v in versions}
    recorded = run.summary["dataset_versions"]
    assert {name: info["id"] for name, info in recorded.items()} == {
        v.dataset: v.pk for v in versions
    }
    # hits per rule as the engine counted them, and the planted truth found
    hits = Hit.objects.filter(run=run)
    per_rule = {code: info["hits"] for code, info in run.summary["rules"].items()}
    assert run.hit_count == hits.count() == sum(per_rule.values())
    for code, count in per_rule.items():
        assert hits.filter(rule_code=code).count() == count
    with (generated_county / "truth.csv").open(encoding="utf-8") as handle:
        truth = {(row["rule"], row["subject"]) for row in csv.DictReader(handle)}
    assert {(h.rule_code, h.subject) for h in hits} == truth
    assert all(h.region_code.startswith(WUHUA) for h in hits)
    assert all(len(h.region_code) == 12 for h in hits)
