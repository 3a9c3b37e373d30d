"""SQLite (WAL): how long another user's audited write and login wait while a people
import runs — the import as it is now (checked and built before the write transaction,
bulk inserts, chain sealed with one statement per batch) against the previous way (one
``person_create`` per row inside the write transaction), measured in the same run.

    python bench/import_lock_bench.py --rows 50000 [--db var/bench-import.sqlite3]

The database file is created and migrated when missing (a copy of a migrated file
saves the few minutes of migrating). Prints one line per way: import time, probes, the
worst wait of a write and of a login, errors (a probe that waited out SQLite's 20 s busy
timeout fails with "database is locked").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--db", default=str(ROOT / "var" / "bench-import.sqlite3"))
    parser.add_argument("--ways", default="ours,previous")
    args = parser.parse_args()
    db = Path(args.db).resolve()
    db.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "jiandu.core.tests.contention", "--hold", "0"]
    command += ["--import-rows", str(args.rows), "--ways", args.ways, "--migrate"]
    run = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        sys.exit(run.stderr[-3000:])
    result = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"SQLite WAL, people import of {args.rows} rows; another user writes and logs in")
    print(f"{'way':<10}{'import s':>10}{'probes':>8}{'worst write s':>15}{'worst login s':>15}")
    for way in result["imports"]:
        print(
            f"{way['way']:<10}{way['import_seconds']:>10.1f}{way['probes']:>8}"
            f"{way['worst_write_seconds']:>15.2f}{way['worst_login_seconds']:>15.2f}"
            f"  errors: {len(way['probe_errors'])} {way['probe_errors'][:1]}"
            f"  chain ok: {way['verify_ok']}"
        )


if __name__ == "__main__":
    main()
