"""三本账 at scale: the ledger list page and API (keyset on id) against the naive OFFSET +
COUNT(*) list, on PostgreSQL.

Loads N ledger rows (default 1,000,000) over 14 counties and the three ledgers, a third
已办结, by one INSERT … SELECT generate_series, then measures in one run, as the city
office (every county) and as a county (its own rows):

- ours: ``GET /api/v1/inspections/ledgers`` (keyset, cursors walked to page 20) and the
  list page ``/inspections/ledgers/`` (the same keyset selector, rows counted up to 500
  only), unfiltered and filtered by county + ledger + status; besides wall time, the
  CPU time of the process per request (less distorted by the load of a shared machine)
  and the queries per request;
- naive: the same filter as ``ORDER BY id DESC LIMIT 50 OFFSET k`` plus ``COUNT(*)``
  (Django's Paginator), at the same depths, serialised to JSON;
- before (``--before REV``): the list page as the code of git revision REV serves it (its
  ``src`` exported to a temporary directory and run in a child process on the same
  database), one request of it before each request of ours, same persona, filter and
  cursor, so both see the same load.

Usage::

    PYTHONPATH=src .venv/bin/python bench/inspection_ledger_bench.py [--rows 1000000]
                                                    [--requests 100] [--before 0a69207]

The scratch database is ``jiandu_bench_ledgers`` (``BENCH_PG_URL`` to choose another).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PG_URL = "postgres://postgres@127.0.0.1:5432/jiandu_bench_ledgers"


def configure() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "jiandu.settings"
    os.environ.setdefault("JIANDU_LOG_LEVEL", "ERROR")
    os.environ["JIANDU_DEBUG"] = "0"
    os.environ["JIANDU_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    url = os.environ.get("BENCH_PG_URL", PG_URL)
    os.environ["DATABASE_URL"] = url
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()


def load(rows: int) -> dict:
    """A city commission with its 党风政风监督室 (the city office), 14 counties with one
    account each, and ``rows`` ledger rows spread over counties and ledgers."""
    from django.core.management import call_command
    from django.db import connection

    from jiandu.accounts.models import User
    from jiandu.inspections.models import LedgerRow
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.services import org_create
    from jiandu.testing import role_group

    call_command("migrate", verbosity=0)
    have = LedgerRow.objects.count()
    if have >= rows:
        return {"loaded": False, "rows": have}
    t0 = time.perf_counter()
    system = User.objects.filter(username="bench-system").first()
    if system is None:
        system = User.objects.create_user(username="bench-system", password=None)
        city = org_create(actor=system, name="市纪委监委", kind=OrgKind.COMMISSION,
                          region_code="530100")  # fmt: skip
        office = org_create(actor=system, name="党风政风监督室", kind=OrgKind.CONDUCT_ROOM,
                            parent=city)  # fmt: skip
        stats = User.objects.create_user(username="bench-stats", password=None, org=office)
        stats.groups.add(role_group("统计分析"))
        for i in range(14):
            county = org_create(actor=system, name=f"第{i + 1}县区纪委监委", kind=OrgKind.COUNTY,
                                parent=city, region_code=f"5301{i + 10:02d}")  # fmt: skip
            user = User.objects.create_user(username=f"bench-county{i}", password=None, org=county)
            user.groups.add(role_group("线索管理"))
    counties = list(
        User.objects.filter(username__startswith="bench-county")
        .order_by("username")
        .values_list("org_id", flat=True)
    )
    table = LedgerRow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (created_at, updated_at, county_id, kind, title, status, progress)
            SELECT now(), now(), (%s::bigint[])[1 + i %% %s],
                   (ARRAY['transferred','governance','assigned'])[1 + (i / %s) %% 3],
                   '事项' || i, CASE WHEN (i / %s) %% 3 = 0 THEN 'done' ELSE 'open' END, ''
            FROM generate_series(%s, %s) AS i
            """,
            [counties, len(counties), len(counties), 3 * len(counties), have + 1, rows],
        )
    # What autovacuum does to a table that has settled: statistics and the visibility map
    # (index-only scans of the bounded count need it).
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {table}")
    return {"loaded": True, "rows": rows, "seconds": round(time.perf_counter() - t0, 1)}


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(p95 * 1000, 2), "n": len(ordered)}  # fmt: skip


class Before:
    """The list page served by another revision's code, in a child process (``--serve``)."""

    def __init__(self, rev: str) -> None:
        import subprocess
        import tempfile

        self.dir = tempfile.TemporaryDirectory(prefix="ledger-before-")
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"],
                                 check=True, capture_output=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", self.dir.name], input=archive, check=True)
        env = {**os.environ, "PYTHONPATH": str(Path(self.dir.name) / "src")}
        self.child = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(Path(self.dir.name) / "src")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip

    def get(self, who: str, params: dict, count_queries: bool = False) -> dict:
        assert self.child.stdin is not None and self.child.stdout is not None
        self.child.stdin.write(json.dumps([who, params, count_queries]) + "\n")
        self.child.stdin.flush()
        return json.loads(self.child.stdout.readline())

    def close(self) -> None:
        if self.child.stdin is not None:
            self.child.stdin.close()
        self.child.wait()
        self.dir.cleanup()


