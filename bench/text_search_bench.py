"""Text search at scale: the bigram index vs today's ``icontains`` scan, in one run.

Loads N clues (default 1,000,000) with titles and contents written like real case
records ("某村党支部书记套取低保金问题" …) into a scratch database, then asks the clue
list for Chinese queries of two to five characters, common and rare, and measures:

- ours: ``GET /api/v1/clues/clues?text=…`` (the bigram index, first page and the total
  "共N件/约N件"), as a city officer who sees every unit;
- naive: the same first page the way the list searched before the index:
  ``title ILIKE '%…%' OR content ILIKE '%…%'`` ordered by (受理日期, id), LIMIT 51.

Usage::

    .venv/bin/python bench/text_search_bench.py [--rows 1000000] [--db sqlite|postgres]
                                                [--requests 200]

Scratch database: ``var/bench/search.sqlite3`` or ``jiandu_bench_search`` on PostgreSQL
(``BENCH_PG_URL``); reused when it already holds the rows.
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

WHO = ["村党支部书记", "村委会主任", "民政所所长", "村会计", "驻村工作队员", "乡镇扶贫办主任"]
ACT = ["套取", "虚报冒领", "截留挪用", "优亲厚友违规办理", "违规发放", "贪污侵占"]
FUNDS = [
    "低保金",
    "特困供养金",
    "危房改造补助",
    "耕地地力保护补贴",
    "残疾人两项补贴",
    "城乡居民养老保险",
    "扶贫项目资金",
    "退耕还林补助",
]
MORE = ["并收受好处费", "长期吃空饷", "公车私用", "违规收送礼金", "态度恶劣推诿扯皮", ""]
SURNAME = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高"
PLACE = "东西南北大小上下中新老花石龙凤青云白马黑水金沙玉泉安乐"

# (query, what it is): common programme words, acts, a person-and-place, rare and absent.
QUERIES = [
    "低保",
    "套取",
    "特困供养",
    "危房改造",
    "虚报冒领",
    "吃空饷",
    "好处费",
    "低保金并收受",
    "养老保险",
    "大营村",
    "龙泉村",
    "无此事项",
]


def _configure(db: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "jiandu.settings"
    os.environ.setdefault("JIANDU_LOG_LEVEL", "ERROR")
    os.environ["JIANDU_DEBUG"] = "0"
    os.environ["JIANDU_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    if db == "sqlite":
        path = ROOT / "var" / "bench" / "search.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/jiandu_bench_search"
        )


def _ensure_pg_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
        # JIT compiling a 50-row list query costs more than running it (docs/benchmarks.md).
        conn.execute(f'ALTER DATABASE "{name}" SET jit = off')


def _record(rng: random.Random) -> tuple[str, str]:
    village = "".join(rng.choice(PLACE) for _ in range(2)) + "村"
    person = rng.choice(SURNAME) + "某某"
    title = f"{village}{rng.choice(WHO)}{person}{rng.choice(ACT)}{rng.choice(FUNDS)}问题"
    content = (
        f"反映{village}{rng.choice(WHO)}{person}在{rng.randrange(2015, 2025)}年期间"
        f"{rng.choice(ACT)}{rng.choice(FUNDS)}{rng.randrange(1, 90) * 100}元{rng.choice(MORE)}。"
    )
    return title, content


def load(rows: int, seed: int = 7) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    from jiandu.accounts.models import User
    from jiandu.clues.models import Clue
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
    units = [city] + [
        org_create(
            actor=system,
            name=f"第{i + 1}县区纪委监委",
            kind=OrgKind.COUNTY,
            parent=city,
            region_code=f"5301{i + 10:02d}",
        )
        for i in range(14)
    ]
    officer = User.objects.create_user(username="bench", password=None, org=city)
    officer.groups.add(role_group("线索管理"))
    statuses = ["received", "disposing", "closed", "closed"]
    start = dt.date(2015, 1, 1)
    now = dt.datetime.now(dt.UTC)
    table = Clue._meta.db_table
    columns = (
        "number, source, title, content, search_grams, received_date, registered_org_id, "
        "handling_org_id, status, disposal_method, conclusion, conclusion_text, is_escalated, "
        "is_direct, evidence, created_by_id, created_at, updated_at, domain_key"
    )
    t0 = time.perf_counter()
    batch = 20_000
    if connection.vendor == "sqlite":
        # Bulk load: index the text once at the end instead of row by row.
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER clues_clue_search_ai")
    with transaction.atomic():
        for offset in range(0, rows, batch):
            chunk = []
            for i in range(offset, min(rows, offset + batch)):
                day = start + dt.timedelta(days=rng.randrange(3650))
                org = units[rng.randrange(len(units))].pk
                title, content = _record(rng)
                chunk.append(
                    (
                        f"XS{day:%Y}{i + 1:07d}",
                        "petition",
                        title,
                        content,
                        text_grams(title, content),
                        day,
                        org,
                        org,
                        statuses[rng.randrange(len(statuses))],
                        "",
                        "",
                        "",
                        False,
                        False,
                        "{}",
                        officer.pk,
                        now,
                        now,
                        "",
                    )
                )
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in chunk:
                            copy.write_row(row)
                else:
                    marks = ", ".join(["%s"] * 19)
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", chunk)
    if connection.vendor == "sqlite":
        ensure_sqlite_index(connection)  # the trigger back, the FTS5 index rebuilt
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"loaded": True, "rows": rows, "seconds": round(time.perf_counter() - t0, 1)}


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
        "n": len(ordered),
    }


def measure(requests: int) -> dict:
    from django.db.models import Q
    from django.test import Client

    from jiandu.accounts.models import User
    from jiandu.clues.models import Clue
    from jiandu.clues.search import text_grams

    user = User.objects.get(username="bench")
    client = Client()
    client.force_login(user)
    url = "/api/v1/clues/clues"
    client.get(url, {"limit": 50})  # session, caches

    def naive(text: str) -> list:
        qs = Clue.objects.restrict(user).filter(
            Q(title__icontains=text) | Q(content__icontains=text)
        )
        return list(qs.select_related("handling_org").order_by("-received_date", "-id")[:51])

    per_query: dict[str, dict] = {}
    ours: list[float] = []
    scans: list[float] = []
    for i in range(requests):
        text = QUERIES[i % len(QUERIES)]
        t = time.perf_counter()
        response = client.get(url, {"text": text, "limit": 50})
        elapsed = time.perf_counter() - t
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        t = time.perf_counter()
        expected = naive(text)
        scan = time.perf_counter() - t
        # the same first page both ways
        assert [c["id"] for c in body["items"]] == [c.pk for c in expected[:50]], text
        ours.append(elapsed)
        scans.append(scan)
        entry = per_query.setdefault(
            text,
            {"total": body["total"], "exact": body["total_exact"], "ours": [], "scan": []},
        )
        entry["ours"].append(elapsed)
        entry["scan"].append(scan)
    table = {
        text: {
            "total": ("" if e["exact"] else "约") + str(e["total"]),
            "ours_p50_ms": round(statistics.median(e["ours"]) * 1000, 1),
            "scan_p50_ms": round(statistics.median(e["scan"]) * 1000, 1),
        }
        for text, e in per_query.items()
    }
    summary = {"ours": _percentiles(ours), "naive_scan": _percentiles(scans)}
    summary["speedup_p95"] = round(
        summary["naive_scan"]["p95_ms"] / max(summary["ours"]["p95_ms"], 1e-9), 1
    )
    summary["grams_of_a_title"] = text_grams("某村党支部书记套取低保金问题").count(" ") + 1
    return {**summary, "per_query": table}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=240)
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
