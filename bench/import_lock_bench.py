"""How long another user's audited write and login wait while a large people import
runs, on SQLite (WAL) and on PostgreSQL, the import as it is now against the earlier
ways, measured in the same run:

- ``staged`` (now): every person built, checked and encrypted and every audit row
  serialised before anything is written; the rows written ahead into temporary tables
  nobody else sees (no write lock on SQLite); then one short transaction publishes them
  with one ``INSERT … SELECT`` per table; the audit rows are sealed afterwards in
  batches with pauses for other writers;
- ``one-tx`` (before): the same preparation, then bulk inserts of the people and their
  audit rows inside the write transaction (as long as the rows are many);
- ``per-row`` (first version, opt-in: minutes per thousand rows): one
  ``person_create`` per row inside the write transaction.

``--kind clues`` measures a 问题线索 import instead (as it is, staged: clues, their links,
受理 events and audit rows built and written ahead, on SQLite their search entries written
into the index ahead too, published in one transaction). To compare with an earlier
version, run this file from a checkout of it (its own ``src`` is used) with its own
``--template`` and ``--db``.

    python bench/import_lock_bench.py --rows 50000 \\
        --postgres postgres://postgres@127.0.0.1:5432/jiandu_bench

Another user meanwhile writes (an audited write in its own transaction) and logs in,
one after the other, every 50 ms, until the import's audit rows are all sealed. Printed
per database and way: the import's time (to the last row sealed), how long its
publishing transaction held the lock (staged only), the number of probes, the worst
and the 99th-percentile wait of a write and of a login, failed probes (SQLite's busy
timeout is 20 s), and whether the chain verifies afterwards. The SQLite file is a copy
of one migrated once (``--template``); the PostgreSQL database is migrated in place
(leave ``--postgres`` out to measure SQLite only).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(url: str, *, rows: int, ways: str, migrate: bool, kind: str = "people") -> dict:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "jiandu.core.tests.contention", "--hold", "0"]
    command += ["--import-rows", str(rows), "--ways", ways, "--import-kind", kind]
    if migrate:
        command.append("--migrate")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def sqlite_copy(template: Path, target: Path) -> str:
    if not template.exists():
        template.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{template}"}
        env["PYTHONPATH"] = str(ROOT / "src")
        subprocess.run([sys.executable, "-m", "jiandu.cli", "migrate", "-v0"], env=env, check=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--ways", default="staged,one-tx", help="staged,one-tx,per-row")
    parser.add_argument(
        "--kind", default="people", help="people, or clues (问题线索; measured staged only)"
    )
    parser.add_argument("--template", default=str(ROOT / "var" / "bench-import-template.sqlite3"))
    parser.add_argument("--db", default=str(ROOT / "var" / "bench-import.sqlite3"))
    parser.add_argument(
        "--postgres",
        default=os.environ.get("JIANDU_BENCH_POSTGRES", ""),
        help="database URL of a PostgreSQL database to measure too (migrated in place)",
    )
    args = parser.parse_args()
    results = []
    url = sqlite_copy(Path(args.template).resolve(), Path(args.db).resolve())
    ways = "staged" if args.kind == "clues" else args.ways
    kind = args.kind
    results.append(("SQLite WAL", run(url, rows=args.rows, ways=ways, migrate=False, kind=kind)))
    if args.postgres:
        results.append(
            ("PostgreSQL", run(args.postgres, rows=args.rows, ways=ways, migrate=True, kind=kind))
        )
    what = "Clue" if kind == "clues" else "People"
    print(f"{what} import of {args.rows} rows; another user writes and logs in meanwhile")
    print(
        f"{'database':<12}{'way':<9}{'import s':>9}{'publish s':>10}{'probes':>7}"
        f"{'write max':>10}{'p99':>6}{'login max':>10}{'p99':>6}{'failed':>7}  chain"
    )
    for database, result in results:
        for way in result["imports"]:
            publish = way.get("publish_seconds")
            took = way.get("sealed_seconds", way["import_seconds"])
            print(
                f"{database:<12}{way['way']:<9}{took:>9.1f}"
                f"{(f'{publish:.2f}' if publish is not None else '-'):>10}{way['probes']:>7}"
                f"{way['worst_write_seconds']:>10.2f}{way['p99_write_seconds']:>6.2f}"
                f"{way['worst_login_seconds']:>10.2f}{way['p99_login_seconds']:>6.2f}"
                f"{way['probe_error_count']:>7}  {'ok' if way['verify_ok'] else 'BROKEN'}"
                + (f"  {way['job_error']}" if "job_error" in way else "")
                + (f"  {way['probe_errors'][0]}" if way["probe_errors"] else "")
            )


if __name__ == "__main__":
    main()
