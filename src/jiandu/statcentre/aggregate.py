"""The maintained daily aggregate of the statistics centre (ADR 0016).

**What is kept.** :class:`~jiandu.statcentre.models.DailyFigure` holds, per org, day and
*part*, the number of records counted on that day (or the sum of a decimal field); a
part is

- every registered count figure with ``daily=True`` (its condition is "``date_field``
  in the range" and fixed filters): one row per (org placing the record, day of
  ``date_field``), keyed by the figure's key;
- four parts of the petition figures counted "by period end" (办结、初信初访办结、信访积案、
  积案化解), keyed by the 受理日期 ``d`` of a petition and its 办结 day ``c`` (the local
  date of ``closed_at``): ``petitions_closed_any`` / ``petitions_first_closed_any``
  (closed, whenever) by ``d``, and the *span* rows ``petition_span`` /
  ``petition_first_span`` by (``d``, ``c``) for ``c > d``.

:class:`~jiandu.statcentre.models.MonthlyFigure` holds the same (span rows excepted)
summed by month. A period reads its whole months from there and its partial months' days
from the daily rows; a figure's value is exactly the sum of its records' rows.

**Composed figures.** With ``R`` the received count, ``A`` the closed-any count (both by
``d``) and ``S(p)`` the span rows "open across day p" (``d ≤ p < c``)::

    办结(s, e)      = A[s, e] − Σ S(e) with d ≥ s
    信访积案(s)      = R(< s) − A(< s) + Σ S(s − 1)
    积案化解(s, e)   = Σ S(s − 1) with c ≤ e

(初信初访办结 likewise with the first-time parts.) These hold for any data — a petition
"closed" before it was received is counted in ``A`` and never in a span — so they are
the raw conditions of :mod:`jiandu.statcentre.figures`, exactly. On PostgreSQL the
"open across p" rows are found through a GiST index on ``daterange(day, day2)``.

**How it is kept.** Every write of a counted record (page, API, import, service) saves
the model, and :mod:`jiandu.statcentre.signals` then recomputes, in the same transaction,
the few *cells* (org, day) the record was and is counted in: each cell's rows are
deleted and re-inserted from the raw rows by the same ``INSERT … SELECT`` the rebuild
runs over a range (so the incremental and the bulk path are one code). ``rebuild``
recomputes any org subtree and date range; ``check`` compares every figure read from the
aggregate with the raw conditional aggregate.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth, TruncYear

from jiandu.core.figures import Condition, CountFigure, figures
from jiandu.statcentre.models import DailyFigure, MonthlyFigure

MIN_DAY = dt.date(1900, 1, 1)
MAX_DAY = dt.date(2999, 12, 31)
ONE = dt.timedelta(days=1)

CLOSED_ANY = "petitions_closed_any"
FIRST_CLOSED_ANY = "petitions_first_closed_any"
SPAN = "petition_span"
FIRST_SPAN = "petition_first_span"
RECEIVED = "petitions_received"
SPAN_INDEX = "dailyfig_span"  # PostgreSQL: the span rows by daterange(day, day2)
SPAN_INDEX_SQL = (
    f"CREATE INDEX IF NOT EXISTS {SPAN_INDEX} ON statcentre_dailyfigure "
    "USING gist (daterange(day, day2)) WHERE day2 IS NOT NULL"
)
COMPOSED = {
    "petitions_closed",
    "petitions_first_closed",
    "petitions_backlog",
    "petitions_backlog_resolved",
}


@dataclass(frozen=True)
class Part:
    """One thing counted per org and day."""

    key: str
    model: Any
    org_field: str
    date_field: str
    condition: Condition
    sum_field: str = ""
    span: bool = False  # rows per (org, 受理日期, 办结 day) with 办结 later

    @property
    def source(self) -> Source:
        return (self.model, self.org_field, self.date_field, self.span)


Source = tuple[Any, str, str, bool]


def _petition_parts() -> list[Part]:
    from jiandu.clues.models import Petition

    def closed(first: bool) -> Condition:
        def condition(start: dt.date, end: dt.date) -> Q:
            q = Q(received_date__range=(start, end), closed_at__isnull=False)
            return q & Q(is_first_time=True) if first else q

        return condition

    def part(key: str, first: bool, span: bool) -> Part:
        return Part(
            key=key,
            model=Petition,
            org_field="received_org",
            date_field="received_date",
            condition=closed(first),
            span=span,
        )

    return [
        part(CLOSED_ANY, False, False),
        part(FIRST_CLOSED_ANY, True, False),
        part(SPAN, False, True),
        part(FIRST_SPAN, True, True),
    ]


def daily_figures() -> list[CountFigure]:
    return [f for f in figures() if isinstance(f, CountFigure) and f.daily]


def parts() -> list[Part]:
    out = [
        Part(
            key=f.key,
            model=f.model,
            org_field=f.org_field,
            date_field=f.date_field,
            condition=f.condition,
            sum_field=f.sum_field,
        )
        for f in daily_figures()
    ]
    return out + _petition_parts()


def sources() -> dict[Source, list[Part]]:
    out: dict[Source, list[Part]] = {}
    for part in parts():
        out.setdefault(part.source, []).append(part)
    return out


# --- writing --------------------------------------------------------------------------

_paused: contextvars.ContextVar[bool] = contextvars.ContextVar("statcentre_paused", default=False)


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No incremental maintenance inside (a bulk writer, e.g. the demo, rebuilds after)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def is_paused() -> bool:
    return _paused.get()


def _raw_query(plist: list[Part], where: Q, start: dt.date, end: dt.date) -> QuerySet:
    """The per-(org, day[, 办结 day]) values of ``plist`` (one source) over raw rows."""
    first = plist[0]
    model, org_field, date_field = first.model, first.org_field, first.date_field
    qs = (
        model._default_manager.filter(where)
        .filter(**{f"{date_field}__range": (start, end), f"{org_field}__isnull": False})
        .order_by()
    )
    group = [org_field, date_field]
    if first.span:
        qs = qs.annotate(c=TruncDate("closed_at")).filter(c__gt=F(date_field))
        group.append("c")
    aggregates = {}
    for i, part in enumerate(plist):
        condition = part.condition(start, end)
        aggregates[f"v{i}"] = (
            Sum(part.sum_field, filter=condition)
            if part.sum_field
            else Count("pk", filter=condition)
        )
    return qs.values(*group).annotate(**aggregates).values_list(*group, *aggregates)


def _insert_from(plist: list[Part], qs: QuerySet) -> None:
    sql, params = qs.query.sql_with_params()
    span = plist[0].span
    n = len(plist)
    cols = ["o", "d"] + (["c"] if span else []) + [f"v{i}" for i in range(n)]
    day2 = "c" if span else "CAST(NULL AS date)"
    selects, key_params = [], []
    for i, part in enumerate(plist):
        selects.append(f"SELECT o, d, {day2}, %s, v{i} FROM w WHERE v{i} <> 0")
        key_params.append(part.key)
    table = DailyFigure._meta.db_table
    statement = (
        f"WITH w ({', '.join(cols)}) AS ({sql}) "
        f"INSERT INTO {table} (org_id, day, day2, key, value) " + " UNION ALL ".join(selects)
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *key_params])


def _months(keys: list[str], month_where: Q, year_where: Q) -> None:
    """Recompute the month and year rows of ``keys`` from the daily rows: the whole
    months in ``month_where`` and the whole years in ``year_where`` (both over
    DailyFigure's ``org_id`` and ``day``)."""
    table = MonthlyFigure._meta.db_table
    for grain, where, trunc in (("m", month_where, TruncMonth), ("y", year_where, TruncYear)):
        MonthlyFigure.objects.filter(key__in=keys, grain=grain).filter(_month_where(where)).delete()
        qs = (
            DailyFigure.objects.filter(key__in=keys, day2__isnull=True)
            .filter(where)
            .order_by()
            .annotate(m=trunc("day"))
            .values("org_id", "key", "m")
            .annotate(v=Sum("value"))
            .values_list("org_id", "key", "m", "v")
        )
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (org_id, key, month, value, grain) "
                f"SELECT s.*, %s FROM ({sql}) s",
                [grain, *params],
            )


