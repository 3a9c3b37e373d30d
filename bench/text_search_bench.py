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
import random
import statistics
import time

from clue_data import bulk_load_clues, configure, ensure_pg_database, org_world, percentiles

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

    from jiandu.clues.models import Clue
    from jiandu.clues.search import text_grams

    call_command("migrate", verbosity=0)
    if Clue.objects.exists():
        return {"loaded": False, "rows": Clue.objects.count()}
    rng = random.Random(seed)
    officer, units = org_world()
    statuses = ["received", "disposing", "closed", "closed"]
    start = dt.date(2015, 1, 1)
    now = dt.datetime.now(dt.UTC)
    columns = (
        "number, source, title, content, search_grams, received_date, registered_org_id, "
        "handling_org_id, status, disposal_method, conclusion, conclusion_text, is_escalated, "
        "is_direct, evidence, created_by_id, created_at, updated_at, domain_key"
    )

    def clue_rows():
        for i in range(rows):
            day = start + dt.timedelta(days=rng.randrange(3650))
            org = units[rng.randrange(len(units))].pk
            title, content = _record(rng)
            yield (
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

    seconds = bulk_load_clues(clue_rows(), columns=columns, batch=20_000)
    return {"loaded": True, "rows": rows, "seconds": seconds}


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
    summary = {"ours": percentiles(ours), "naive_scan": percentiles(scans)}
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
    configure(args.db, sqlite_file="search.sqlite3", pg_database="jiandu_bench_search")
    if args.db == "postgres":
        ensure_pg_database(jit=False)
    import django

    django.setup()
    loaded = load(args.rows)
    from jiandu.core.warmup import warm_up

    warm_up()  # what every web worker does before its first request (jiandu.wsgi)
    result = {"db": args.db, "rows": args.rows, "load": loaded, **measure(args.requests)}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
