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
import random
import time

from clue_data import bulk_load_clues, configure, ensure_pg_database, org_world, percentiles


def load(rows: int, seed: int = 7) -> dict:
    """Org tree, one officer, and ``rows`` clues with domains, via bulk SQL."""
    from django.core.management import call_command

    from jiandu.clues.models import Clue, DomainTag
    from jiandu.clues.search import text_grams

    call_command("migrate", verbosity=0)
    if Clue.objects.exists():
        return {"loaded": False, "rows": Clue.objects.count()}
    rng = random.Random(seed)
    officer, units = org_world(groups=30)
    tags = [
        DomainTag.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in [("poverty", "扶贫"), ("four_winds", "四风"), ("livelihood", "民生")]
    ]
    statuses = ["received", "disposing", "disposing", "closed", "closed", "closed"]
    methods = ["talk_inquiry", "preliminary_verification", "shelved", "dismissed", "case_filed"]
    sources = ["petition", "inspection", "audit", "supervision", "datacheck", "higher_assigned"]
    start = dt.date(2015, 1, 1)
    now = dt.datetime.now(dt.UTC)
    columns = (
        "number, source, title, content, received_date, registered_org_id, handling_org_id, "
        "status, disposal_method, conclusion, conclusion_text, is_escalated, is_direct, "
        "evidence, created_by_id, created_at, updated_at, domain_key, search_grams"
    )

    def clue_rows():
        for i in range(rows):
            day = start + dt.timedelta(days=rng.randrange(3650))
            org = units[rng.randrange(len(units))].pk
            status = statuses[rng.randrange(len(statuses))]
            method = "" if status == "received" else methods[rng.randrange(len(methods))]
            tag = tags[rng.randrange(len(tags))].pk
            yield (
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

    seconds = bulk_load_clues(clue_rows(), columns=columns, batch=50_000, domain_links=True)
    return {"loaded": True, "rows": rows, "seconds": seconds}


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
    summary = {name: percentiles(samples) for name, samples in results.items()}
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
    configure(args.db, sqlite_file="clues.sqlite3", pg_database="jiandu_bench")
    if args.db == "postgres":
        ensure_pg_database()
    import django

    django.setup()
    loaded = load(args.rows)
    from jiandu.core.warmup import warm_up

    warm_up()  # what every web worker does before its first request (jiandu.wsgi)
    result = {"db": args.db, "rows": args.rows, "load": loaded, **measure(args.requests)}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
