"""Open-problem list at scale: keyset pagination vs the naive OFFSET + COUNT(*) list.

Loads N problems with their rectifications (default 1,000,000; about two thirds open)
into a scratch database, then measures in one run:

- ours: the problem list API (``GET /api/v1/oversight/problems``, keyset on (发现日期,
  id)) and the list page (``/oversight/problems/``), first page and pages deep into it,
  for all problems and for the open stages (待整改, 正在整改);
- naive: the same filter as ``ORDER BY … LIMIT 50 OFFSET k`` plus ``COUNT(*)`` (Django's
  Paginator), at the same depths, serialised to JSON.

Usage::

    .venv/bin/python bench/problem_list_bench.py [--rows 1000000] [--db sqlite|postgres]
                                                [--requests 200]

The scratch database is ``var/bench/oversight.sqlite3`` or the PostgreSQL database
``jiandu_bench_oversight`` (``BENCH_PG_URL``). ``bench/reminder_job_bench.py`` loads the
same data (:func:`load`).
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
PG_URL = "postgres://postgres@127.0.0.1:5432/jiandu_bench_oversight"


def configure(db: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "jiandu.settings"
    os.environ.setdefault("JIANDU_LOG_LEVEL", "ERROR")
    os.environ["JIANDU_DEBUG"] = "0"
    os.environ["JIANDU_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    if db == "sqlite":
        path = ROOT / "var" / "bench" / "oversight.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        url = os.environ.get("BENCH_PG_URL", PG_URL)
        os.environ["DATABASE_URL"] = url
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()


def load(rows: int, *, today: dt.date, seed: int = 7) -> dict:
    """A city commission, 14 counties, 30 stationed groups and 60 supervised units, one
    整改落实 officer per unit (two in every third), and ``rows`` problems found over the
    last year with their rectifications: a third closed, the rest open with due dates
    from 90 days before ``today`` to 120 after, via bulk SQL (COPY on PostgreSQL)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from jiandu.accounts.models import User
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.services import org_create, org_set_supervised
    from jiandu.oversight.models import Problem, ProblemCategory, ProblemSource, Rectification
    from jiandu.testing import role_group

    call_command("migrate", verbosity=0)
    if Problem.objects.exists():
        return {"loaded": False, "rows": Problem.objects.count()}
    rng = random.Random(seed)
    system = User.objects.create_user(username="bench-system", password=None)
    city = org_create(
        actor=system, name="市纪委监委", kind=OrgKind.COMMISSION, region_code="530100"
    )
    groups = [
        org_create(actor=system, name=f"派驻第{i + 1}纪检监察组", kind=OrgKind.STATIONED_GROUP,
                   parent=city)
        for i in range(30)
    ]  # fmt: skip
    units = [
        org_create(actor=system, name=f"市直单位{i + 1}", kind=OrgKind.CITY_UNIT, parent=city)
        for i in range(60)
    ]
    for i, group in enumerate(groups):
        org_set_supervised(actor=system, org=group, supervised=units[2 * i : 2 * i + 2])
    for i in range(14):
        units.append(
            org_create(actor=system, name=f"第{i + 1}县区纪委监委", kind=OrgKind.COUNTY,
                       parent=city, region_code=f"5301{i + 10:02d}")
        )  # fmt: skip
    officer = User.objects.create_user(username="bench", password=None, org=city)
    officer.groups.add(role_group("线索管理"), role_group("统计分析"))
    rectify = role_group("整改落实")
    for i, unit in enumerate(units):
        for j in range(2 if i % 3 == 0 else 1):
            user = User.objects.create_user(username=f"unit{unit.pk}-{j}", password=None, org=unit)
            user.groups.add(rectify)
    category = ProblemCategory.objects.order_by("pk").first()
    sources = list(ProblemSource.objects.values_list("pk", flat=True))
    now = dt.datetime.now(dt.UTC)
    p_cols = (
        "id, number, org_id, description, category_id, source_id, found_on, found_by_org_id, "
        "supervising_org_id, origin_type, created_at, updated_at"
    )
    r_cols = (
        "problem_id, status, immediate, plan, report, due_on, rejection_count, created_at, "
        "updated_at"
    )
    statuses = ["pending", "in_progress", "in_progress", "closed"]
    t0 = time.perf_counter()
    batch = 50_000
    with transaction.atomic():
        for offset in range(0, rows, batch):
            problems, rects = [], []
            for i in range(offset, min(rows, offset + batch)):
                pk = i + 1
                found = today - dt.timedelta(days=rng.randrange(365))
                k = rng.randrange(len(units))
                unit = units[k]
                supervisor = groups[k // 2] if k < 60 else city
                problems.append(
                    (pk, f"WT{found:%Y}{pk:07d}", unit.pk, f"督导发现问题{pk}：台账不全",
                     category.pk, sources[rng.randrange(len(sources))], found, supervisor.pk,
                     supervisor.pk, "", now, now)
                )  # fmt: skip
                status = statuses[rng.randrange(len(statuses))]
                due = today + dt.timedelta(days=rng.randrange(-90, 121))
                rects.append((pk, status, False, "", "", due, 0, now, now))
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    for table, cols, data in (
                        (Problem._meta.db_table, p_cols, problems),
                        (Rectification._meta.db_table, r_cols, rects),
                    ):
                        with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                            for row in data:
                                copy.write_row(row)
                else:
                    cursor.executemany(
                        f"INSERT INTO {Problem._meta.db_table} ({p_cols}) VALUES "
                        f"({', '.join(['%s'] * 12)})",
                        problems,
                    )
                    cursor.executemany(
                        f"INSERT INTO {Rectification._meta.db_table} ({r_cols}) VALUES "
                        f"({', '.join(['%s'] * 9)})",
                        rects,
                    )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('oversight_problem', 'id'), %s)", [rows]
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"loaded": True, "rows": rows, "seconds": round(time.perf_counter() - t0, 1)}


