"""Benchmark of the comparison engine (大数据比对性能测试).

Generates (once, deterministically) 10M persons / 20M payments under var/bench, then
measures, each in a fresh subprocess so that peak memory is the process's own RSS
high-water mark (VmHWM of the process and its children, e.g. Spark's JVM):

- every rule R01–R11 and the full suite (run_suite, including validation) on DuckDB;
- R01's plain join (payments ⋈ deaths, all columns, no month filter): DuckDB can prune
  R01's join with the month filter, which flatters R01;
- a straightforward pandas implementation of R01, R03 and R04 (the naive peer, on the
  departments' columns), and R04 once more on the integer key columns (informative);
- Spark local[2] for R01–R03 (scale reference);
- optionally (--big) the full suite on 100M payments, for peak memory;
- identity-resolution scoring throughput (candidate pairs per second).

Usage (from the repository root):

    .venv/bin/python bench/datacheck/bench_datacheck.py [--big] [--skip-spark]

Results are printed as a table and written to var/bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
BENCH = ROOT / "var" / "bench"
DATASET_NAMES = (
    "persons",
    "deaths",
    "relations",
    "cadres",
    "beneficiaries",
    "payments",
    "payroll",
    "vehicles",
    "companies",
)


# ------------------------------------------------------------------ measurement


def _hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return 0
    return 0


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def peak_rss_gb() -> float:
    """Peak RSS of this process plus its live descendants (Spark's JVM), in GB."""
    me = os.getpid()
    return (_hwm_kb(me) + sum(_hwm_kb(p) for p in _descendants(me))) / 1024 / 1024


def measure(task: str, **args: Any) -> dict[str, Any]:
    """Run ``task`` in a fresh interpreter; return its JSON result plus CPU and memory."""
    command = [sys.executable, __file__, "_task", task, json.dumps(args)]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    if status != 0:
        tail = "\n".join(err.strip().splitlines()[-15:])
        raise RuntimeError(f"task {task} failed ({status}):\n{tail}")
    result = json.loads(out.strip().splitlines()[-1])
    result["process_seconds"] = round(wall, 2)
    result["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 2)
    result.setdefault("peak_rss_gb", round(usage.ru_maxrss / 1024 / 1024, 2))
    result["load_avg_1m"] = round(os.getloadavg()[0], 2)
    return result


# ------------------------------------------------------------------------ tasks


def _tables(engine, data: Path) -> dict:
    return {n: engine.read_parquet(data / f"{n}.parquet", table_name=n) for n in DATASET_NAMES}


def _warm_up(engine, tables: dict) -> None:
    """Load what the first query of a process imports lazily (Ibis pulls in pandas to
    convert results: about a second) before the clock starts, as the pandas peer imports
    pandas before its clock starts."""
    engine.to_pyarrow(tables["deaths"].limit(1))


def task_generate(data: str, persons: int, payments: int, seed: int, memory_limit: str) -> dict:
    from jiandu.datacheck.engine.generator import generate

    report = generate(
        out_dir=data, persons=persons, payments=payments, seed=seed, memory_limit=memory_limit
    )
    return {"seconds": round(report.seconds, 2), "rows": report.rows, "truth": report.truth}


def task_duckdb_rule(data: str, rule: str, memory_limit: str) -> dict:
    from jiandu.datacheck.engine.backends import connect
    from jiandu.datacheck.engine.rules import RULES

    engine = connect(backend="duckdb", memory_limit=memory_limit)
    tables = _tables(engine, Path(data))
    _warm_up(engine, tables)
    started = time.perf_counter()
    result = engine.to_pyarrow(RULES[rule].expr(tables))
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 3), "hits": result.num_rows, "peak_rss_gb": peak_rss_gb()}


def task_duckdb_plain_join(data: str, memory_limit: str) -> dict:
    from jiandu.datacheck.engine.backends import connect
    from jiandu.datacheck.engine.rules import deaths_per_person

    engine = connect(backend="duckdb", memory_limit=memory_limit)
    tables = _tables(engine, Path(data))
    payments = tables["payments"]
    deaths = deaths_per_person(tables["deaths"])
    joined = payments.join(deaths, payments.id_key == deaths.id_key)
    _warm_up(engine, tables)
    started = time.perf_counter()
    result = engine.to_pyarrow(joined)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 3), "rows": result.num_rows, "peak_rss_gb": peak_rss_gb()}