def _month_where(where: Q) -> Q:
    """``where`` over DailyFigure (org_id / day terms) as the same terms over
    MonthlyFigure's ``month``."""

    def convert(node: Any) -> Any:
        if isinstance(node, Q):
            out = Q(*(convert(c) for c in node.children), _connector=node.connector)
            out.negated = node.negated
            return out
        name, value = node
        if name.startswith("day"):
            name = "month" + name[3:]
        return (name, value)

    return convert(where)  # type: ignore[no-any-return]


def _year_start(day: dt.date) -> dt.date:
    return day.replace(month=1, day=1)


def _year_end(day: dt.date) -> dt.date:
    return day.replace(month=12, day=31)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - ONE


# The first half of the advisory-lock keys taken by :func:`_lock_orgs` ("JD" + 1):
# keeps them apart from any other user of PostgreSQL's advisory locks.
LOCK_SPACE = 0x4A4401


def _lock_orgs(org_ids: set[int]) -> None:
    """Make concurrent refreshes of one unit's rows take turns (PostgreSQL; SQLite has
    one writer at a time anyway). Each refresh deletes a unit's rows and inserts them
    again from the raw rows: two transactions doing that at once would lock the rows in
    different orders (a deadlock), or the second would miss the first's new rows and
    insert a second copy. With a lock per unit, held to the end of the transaction and
    taken in ascending order, the second waits for the first to commit; its statements
    then see the first's rows (read committed: a snapshot per statement)."""
    if connection.vendor != "postgresql" or not org_ids:
        return
    with connection.cursor() as cursor:
        for org_id in sorted(org_ids):
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_SPACE, org_id % 2_147_483_648]
            )


