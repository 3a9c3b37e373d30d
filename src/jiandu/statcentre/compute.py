"""Figures computed in a few set-based queries.

The page, the API and the returns read :func:`grouped_counts`: every figure kept in the
maintained daily aggregate (``jiandu.statcentre.aggregate``, ADR 0016) is summed from
there in three queries whatever the number of figures and periods; a figure the
aggregate does not keep is counted from raw rows by :func:`raw_grouped_counts` below.

Raw count figures are grouped by model; each model is read in ONE query: ``GROUP BY`` the
org fields its figures place records by, one conditional aggregate (``COUNT(*) FILTER
(WHERE …)``, or ``SUM``) per figure and period (the trend lines' months included).
The totals of an org and its subtree are the sums of the grouped rows, the bars by
unit the same rows summed per child unit; ratios are computed from the counts, never stored.

Numbers are exact: counts are ints, sums ``Decimal``; a ratio is ``numerator × 100 ÷
denominator`` rounded once to one decimal place (``ROUND_HALF_UP``), and has no value
when the denominator is 0. A change (同比/环比) of a count is ``(this − that) × 100 ÷
that`` percent rounded the same way, with no value when ``that`` is 0 (shown "—", never
∞); a change of a ratio is the difference of the two exact fractions in percentage
points, rounded once, with no value when either ratio has none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from jiandu.core.figures import CountFigure, Figure, RatioFigure, figures
from jiandu.statcentre.periods import Period

Value = int | Decimal | None
TENTH = Decimal("0.1")


def _exact_round(value: Fraction) -> Decimal:
    """``value`` rounded half up (away from zero) to one decimal place, exactly."""
    scaled = abs(value) * 10
    whole = int(scaled)
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    result = Decimal(whole).scaleb(-1)
    return -result if value < 0 else result


def ratio_fraction(numerator: Value, denominator: Value) -> Fraction | None:
    if numerator is None or not denominator:
        return None
    return Fraction(Decimal(numerator)) * 100 / Fraction(Decimal(denominator))


def percent(numerator: Value, denominator: Value) -> Decimal | None:
    fraction = ratio_fraction(numerator, denominator)
    return None if fraction is None else _exact_round(fraction)


def change(this: Value, that: Value) -> Decimal | None:
    """Relative change of a count in percent; None when ``that`` is 0 or missing."""
    if this is None or not that:
        return None
    return _exact_round(
        (Fraction(Decimal(this)) - Fraction(Decimal(that))) * 100 / Fraction(Decimal(that))
    )


def point_change(this: Fraction | None, that: Fraction | None) -> Decimal | None:
    if this is None or that is None:
        return None
    return _exact_round(this - that)


def org_filter(figure: CountFigure, org_ids: Iterable[int] | None) -> Q:
    if org_ids is None:
        return Q()
    return Q(**{f"{figure.org_field}__in": list(org_ids)})


def records(figure: CountFigure, *, org_ids: Iterable[int] | None, period: Period) -> QuerySet:
    """The records behind ``figure``: the drill-down (the same set the figure counts)."""
    qs = figure.model._default_manager.all()
    return qs.filter(org_filter(figure, org_ids)).filter(figure.condition(period.start, period.end))


def _aggregate(figure: CountFigure, period: Period) -> Any:
    condition = figure.condition(period.start, period.end)
    if figure.sum_field:
        return Sum(figure.sum_field, filter=condition)
    return Count("pk", filter=condition)


@dataclass
class Grouped:
    """Values per (period name, org id) and figure key."""

    by_org: dict[str, dict[int, dict[str, Value]]]

    def total(self, period: str, key: str, org_ids: Iterable[int] | None = None) -> Value:
        rows = self.by_org.get(period, {})
        chosen = rows.values() if org_ids is None else (rows.get(i, {}) for i in org_ids)
        values = [row.get(key) for row in chosen]
        if any(isinstance(v, Decimal) for v in values):
            return sum((v for v in values if v is not None), Decimal("0.00"))
        return sum(v for v in values if v is not None)  # type: ignore[misc]


def needed_counts(keys: Iterable[str]) -> list[CountFigure]:
    by_key = {f.key: f for f in figures()}
    out: dict[str, CountFigure] = {}
    for key in keys:
        figure = by_key[key]
        if isinstance(figure, RatioFigure):
            for part in (figure.numerator, figure.denominator):
                part_figure = by_key[part]
                assert isinstance(part_figure, CountFigure)
                out[part] = part_figure
        else:
            out[key] = figure
    return list(out.values())


Request = tuple[CountFigure, str, Period]  # a figure counted over one named period


def grouped_counts(
    counts: list[CountFigure],
    *,
    org_ids: Iterable[int] | None,
    periods: dict[str, Period],
    by_org: bool = True,
    extra: Iterable[Request] = (),
) -> Grouped:
    """Every count figure for every period (and the ``extra`` requests, e.g. a trend's
    months), per org: from the daily aggregate where the figure is kept there, the rest
    (if any) from raw rows (:func:`raw_grouped_counts`). Same values, same shape."""
    from jiandu.statcentre import aggregate

    ids = None if org_ids is None else set(org_ids)
    distinct: dict[tuple[Any, Any], str] = {}
    for name, period in periods.items():
        distinct.setdefault((period.start, period.end), name)
    requests: list[Request] = [
        (figure, name, periods[name]) for figure in counts for name in distinct.values()
    ]
    requests += list(extra)
    kept = [r for r in requests if aggregate.from_aggregate(r[0])]
    values = aggregate.evaluate([(f, p.start, p.end) for f, _n, p in kept], ids)
    result: dict[str, dict[int, dict[str, Value]]] = {name: {} for name in periods}
    for figure, name, period in kept:
        for org_id, value in values[(figure.key, period.start, period.end)].items():
            result.setdefault(name, {}).setdefault(org_id, {})[figure.key] = value
    raw_counts = [f for f in counts if not aggregate.from_aggregate(f)]
    raw_extra = [r for r in extra if not aggregate.from_aggregate(r[0])]
    if raw_counts or raw_extra:
        raw = raw_grouped_counts(
            raw_counts,
            org_ids=org_ids,
            periods={name: periods[name] for name in distinct.values()},
            extra=raw_extra,
        )
        for name, orgs in raw.by_org.items():
            for org_id, row in orgs.items():
                result.setdefault(name, {}).setdefault(org_id, {}).update(row)
    for name, period in periods.items():
        first = distinct[(period.start, period.end)]
        if first != name:
            result[name] = result[first]
    return Grouped(result)


def raw_grouped_counts(
    counts: list[CountFigure],
    *,
    org_ids: Iterable[int] | None,
    periods: dict[str, Period],
    by_org: bool = True,
    extra: Iterable[Request] = (),
) -> Grouped:
    """Every count figure for every period (and the ``extra`` requests, e.g. a trend's
    months): ONE query per model, ``GROUP BY`` the org fields its figures place records
    by, one conditional aggregate per figure and period. A period asked for twice (a
    year's 环比 is its 同比) is counted once. ``by_org`` is kept for callers; the rows are
    always per org and summed by :meth:`Grouped.total`."""
    ids = None if org_ids is None else set(org_ids)
    distinct: dict[tuple[Any, Any], str] = {}
    for name, period in periods.items():
        distinct.setdefault((period.start, period.end), name)
    requests: list[Request] = [
        (figure, name, periods[name]) for figure in counts for name in distinct.values()
    ]
    requests += list(extra)
    by_model: dict[Any, list[Request]] = {}
    for request in requests:
        by_model.setdefault(request[0].model, []).append(request)
    result: dict[str, dict[int, dict[str, Value]]] = {name: {} for name in periods}
    for model, reqs in by_model.items():
        org_fields = sorted({figure.org_field for figure, _n, _p in reqs})
        where, seen = Q(), set()
        for figure, _name, period in reqs:
            envelope = (figure.query_key or figure.date_field, period.start, period.end)
            if envelope not in seen:
                seen.add(envelope)
                where |= figure.where(period.start, period.end)
        placed = Q()
        if ids is not None:
            for org_field in org_fields:
                placed |= Q(**{f"{org_field}__in": sorted(ids)})
        aggregates = {
            f"v{i}": _aggregate(figure, period) for i, (figure, _n, period) in enumerate(reqs)
        }
        qs = model._default_manager.filter(placed).filter(where).order_by()
        rows = qs.values(*org_fields).annotate(**aggregates).values_list(*org_fields, *aggregates)
        for row in rows:
            orgs = dict(zip(org_fields, row[: len(org_fields)], strict=True))
            for (figure, name, _p), value in zip(reqs, row[len(org_fields) :], strict=True):
                org_id = orgs[figure.org_field]
                if ids is not None and org_id not in ids:
                    continue
                bucket = result.setdefault(name, {}).setdefault(org_id, {})
                before = bucket.get(figure.key)
                if figure.sum_field:
                    amount = Decimal(value or 0).quantize(Decimal("0.01"))
                    bucket[figure.key] = (before or Decimal("0.00")) + amount
                else:
                    bucket[figure.key] = (before or 0) + int(value or 0)
    for name, period in periods.items():
        first = distinct[(period.start, period.end)]
        if first != name:
            result[name] = result[first]
    return Grouped(result)


def value_of(
    figure: Figure, grouped: Grouped, period: str, org_ids: Iterable[int] | None = None
) -> Value:
    if isinstance(figure, RatioFigure):
        return percent(
            grouped.total(period, figure.numerator, org_ids),
            grouped.total(period, figure.denominator, org_ids),
        )
    value = grouped.total(period, figure.key, org_ids)
    if figure.sum_field and not isinstance(value, Decimal):
        value = Decimal(value or 0).quantize(Decimal("0.01"))
    return value


def fraction_of(figure: RatioFigure, grouped: Grouped, period: str) -> Fraction | None:
    return ratio_fraction(
        grouped.total(period, figure.numerator), grouped.total(period, figure.denominator)
    )


@dataclass(frozen=True)
class Row:
    """One line of the figures table."""

    figure: Figure
    value: Value
    last_year: Value
    previous: Value
    yoy: Decimal | None  # percent for counts, points for ratios
    mom: Decimal | None

    @property
    def key(self) -> str:
        return self.figure.key

    @property
    def is_ratio(self) -> bool:
        return isinstance(self.figure, RatioFigure)


def table(keys: list[str], grouped: Grouped) -> list[Row]:
    """Rows for the figures table from a grouping over periods ``current``,
    ``last_year`` and ``previous``."""
    by_key = {f.key: f for f in figures()}
    rows = []
    for key in keys:
        figure = by_key[key]
        value = value_of(figure, grouped, "current")
        last = value_of(figure, grouped, "last_year")
        prev = value_of(figure, grouped, "previous")
        if isinstance(figure, RatioFigure):
            now = fraction_of(figure, grouped, "current")
            yoy = point_change(now, fraction_of(figure, grouped, "last_year"))
            mom = point_change(now, fraction_of(figure, grouped, "previous"))
        else:
            yoy, mom = change(value, last), change(value, prev)
        rows.append(Row(figure, value, last, prev, yoy, mom))
    return rows


def compare_periods(period: Period) -> dict[str, Period]:
    return {
        "current": period,
        "last_year": period.same_period_last_year(),
        "previous": period.previous(),
    }