def task_suite(data: str, out: str, memory_limit: str, backend: str = "duckdb") -> dict:
    from jiandu.datacheck.engine.runner import run_suite

    started = time.perf_counter()
    summary = run_suite(
        data_dir=data,
        out_dir=out,
        backend=backend,
        backend_options={"memory_limit": memory_limit, "temp_directory": str(BENCH / "spill")},
        max_file_bytes=None,
    )
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "hits": summary["total_hits"],
        "rules": {k: v["seconds"] for k, v in summary["rules"].items()},
        "rows": {k: v["rows"] for k, v in summary["datasets"].items()},
        "peak_rss_gb": peak_rss_gb(),
    }


def _month_index(series):
    return series.str.slice(0, 4).astype("int32") * 12 + series.str.slice(5, 7).astype("int32") - 1


def task_pandas(data: str, rule: str) -> dict:
    """The naive peer: read the needed columns with pandas, merge, group, filter."""
    import pandas as pd

    base = Path(data)
    started = time.perf_counter()
    if rule == "R01":
        payments = pd.read_parquet(
            base / "payments.parquet",
            columns=["payment_id", "program", "id_no", "period", "amount"],
        )
        deaths = pd.read_parquet(base / "deaths.parquet", columns=["id_no", "death_date"])
        deaths = deaths.groupby("id_no", as_index=False)["death_date"].min()
        joined = payments.merge(deaths, on="id_no")
        death = pd.to_datetime(joined["death_date"])
        died_idx = death.dt.year * 12 + death.dt.month - 1
        hits = joined[_month_index(joined["period"]) > died_idx]
    elif rule == "R03":
        payments = pd.read_parquet(
            base / "payments.parquet",
            columns=["payment_id", "program", "id_no", "period", "amount"],
        )
        counts = payments.groupby(["id_no", "program", "period"])["payment_id"].nunique()
        hits = counts[counts > 1].reset_index()
    elif rule in ("R04", "R04-keys"):
        persons = pd.read_parquet(base / "persons.parquet", columns=["id_no", "household_no"])
        cadres = pd.read_parquet(base / "cadres.parquet")
        relations = pd.read_parquet(base / "relations.parquet")
        beneficiaries = pd.read_parquet(base / "beneficiaries.parquet")
        if rule == "R04-keys":
            # The same merges on the integer key columns in place of the text (informative:
            # the naive peer uses the departments' columns).
            persons = pd.read_parquet(base / "persons.parquet", columns=["id_key", "household_key"])
            persons.columns = ["id_no", "household_no"]
            for frame, names in (
                (cadres, {"id_no": "id_text", "id_key": "id_no"}),
                (beneficiaries, {"id_no": "id_text", "id_key": "id_no"}),
                (
                    relations,
                    {
                        "id_no": "id_text",
                        "relative_id_no": "relative_text",
                        "id_key": "id_no",
                        "relative_id_key": "relative_id_no",
                    },
                ),
            ):
                frame.rename(columns=names, inplace=True)
        homes = persons.merge(cadres[["id_no"]].drop_duplicates(), on="id_no")
        homes = homes.rename(columns={"id_no": "cadre_id"})
        members = persons.rename(columns={"id_no": "relative_id"})
        same = homes.merge(members, on="household_no")
        same = same[same.cadre_id != same.relative_id][["cadre_id", "relative_id"]]
        forward = relations.rename(columns={"id_no": "cadre_id", "relative_id_no": "relative_id"})
        backward = relations.rename(columns={"relative_id_no": "cadre_id", "id_no": "relative_id"})
        links = pd.concat(
            [same, forward[["cadre_id", "relative_id"]], backward[["cadre_id", "relative_id"]]]
        ).drop_duplicates()
        links = links.merge(
            cadres.rename(
                columns={
                    "id_no": "cadre_id",
                    "region_code": "cadre_region",
                    "start_date": "tenure_start",
                    "end_date": "tenure_end",
                }
            )[["cadre_id", "cadre_region", "tenure_start", "tenure_end"]],
            on="cadre_id",
        )
        found = links.merge(beneficiaries, left_on="relative_id", right_on="id_no")
        inside = [
            region.startswith(prefix)
            for region, prefix in zip(found.region_code, found.cadre_region, strict=True)
        ]
        end = found.tenure_end.fillna(pd.Timestamp("2999-12-31").date())
        hits = found[
            pd.Series(inside, index=found.index)
            & (found.start_date >= found.tenure_start)
            & (found.start_date <= end)
        ]
    else:
        raise ValueError(rule)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 3), "hits": len(hits), "peak_rss_gb": peak_rss_gb()}