def refresh(source: Source, cells: Iterable[tuple[int | None, dt.date | None]]) -> None:
    """Recompute the rows of one source for the (org, day) cells (those with both)."""
    chosen = sorted({(o, d) for o, d in cells if o is not None and d is not None})
    if not chosen or is_paused():
        return
    plist = sources().get(source)
    if not plist:
        return
    _model, org_field, date_field, _span = source
    keys = [p.key for p in plist]
    # One condition per org (its days as a list) and per distinct month and year: a
    # staged import's thousands of rows touch hundreds of cells, and a condition per
    # cell costs milliseconds each to build, inside the publishing transaction.
    days_of: dict[Any, list[dt.date]] = {}
    for org_id, day in chosen:
        days_of.setdefault(org_id, []).append(day)
    raw_where, agg_where, month_where, year_where = Q(), Q(), Q(), Q()
    for org_id, days in days_of.items():
        raw_where |= Q(**{org_field: org_id, f"{date_field}__in": days})
        agg_where |= Q(org_id=org_id, day__in=days)
        for month in sorted({_month_start(day) for day in days}):
            month_where |= Q(org_id=org_id, day__range=(month, _month_end(month)))
        for year in sorted({_year_start(day) for day in days}):
            year_where |= Q(org_id=org_id, day__range=(year, _year_end(year)))
    start, end = chosen[0][1], chosen[0][1]
    for _o, day in chosen:
        start, end = min(start, day), max(end, day)
    with transaction.atomic():
        _lock_orgs({org_id for org_id, _day in chosen})
        DailyFigure.objects.filter(key__in=keys).filter(agg_where).delete()
        _insert_from(plist, _raw_query(plist, raw_where, start, end))
        if not plist[0].span:
            _months(keys, month_where, year_where)


@dataclass
class RebuildResult:
    daily_rows: int
    monthly_rows: int
    sources: int


