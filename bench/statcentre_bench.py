"""统计中心 at scale: the statistics page of a city for one year with 同比 and 环比.

Loads, with server-side ``INSERT … SELECT … FROM generate_series`` on PostgreSQL (not
through the services), ``--petitions`` petitions (default 10 M) and ``--clues`` clues
(default 5 M, with one outcome for every fifth clue) spread evenly over three years
(2023–2025) and over a city of 14 counties with 10 townships each, then measures in
one run, side by side:

- **the aggregate built**: ``jiandu stats rebuild`` (the maintained daily aggregate of
  ADR 0016 recomputed from the raw rows), timed and reported on its own;
- **ours**: ``selectors.statistics_page`` for the city and the year 2025 — the whole
  figures table (every registered figure, this year, the same period last year and the
  previous period), the bars by unit, the 四种形态 stacked bar and the monthly trend
  lines with last year: read from the daily aggregate (three queries), the figures not
  kept there from raw rows;
- **naive**: the same figures one query per figure and period (``records(…).count()``
  or ``Sum``, the trend points one query each) over the raw rows — the per-figure loop —
  and checks that every value agrees (table and trend lines).

Usage::

    .venv/bin/python bench/statcentre_bench.py [--petitions 10000000] [--clues 5000000]
        [--repeat 3]

The scratch database is the PostgreSQL database ``jiandu_statagg_bench`` (``BENCH_PG_URL``);
data already loaded at the asked size is reused (the aggregate is rebuilt every run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clue_data import configure, ensure_pg_database

YEAR = 2025


def _setup(petitions: int, clues: int) -> tuple[object, object]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from jiandu.accounts.models import User
    from jiandu.clues.models import Clue, Petition
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.models import Org
    from jiandu.orgs.services import org_create
    from jiandu.testing import role_group

    call_command("migrate", verbosity=0)
    officer = User.objects.filter(username="bench").first()
    if officer is None:
        system = User.objects.create_user(username="bench-system", password=None)
        city = org_create(
            actor=system, name="市纪委监委", kind=OrgKind.COMMISSION, region_code="530100"
        )
        for i in range(14):
            county = org_create(
                actor=system,
                name=f"第{i + 1}县区纪委监委",
                kind=OrgKind.COUNTY,
                parent=city,
                region_code=f"5301{i + 10:02d}",
            )
            for j in range(10):
                org_create(
                    actor=system, name=f"第{j + 1}乡镇", kind=OrgKind.TOWNSHIP, parent=county
                )
        officer = User.objects.create_user(username="bench", password=None, org=city)
        officer.groups.add(role_group("统计分析"))
    city = Org.objects.get(kind=OrgKind.COMMISSION)
    org_ids = list(Org.objects.order_by("pk").values_list("pk", flat=True))
    orgs = "ARRAY[" + ",".join(map(str, org_ids)) + "]"
    n = len(org_ids)
    user = officer.pk
    days = (dt.date(YEAR, 12, 31) - dt.date(YEAR - 2, 1, 1)).days + 1
    start = f"DATE '{YEAR - 2}-01-01'"
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        have = Petition.objects.count()
        if have != petitions:
            t = time.perf_counter()
            cursor.execute("TRUNCATE clues_petition CASCADE")
            cursor.execute(
                f"""
                INSERT INTO clues_petition (created_at, updated_at, received_date, channel,
                    is_real_name, received_org_id, handling_org_id, title, content, domain_key,
                    status, is_first_time, repeat_of_id, reporter_key, closed_at,
                    transferred_to, created_by_id, search_grams)
                SELECT now(), now(), {start} + (g % {days}), 'letter', g % 3 = 0,
                    ({orgs})[1 + (g * 7) % {n}], ({orgs})[1 + (g * 7) % {n}],
                    '反映问题', '内容', '',
                    'filed', g % 5 <> 0, NULL, '',
                    CASE WHEN g % 10 = 0 THEN NULL
                         ELSE ({start} + (g % {days}) + (g % 40))::timestamptz END,
                    '', {user}, ''
                FROM generate_series(1, {petitions}) AS g
                """
            )
            print(f"loaded {petitions:,} petitions in {time.perf_counter() - t:.0f} s", flush=True)
        have = Clue.objects.count()
        if have != clues:
            t = time.perf_counter()
            cursor.execute("TRUNCATE clues_clue CASCADE")
            cursor.execute(
                f"""
                INSERT INTO clues_clue (created_at, updated_at, source, title, content,
                    received_date, registered_org_id, handling_org_id, domain_key, status,
                    disposal_method, disposed_at, closed_at, conclusion, conclusion_text,
                    is_escalated, is_direct, evidence, created_by_id, search_grams)
                SELECT now(), now(),
                    (ARRAY['petition','inspection','audit','supervision','datacheck',
                           'higher_assigned','other'])[1 + g % 7],
                    '线索', '', {start} + (g % {days}),
                    ({orgs})[1 + (g * 3) % {n}], ({orgs})[1 + (g * 3) % {n}], '', 'closed',
                    (ARRAY['talk_inquiry','preliminary_verification','shelved','dismissed',
                           'case_filed'])[1 + g % 5],
                    {start} + (g % {days}) + 5, {start} + (g % {days}) + 30, '', '',
                    false, false, '{{}}'::jsonb, {user}, ''
                FROM generate_series(1, {clues}) AS g
                """
            )
            cursor.execute(
                f"""
                INSERT INTO clues_outcome (created_at, updated_at, archive_reason, clue_id,
                    subject_name, kind, subtype, responsibility_type, discipline_form,
                    decision_date, decided_by_id, domain_key, funds_recovered, note,
                    recorded_by_id)
                SELECT now(), now(), '', c.id, '某某',
                    (ARRAY['criticism','organisational','party_discipline',
                           'government_sanction','judicial_transfer'])[1 + c.id % 5],
                    '', '', 1 + c.id % 4, c.closed_at, c.handling_org_id, '',
                    (c.id % 1000)::numeric / 4, '', {user}
                FROM clues_clue c WHERE c.id % 5 = 0
                """
            )
            print(f"loaded {clues:,} clues and their outcomes in {time.perf_counter() - t:.0f} s",
                  flush=True)  # fmt: skip
            cursor.execute("VACUUM ANALYZE clues_petition")
            cursor.execute("VACUUM ANALYZE clues_clue")
            cursor.execute("VACUUM ANALYZE clues_outcome")
    return officer, city


def _naive(officer: object, city: object, period: object) -> dict[str, object]:
    """One query per figure and period, and one per trend point."""
    from django.db.models import Sum

    from jiandu.core.figures import CountFigure, figures
    from jiandu.statcentre import compute, selectors

    scope = selectors.scope(user=officer, org=city)
    out: dict[str, object] = {}
    for name, p in compute.compare_periods(period).items():  # type: ignore[arg-type]
        for fig in figures():
            if not isinstance(fig, CountFigure):
                continue
            qs = compute.records(fig, org_ids=scope.ids, period=p)
            if fig.sum_field:
                out[f"{name}:{fig.key}"] = qs.aggregate(s=Sum(fig.sum_field))["s"]
            else:
                out[f"{name}:{fig.key}"] = qs.count()
    for key in selectors.TREND_KEYS:
        fig = next(f for f in figures() if f.key == key)
        for month in period.months():  # type: ignore[attr-defined]
            for p in (month, month.same_period_last_year()):
                out[f"trend:{key}:{p.code}"] = compute.records(
                    fig,  # type: ignore[arg-type]
                    org_ids=scope.ids,
                    period=p,
                ).count()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--petitions", type=int, default=10_000_000)
    parser.add_argument("--clues", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    configure("postgres", sqlite_file="", pg_database="jiandu_statagg_bench")
    ensure_pg_database()
    officer, city = _setup(args.petitions, args.clues)

    from django.core.management import call_command

    t = time.perf_counter()
    call_command("stats", "rebuild")
    rebuild_time = time.perf_counter() - t
    from django.db import connection as conn

    with conn.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE statcentre_dailyfigure")
        cursor.execute("VACUUM ANALYZE statcentre_monthlyfigure")

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from jiandu.statcentre import selectors
    from jiandu.statcentre.periods import parse_period

    period = parse_period(str(YEAR))
    today = dt.date(YEAR + 1, 6, 1)
    ours = []
    page = None
    for _ in range(args.repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            page = selectors.statistics_page(user=officer, org=city, period=period, today=today)
            ours.append(time.perf_counter() - t)
    queries = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as naive_ctx:
        t = time.perf_counter()
        naive = _naive(officer, city, period)
        naive_time = time.perf_counter() - t
    assert page is not None
    rows = {r.key: r for _g, items in page.groups for r in items if not isinstance(r, dict)}
    mismatches = []
    for key, value in naive.items():
        which, _, fig = key.partition(":")
        if which == "trend":
            continue
        row = rows.get(fig)
        if row is None:
            continue
        mine = {"current": row.value, "last_year": row.last_year, "previous": row.previous}[which]
        if (value or 0) != (mine or 0):
            mismatches.append((key, value, mine))
    trend_lines = {t["key"]: t["chart"]["series"] for t in page.trends}
    for key in selectors.TREND_KEYS:
        for i, month in enumerate(period.months()):
            for series, p in ((0, month), (1, month.same_period_last_year())):
                value = naive[f"trend:{key}:{p.code}"]
                mine = trend_lines[key][series]["data"][i]
                if value != mine:
                    mismatches.append((f"trend:{key}:{p.code}", value, mine))
    print(f"data: {args.petitions:,} petitions, {args.clues:,} clues; year {YEAR}, 同比/环比")
    print(f"aggregate rebuilt (jiandu stats rebuild) in {rebuild_time:.1f} s")
    print(f"ours : median {statistics.median(ours):.2f} s over {args.repeat} runs "
          f"(runs {', '.join(f'{x:.2f}' for x in ours)}), {queries} queries")  # fmt: skip
    print(f"naive: {naive_time:.2f} s, {len(naive_ctx.captured_queries)} queries "
          f"(one per figure and period, one per trend point)")  # fmt: skip
    print(f"speed-up: {naive_time / statistics.median(ours):.1f}×; "
          f"values agree: {'yes' if not mismatches else mismatches[:5]}")  # fmt: skip
    print(f"检举控告 {rows['petitions_received'].value:,}, 同比 {rows['petitions_received'].yoy}%")
    print("load:", Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
