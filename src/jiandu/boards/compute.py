"""Figures of a board: who takes part, what each indicator counts, and every unit's value
per month — ready for the pure calculator (:mod:`jiandu.boards.ranking`).

A unit's value of a computed indicator is the statistic counted over the unit's
**subtree** (the unit and all its descendants). Each statistic is counted with one
grouped query per period (``Statistic.counts_by_org``: org id → count) and rolled up to
the participants by org path in Python, so a board costs one query per indicator and
month, never one per cell. A computed value is never missing (no records = 0); a
reported value is whatever the unit's latest upload says, and may be missing.

Nothing here writes; :func:`jiandu.boards.services.board_close` freezes the result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from calendar import monthrange
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from jiandu.boards import ranking
from jiandu.boards.choices import IndicatorSource, ParticipantRule
from jiandu.boards.models import Board, BoardIndicator, ReportedValue
from jiandu.clues.statistics import statistic as get_statistic
from jiandu.core.access import access_stamp, remember
from jiandu.orgs.models import Org

# Above this many orgs an ``IN (…)`` list costs more than counting every org and
# dropping the ones outside the board in Python (and SQLite limits bound parameters).
MAX_ORG_FILTER = 1000


# --------------------------------------------------------------------------- months


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of a ``YYYY-MM`` month."""
    year, number = (int(p) for p in month.split("-"))
    return dt.date(year, number, 1), dt.date(year, number, monthrange(year, number)[1])


def year_months(month: str) -> list[str]:
    """January of the month's year up to the month: the cumulative period (1—M月)."""
    year, number = (int(p) for p in month.split("-"))
    return [f"{year:04d}-{m:02d}" for m in range(1, number + 1)]


def quarter_to_date(month: str) -> list[str]:
    """The months of ``month``'s quarter up to and including it (``2020-11`` →
    October, November)."""
    year, number = (int(p) for p in month.split("-"))
    first = number - (number - 1) % 3
    return [f"{year:04d}-{m:02d}" for m in range(first, number + 1)]


def quarter_months(month: str) -> list[str] | None:
    """The quarter a month ends (March, June, September, December), else None."""
    return quarter_to_date(month) if int(month[5:7]) % 3 == 0 else None


# --------------------------------------------------------------------------- units


@dataclass(frozen=True)
class BoardUnit:
    """A participant as the calculator sees it: ``key`` is the org id as text."""

    key: str
    org_id: int
    name: str
    path: str
    yellow: str | None = None
    subtree: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "org_id": self.org_id,
            "name": self.name,
            "yellow": self.yellow,
            "subtree": list(self.subtree),
        }


def unit_key(org_id: int) -> str:
    return str(org_id)


def participant_orgs(board: Board, *, fields: Sequence[str] = ()) -> list[Org]:
    """The board's participants now, in display order (sort order, then tree order).

    A rule finds active orgs under the owner org (the owner itself excluded); an
    explicit list is taken as given, archived orgs left out. ``fields``: load only
    those (thousands of units, few columns needed).
    """
    owner = board.owner_org
    if board.participant_rule == ParticipantRule.EXPLICIT:
        qs = board.participant_orgs.filter(archived_at__isnull=True)
    else:
        qs = Org.objects.filter(archived_at__isnull=True, path__startswith=owner.path).exclude(
            pk=owner.pk
        )
        if board.participant_rule == ParticipantRule.LABEL:
            label_ids = list(board.participant_labels.values_list("pk", flat=True))
            qs = qs.filter(
                pk__in=Org.labels.through.objects.filter(orglabel_id__in=label_ids).values("org_id")
            )
        else:
            qs = qs.filter(kind__in=list(board.participant_kinds or []))
    if fields:
        qs = qs.only(*fields)
    return list(qs.order_by("sort_order", "path"))