def rebuild(
    *,
    org_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> RebuildResult:
    """Recompute the aggregate from raw rows for the orgs (all when None) and days in
    [start, end] (all when None). Idempotent: run twice, the same rows."""
    ids = None if org_ids is None else sorted(set(org_ids))
    lo, hi = start or MIN_DAY, end or MAX_DAY
    every = ids is None and start is None and end is None
    groups = sources()
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        if every and postgres:
            # everything anew: emptied at once, the GiST index built once at the end
            # (cheaper than kept row by row)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"TRUNCATE {DailyFigure._meta.db_table}, {MonthlyFigure._meta.db_table}"
                )
                cursor.execute(f"DROP INDEX IF EXISTS {SPAN_INDEX}")
            with connection.schema_editor() as editor:
                for model in (DailyFigure, MonthlyFigure):
                    for index in model._meta.indexes:
                        editor.remove_index(model, index)
        elif every:
            DailyFigure.objects.all().delete()
            MonthlyFigure.objects.all().delete()
        elif ids is not None:
            _lock_orgs(set(ids))  # the writers of these units wait (see _lock_orgs)
        elif postgres:  # a date range of every unit: every writer waits
            with connection.cursor() as cursor:
                cursor.execute(
                    f"LOCK TABLE {DailyFigure._meta.db_table}, {MonthlyFigure._meta.db_table} "
                    "IN SHARE ROW EXCLUSIVE MODE"
                )
        for plist in groups.values():
            org_field = plist[0].org_field
            keys = [p.key for p in plist]
            agg_where = Q(day__range=(lo, hi))
            raw_where = Q()
            if ids is not None:
                agg_where &= Q(org_id__in=ids)
                raw_where = Q(**{f"{org_field}__in": ids})
            if not every:
                DailyFigure.objects.filter(key__in=keys).filter(agg_where).delete()
            _insert_from(plist, _raw_query(plist, raw_where, lo, hi))
        keys = sorted({p.key for plist in groups.values() for p in plist if not p.span})
        month_where, year_where = Q(), Q()
        if start is not None or end is not None:
            month_where &= Q(day__range=(_month_start(lo), _month_end(hi)))
            year_where &= Q(day__range=(_year_start(lo), _year_end(hi)))
        if ids is not None:
            month_where &= Q(org_id__in=ids)
            year_where &= Q(org_id__in=ids)
        _months(keys, month_where, year_where)
        if every and postgres:
            with connection.schema_editor() as editor:
                for model in (DailyFigure, MonthlyFigure):
                    for index in model._meta.indexes:
                        editor.add_index(model, index)
            with connection.cursor() as cursor:
                cursor.execute(SPAN_INDEX_SQL)
    return RebuildResult(
        daily_rows=DailyFigure.objects.count(),
        monthly_rows=MonthlyFigure.objects.count(),
        sources=len(groups),
    )


# --- reading --------------------------------------------------------------------------

Range = tuple[dt.date | None, dt.date]  # (None = from the beginning, end), closed


Pieces = tuple[tuple[tuple[str, dt.date, dt.date], ...], tuple[tuple[dt.date, dt.date], ...]]


def _split(lo: dt.date | None, hi: dt.date) -> Pieces:
    """[lo, hi] (lo None: from the beginning) as whole years and whole months (grain,
    first month, last month — read from MonthlyFigure) and the days left over (read from
    DailyFigure)."""
    stored: list[tuple[str, dt.date, dt.date]] = []
    days: list[tuple[dt.date, dt.date]] = []
    cursor = lo
    if cursor is None:
        # everything before hi's year: the year rows
        if hi.year > MIN_DAY.year:
            stored.append(("y", MIN_DAY, dt.date(hi.year - 1, 1, 1)))
        cursor = dt.date(hi.year, 1, 1)
    while cursor <= hi:
        if cursor.month == 1 and cursor.day == 1 and _year_end(cursor) <= hi:
            last = cursor.year
            while dt.date(last, 12, 31) < hi and dt.date(last + 1, 12, 31) <= hi:
                last += 1
            stored.append(("y", cursor, dt.date(last, 1, 1)))
            cursor = dt.date(last + 1, 1, 1)
        elif cursor.day == 1 and _month_end(cursor) <= hi:
            last_month = cursor
            while True:
                following = _month_end(last_month) + ONE
                if following.month == 1 or _month_end(following) > hi:
                    break
                last_month = following
            stored.append(("m", cursor, last_month))
            cursor = _month_end(last_month) + ONE
        else:
            stop = min(hi, _month_end(cursor))
            days.append((cursor, stop))
            cursor = stop + ONE
    return tuple(stored), tuple(days)


