"""Ranking one period on its values: each indicator's ranks, colours and points, the
composite and the overall rank (the rules of :mod:`jiandu.boards.ranking`)."""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeGuard

from jiandu.boards.ranking.formats import to_decimal
from jiandu.boards.ranking.results import CellResult, PeriodResult, Placement, UnitResult
from jiandu.boards.ranking.spec import (
    BoardError,
    BoardSpec,
    Colour,
    ColourSettings,
    Direction,
    MissingValue,
    PeriodKind,
    RankingBasis,
)


def _exact(raw: object) -> TypeGuard[tuple[Decimal, ...]]:
    """Already what the ranking compares: a tuple of finite Decimals."""
    return type(raw) is tuple and all(type(v) is Decimal and v.is_finite() for v in raw)


def score_indicator(
    *,
    values: Mapping[str, Decimal | int | float | Sequence[Decimal | int | float]],
    direction: Direction | str = Direction.HIGHER,
    colours: ColourSettings | None = None,
) -> dict[str, Placement]:
    """Rank, colour and points of every unit on one indicator in one period.

    ``values`` maps each participating unit to its value, or to the tuple of its
    component values for a compound indicator (compared in order).
    """
    colours = colours or ColourSettings()
    higher = Direction(direction) is Direction.HIGHER
    keys: dict[str, tuple[Decimal, ...]] = {}
    # Values repeat (counts of a few dozen among thousands of units): a tuple of
    # Decimals already seen is turned into a key once.
    seen: dict[tuple[Decimal, ...], tuple[Decimal, ...]] = {}
    for unit, raw in values.items():
        plain = raw if _exact(raw) else None
        if plain is not None and (found := seen.get(plain)) is not None:
            keys[unit] = found
            continue
        parts = tuple(raw) if isinstance(raw, tuple | list) else (raw,)
        key = tuple(v if type(v) is Decimal else to_decimal(v) for v in parts)
        # "Bigger key is better" whatever the direction, so the rules read the same.
        keys[unit] = key = key if higher else tuple(-v for v in key)
        if plain is not None:
            seen[plain] = key
    if not keys:
        return {}
    # Rank = 1 + the number of units with a strictly better key: walk the distinct keys
    # from the best down, counting the units passed (O(n log n) per indicator).
    counts: dict[tuple[Decimal, ...], int] = {}
    for key in keys.values():
        counts[key] = counts.get(key, 0) + 1
    distinct = sorted(counts, reverse=True)
    worst = distinct[-1]
    all_equal = len(distinct) == 1
    points = {colour: colours.points(colour) for colour in Colour}
    # Every unit with the same key lands in the same place: one Placement per key.
    by_key: dict[tuple[Decimal, ...], Placement] = {}
    better = 0
    for key in distinct:
        rank = 1 + better
        better += counts[key]
        if all_equal:
            colour = Colour.BLUE
        elif key == worst:
            colour = Colour.WHITE
        elif rank <= colours.top_n:
            colour = Colour.RED
        else:
            colour = Colour.BLUE
        by_key[key] = Placement(rank=rank, colour=colour, points=points[colour])
    return {unit: by_key[key] for unit, key in keys.items()}


def rank_by_score(*, scores: Mapping[str, int | Decimal]) -> dict[str, int]:
    """Rank on a score where higher is better: 1 + the number of strictly higher scores."""
    ordered = sorted(scores.values())
    return {
        unit: 1 + len(ordered) - bisect.bisect_right(ordered, score)
        for unit, score in scores.items()
    }