def board_units(board: Board) -> list[BoardUnit]:
    """Participants with their yellow label and subtree (three queries)."""
    orgs = participant_orgs(board, fields=("path", "name", "short_name"))
    ids = [o.pk for o in orgs]
    yellow_ids = list(board.yellow_labels.values_list("pk", flat=True))
    yellow: dict[int, list[str]] = {}
    if yellow_ids and ids:
        links = (
            Org.labels.through.objects.filter(org_id__in=ids, orglabel_id__in=yellow_ids)
            .order_by("orglabel__name")
            .values_list("org_id", "orglabel__name")
        )
        for org_id, name in links:
            yellow.setdefault(org_id, []).append(name)
    subtrees = subtree_ids(orgs, owner=board.owner_org)
    return [
        BoardUnit(
            key=unit_key(o.pk),
            org_id=o.pk,
            name=o.display_name,
            path=o.path,
            yellow="、".join(yellow[o.pk]) if o.pk in yellow else None,
            subtree=tuple(subtrees[o.pk]),
        )
        for o in orgs
    ]


# Per process: (access stamp, owner path, participants) -> subtrees. Any change to the
# org tree changes the stamp (core.signals), so a stale entry is never read.
_subtrees: dict[tuple[Any, ...], dict[int, list[int]]] = {}


def subtree_ids(orgs: Sequence[Org], *, owner: Org | None = None) -> dict[int, list[int]]:
    """Each org's subtree (itself and every descendant, archived ones included: their
    records still count), with one query; remembered per process until the org tree
    changes."""
    if not orgs:
        return {}
    stamp = access_stamp()
    key = (stamp, owner.path if owner else None, tuple((o.pk, o.path) for o in orgs))
    if stamp is not None and key in _subtrees:
        return _subtrees[key]
    result = _subtree_ids(orgs, owner=owner)
    if stamp is not None:
        remember(_subtrees, key, result)
    return result


def _subtree_ids(orgs: Sequence[Org], *, owner: Org | None) -> dict[int, list[int]]:
    paths = sorted({o.path for o in orgs})
    if owner is not None and all(p.startswith(owner.path) for p in paths):
        query = Q(path__startswith=owner.path)
    else:
        roots: list[str] = []
        for path in paths:  # sorted, so an ancestor comes before its descendants
            if not any(path.startswith(r) for r in roots):
                roots.append(path)
        query = Q()
        for root in roots:
            query |= Q(path__startswith=root)
    by_path = {o.path: o.pk for o in orgs}
    result: dict[int, list[int]] = {o.pk: [] for o in orgs}
    for org_id, path in Org.objects.filter(query).values_list("id", "path").order_by("path"):
        for ancestor in _prefixes(path):
            participant = by_path.get(ancestor)
            if participant is not None:
                result[participant].append(org_id)
    return result


def _prefixes(path: str) -> Iterable[str]:
    """``/1/5/23/`` → ``/1/``, ``/1/5/``, ``/1/5/23/``."""
    parts = [p for p in path.split("/") if p]
    for i in range(1, len(parts) + 1):
        yield "/" + "/".join(parts[:i]) + "/"