Sums = dict[tuple[str, Range], dict[int, Decimal]]


def _stored_q(pieces: tuple[tuple[str, dt.date, dt.date], ...]) -> Q:
    q = Q()
    for grain, a, b in pieces:
        q |= Q(grain=grain, month__range=(a, b))
    return q


def _days_q(pieces: tuple[tuple[dt.date, dt.date], ...]) -> Q:
    q = Q()
    for a, b in pieces:
        q |= Q(day__range=(a, b))
    return q


def sums(requests: Iterable[tuple[str, Range]], org_ids: Iterable[int] | None) -> Sums:
    """The sum of each (key, range) per org: at most two queries (years and months,
    days), whatever the number of keys and ranges. Each query reads only the rows some
    request needs (the keys asking for a range, in that range's pieces), grouped by org
    and key, with one conditional sum per distinct range."""
    wanted = sorted(set(requests), key=lambda r: (r[0], r[1][0] or MIN_DAY, r[1][1]))
    ids = None if org_ids is None else sorted(set(org_ids))
    result: Sums = {r: {} for r in wanted}
    if not wanted:
        return result
    keys_of: dict[Range, set[str]] = {}
    for key, rng in wanted:
        keys_of.setdefault(rng, set()).add(key)
    splits = {rng: _split(*rng) for rng in keys_of}
    found: dict[tuple[str, Range], dict[int, Decimal]] = {}
    for model, index, to_q in ((MonthlyFigure, 0, _stored_q), (DailyFigure, 1, _days_q)):
        distinct = sorted({splits[r][index] for r in keys_of if splits[r][index]}, key=str)
        if not distinct:
            continue
        envelope, aggs = Q(), {}
        for i, pieces in enumerate(distinct):
            cond = to_q(pieces)  # type: ignore[operator, arg-type]
            asking = sorted({k for r in keys_of if splits[r][index] == pieces for k in keys_of[r]})
            envelope |= Q(key__in=asking) & cond
            aggs[f"r{i}"] = Sum("value", filter=cond)
        qs: QuerySet = model._default_manager.filter(envelope)
        if model is DailyFigure:
            qs = qs.filter(day2__isnull=True)  # type: ignore[misc]
        if ids is not None:
            qs = qs.filter(org_id__in=ids)
        position = {pieces: f"r{i}" for i, pieces in enumerate(distinct)}
        for row in qs.order_by().values("org_id", "key").annotate(**aggs):
            for rng in keys_of:
                pieces = splits[rng][index]
                if pieces and row["key"] in keys_of[rng]:
                    value = row[position[pieces]]
                    if value is not None:
                        bucket = found.setdefault((row["key"], rng), {})
                        bucket[row["org_id"]] = bucket.get(row["org_id"], Decimal(0)) + value
    for request in wanted:
        result[request] = found.get(request, {})
    return result


# A stab: span rows open across day p (d ≤ p < c), optionally d ≥ since or c ≤ until.
Stab = tuple[str, dt.date, dt.date | None, dt.date | None]


