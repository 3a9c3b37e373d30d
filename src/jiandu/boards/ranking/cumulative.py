"""The cumulative period ranked on the months' summed points (``sum_points``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from jiandu.boards.ranking.period import _period, rank_by_score
from jiandu.boards.ranking.results import CellResult, PeriodResult
from jiandu.boards.ranking.spec import BoardSpec, MissingValue, PeriodKind, RankingBasis


def _rank_on_points(
    *,
    spec: BoardSpec,
    participants: Sequence[str],
    values: Mapping[str, Mapping[str, tuple[Decimal, ...]]],
    flags: set[tuple[str, str]],
    label: str,
    months: tuple[str, ...],
    missing: tuple[MissingValue, ...],
    monthly: Sequence[PeriodResult],
) -> PeriodResult:
    """The cumulative period ranked on summed monthly points (``sum_points``)."""
    cells: dict[str, list[CellResult]] = {unit: [] for unit in participants}
    for indicator in spec.indicators:
        points = {
            unit: sum(period.row(unit).cell(indicator.key).points for period in monthly)
            for unit in participants
        }
        ranks = rank_by_score(scores=points)
        for unit in participants:
            cells[unit].append(
                CellResult(
                    indicator=indicator.key,
                    value=values[unit][indicator.key],
                    rank=ranks[unit],
                    colour=None,
                    points=points[unit],
                    missing_as_zero=(unit, indicator.key) in flags,
                )
            )
    composites = {
        unit: sum(period.row(unit).composite for period in monthly) for unit in participants
    }
    return _period(
        spec=spec,
        participants=participants,
        cells=cells,
        composites=composites,
        key="cumulative",
        label=label,
        kind=PeriodKind.CUMULATIVE,
        months=months,
        basis=RankingBasis.POINTS,
        missing=missing,
    )