def task_spark(data: str, rules: list[str], driver_memory: str) -> dict:
    from jiandu.datacheck.engine.backends import connect
    from jiandu.datacheck.engine.rules import RULES

    t0 = time.perf_counter()
    engine = connect(
        backend="spark", master="local[2]", driver_memory=driver_memory, shuffle_partitions=8
    )
    startup = time.perf_counter() - t0
    tables = _tables(engine, Path(data))
    _warm_up(engine, tables)
    out: dict[str, Any] = {"startup_seconds": round(startup, 2), "rules": {}}
    for rule in rules:
        started = time.perf_counter()
        result = engine.to_pyarrow(RULES[rule].expr(tables))
        out["rules"][rule] = {
            "seconds": round(time.perf_counter() - started, 3),
            "hits": result.num_rows,
        }
    out["peak_rss_gb"] = peak_rss_gb()
    engine.close()
    return out


def task_identity(data: str) -> dict:
    import pyarrow.parquet as pq

    from jiandu.datacheck.engine.identity import PersonIndex, Record, score_block

    persons = pq.read_table(
        Path(data) / "persons.parquet",
        columns=["id_no", "name", "region_code", "birth_date", "name_pinyin"],
    )
    index = PersonIndex(persons)
    block = index.block("330803001")  # one township: the usual blocking unit
    sample = persons.slice(0, 50).to_pylist()
    records = [
        Record(
            name=p["name"][:-1] + "丽", region_code=p["region_code"], id_no=p["id_no"][:17] + "0"
        )
        for p in sample
    ]
    started = time.perf_counter()
    scores = score_block(records=records, index=index, rows=block)
    seconds = time.perf_counter() - started
    return {
        "pairs": int(scores.size),
        "seconds": round(seconds, 3),
        "pairs_per_second": round(scores.size / seconds),
        "block_rows": block.stop - block.start,
        "peak_rss_gb": peak_rss_gb(),
    }


TASKS = {
    "generate": task_generate,
    "duckdb_rule": task_duckdb_rule,
    "duckdb_plain_join": task_duckdb_plain_join,
    "suite": task_suite,
    "pandas": task_pandas,
    "spark": task_spark,
    "identity": task_identity,
}


# ------------------------------------------------------------------------- main


def _current(folder: Path) -> bool:
    """The data were generated with the dataset layout of this code (keys and all)."""
    from jiandu.datacheck.engine.datasets import DATASETS, canonical_parquet_ok

    return (folder / "truth.csv").exists() and all(
        (folder / f"{name}.parquet").exists()
        and canonical_parquet_ok(folder / f"{name}.parquet", DATASETS[name])
        for name in DATASET_NAMES
    )