def stabs(requests: Iterable[Stab], org_ids: Iterable[int] | None) -> dict[Stab, dict[int, int]]:
    """Each stab's sum per org, in one query."""
    wanted = sorted(set(requests), key=lambda s: (s[0], s[1], s[2] or MIN_DAY, s[3] or MIN_DAY))
    result: dict[Stab, dict[int, int]] = {s: {} for s in wanted}
    if not wanted:
        return result
    points = sorted({p for _k, p, _s, _u in wanted})
    envelope = Q()
    for p in points:
        envelope |= Q(day__lte=p, day2__gt=p)
    aggs = {}
    for i, (key, p, since, until) in enumerate(wanted):
        cond = Q(key=key, day__lte=p, day2__gt=p)
        if since is not None:
            cond &= Q(day__gte=since)
        if until is not None:
            cond &= Q(day2__lte=until)
        aggs[f"s{i}"] = Sum("value", filter=cond)
    qs = DailyFigure.objects.filter(
        key__in=sorted({k for k, *_r in wanted}), day2__isnull=False
    ).filter(envelope)
    if org_ids is not None:
        qs = qs.filter(org_id__in=sorted(set(org_ids)))
    if connection.vendor == "postgresql":
        # the same rows, found through the GiST index on daterange(day, day2)
        qs = qs.extra(
            where=["(" + " OR ".join(["daterange(day, day2) @> %s::date"] * len(points)) + ")"],
            params=[p.isoformat() for p in points],
        )
    for row in qs.order_by().values("org_id").annotate(**aggs):
        for i, stab in enumerate(wanted):
            value = row[f"s{i}"]
            if value:
                result[stab][row["org_id"]] = int(value)
    return result


# Composition of a figure over a period from the aggregate: ("sum", key, range) and
# ("stab", key, point, since, until) terms with signs.
Term = tuple[int, tuple[Any, ...]]


def terms(fig: CountFigure, start: dt.date, end: dt.date) -> list[Term]:
    """The terms whose signed sum is ``fig`` over [start, end]."""
    if fig.daily:
        return [(1, ("sum", fig.key, (start, end)))]
    before = start - ONE
    if fig.key == "petitions_closed":
        return [(1, ("sum", CLOSED_ANY, (start, end))), (-1, ("stab", SPAN, end, start, None))]
    if fig.key == "petitions_first_closed":
        return [
            (1, ("sum", FIRST_CLOSED_ANY, (start, end))),
            (-1, ("stab", FIRST_SPAN, end, start, None)),
        ]
    if fig.key == "petitions_backlog":
        return [
            (1, ("sum", RECEIVED, (None, before))),
            (-1, ("sum", CLOSED_ANY, (None, before))),
            (1, ("stab", SPAN, before, None, None)),
        ]
    if fig.key == "petitions_backlog_resolved":
        return [(1, ("stab", SPAN, before, None, end))]
    raise KeyError(fig.key)


def from_aggregate(fig: CountFigure) -> bool:
    """Whether ``fig`` is read from the aggregate (else: raw rows)."""
    return fig.daily or fig.key in COMPOSED


def evaluate(
    wanted: list[tuple[CountFigure, dt.date, dt.date]], org_ids: Iterable[int] | None
) -> dict[tuple[str, dt.date, dt.date], dict[int, int | Decimal]]:
    """Each (figure, start, end) per org from the aggregate: three queries in all."""
    ids = None if org_ids is None else sorted(set(org_ids))
    plan = {(f.key, s, e): terms(f, s, e) for f, s, e in wanted}
    sum_requests = [t[1:] for ts in plan.values() for _sign, t in ts if t[0] == "sum"]
    stab_requests = [t[1:] for ts in plan.values() for _sign, t in ts if t[0] == "stab"]
    got_sums = sums(sum_requests, ids)  # type: ignore[arg-type]
    got_stabs = stabs(stab_requests, ids)  # type: ignore[arg-type]
    by_key = {f.key: f for f, _s, _e in wanted}
    out: dict[tuple[str, dt.date, dt.date], dict[int, int | Decimal]] = {}
    for (key, s, e), ts in plan.items():
        values: dict[int, Decimal] = {}
        for sign, t in ts:
            got: dict[int, Any] = got_sums[t[1:]] if t[0] == "sum" else got_stabs[t[1:]]  # type: ignore[index]
            for org_id, value in got.items():
                values[org_id] = values.get(org_id, Decimal(0)) + sign * Decimal(value)
        if by_key[key].sum_field:
            out[(key, s, e)] = {o: v.quantize(Decimal("0.01")) for o, v in values.items()}
        else:
            out[(key, s, e)] = {o: int(v) for o, v in values.items()}
    return out