def rank_period(
    *,
    spec: BoardSpec,
    values: Mapping[str, Mapping[str, Decimal | int | float | Sequence[Decimal | int | float]]],
    key: str,
    label: str,
    kind: PeriodKind | str,
    months: Sequence[str],
    missing: Sequence[MissingValue] = (),
) -> PeriodResult:
    """One period ranked on values, by the rules of :func:`rank_board`, from each
    participant's total of every indicator over the period.

    For callers that already hold the totals — a monthly close adding this month to the
    months it closed before — so that the cumulative period of a year costs one ranking
    instead of one per month. ``values`` maps every unit of ``spec.units`` to every
    indicator's value (a tuple, one per component, for a compound one); ``missing`` names
    the figures that were absent and counted as 0 (the cells concerned are marked).
    """
    if not spec.units:
        raise BoardError("没有参评单位，无法排名")
    problems: list[str] = []
    table: dict[str, dict[str, tuple[Decimal, ...]]] = {}
    widths = [(i.key, i.name, len(i.component_keys)) for i in spec.indicators]
    # Figures repeat (counts of a few dozen): each distinct one is converted once.
    exact: dict[Any, Decimal] = {}

    def decimal(value: Any) -> Decimal:
        # ints and Decimals only: 1 == 1.0 == True would otherwise share an entry.
        if type(value) is int or type(value) is Decimal:
            found = exact.get(value)
            if found is None or type(found) is not Decimal:
                found = exact[value] = to_decimal(value)
            return found
        return to_decimal(value)

    for unit in spec.units:
        row = values.get(unit)
        if row is None:
            problems.append(f"单位“{unit}”没有数据")
            continue
        table[unit] = cells = {}
        for indicator_key, name, width in widths:
            if indicator_key not in row:
                problems.append(f"单位“{unit}”缺少指标“{name}”")
                continue
            raw = row[indicator_key]
            if _exact(raw) and len(raw) == width:
                cells[indicator_key] = raw  # already what the ranking compares
                continue
            parts = tuple(raw) if isinstance(raw, tuple | list) else (raw,)
            if len(parts) != width:
                problems.append(f"单位“{unit}”的指标“{name}”应有{width}个数值")
                continue
            try:
                cells[indicator_key] = tuple(decimal(v) for v in parts)
            except ValueError as exc:
                problems.append(f"单位“{unit}”的指标“{name}”：{exc}")
    if problems:
        raise BoardError("多色榜数据有误：\n" + "\n".join(f"- {p}" for p in problems))
    return _rank_on_values(
        spec=spec,
        participants=spec.units,
        values=table,
        flags={(m.unit, m.indicator) for m in missing},
        key=key,
        label=label,
        kind=PeriodKind(kind),
        months=tuple(months),
        missing=tuple(missing),
    )


def _period(
    *,
    spec: BoardSpec,
    participants: Sequence[str],
    cells: Mapping[str, list[CellResult]],
    composites: Mapping[str, int],
    key: str,
    label: str,
    kind: PeriodKind,
    months: tuple[str, ...],
    basis: RankingBasis,
    missing: tuple[MissingValue, ...],
) -> PeriodResult:
    overall = rank_by_score(scores=composites)
    order = {unit: i for i, unit in enumerate(participants)}
    rows = sorted(
        (
            UnitResult(
                unit=unit,
                cells=tuple(cells[unit]),
                composite=composites[unit],
                overall_rank=overall[unit],
                yellow=spec.yellow_label(unit),
            )
            for unit in participants
        ),
        key=lambda r: (r.overall_rank, order[r.unit]),
    )
    return PeriodResult(
        key=key,
        label=label,
        kind=kind,
        months=months,
        basis=basis,
        rows=tuple(rows),
        missing_as_zero=missing,
    )


def _rank_on_values(
    *,
    spec: BoardSpec,
    participants: Sequence[str],
    values: Mapping[str, Mapping[str, tuple[Decimal, ...]]],
    flags: set[tuple[str, str]],
    key: str,
    label: str,
    kind: PeriodKind,
    months: tuple[str, ...],
    missing: tuple[MissingValue, ...],
) -> PeriodResult:
    cells: dict[str, list[CellResult]] = {unit: [] for unit in participants}
    for indicator in spec.indicators:
        column = {unit: values[unit][indicator.key] for unit in participants}
        placements = score_indicator(
            values=column, direction=indicator.direction, colours=spec.colours
        )
        # Equal values land in the same place: one cell each (equal Decimals print and
        # serialise alike), shared by every unit that has it.
        shared: dict[tuple[tuple[Decimal, ...], bool], CellResult] = {}
        for unit in participants:
            value = column[unit]
            flag = (unit, indicator.key) in flags if flags else False
            cell = shared.get((value, flag))
            if cell is None:
                p = placements[unit]
                cell = shared[(value, flag)] = CellResult(
                    indicator=indicator.key,
                    value=value,
                    rank=p.rank,
                    colour=p.colour,
                    points=p.points,
                    missing_as_zero=flag,
                )
            cells[unit].append(cell)
    composites = {unit: sum(c.points for c in cells[unit]) for unit in participants}
    return _period(
        spec=spec,
        participants=participants,
        cells=cells,
        composites=composites,
        key=key,
        label=label,
        kind=kind,
        months=months,
        basis=RankingBasis.VALUES,
        missing=missing,
    )
