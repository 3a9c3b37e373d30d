"""The results of a drawn board: a unit's cells, its line, a period, the whole board;
all convert to and from JSON-ready dicts (snapshots store them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jiandu.boards.ranking.formats import _json_number, format_number, to_decimal
from jiandu.boards.ranking.spec import (
    BoardSpec,
    Colour,
    Indicator,
    MissingPolicy,
    MissingValue,
    PeriodKind,
    RankingBasis,
)

# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Placement:
    """Where one unit landed on one indicator: rank, colour and points."""

    rank: int
    colour: Colour
    points: int


@dataclass(frozen=True)
class CellResult:
    """One indicator cell of one unit in one period.

    ``value`` holds one number per component (a single one for a simple indicator);
    for a cumulative ``sum_points`` board it is the summed values, shown for reference,
    while ``rank`` and ``points`` come from the summed monthly points and ``colour`` is
    None. ``missing_as_zero`` says that some figure behind the cell was missing and
    counted as 0.
    """

    indicator: str
    value: tuple[Decimal, ...]
    rank: int
    colour: Colour | None
    points: int
    missing_as_zero: bool = False

    @property
    def display(self) -> str:
        """The value as printed: ``12``, or ``11/21`` for a compound indicator."""
        return "/".join(format_number(v) for v in self.value)

    def to_dict(self, *, indicator: Indicator | None = None) -> dict[str, Any]:
        value: Any
        if indicator is not None and indicator.is_compound:
            value = {
                c.key: _json_number(v)
                for c, v in zip(indicator.components, self.value, strict=True)
            }
        elif len(self.value) == 1:
            value = _json_number(self.value[0])
        else:
            value = [_json_number(v) for v in self.value]
        return {
            "value": value,
            "display": self.display,
            "rank": self.rank,
            "colour": self.colour.value if self.colour else None,
            "points": self.points,
            "missing_as_zero": self.missing_as_zero,
        }

    @classmethod
    def from_dict(
        cls, indicator: str, data: Mapping[str, Any], *, definition: Indicator | None = None
    ) -> CellResult:
        """Re-read :meth:`to_dict`. A compound value's components are put back in the
        definition's order (a JSON store such as PostgreSQL's ``jsonb`` may reorder keys)."""
        raw = data["value"]
        if isinstance(raw, Mapping):
            keys = [c.key for c in definition.components] if definition else list(raw)
            values = tuple(to_decimal(raw[k]) for k in keys)
        elif isinstance(raw, list):
            values = tuple(to_decimal(v) for v in raw)
        else:
            values = (to_decimal(raw),)
        return cls(
            indicator=indicator,
            value=values,
            rank=int(data["rank"]),
            colour=Colour(data["colour"]) if data.get("colour") else None,
            points=int(data["points"]),
            missing_as_zero=bool(data.get("missing_as_zero", False)),
        )


@dataclass(frozen=True)
class UnitResult:
    """One unit's line on a board: its cells, composite score and overall rank."""

    unit: str
    cells: tuple[CellResult, ...]
    composite: int
    overall_rank: int
    yellow: str | None = None

    def cell(self, indicator: str) -> CellResult:
        for cell in self.cells:
            if cell.indicator == indicator:
                return cell
        raise KeyError(indicator)

    def colour_counts(self) -> dict[Colour, int]:
        counts = dict.fromkeys(Colour, 0)
        for cell in self.cells:
            if cell.colour is not None:
                counts[cell.colour] += 1
        return counts

    def to_dict(
        self,
        *,
        spec: BoardSpec | None = None,
        by_key: Mapping[str, Indicator] | None = None,
        memo: dict[CellResult, dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """``memo`` shares one dict between equal cells (a board of thousands of units
        repeats the same few values, ranks and colours): the output is for serialising,
        not for editing in place."""
        if by_key is None:
            by_key = {i.key: i for i in spec.indicators} if spec is not None else {}
        memo = {} if memo is None else memo
        cells = {}
        for cell in self.cells:
            found = memo.get(cell)
            if found is None:
                found = memo[cell] = cell.to_dict(indicator=by_key.get(cell.indicator))
            cells[cell.indicator] = found
        return {
            "unit": self.unit,
            "yellow": self.yellow,
            "composite": self.composite,
            "overall_rank": self.overall_rank,
            "cells": cells,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, spec: BoardSpec | None = None) -> UnitResult:
        """Re-read :meth:`to_dict`; with the spec, cells come back in the order of its
        indicators whatever order the stored keys are in."""
        stored = data["cells"]
        if spec is not None:
            cells = tuple(
                CellResult.from_dict(i.key, stored[i.key], definition=i)
                for i in spec.indicators
                if i.key in stored
            )
        else:
            cells = tuple(CellResult.from_dict(k, v) for k, v in stored.items())
        return cls(
            unit=data["unit"],
            cells=cells,
            composite=int(data["composite"]),
            overall_rank=int(data["overall_rank"]),
            yellow=data.get("yellow"),
        )


@dataclass(frozen=True)
class PeriodResult:
    """The board of one period: a month, or the cumulative span of the spec's months.

    ``rows`` are ordered by overall rank, ties in the participants' order.
    """

    key: str
    label: str
    kind: PeriodKind
    months: tuple[str, ...]
    basis: RankingBasis
    rows: tuple[UnitResult, ...]
    missing_as_zero: tuple[MissingValue, ...] = ()

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(r.unit for r in self.rows)

    def row(self, unit: str) -> UnitResult:
        for row in self.rows:
            if row.unit == unit:
                return row
        raise KeyError(unit)

    def to_dict(self, *, spec: BoardSpec | None = None) -> dict[str, Any]:
        by_key = {i.key: i for i in spec.indicators} if spec is not None else {}
        memo: dict[CellResult, dict[str, Any]] = {}
        return {
            "key": self.key,
            "label": self.label,
            "kind": self.kind.value,
            "months": list(self.months),
            "basis": self.basis.value,
            "units": [r.to_dict(by_key=by_key, memo=memo) for r in self.rows],
            "missing_as_zero": [m.to_dict() for m in self.missing_as_zero],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, spec: BoardSpec | None = None) -> PeriodResult:
        return cls(
            key=data["key"],
            label=data["label"],
            kind=PeriodKind(data["kind"]),
            months=tuple(data["months"]),
            basis=RankingBasis(data["basis"]),
            rows=tuple(UnitResult.from_dict(r, spec=spec) for r in data["units"]),
            missing_as_zero=tuple(
                MissingValue.from_dict(m) for m in data.get("missing_as_zero", [])
            ),
        )


@dataclass(frozen=True)
class BoardResult:
    """A drawn board: each month, the cumulative period, and the settings used."""

    spec: BoardSpec
    missing_policy: MissingPolicy
    months: tuple[PeriodResult, ...]
    cumulative: PeriodResult

    @property
    def periods(self) -> tuple[PeriodResult, ...]:
        return (*self.months, self.cumulative)

    @property
    def latest_month(self) -> PeriodResult:
        return self.months[-1]

    def period(self, key: str) -> PeriodResult:
        """A period by key: ``2019-09`` for a month, ``cumulative`` for the whole span."""
        for period in self.periods:
            if period.key == key:
                return period
        raise KeyError(key)

    @property
    def missing_as_zero(self) -> tuple[MissingValue, ...]:
        return tuple(m for p in self.months for m in p.missing_as_zero)

    def to_dict(self) -> dict[str, Any]:
        settings = self.spec.to_dict()
        settings["missing"] = self.missing_policy.value
        return {
            "settings": settings,
            "months": [p.to_dict(spec=self.spec) for p in self.months],
            "cumulative": self.cumulative.to_dict(spec=self.spec),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BoardResult:
        """Re-read a stored snapshot (the output of :meth:`to_dict`)."""
        settings = dict(data["settings"])
        policy = MissingPolicy(settings.pop("missing", MissingPolicy.ERROR.value))
        spec = BoardSpec.from_dict(settings)
        return cls(
            spec=spec,
            missing_policy=policy,
            months=tuple(PeriodResult.from_dict(p, spec=spec) for p in data["months"]),
            cumulative=PeriodResult.from_dict(data["cumulative"], spec=spec),
        )