# --- which cells a record is counted in -----------------------------------------------


def relations(sender: Any) -> list[tuple[Source, str, str]]:
    """The sources a write of ``sender`` may change, each with the paths from ``sender``
    to the org and the day a record of that source counts in (``sender`` is the
    source's model, or a model its org and date fields go through, e.g. a 通报 batch
    for its cases)."""
    out = []
    for source in sources():
        model, org_field, date_field, _span = source
        if model is sender:
            out.append((source, org_field, date_field))
            continue
        parts_, current = org_field.split("__"), model
        for i, name in enumerate(parts_[:-1]):
            current = current._meta.get_field(name).related_model
            prefix = "__".join(parts_[: i + 1]) + "__"
            if current is sender and date_field.startswith(prefix):
                out.append((source, org_field[len(prefix) :], date_field[len(prefix) :]))
                break
    return out


Cells = dict[Source, set[tuple[Any, Any]]]


def cells_of(sender: Any, pk: Any) -> Cells:
    """The (org, day) cells the row ``pk`` of ``sender`` counts in now, per source."""
    out: Cells = {}
    if pk is None:
        return out
    looked: dict[tuple[str, str], set[tuple[Any, Any]]] = {}
    for source, org_path, date_path in relations(sender):
        if (org_path, date_path) not in looked:
            rows = sender._base_manager.filter(pk=pk).values_list(org_path, date_path)
            looked[(org_path, date_path)] = set(rows)
        out.setdefault(source, set()).update(looked[(org_path, date_path)])
    return out


def cells_of_many(sender: Any, pks: list[Any], *, chunk: int = 500) -> Cells:
    """:func:`cells_of` for many rows at once (a staged import's), a query per relation
    and chunk of ids instead of per row."""
    out: Cells = {}
    for start in range(0, len(pks), chunk):
        part = pks[start : start + chunk]
        looked: dict[tuple[str, str], set[tuple[Any, Any]]] = {}
        for source, org_path, date_path in relations(sender):
            if (org_path, date_path) not in looked:
                rows = sender._base_manager.filter(pk__in=part).values_list(org_path, date_path)
                looked[(org_path, date_path)] = set(rows)
            out.setdefault(source, set()).update(looked[(org_path, date_path)])
    return out


def cells_of_objects(sender: Any, objs: list[Any]) -> Cells | None:
    """:func:`cells_of` read from unsaved-but-written instances (a staged import's, whose
    field values are the rows'), without a query; None when a source reaches its org or
    day through another table (then the rows must be queried)."""
    paths = []
    for source, org_path, date_path in relations(sender):
        if "__" in org_path or "__" in date_path:
            return None
        org = sender._meta.get_field(org_path).attname
        day = sender._meta.get_field(date_path).attname
        paths.append((source, org, day))
    out: Cells = {}
    for source, org, day in paths:
        # The instances' own values (``__dict__``: no descriptor call per read, for
        # 50,000 rows inside the publishing transaction).
        out.setdefault(source, set()).update(
            (values[org], values[day]) for values in (vars(obj) for obj in objs)
        )
    return out


def refresh_cells(*cell_sets: Cells) -> None:
    merged: Cells = {}
    for cells in cell_sets:
        for source, found in cells.items():
            merged.setdefault(source, set()).update(found)
    for source, found in merged.items():
        refresh(source, found)