def contributors(units: Sequence[BoardUnit]) -> dict[int, list[str]]:
    """Org id → the units whose subtree holds it (nested participants both count it)."""
    result: dict[int, list[str]] = {}
    for unit in units:
        for org_id in unit.subtree:
            result.setdefault(org_id, []).append(unit.key)
    return result


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    """An indicator as placed on a board: its name there, its effective domain and its
    value slots (one per component; a single slot with key None for a simple one)."""

    key: str
    name: str
    unit: str
    direction: str
    source: str
    domain: str
    slots: tuple[dict[str, Any], ...]
    indicator_id: int
    library_name: str = ""
    domain_name: str = ""

    @property
    def is_computed(self) -> bool:
        return self.source == IndicatorSource.COMPUTED

    @property
    def is_compound(self) -> bool:
        return self.slots[0]["key"] is not None

    @property
    def display_unit(self) -> str:
        if self.unit or not self.is_compound:
            return self.unit
        return "/".join(s["unit"] or s["name"] for s in self.slots)

    @property
    def heading(self) -> str:
        """The column heading: ``通报曝光（批次/人次）``."""
        return f"{self.name}（{self.display_unit}）" if self.display_unit else self.name

    def to_ranking(self) -> ranking.Indicator:
        return ranking.Indicator(
            key=self.key,
            name=self.name,
            unit=self.unit,
            direction=ranking.Direction(self.direction),
            components=tuple(
                ranking.Component(key=s["key"], name=s["name"], unit=s["unit"])
                for s in self.slots
                if s["key"] is not None
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "library_name": self.library_name,
            "unit": self.unit,
            "direction": self.direction,
            "source": self.source,
            "domain": self.domain,
            "domain_name": self.domain_name,
            "indicator_id": self.indicator_id,
            "slots": [dict(s) for s in self.slots],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Column:
        return cls(
            key=data["key"],
            name=data["name"],
            unit=data.get("unit", ""),
            direction=data.get("direction", "higher"),
            source=data["source"],
            domain=data.get("domain", ""),
            slots=tuple(dict(s) for s in data["slots"]),
            indicator_id=int(data.get("indicator_id", 0)),
            library_name=data.get("library_name", ""),
            domain_name=data.get("domain_name", ""),
        )

    def slot(self, component: str | None) -> dict[str, Any]:
        for s in self.slots:
            if s["key"] == (component or None):
                return s
        raise KeyError(component)


def board_columns(board: Board) -> list[Column]:
    """The board's indicators in column order (one query)."""
    board_domain = board.domain.code if board.domain is not None else ""
    board_domain_name = board.domain.name if board.domain is not None else ""
    rows = BoardIndicator.objects.filter(board=board).select_related(
        "indicator", "indicator__domain"
    )
    columns = []
    for row in rows.order_by("position", "pk"):
        indicator = row.indicator
        domain = indicator.domain.code if indicator.domain is not None else board_domain
        domain_name = indicator.domain.name if indicator.domain is not None else board_domain_name
        columns.append(
            Column(
                key=indicator.key,
                name=row.name,
                unit=indicator.unit,
                direction=indicator.direction,
                source=indicator.source,
                domain=domain,
                slots=tuple(indicator.slots()),
                indicator_id=indicator.pk,
                library_name=indicator.name,
                domain_name=domain_name,
            )
        )
    return columns


# --------------------------------------------------------------------------- values

Values = dict[tuple[str, str, str | None], int]  # (unit, indicator, component) -> value


def count_slot(
    *,
    statistic_key: str,
    start: dt.date,
    end: dt.date,
    domain: str,
    units: Sequence[BoardUnit],
    by_org: Mapping[int, list[str]] | None = None,
) -> dict[str, int]:
    """One statistic for every unit over ``start``–``end``: one grouped query, rolled up
    over each unit's subtree."""
    by_org = by_org if by_org is not None else contributors(units)
    stat = get_statistic(statistic_key)
    org_ids = list(by_org) if len(by_org) <= MAX_ORG_FILTER else None
    counts = stat.counts_by_org(start=start, end=end, domain=domain, org_ids=org_ids)
    totals = {u.key: 0 for u in units}
    for org_id, n in counts.items():
        for key in by_org.get(org_id, ()):
            totals[key] += n
    return totals


def computed_month_values(
    *, columns: Sequence[Column], units: Sequence[BoardUnit], month: str
) -> Values:
    """Every computed indicator for every unit in one month."""
    start, end = month_bounds(month)
    by_org = contributors(units)
    values: Values = {}
    for column in columns:
        if not column.is_computed:
            continue
        for slot in column.slots:
            totals = count_slot(
                statistic_key=slot["statistic"],
                start=start,
                end=end,
                domain=column.domain,
                units=units,
                by_org=by_org,
            )
            for key, n in totals.items():
                values[(key, column.key, slot["key"])] = n
    return values


@dataclass(frozen=True)
class Reported:
    """A reported figure and the uploaded row it came from."""

    value: Decimal
    value_id: int


def reported_values(
    *, board: Board, columns: Sequence[Column], units: Sequence[BoardUnit], months: Sequence[str]
) -> dict[tuple[str, str, str, str | None], Reported]:
    """(unit, month, indicator, component) → the latest upload's figure (one query)."""
    reported = {c.indicator_id: c for c in columns if not c.is_computed}
    if not reported:
        return {}
    keys = {u.org_id: u.key for u in units}
    rows = (
        ReportedValue.objects.filter(
            board=board, month__in=list(months), indicator_id__in=list(reported)
        )
        .order_by("upload_id", "pk")
        .values_list("pk", "org_id", "month", "indicator_id", "component", "value")
    )
    result: dict[tuple[str, str, str, str | None], Reported] = {}
    for pk, org_id, month, indicator_id, component, value in rows:
        if org_id not in keys:
            continue
        column = reported[indicator_id]
        result[(keys[org_id], month, column.key, component or None)] = Reported(value, pk)
    return result


def signature(*, columns: Sequence[Column], units: Sequence[BoardUnit]) -> str:
    """What a month's computed figures depend on besides the records: the computed
    indicators' definitions and every unit's subtree. A later close reuses an earlier
    month's frozen figures only when this is unchanged."""
    payload = {
        "columns": [
            c.to_dict() | {"name": "", "domain_name": ""} for c in columns if c.is_computed
        ],
        "units": [[u.key, list(u.subtree)] for u in units],
    }
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- spec


def board_spec(
    *, board: Board, columns: Sequence[Column], units: Sequence[BoardUnit], months: Sequence[str]
) -> ranking.BoardSpec:
    return ranking.BoardSpec(
        title=board.title,
        indicators=tuple(c.to_ranking() for c in columns),
        months=tuple(months),
        colours=ranking.ColourSettings(
            red_points=board.red_points,
            blue_points=board.blue_points,
            white_points=board.white_points,
            top_n=board.top_n,
        ),
        cumulative_mode=ranking.CumulativeMode(board.cumulative_mode),
        units=tuple(u.key for u in units),
        yellow_units={u.key: u.yellow for u in units if u.yellow},
        # Tie-breakers naming an indicator no longer on the board are left out.
        last_place=ranking.LastPlaceRule(
            tie_breakers=tuple(
                k
                for k in board.tie_breakers or []
                if k == ranking.PREVIOUS_RANK or any(c.key == k for c in columns)
            ),
            max_tied=board.max_tied_last,
        ),
    )


@dataclass
class MonthFigures:
    """The figures of every month of a close, and where each month's came from."""

    computed: dict[str, Values] = field(default_factory=dict)  # month -> values
    sources: dict[str, int | None] = field(default_factory=dict)  # month -> snapshot id
    reported: dict[tuple[str, str, str, str | None], Reported] = field(default_factory=dict)
    # Summed computed figures of runs of months, taken whole from the previous month's
    # snapshot (January to the month before, and the quarter's months before this one):
    # months → their totals. Months inside a run are not in ``computed`` unless a
    # period needs them one by one.
    carried: dict[tuple[str, ...], Values] = field(default_factory=dict)

    def totals(self, months: Sequence[str]) -> Values:
        """The computed figures summed over ``months`` (the longest carried run inside
        them, plus the other months one by one)."""
        wanted = list(months)
        totals: Values = {}
        runs = [run for run in self.carried if run and set(run) <= set(wanted)]
        if runs:
            run = max(runs, key=len)
            totals = dict(self.carried[run])
            wanted = [m for m in wanted if m not in run]
        for month in wanted:
            for slot, value in self.computed[month].items():
                totals[slot] = totals.get(slot, 0) + value
        return totals

    def observations(
        self, *, columns: Sequence[Column], months: Sequence[str]
    ) -> list[ranking.Observation]:
        observations: list[ranking.Observation] = []
        for month in months:
            for (unit, indicator, component), value in self.computed[month].items():
                observations.append(
                    ranking.Observation(
                        unit=unit,
                        month=month,
                        indicator=indicator,
                        component=component,
                        value=value,
                    )
                )
        wanted = set(months)
        for (unit, month, indicator, component), figure in self.reported.items():
            if month in wanted:
                observations.append(
                    ranking.Observation(
                        unit=unit,
                        month=month,
                        indicator=indicator,
                        component=component,
                        value=figure.value,
                    )
                )
        return observations


def find_missing(
    *,
    figures: MonthFigures,
    columns: Sequence[Column],
    units: Sequence[BoardUnit],
    months: Sequence[str],
) -> list[ranking.MissingValue]:
    """Reported figures that no upload gave (computed figures are never missing)."""
    reported = [c for c in columns if not c.is_computed]
    return [
        ranking.MissingValue(unit=u.key, month=m, indicator=c.key, component=s["key"])
        for u in units
        for m in months
        for c in reported
        for s in c.slots
        if (u.key, m, c.key, s["key"]) not in figures.reported
    ]


def period_values(
    *,
    figures: MonthFigures,
    columns: Sequence[Column],
    units: Sequence[BoardUnit],
    months: Sequence[str],
) -> dict[str, dict[str, tuple[Decimal, ...]]]:
    """Each unit's total of each indicator over ``months`` (a missing reported figure
    adds 0), ready for :func:`ranking.rank_period`."""
    summed = figures.totals(months)
    reported = figures.reported
    layout = [(c.key, c.is_computed, [s["key"] for s in c.slots]) for c in columns]
    totals: dict[str, dict[str, tuple[Decimal, ...]]] = {}
    # Counts repeat across thousands of units: one tuple per distinct single count.
    single: dict[int, tuple[Decimal]] = {}
    for unit in units:
        key = unit.key
        row: dict[str, tuple[Decimal, ...]] = {}
        for column, is_computed, slots in layout:
            if is_computed and len(slots) == 1:
                n = summed.get((key, column, slots[0]), 0)
                found = single.get(n)
                if found is None:
                    found = single[n] = (Decimal(n),)
                row[column] = found
            elif is_computed:
                row[column] = tuple(Decimal(summed.get((key, column, slot), 0)) for slot in slots)
            else:
                row[column] = tuple(
                    sum(
                        (
                            figure.value
                            for month in months
                            if (figure := reported.get((key, month, column, slot))) is not None
                        ),
                        Decimal(0),
                    )
                    for slot in slots
                )
        totals[key] = row
    return totals


def frozen_values(
    own: Mapping[str, Any],
    *,
    columns: Sequence[Column],
    units: Sequence[BoardUnit],
    part: str = "values",
) -> Values:
    """Computed figures stored by an earlier close (``snapshot.figures``): the month's
    (``values``) or January to that month summed (``totals``)."""
    values: Values = {}
    stored = own[part]
    layout = [(c.key, [s["key"] for s in c.slots]) for c in columns if c.is_computed]
    for unit in units:
        key = unit.key
        row = stored[key]
        for column, slots in layout:
            for slot, number in zip(slots, row[column], strict=True):
                values[(key, column, slot)] = number
    return values


def own_values(
    values: Values, *, columns: Sequence[Column], units: Sequence[BoardUnit]
) -> dict[str, dict[str, list[int]]]:
    """The month's computed figures, compact, for later closes to reuse."""
    layout = [(c.key, [s["key"] for s in c.slots]) for c in columns if c.is_computed]
    return {
        unit.key: {
            column: [values[(unit.key, column, slot)] for slot in slots] for column, slots in layout
        }
        for unit in units
    }


def overall_of(period: ranking.PeriodResult) -> dict[str, list[int]]:
    """unit → [composite, overall rank] of one period."""
    return {row.unit: [row.composite, row.overall_rank] for row in period.rows}


def light_period(month: str, overall: Mapping[str, Sequence[int]]) -> ranking.PeriodResult:
    """A month's composite ranking without cells (enough to look for consecutive last)."""
    rows = tuple(
        sorted(
            (
                ranking.UnitResult(unit=unit, cells=(), composite=int(c), overall_rank=int(r))
                for unit, (c, r) in overall.items()
            ),
            key=lambda row: row.overall_rank,
        )
    )
    return ranking.PeriodResult(
        key=month,
        label=ranking.month_label(month),
        kind=ranking.PeriodKind.MONTH,
        months=(month,),
        basis=ranking.RankingBasis.VALUES,
        rows=rows,
    )


def describe_missing_named(
    missing: Sequence[ranking.MissingValue],
    *,
    spec: ranking.BoardSpec,
    names: Mapping[str, str],
) -> str:
    """The calculator's missing-figures message, with unit names instead of keys."""
    from dataclasses import replace

    named = [replace(m, unit=names.get(m.unit, m.unit)) for m in missing]
    return ranking.describe_missing(named, spec=spec)
