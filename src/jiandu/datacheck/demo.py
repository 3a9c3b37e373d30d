"""The 大数据比对 part of the demo: a county's registers with planted anomalies, imported,
compared and partly verified.

:func:`build_datacheck_demo` generates a few thousand synthetic persons with the engine's
generator (anomalies of every rule R01–R11), moves them to a 昆明 county (东川区
``530113`` by default: the generator writes 衢州市衢江区 ``330803``, so region codes, ID
numbers — check digits recomputed, invalid ones kept invalid — and place names are
rewritten), imports the nine datasets as dataset versions, runs every rule once
(synchronously) and takes a few hits through verification: one assigned, one
confirmed, one excluded with a reason and one converted into a 问题线索.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from jiandu.core import idnumbers
from jiandu.datacheck.choices import HitStatus
from jiandu.datacheck.engine.datasets import DATASETS, with_keys, write_parquet
from jiandu.datacheck.engine.generator import REGION_CODE as GENERATED_REGION
from jiandu.datacheck.engine.generator import TOWNSHIPS, generate
from jiandu.datacheck.engine.rules import RULES

DEMO_REGION = "530113"
DEMO_PERSONS = 3000
DEMO_SEED = 2020


def _relocate_id(number: str | None, region: str) -> str | None:
    """The same person's number in ``region``: valid numbers stay valid (check digit
    recomputed), invalid ones stay invalid."""
    if not number or not number.startswith(GENERATED_REGION):
        return number
    was_valid = idnumbers.is_valid(number)
    moved = region + number[6:]
    if len(moved) == 18 and moved[:17].isdigit():
        right = idnumbers.check_char(moved[:17])
        if was_valid:
            return moved[:17] + right
        if moved[17] == right:  # moving made a broken number valid: keep it broken
            chars = idnumbers.CHECK_CHARS
            return moved[:17] + chars[(chars.index(right) + 1) % len(chars)]
    return moved


def relocate(folder: Path, *, region_code: str, place_names: dict[str, str]) -> None:
    """Rewrite the generated files in ``folder`` (and ``truth.csv``) as if the county
    were ``region_code``; ``place_names`` maps generated names to local ones."""
    folder = Path(folder)
    for name, spec in DATASETS.items():
        path = folder / f"{name}.parquet"
        if not path.exists():
            continue
        table = pq.read_table(path)
        for index, column in enumerate(table.column_names):
            values = table.column(index)
            if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
                continue
            kind = spec.column(column).kind if column in spec.column_names else ""
            if kind == "id":
                moved = pa.array([_relocate_id(v, region_code) for v in values.to_pylist()],
                                 values.type)  # fmt: skip
            else:
                moved = values
                if kind == "region" or column == spec.household_column:
                    moved = pc.replace_substring(moved, GENERATED_REGION, region_code)
                for old, new in place_names.items():
                    moved = pc.replace_substring(moved, old, new)
            table = table.set_column(index, column, moved)
        write_parquet(with_keys(table, spec), path)
    truth = folder / "truth.csv"
    if truth.exists():
        with truth.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        with truth.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["rule", "subject"])
            for row in rows:
                writer.writerow([row["rule"], _relocate_id(row["subject"], region_code)])


def place_names_for(*, region_code: str) -> dict[str, str]:
    """Generated place names → the names of ``region_code`` and its townships in the org
    tree (township ``…001`` gets the first generated township's name, and so on)."""
    from jiandu.orgs.models import Org

    names: dict[str, str] = {}
    county = Org.objects.filter(region_code=region_code).order_by("depth").first()
    towns = dict(
        Org.objects.filter(region_code__startswith=region_code, region_code__regex=r"^\d{9}$")
        .order_by("region_code")
        .values_list("region_code", "name")
    )
    for index, generated in enumerate(TOWNSHIPS, start=1):
        local = towns.get(f"{region_code}{index:03d}")
        if local:
            names[generated] = local
    if county is not None:
        county_name = county.name.removesuffix("纪委监委")
        parent = county.parent
        city = parent.name.removesuffix("纪委监委") if parent is not None else ""
        names["衢州市衢江区"] = f"{city}{county_name}"
        names["衢江区"] = county_name
    if region_code.startswith("53"):
        names["浙H"] = "云A"
    return names


def generate_relocated(
    out_dir: Path, *, region_code: str, persons: int, seed: int, place_names: dict[str, str]
) -> Path:
    generate(out_dir=out_dir, persons=persons, seed=seed)
    relocate(out_dir, region_code=region_code, place_names=place_names)
    return Path(out_dir)


def build_datacheck_demo(
    *,
    actor: Any,
    region_code: str = DEMO_REGION,
    persons: int = DEMO_PERSONS,
    seed: int = DEMO_SEED,
) -> dict[str, Any]:
    """Import, compare and partly verify a county's synthetic registers as ``actor``
    (who needs an org whose jurisdiction covers ``region_code``). Returns a summary."""
    from jiandu.core.access import jurisdiction_org_ids
    from jiandu.datacheck.models import Hit
    from jiandu.datacheck.services import (
        dataset_import,
        hit_assign,
        hit_confirm,
        hit_convert,
        hit_exclude,
        run_start,
    )
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.models import Org

    work = Path(tempfile.mkdtemp(prefix="jiandu-datacheck-demo-"))
    try:
        folder = generate_relocated(
            work / "data",
            region_code=region_code,
            persons=persons,
            seed=seed,
            place_names=place_names_for(region_code=region_code),
        )
        versions = [
            dataset_import(
                actor=actor,
                dataset=name,
                region_code=region_code,
                path=folder / f"{name}.parquet",
                source_name=f"{spec.label}.parquet",
            )
            for name, spec in DATASETS.items()
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    run = run_start(
        actor=actor,
        rules=list(RULES),
        versions=versions,
        region_code=region_code,
        synchronous=True,
    )
    if not run.succeeded:
        raise RuntimeError(f"演示比对任务未能完成：{run.task.error if run.task else ''}")
    county = (
        Org.objects.filter(
            region_code=region_code, pk__in=jurisdiction_org_ids(actor), kind=OrgKind.COUNTY
        ).first()
        or actor.org
    )
    first: dict[str, Hit] = {}
    for hit in Hit.objects.filter(run=run).order_by("pk"):
        first.setdefault(hit.rule_code, hit)
    verified: dict[str, int] = {}
    if "R01" in first:
        hit_assign(actor=actor, hit=first["R01"], handling_org=county, reason="请核实发放情况")
        verified[HitStatus.ASSIGNED.value] = first["R01"].pk
    if "R02" in first:
        hit = hit_assign(actor=actor, hit=first["R02"], handling_org=county)
        hit_confirm(
            actor=actor,
            hit=hit,
            reason="经走访核实，补助对象死亡后只停发一项补贴，另一项仍在发放",
        )
        verified[HitStatus.CONFIRMED.value] = hit.pk
    if "R04" in first:
        hit = hit_assign(actor=actor, hit=first["R04"], handling_org=county)
        hit_exclude(
            actor=actor,
            hit=hit,
            reason="经核查，该户低保系依规申请，经民主评议和公示，村干部已按规定回避",
        )
        verified[HitStatus.EXCLUDED.value] = hit.pk
    clue_number = ""
    if "R03" in first:
        hit = hit_assign(actor=actor, hit=first["R03"], handling_org=county)
        hit = hit_confirm(actor=actor, hit=hit, reason="经核实，同一月份重复发放低保金")
        hit = hit_convert(actor=actor, hit=hit)
        verified[HitStatus.CONVERTED.value] = hit.pk
        clue_number = (hit.clue.number or "") if hit.clue else ""
    return {
        "run": run.pk,
        "region_code": region_code,
        "datasets": {v.dataset: v.rows_imported for v in versions},
        "hits": run.hit_count,
        "hits_by_rule": {code: info["hits"] for code, info in run.summary["rules"].items()},
        "verified": verified,
        "clue": clue_number,
    }