def serve() -> None:
    """Child of ``--before``: GET the list page for each request read from stdin."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jiandu.accounts.models import User

    clients: dict[str, Client] = {}
    for line in sys.stdin:
        who, params, count_queries = json.loads(line)
        if who not in clients:
            clients[who] = Client()
            clients[who].force_login(User.objects.get(username=who))
        # Queries counted on request only (the timed requests run as ours do, uncaptured),
        # after a first request, as ours are.
        if count_queries:
            clients[who].get("/inspections/ledgers/", params)
        ctx = CaptureQueriesContext(connection) if count_queries else contextlib.nullcontext()
        with ctx:
            c, t = time.process_time(), time.perf_counter()
            response = clients[who].get("/inspections/ledgers/", params)
            wall, cpu = time.perf_counter() - t, time.process_time() - c
        assert response.status_code == 200
        queries = len(ctx) if isinstance(ctx, CaptureQueriesContext) else None
        print(json.dumps({"wall": wall, "cpu": cpu, "queries": queries}), flush=True)


def measure(requests: int, depth: int = 20, before: Before | None = None) -> dict:
    from django.core.paginator import Paginator
    from django.db import connection
    from django.http import JsonResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jiandu.accounts.models import User
    from jiandu.inspections import selectors

    results: dict = {}
    for who in ("bench-stats", "bench-county3"):
        user = User.objects.get(username=who)
        client = Client()
        client.force_login(user)
        county = user.org_id if who != "bench-stats" else (
            User.objects.get(username="bench-county5").org_id
        )  # fmt: skip
        for label, params in (("all", {}),
                              ("county+ledger+open", {"county": county, "kind": "transferred",
                                                      "status": "open"})):  # fmt: skip
            cursors = [""]
            for _ in range(depth):
                body = client.get("/api/v1/inspections/ledgers",
                                  {**params, "after": cursors[-1]}).json()  # fmt: skip
                if not body["next_cursor"]:
                    break
                cursors.append(body["next_cursor"])
            api, page, query, naive, api_cpu, page_cpu = [], [], [], [], [], []
            old, old_cpu = [], []
            queries = {}
            for name, url in (("api", "/api/v1/inspections/ledgers"),
                              ("page", "/inspections/ledgers/")):  # fmt: skip
                # Counted once the process has its kept parts (a warm process's page).
                client.get(url, {**params, "after": cursors[-1]})
                with CaptureQueriesContext(connection) as ctx:
                    client.get(url, {**params, "after": cursors[-1]})
                queries[name] = len(ctx)
            if before is not None:
                queries["page before"] = before.get(who, {**params, "after": cursors[-1]},
                                                    True)["queries"]  # fmt: skip
            for n in range(requests):
                cursor = cursors[n % len(cursors)]
                if before is not None:  # the same request to the former code, just before
                    got = before.get(who, {**params, "after": cursor})
                    old.append(got["wall"])
                    old_cpu.append(got["cpu"])
                c, t = time.process_time(), time.perf_counter()
                response = client.get("/api/v1/inspections/ledgers", {**params, "after": cursor})
                api.append(time.perf_counter() - t)
                api_cpu.append(time.process_time() - c)
                assert response.status_code == 200
                c, t = time.process_time(), time.perf_counter()
                response = client.get("/inspections/ledgers/", {**params, "after": cursor})
                page.append(time.perf_counter() - t)
                page_cpu.append(time.process_time() - c)
                assert response.status_code == 200
                # Naive: the former list (model rows with their county, all columns).
                qs = selectors.ledger_rows(user=user).select_related("county").order_by("-id")
                for key in ("county", "kind", "status"):
                    if key in params:
                        qs = qs.filter(**{f"{key}_id" if key == "county" else key: params[key]})
                # Ours without the HTTP stack: the selector (one keyset query) and JSON.
                t = time.perf_counter()
                keyed = selectors.ledger_page(user=user, county=params.get("county"),
                                              kind=params.get("kind"),
                                              status=params.get("status"), after=cursor,
                                              count=False)  # fmt: skip
                JsonResponse({"items": keyed.items, "next_cursor": keyed.next_cursor})
                query.append(time.perf_counter() - t)
                # Naive: the same rows by OFFSET, with the total counted every time.
                t = time.perf_counter()
                paginator = Paginator(qs, 50)
                rows = paginator.page(1 + n % len(cursors))
                JsonResponse({"count": paginator.count,
                              "items": [{"id": r.pk, "title": r.title, "county": r.county.name}
                                        for r in rows]})  # fmt: skip
                naive.append(time.perf_counter() - t)
            results[f"{who} {label}"] = {
                "ours api": percentiles(api),
                "ours page": percentiles(page),
                "ours api cpu": percentiles(api_cpu),
                "ours page cpu": percentiles(page_cpu),
                "queries per request": queries,
                "ours selector (query+JSON)": percentiles(query),
                "naive offset+count": percentiles(naive),
                "pages walked": len(cursors),
            }
            if before is not None:
                results[f"{who} {label}"]["before page"] = percentiles(old)
                results[f"{who} {label}"]["before page cpu"] = percentiles(old_cpu)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--fresh", action="store_true", help="drop the scratch database first")
    parser.add_argument("--before", metavar="REV",
                        help="also time the list page as git revision REV serves it")  # fmt: skip
    parser.add_argument("--serve", metavar="SRC", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:  # the child of --before: that revision's code, not this tree's
        sys.path.remove(str(ROOT / "src"))
        sys.path.insert(0, args.serve)
        configure()
        serve()
        return 0
    if args.fresh:
        import psycopg

        url = os.environ.get("BENCH_PG_URL", PG_URL)
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}"')
    configure()
    print(json.dumps({"load": load(args.rows)}, ensure_ascii=False))
    before = Before(args.before) if args.before else None
    try:
        results = measure(args.requests, before=before)
    finally:
        if before is not None:
            before.close()
    print(json.dumps(results, ensure_ascii=False, indent=2))
    for k in ("ours api", "ours page") + (("before page",) if before else ()):
        worst = max(r[k]["p95_ms"] for r in results.values())
        print(f"worst p95 ({k}): {worst} ms (target < 20 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
