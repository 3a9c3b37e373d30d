"""Another user's audited write and login while a long job runs, on PostgreSQL: a
多色榜 month close at the size of §3 of docs/benchmarks.md (2,000 units × 12 indicators,
5M case records, loaded by ``bench/board_close_bench.py``'s loader into the same
scratch database), and a comparison run's write-back (the 东川区 demo comparison's
hits written and audited: ``datacheck.services.run_execute``).

While each job runs, a second thread (another user) writes an audited row in its own
transaction and logs in, one after the other, every 50 ms, until the job's audit rows
are sealed (``jiandu.core.tests.contention.probe_while``); first the same probes for
20 s with no job (the machine's own latency at its load). Printed: the job's time, the
number of probes, the median, 99th-percentile and worst wait of a write and of a login,
failed probes, and whether the audit chain verifies afterwards.

Usage::

    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/jiandu_perf_board \\
        .venv/bin/python bench/long_job_probe_bench.py [--units 2000] [--records 5000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def board_close_job(units: int) -> Any:
    import board_close_bench as boards
    from jiandu.accounts.models import User
    from jiandu.boards.models import BoardSnapshot
    from jiandu.boards.services import board_close

    actor = User.objects.get(username="bench")
    board = boards.setup_board(units)
    month = f"{boards.YEAR}-12"
    today = dt.date(boards.YEAR + 1, 1, 15)

    def job() -> None:
        again = BoardSnapshot.objects.filter(board=board, month=month).exists()
        board_close(
            actor=actor,
            board=board,
            month=month,
            reason="基准重复测量" if again else "",
            today=today,
        )

    return job


def write_back_job() -> Any:
    from jiandu.accounts.models import User
    from jiandu.datacheck import demo
    from jiandu.datacheck.models import DatasetVersion
    from jiandu.datacheck.services import run_start

    actor = User.objects.get(username="bench")

    def job() -> None:
        latest: dict[str, DatasetVersion] = {}
        for version in DatasetVersion.objects.filter(region_code=demo.DEMO_REGION).order_by(
            "version"
        ):
            latest[version.dataset] = version
        if not latest:
            # First time: import the demo's nine datasets, run the comparison, verify a
            # few hits (the whole 东川区 demo).
            demo.build_datacheck_demo(actor=actor)
            return
        # Again: a new comparison run over the same datasets; its write-back (every hit
        # stored with its audit row) is the transaction that matters here.
        run_start(
            actor=actor,
            rules=list(demo.RULES),
            versions=list(latest.values()),
            region_code=demo.DEMO_REGION,
            synchronous=True,
        )

    return job


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--records", type=int, default=5_000_000)
    parser.add_argument("--jobs", default="idle,board,write-back")
    args = parser.parse_args()
    import board_close_bench as boards

    boards._configure("postgres")
    boards._ensure_pg_database()
    import django

    django.setup()
    t0 = time.monotonic()
    loaded = boards.load(args.units, args.records)
    loaded["seconds"] = round(time.monotonic() - t0, 1)
    from jiandu.core.tests.contention import probe_while

    out: dict[str, Any] = {"load": loaded, "loadavg_before": os.getloadavg()}
    jobs = args.jobs.split(",")
    if "idle" in jobs:
        # The same probes with no job running: what a write and a login take on this
        # machine at this load (a loaded machine's queueing, not a lock).
        out["no_job"] = probe_while(lambda: time.sleep(20))
    if "board" in jobs:
        out["board_close"] = probe_while(board_close_job(args.units))
    if "write-back" in jobs:
        out["write_back"] = probe_while(write_back_job())
    out["loadavg_after"] = os.getloadavg()
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
