"""Clue list at scale: keyset pagination vs the naive OFFSET + COUNT(*) list.

Loads N clues (default 1,000,000) into a scratch database, then measures in one run:

- ours: the clue list API (``GET /api/v1/clues/clues``: keyset, with the total "共N件"
  — exact up to 2,000 rows, else estimated) and the clue list page (``/clues/clues/``,
  with total, page numbers and sortable headers), first page and pages deep into it;
- naive: the same filter as ``ORDER BY … LIMIT 50 OFFSET k`` plus ``COUNT(*)``, the way a
  plain paginator lists (Django's Paginator), at the same depths, serialised to JSON.

Usage::

    .venv/bin/python bench/clue_list_bench.py [--rows 1000000] [--db sqlite|postgres]
                                             [--requests 200] [--reuse]

The scratch database is ``var/bench/clues.sqlite3`` or the PostgreSQL database
``jiandu_bench`` (``BENCH_PG_URL``, default postgres://postgres@127.0.0.1:5432/jiandu_bench).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _configure(db: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "jiandu.settings"
    os.environ.setdefault("JIANDU_LOG_LEVEL", "ERROR")
    os.environ["JIANDU_DEBUG"] = "0"
    os.environ["JIANDU_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    if db == "sqlite":
        path = ROOT / "var" / "bench" / "clues.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/jiandu_bench"
        )


def _ensure_pg_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def load(rows: int, seed: int = 7) -> dict:
    """Org tree, one officer, and ``rows`` clues with domains, via bulk SQL."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from jiandu.accounts.models import User
    from jiandu.clues.models import Clue, DomainTag
    from jiandu.clues.search import ensure_sqlite_index, text_grams
    from jiandu.core.testing import role_group
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.services import org_create

    call_command("migrate", verbosity=0)
    if Clue.objects.exists():
        return {"loaded": False, "rows": Clue.objects.count()}
    rng = random.Random(seed)
    system = User.objects.create_user(username="bench-system", password=None)
    city = org_create(
        actor=system, name="市纪委监委", kind=OrgKind.COMMISSION, region_code="530100"
    )
    units = [city]
    for i in range(14):
        units.append(
            org_create(
                actor=system,
                name=f"第{i + 1}县区纪委监委",
                kind=OrgKind.COUNTY,
                parent=city,
                region_code=f"5301{i + 10:02d}",
            )
        )
    for i in range(30):
        units.append(
            org_create(
                actor=system,
                name=f"派驻第{i + 1}纪检监察组",
                kind=OrgKind.STATIONED_GROUP,
                parent=city,
            )
        )
    officer = User.objects.create_user(username="bench", password=None, org=city)
    officer.groups.add(role_group("线索管理"))
    tags = [
        DomainTag.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in [("poverty", "扶贫"), ("four_winds", "四风"), ("livelihood", "民生")]
    ]
    statuses = ["received", "disposing", "disposing", "closed", "closed", "closed"]
    methods = ["talk_inquiry", "preliminary_verification", "shelved", "dismissed", "case_filed"]
    sources = ["petition", "inspection", "audit", "supervision", "datacheck", "higher_assigned"]
    start = dt.date(2015, 1, 1)
    now = dt.datetime.now(dt.UTC)
    table = Clue._meta.db_table
    m2m = Clue.domains.through._meta.db_table
    columns = (
        "number, source, title, content, received_date, registered_org_id, handling_org_id, "
        "status, disposal_method, conclusion, conclusion_text, is_escalated, is_direct, "
        "evidence, created_by_id, created_at, updated_at, domain_key, search_grams"
    )
    batch = 50_000
    t0 = time.perf_counter()
    if connection.vendor == "sqlite":
        # Bulk load: the text-search index is built once at the end, not row by row.
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER clues_clue_search_ai")
    with transaction.atomic():
        next_id = 1
        for offset in range(0, rows, batch):
            chunk = []
            links = []
            for i in range(offset, min(rows, offset + batch)):
                day = start + dt.timedelta(days=rng.randrange(3650))
                org = units[rng.randrange(len(units))].pk
                status = statuses[rng.randrange(len(statuses))]
                method = "" if status == "received" else methods[rng.randrange(len(methods))]
                tag = tags[rng.randrange(len(tags))].pk
                chunk.append(
                    (
                        f"XS{day:%Y}{i + 1:07d}",
                        sources[rng.randrange(len(sources))],
                        f"反映某单位干部问题线索{i + 1}",
                        "",
                        day,
                        org,
                        org,
                        status,
                        method,
                        "",
                        "",
                        False,
                        False,
                        "{}",
                        officer.pk,
                        now,
                        now,
                        f",{tag},",
                        text_grams(f"反映某单位干部问题线索{i + 1}"),
                    )
                )
                links.append((next_id, tag))
                next_id += 1
            placeholders = ", ".join(["%s"] * 19)
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in chunk:
                            copy.write_row(row)
                    with cursor.copy(f"COPY {m2m} (clue_id, domaintag_id) FROM STDIN") as copy:
                        for row in links:
                            copy.write_row(row)
                else:
                    cursor.executemany(
                        f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", chunk
                    )
                    cursor.executemany(
                        f"INSERT INTO {m2m} (clue_id, domaintag_id) VALUES (%s, %s)", links
                    )
    ensure_sqlite_index(connection)  # SQLite: the trigger back, the index rebuilt
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"loaded": True, "rows": rows, "seconds": round(time.perf_counter() - t0, 1)}


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "n": len(ordered),
    }