def percentiles(samples: list[float]) -> dict[str, float]:
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
    from jiandu.oversight.selectors import ProblemFilters, problem_list

    user = User.objects.get(username="bench")
    client = Client()
    client.force_login(user)
    api_url = "/api/v1/oversight/problems"
    page_url = reverse("oversight:problem_list")
    filter_sets = [{}, {"stage": "pending"}, {"stage": "working"}]

    def walk_cursors(params: dict, depth: int) -> list[str]:
        cursors = [""]
        for _ in range(depth):
            response = client.get(api_url, {**params, "limit": 50, "after": cursors[-1]})
            cursor = response.json().get("next_cursor")
            if not cursor:
                break
            cursors.append(cursor)
        return cursors

    plan = [(params, walk_cursors(params, 40)) for params in filter_sets]

    def naive(params: dict, page_number: int) -> JsonResponse:
        qs = problem_list(user=user, filters=ProblemFilters(stage=params.get("stage", "")))
        paginator = Paginator(qs.order_by("-found_on", "-id"), 50)
        page = paginator.page(min(page_number, paginator.num_pages))
        items = [
            {
                "id": p.pk,
                "number": p.number,
                "org": p.org.name,
                "found_on": p.found_on.isoformat(),
                "status": p.rectification.status,
                "due_on": p.rectification.due_on.isoformat(),
            }
            for p in page.object_list
        ]
        return JsonResponse({"count": paginator.count, "items": items})

    rng = random.Random(11)
    results: dict[str, list[float]] = {"api": [], "page": [], "naive_list": []}
    for i in range(requests):
        params, cursors = plan[i % len(plan)]
        depth = rng.randrange(len(cursors))
        t = time.perf_counter()
        response = client.get(api_url, {**params, "limit": 50, "after": cursors[depth]})
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
    summary: dict = {name: percentiles(samples) for name, samples in results.items()}
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
    configure(args.db)
    from django.utils import timezone

    loaded = load(args.rows, today=timezone.localdate())
    from jiandu.core.warmup import warm_up

    warm_up()  # what every web worker does before its first request (jiandu.wsgi)
    result = {"db": args.db, "rows": args.rows, "load": loaded, **measure(args.requests)}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