def _ensure_data(folder: Path, persons: int, payments: int, seed: int, memory_limit: str) -> dict:
    if _current(folder):
        return {"reused": True}
    print(f"生成数据 {folder} …", flush=True)
    return measure(
        "generate",
        data=str(folder),
        persons=persons,
        payments=payments,
        seed=seed,
        memory_limit=memory_limit,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="大数据比对性能测试")
    parser.add_argument("--persons", type=int, default=10_000_000)
    parser.add_argument("--payments", type=int, default=20_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--memory-limit", default="12GB")
    parser.add_argument("--big", action="store_true", help="also run 100M payments")
    parser.add_argument("--big-payments", type=int, default=100_000_000)
    parser.add_argument("--rules", help="DuckDB rules to measure one by one (default all)")
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument(
        "--only", help="comma-separated sections: rules,join,suite,pandas,spark,identity,big"
    )
    args = parser.parse_args(argv)
    sections = set((args.only or "rules,join,suite,pandas,spark,identity,big").split(","))
    BENCH.mkdir(parents=True, exist_ok=True)
    (BENCH / ".gitignore").write_text("*\n")
    data = BENCH / f"p{args.persons}-pay{args.payments}-s{args.seed}"
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "load_avg_at_start": os.getloadavg()},
        "data": str(data),
        "started_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    results["generate"] = _ensure_data(
        data, args.persons, args.payments, args.seed, args.memory_limit
    )
    limit = args.memory_limit
    rules = args.rules.split(",") if args.rules else [f"R{i:02d}" for i in range(1, 12)]

    def save() -> None:
        (BENCH / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))

    if "rules" in sections:
        results["duckdb_rules"] = {}
        for rule in rules:
            results["duckdb_rules"][rule] = measure(
                "duckdb_rule", data=str(data), rule=rule, memory_limit=limit
            )
            print(rule, results["duckdb_rules"][rule], flush=True)
            save()
    if "join" in sections:
        results["duckdb_r01_plain_join"] = measure(
            "duckdb_plain_join", data=str(data), memory_limit=limit
        )
        print("plain join", results["duckdb_r01_plain_join"], flush=True)
        save()
    if "suite" in sections:
        results["duckdb_suite"] = measure(
            "suite", data=str(data), out=str(BENCH / "out-suite"), memory_limit=limit
        )
        print("suite", results["duckdb_suite"], flush=True)
        save()
    if "pandas" in sections and not args.skip_pandas:
        results["pandas"] = {}
        for rule in ("R01", "R03", "R04", "R04-keys"):
            results["pandas"][rule] = measure("pandas", data=str(data), rule=rule)
            print("pandas", rule, results["pandas"][rule], flush=True)
            save()
    if "spark" in sections and not args.skip_spark:
        results["spark"] = measure(
            "spark", data=str(data), rules=["R01", "R02", "R03"], driver_memory="6g"
        )
        print("spark", results["spark"], flush=True)
        save()
    if "identity" in sections:
        results["identity"] = measure("identity", data=str(data))
        print("identity", results["identity"], flush=True)
        save()
    if args.big and "big" in sections:
        big = BENCH / f"p{args.persons}-pay{args.big_payments}-s{args.seed}"
        results["big_generate"] = _ensure_data(
            big, args.persons, args.big_payments, args.seed, limit
        )
        results["big_suite"] = measure(
            "suite", data=str(big), out=str(BENCH / "out-big"), memory_limit=limit
        )
        print("big suite", results["big_suite"], flush=True)
        save()
    results["finished_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
    save()
    print_table(results)
    return 0


def print_table(results: dict[str, Any]) -> None:
    """The comparison table (rule timings and ratios against the peers)."""
    duck = results.get("duckdb_rules", {})
    pandas = results.get("pandas", {})
    spark = results.get("spark", {}).get("rules", {})
    print()
    print(
        f"{'rule':<6}{'DuckDB s':>10}{'CPU s':>8}{'RSS GB':>8}{'pandas s':>10}{'×':>7}"
        f"{'Spark s':>9}{'×':>7}{'hits':>8}"
    )
    for rule, d in duck.items():
        p = pandas.get(rule, {}).get("seconds")
        s = spark.get(rule, {}).get("seconds")
        p_ratio = f"{p / d['seconds']:.1f}" if p else ""
        s_ratio = f"{s / d['seconds']:.1f}" if s else ""
        print(
            f"{rule:<6}{d['seconds']:>10.2f}{d['cpu_seconds']:>8.1f}{d['peak_rss_gb']:>8.2f}"
            f"{p if p is not None else '':>10}{p_ratio:>7}"
            f"{s if s is not None else '':>9}{s_ratio:>7}{d['hits']:>8}"
        )
    keyed = pandas.get("R04-keys", {}).get("seconds")
    if keyed and "R04" in duck:
        ratio = keyed / duck["R04"]["seconds"]
        print(f"pandas R04 on the integer key columns (informative): {keyed} s, {ratio:.1f}×")
    first3 = [duck[r]["seconds"] for r in ("R01", "R02", "R03") if r in duck]
    if len(first3) == 3:
        print(f"R01–R03 DuckDB total: {sum(first3):.2f} s")
    if "duckdb_suite" in results:
        s = results["duckdb_suite"]
        print(f"full suite (run_suite): {s['seconds']:.2f} s, peak RSS {s['peak_rss_gb']:.2f} GB")
    if "duckdb_r01_plain_join" in results:
        j = results["duckdb_r01_plain_join"]
        print(f"R01 plain join (no month filter): {j['seconds']:.2f} s, {j['rows']} rows")
    if "big_suite" in results:
        b = results["big_suite"]
        print(f"100M payments suite: {b['seconds']:.2f} s, peak RSS {b['peak_rss_gb']:.2f} GB")
    if "identity" in results:
        print(f"identity scoring: {results['identity']['pairs_per_second']:,} pairs/s")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_task":
        output = TASKS[sys.argv[2]](**json.loads(sys.argv[3]))
        if "peak_rss_gb" in output:
            output["peak_rss_gb"] = round(output["peak_rss_gb"], 2)
        print(json.dumps(output, ensure_ascii=False, default=str))
        raise SystemExit(0)
    raise SystemExit(main())