def measure(requests: int) -> dict:
    from django.core.paginator import Paginator
    from django.db import reset_queries
    from django.http import JsonResponse
    from django.test import Client
    from django.urls import reverse

    from jiandu.accounts.models import User
    from jiandu.clues.selectors import ClueFilters, clue_list

    user = User.objects.get(username="bench")
    client = Client()
    client.force_login(user)
    api_url = "/api/v1/clues/clues"
    page_url = reverse("clues:clue_list")
    filter_sets = [
        {},
        {"status": "closed"},
        {"status": "disposing", "source": "petition"},
        {"received_from": "2018-01-01", "received_to": "2019-12-31"},
    ]

    def walk_cursors(params: dict, depth: int) -> list[str]:
        """Cursors of the first ``depth`` pages (to request deep pages directly)."""
        cursors = [""]
        for _ in range(depth):
            response = client.get(api_url, {**params, "limit": 50, "after": cursors[-1]})
            cursor = response.json().get("next_cursor")
            if not cursor:
                break
            cursors.append(cursor)
        return cursors

    plan = []
    for params in filter_sets:
        cursors = walk_cursors(params, 40)
        plan.append((params, cursors))

    def naive(params: dict, page_number: int) -> JsonResponse:
        filters = ClueFilters(
            status=params.get("status", ""),
            source=params.get("source", ""),
            received_from=dt.date.fromisoformat(params["received_from"])
            if "received_from" in params
            else None,
            received_to=dt.date.fromisoformat(params["received_to"])
            if "received_to" in params
            else None,
        )
        qs = clue_list(user=user, filters=filters).order_by("-received_date", "-id")
        paginator = Paginator(qs, 50)
        page = paginator.page(min(page_number, paginator.num_pages))
        items = [
            {
                "id": c.pk,
                "number": c.number,
                "title": c.title,
                "received_date": c.received_date.isoformat(),
                "status": c.status,
                "handling_org": c.handling_org.name,
            }
            for c in page.object_list
        ]
        return JsonResponse({"count": paginator.count, "items": items})

    rng = random.Random(11)
    results: dict[str, list[float]] = {"api": [], "page": [], "naive_list": []}
    for i in range(requests):
        params, cursors = plan[i % len(plan)]
        depth = rng.randrange(len(cursors))
        query = {**params, "limit": 50, "after": cursors[depth]}
        t = time.perf_counter()
        response = client.get(api_url, query)
        results["api"].append(time.perf_counter() - t)
        assert response.status_code == 200, response.content[:300]
        t = time.perf_counter()
        response = client.get(page_url, {**params, "after": cursors[depth]})
        results["page"].append(time.perf_counter() - t)
        assert response.status_code == 200
        t = time.perf_counter()
        naive(params, depth + 1)
        results["naive_list"].append(time.perf_counter() - t)
        reset_queries()
    summary = {name: _percentiles(samples) for name, samples in results.items()}
    summary["speedup_api_p95"] = round(
        summary["naive_list"]["p95_ms"] / max(summary["api"]["p95_ms"], 1e-9), 1
    )
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    _configure(args.db)
    if args.db == "postgres":
        _ensure_pg_database()
    import django

    django.setup()
    loaded = load(args.rows)
    result = {"db": args.db, "rows": args.rows, "load": loaded, **measure(args.requests)}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
