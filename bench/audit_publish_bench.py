"""What publishing a long job's audit rows costs inside its short write transaction, and
what sealing them costs afterwards, the way it is now against the way before, measured
in the same run on SQLite (WAL file) and, with ``--postgres``, on PostgreSQL:

- ``job`` (now): the rows are written ahead, outside any transaction, as the rows of an
  unpublished audit job (``core.AuditJobRow``); publishing is one UPDATE of the job row;
  the sealer moves them into the log and the chain in batches after the commit;
- ``copy`` (before): the rows are written ahead into a temporary table; publishing copies
  all of them into the log with one ``INSERT … SELECT`` inside the write transaction (the
  lock held grows with the rows, about 15 µs each); the sealer then fills in their chain
  fields.

    python bench/audit_publish_bench.py --rows 10000 50000 \\
        --postgres postgres://postgres@127.0.0.1:5432/jiandu_bench

Printed per database, way and size: staging time (outside the transaction), the publish
transaction's time (commit included) and per row, the sealing time (no pauses: the
database to itself), and whether the chain verifies. The SQLite file is created and
migrated in a temporary directory; the PostgreSQL database is migrated in place.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(rows_list: list[int]) -> list[dict]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from jiandu.core import audit
    from jiandu.core.choices import AuditAction
    from jiandu.core.db import StagedTable

    call_command("migrate", verbosity=0)
    audit.audit_seal(pause=0)
    # Seal explicitly (and time it) rather than in the after-commit hook.
    audit._seal_after_write = lambda **kwargs: None  # type: ignore[assignment]

    def entries(count: int, tag: str) -> list[dict]:
        return [
            {
                "actor": None,
                "action": AuditAction.CREATE,
                "object_type": "people.person",
                "object_id": str(i),
                "object_repr": f"{tag} 张三{i}",
                "summary": "导入人员",
                "changes": {"name": f"张三{i}", "gender": "男", "org": 17, "row": i},
            }
            for i in range(count)
        ]

    results = []
    for rows in rows_list:
        for way in ("job", "copy"):
            started = time.perf_counter()
            if way == "job":
                stage = audit.AuditStage()
                stage.add(entries(rows, way))
            else:
                table = StagedTable(audit.AuditLog, with_pk=False)
                table.add(audit.audit_rows(entries(rows, way)))
            staged = time.perf_counter()
            with transaction.atomic():
                if way == "job":
                    stage.publish()
                else:
                    table.publish(overrides={"at": timezone.now()})
            published = time.perf_counter()
            result = audit.audit_seal(pause=0)
            sealed = time.perf_counter()
            if way == "job":
                stage.discard()
            else:
                table.discard()
            report = audit.audit_verify(seal=False)
            results.append(
                {
                    "vendor": connection.vendor,
                    "rows": rows,
                    "way": way,
                    "stage_s": round(staged - started, 2),
                    "publish_s": round(published - staged, 4),
                    "publish_us_per_row": round((published - staged) / rows * 1e6, 2),
                    "seal_s": round(sealed - published, 2),
                    "sealed": result.sealed,
                    "verify_ok": report.ok and report.unsealed_rows == 0,
                }
            )
    return results


def child(url: str, rows: list[int]) -> list[dict]:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, __file__, "--child", "--rows", *map(str, rows)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--postgres", default="", help="postgres://… (omit: SQLite only)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.rows)))
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results += child(f"sqlite:///{Path(tmp) / 'publish.sqlite3'}", args.rows)
    if args.postgres:
        results += child(args.postgres, args.rows)
    print(
        f"{'数据库':<10} {'行数':>7} {'做法':<5} {'暂存s':>7} {'发布事务s':>9} "
        f"{'每行µs':>7} {'入链s':>7} 校验"
    )
    for r in results:
        print(
            f"{r['vendor']:<10} {r['rows']:>7} {r['way']:<5} {r['stage_s']:>7} "
            f"{r['publish_s']:>9} {r['publish_us_per_row']:>7} {r['seal_s']:>7} "
            f"{'通过' if r['verify_ok'] else '失败'}"
        )


if __name__ == "__main__":
    main()
