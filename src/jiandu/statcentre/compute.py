"""Figures computed in a few set-based queries.

Count figures are grouped by their source ``(model, org field, query key)``; each source
is read in ONE query: ``GROUP BY`` the org field, one conditional aggregate
(``COUNT(*) FILTER (WHERE …)``, or ``SUM``) per figure and period. The totals of an org
and its subtree are the sums of the grouped rows, the bars by unit the same rows
summed per child unit; ratios are computed from the counts, never stored.

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


def grouped_counts(
    counts: list[CountFigure],
    *,
    org_ids: Iterable[int] | None,
    periods: dict[str, Period],
    by_org: bool = True,
) -> Grouped:
    """Every count figure for every period: one query per source, grouped by org (or
    one aggregate row when ``by_org`` is False)."""
    ids = None if org_ids is None else list(org_ids)
    sources: dict[tuple[Any, str, str], list[CountFigure]] = {}
    for figure in counts:
        sources.setdefault(figure.source, []).append(figure)
    result: dict[str, dict[int, dict[str, Value]]] = {name: {} for name in periods}
    # A period asked for twice (a year's 环比 is its 同比) is counted once.
    distinct: dict[tuple[Any, Any], str] = {}
    for name, period in periods.items():
        distinct.setdefault((period.start, period.end), name)
    counted = {name: periods[name] for name in distinct.values()}
    for (model, org_field, _key), members in sources.items():
        aggregates: dict[str, Any] = {}
        names: dict[str, tuple[str, CountFigure]] = {}
        where = Q()
        for p_index, (p_name, period) in enumerate(counted.items()):
            where |= members[0].where(period.start, period.end)
            for f_index, figure in enumerate(members):
                alias = f"v{p_index}_{f_index}"
                aggregates[alias] = _aggregate(figure, period)
                names[alias] = (p_name, figure)
        qs = model._default_manager.filter(org_filter(members[0], ids)).filter(where).order_by()
        if by_org:
            grouped = qs.values(org_field).annotate(**aggregates)
            rows = list(grouped.values_list(org_field, *aggregates))
        else:
            row = qs.aggregate(**aggregates)
            rows = [(0, *(row[a] for a in aggregates))]
        for row in rows:
            org_id, values = row[0], row[1:]
            for alias, value in zip(aggregates, values, strict=True):
                p_name, figure = names[alias]
                if figure.sum_field:
                    value = Decimal(value or 0).quantize(Decimal("0.01"))
                result[p_name].setdefault(org_id, {})[figure.key] = value
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


def monthly_counts(
    figure: CountFigure, *, org_ids: Iterable[int] | None, periods: list[Period]
) -> dict[tuple[int, int], int]:
    """(year, month) -> count of a plain date-range figure over ``periods``, in one
    query grouped by calendar month (for the trend lines)."""
    from django.db.models.functions import TruncMonth

    where = Q()
    for period in periods:
        where |= figure.condition(period.start, period.end)
    qs = (
        figure.model._default_manager.filter(org_filter(figure, org_ids))
        .filter(where)
        .order_by()
        .annotate(month=TruncMonth(figure.date_field))
        .values("month")
        .annotate(n=Count("pk"))
    )
    return {(row["month"].year, row["month"].month): row["n"] for row in qs}
