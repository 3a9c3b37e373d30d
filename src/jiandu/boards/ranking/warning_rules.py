"""The warning rules: who is last in a period (tie-breakers, the maximum tied at last),
consecutive months last, last of a quarter, the bottom K of a cumulative period (cut by
the same tie-breakers; a tie left across the cut stops the list above it), and the
evidence each finding carries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from jiandu.boards.ranking.formats import _month_index, join_month_labels, months_label, quarter_of
from jiandu.boards.ranking.results import PeriodResult, UnitResult
from jiandu.boards.ranking.spec import (
    PREVIOUS_RANK,
    BoardSpec,
    Direction,
    LastPlaceRule,
    PeriodKind,
    WarningKind,
    tie_breaker_label,
)


@dataclass(frozen=True)
class Evidence:
    """One period behind a warning: the unit's composite and overall rank there.

    ``place`` is the unit's place as stated in a notice: for a unit found last, its
    place after the tie-breakers (``participants`` when it alone is last); ``shared``
    how many units share that place; ``tie_break`` how a tie at the bottom was broken.
    Evidence written before these existed reads back with ``place`` 0: the overall rank
    is stated then.
    """

    period: str
    label: str
    months: tuple[str, ...]
    composite: int
    overall_rank: int
    participants: int
    place: int = 0
    shared: int = 1
    tie_break: str = ""

    @property
    def stated_place(self) -> int:
        return self.place or self.overall_rank

    def describe(self) -> str:
        """E.g. “2020年2月综合得分12分，综合排名第38位（共38个单位）”."""
        where = "并列第" if self.shared > 1 else "第"
        text = (
            f"{self.label}综合得分{self.composite}分，"
            f"综合排名{where}{self.stated_place}位（共{self.participants}个单位）"
        )
        return text + (f"，{self.tie_break}" if self.tie_break else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "label": self.label,
            "months": list(self.months),
            "composite": self.composite,
            "overall_rank": self.overall_rank,
            "participants": self.participants,
            "place": self.place,
            "shared": self.shared,
            "tie_break": self.tie_break,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evidence:
        return cls(
            period=data["period"],
            label=data["label"],
            months=tuple(data["months"]),
            composite=int(data["composite"]),
            overall_rank=int(data["overall_rank"]),
            participants=int(data["participants"]),
            place=int(data.get("place", 0)),
            shared=int(data.get("shared", 1)),
            tie_break=data.get("tie_break", ""),
        )


@dataclass(frozen=True)
class LastPlace:
    """Who is last in one period under a :class:`LastPlaceRule`, and how it was decided.

    ``tied``: units sharing the lowest composite; ``remaining``: units still tied after
    the tie-breakers (``decided_by``, those that narrowed the tie); ``units``: the units
    last — the remaining ones when there are no more than the rule's maximum, else
    none. ``all_equal``: every unit has the same composite (nobody is last).
    """

    units: tuple[str, ...]
    participants: int
    tied: int = 0
    remaining: int = 0
    decided_by: tuple[str, ...] = ()
    tie_break: str = ""
    all_equal: bool = False

    @property
    def withheld(self) -> bool:
        """Units are tied last beyond the maximum: no 末位 warning."""
        return not self.units and self.remaining > 0 and not self.all_equal

    @property
    def place(self) -> int:
        """The place of the last units: ``participants`` when one unit alone is last."""
        return self.participants - self.remaining + 1

    def note(self, label: str = "") -> str:
        """Why nobody is last, e.g. “2020年5月末位并列18个单位，未发预警”; empty when
        somebody is."""
        if self.all_equal and self.participants:
            return f"{label}各单位综合得分相同，无末位，未发预警"
        if self.withheld:
            return f"{label}末位并列{self.remaining}个单位，未发预警"
        return ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "units": list(self.units),
            "participants": self.participants,
            "tied": self.tied,
            "remaining": self.remaining,
            "decided_by": list(self.decided_by),
            "tie_break": self.tie_break,
            "all_equal": self.all_equal,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LastPlace:
        return cls(
            units=tuple(data["units"]),
            participants=int(data["participants"]),
            tied=int(data.get("tied", 0)),
            remaining=int(data.get("remaining", 0)),
            decided_by=tuple(data.get("decided_by", ())),
            tie_break=data.get("tie_break", ""),
            all_equal=bool(data.get("all_equal", False)),
        )


def last_place(
    period: PeriodResult,
    *,
    spec: BoardSpec | None = None,
    previous: Mapping[str, int] | None = None,
) -> LastPlace:
    """The units last overall in ``period`` under the spec's :class:`LastPlaceRule`
    (without a spec: no tie-breakers, at most one unit last).

    ``previous`` maps units to their overall rank in the period before (the month
    before a month, the quarter before a quarter), for the ``previous_rank``
    tie-breaker. An indicator tie-breaker needs the period's cells: on a period read
    without them it is passed over, like ``previous_rank`` without ``previous``.
    """
    rule = spec.last_place if spec is not None else LastPlaceRule()
    rows = period.rows
    n = len(rows)
    if not rows:
        return LastPlace(units=(), participants=0)
    lowest = min(r.composite for r in rows)
    remaining = [r for r in rows if r.composite == lowest]
    tied = len(remaining)
    if tied == n:
        return LastPlace(units=(), participants=n, tied=n, remaining=n, all_equal=True)
    remaining, used = _order_tied(
        remaining, breakers=rule.tie_breakers, spec=spec, previous=previous
    )[0]
    units = tuple(r.unit for r in remaining) if len(remaining) <= rule.max_tied else ()
    tie_break = ""
    if units and tied > 1:
        tie_break = f"{tied}个单位综合得分同为最低"
        if used:
            names = "、".join(tie_breaker_label(key, spec) for key in used)
            tie_break += f"，依次比较{names}后"
            tie_break += "排在最后" if len(units) == 1 else f"仍有{len(units)}个单位并列"
        else:
            tie_break += "，并列末位"
    return LastPlace(
        units=units,
        participants=n,
        tied=tied,
        remaining=len(remaining),
        decided_by=tuple(used),
        tie_break=tie_break,
    )


def _breaker_keys(
    rows: Sequence[UnitResult],
    breaker: str,
    *,
    spec: BoardSpec | None,
    previous: Mapping[str, int] | None,
) -> dict[str, tuple[Decimal, ...]] | None:
    """unit → its key under one tie-breaker, the smaller the worse; None when the
    tie-breaker cannot be applied to every one of ``rows`` (no previous period, a unit
    absent from it, a period read without its cells)."""
    if breaker == PREVIOUS_RANK:
        if previous is None or any(r.unit not in previous for r in rows):
            return None
        return {r.unit: (Decimal(-int(previous[r.unit])),) for r in rows}
    assert spec is not None  # a tie-breaker other than previous_rank needs a spec
    indicator = spec.indicator(breaker)
    higher = indicator.direction is Direction.HIGHER
    keys: dict[str, tuple[Decimal, ...]] = {}
    for r in rows:
        found = [c for c in r.cells if c.indicator == indicator.key]
        if not found:
            return None
        value = found[0].value
        keys[r.unit] = value if higher else tuple(-v for v in value)
    return keys


def _order_tied(
    rows: Sequence[UnitResult],
    *,
    breakers: Sequence[str],
    spec: BoardSpec | None,
    previous: Mapping[str, int] | None,
    used: tuple[str, ...] = (),
) -> list[tuple[list[UnitResult], tuple[str, ...]]]:
    """Units of equal composite ordered worst first by the tie-breakers, in turn: the
    classes of units still tied after all of them, each with the tie-breakers that set
    it apart. A tie-breaker that cannot be applied to every unit of a class is passed
    over for that class. The first class is who is last (:func:`last_place`); the
    classes in order are how a bottom-K list is cut (:func:`bottom_list`)."""
    rows = list(rows)
    if len(rows) <= 1 or not breakers:
        return [(rows, used)]
    breaker, rest = breakers[0], breakers[1:]
    keys = _breaker_keys(rows, breaker, spec=spec, previous=previous)
    distinct = sorted(set(keys.values())) if keys is not None else []
    if keys is None or len(distinct) == 1:
        return _order_tied(rows, breakers=rest, spec=spec, previous=previous, used=used)
    ordered: list[tuple[list[UnitResult], tuple[str, ...]]] = []
    for key in distinct:
        ordered += _order_tied(
            [r for r in rows if keys[r.unit] == key],
            breakers=rest,
            spec=spec,
            previous=previous,
            used=(*used, breaker),
        )
    return ordered


@dataclass(frozen=True)
class BottomList:
    """The bottom ``k`` units of a cumulative period (e.g. the 集体诫勉谈话 list), cut by
    the same tie-breakers as :func:`last_place`.

    ``units`` are listed worst first. Units sharing a composite at the K-th place from
    the bottom are ordered by the spec's tie-breakers; units still tied across the cut
    after all of them are neither included nor excluded silently: **the list stops
    above the tie** — none of them is listed, and :meth:`note` says why. ``tied``: how
    many units were tied across the cut (0: the cut was clear), ``tied_place`` the place
    they share, ``composite`` their composite, ``tried`` the tie-breakers compared on
    them. ``places`` gives, for a listed unit whose place was decided by tie-breakers,
    its place, how many share it, and ``tie_break`` says how. ``all_equal``: every unit
    has the same composite (nobody is singled out).
    """

    units: tuple[str, ...]
    k: int
    participants: int
    tied: int = 0
    tied_place: int = 0
    composite: int = 0
    tried: tuple[str, ...] = ()
    places: Mapping[str, tuple[int, int]] = field(default_factory=dict, hash=False)
    tie_break: str = ""
    all_equal: bool = False

    @property
    def stopped(self) -> bool:
        """Units tied across the K-th place left the list short of K."""
        return self.tied > 0

    def note(self, label: str = "", spec: BoardSpec | None = None) -> str:
        """Why the list is short, e.g. “2020年1—7月后10名：倒数第10名处有18个单位综合得分
        同为4分、并列第21位，无法确定谁在名单内，均不列入，名单列9个单位”; empty when
        the list holds K units (or every participant)."""
        if self.all_equal and self.participants:
            return f"{label}各单位综合得分相同，无后{self.k}名，名单为空"
        if not self.stopped:
            return ""
        compared = ""
        if self.tried:
            names = "、".join(tie_breaker_label(key, spec) for key in self.tried)
            compared = f"，依次比较{names}后仍"
        else:
            compared = "、"
        listed = f"名单列{len(self.units)}个单位" if self.units else "名单为空"
        return (
            f"{label}后{self.k}名：倒数第{self.k}名处有{self.tied}个单位综合得分同为"
            f"{self.composite}分{compared}并列第{self.tied_place}位，无法确定谁在名单内，"
            f"均不列入，{listed}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "units": list(self.units),
            "k": self.k,
            "participants": self.participants,
            "tied": self.tied,
            "tied_place": self.tied_place,
            "composite": self.composite,
            "tried": list(self.tried),
            "places": {unit: list(pair) for unit, pair in self.places.items()},
            "tie_break": self.tie_break,
            "all_equal": self.all_equal,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BottomList:
        return cls(
            units=tuple(data["units"]),
            k=int(data["k"]),
            participants=int(data["participants"]),
            tied=int(data.get("tied", 0)),
            tied_place=int(data.get("tied_place", 0)),
            composite=int(data.get("composite", 0)),
            tried=tuple(data.get("tried", ())),
            places={u: (int(p[0]), int(p[1])) for u, p in data.get("places", {}).items()},
            tie_break=data.get("tie_break", ""),
            all_equal=bool(data.get("all_equal", False)),
        )


def bottom_list(
    period: PeriodResult,
    *,
    k: int,
    spec: BoardSpec | None = None,
    previous: Mapping[str, int] | None = None,
) -> BottomList:
    """The bottom ``k`` units of a cumulative ``period`` under the spec's tie-breakers
    (``previous``: the overall ranks of the period before, for ``previous_rank``); see
    :class:`BottomList` for the rule at the cut."""
    if k < 1:
        raise ValueError("后几名的名数应至少为1")
    if period.kind is not PeriodKind.CUMULATIVE:
        raise ValueError(f"{period.label}不是累计排名")
    rows = sorted(period.rows, key=lambda r: r.composite)  # stable: ties in display order
    n = len(rows)
    if not rows or rows[0].composite == rows[-1].composite:
        return BottomList(units=(), k=k, participants=n, all_equal=bool(rows))
    if k >= n:
        return BottomList(units=tuple(r.unit for r in rows), k=k, participants=n)
    cut = rows[k - 1].composite
    below = [r for r in rows if r.composite < cut]
    at_cut = [r for r in rows if r.composite == cut]
    wanted = k - len(below)
    if len(at_cut) == wanted:
        return BottomList(units=tuple(r.unit for r in below + at_cut), k=k, participants=n)
    breakers = spec.last_place.tie_breakers if spec is not None else ()
    classes = _order_tied(at_cut, breakers=breakers, spec=spec, previous=previous)
    taken: list[UnitResult] = []
    places: dict[str, tuple[int, int]] = {}
    used: list[str] = []
    tied: list[UnitResult] = []
    for members, decided_by in classes:
        if len(taken) == wanted:
            break
        if len(taken) + len(members) > wanted:
            tied = members
            break
        start = len(below) + len(taken)  # members' positions from the bottom, 0-based
        for r in members:
            places[r.unit] = (n - (start + len(members)) + 1, len(members))
        taken += members
        used += [key for key in decided_by if key not in used]
    tied_place = n - (len(below) + len(taken) + len(tied)) + 1
    tie_break = ""
    if taken:
        names = "、".join(tie_breaker_label(key, spec) for key in used)
        tie_break = f"{len(at_cut)}个单位综合得分同为{cut}分，依次比较{names}后列入后{k}名"
    # The tie-breakers compared on the units left tied: all that could be applied.
    tried = tuple(
        key
        for key in breakers
        if _breaker_keys(tied, key, spec=spec, previous=previous) is not None
    )
    return BottomList(
        units=tuple(r.unit for r in below + taken),
        k=k,
        participants=n,
        tied=len(tied),
        tied_place=tied_place,
        composite=cut,
        tried=tried,
        places=places,
        tie_break=tie_break,
    )


@dataclass(frozen=True)
class WarningFinding:
    """A unit singled out by the board, with the periods that prove it.

    ``threshold`` is the run length (consecutive_last) or K (cumulative_bottom);
    ``scope`` names the span, e.g. ``2019年第三季度`` or ``2019年1—7月``.
    """

    kind: WarningKind
    unit: str
    evidence: tuple[Evidence, ...]
    threshold: int = 1
    scope: str = ""

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(m for e in self.evidence for m in e.months)

    def describe(self, *, unit_name: str | None = None) -> str:
        """The finding as one Chinese sentence, e.g. for a 通报's 预警情况."""
        name = unit_name or self.unit
        if self.kind is WarningKind.CONSECUTIVE_LAST:
            months = join_month_labels([e.months[0] for e in self.evidence])
            return f"{name}{months}综合排名连续{len(self.evidence)}个月位列末位"
        evidence = self.evidence[0]
        if self.kind is WarningKind.QUARTER_LAST:
            return (
                f"{name}{self.scope}综合排名位列末位"
                f"（综合得分{evidence.composite}分，第{evidence.stated_place}位，"
                f"共{evidence.participants}个单位）"
            )
        where = "并列第" if evidence.shared > 1 else "第"
        return (
            f"{name}{self.scope}综合排名{where}{evidence.stated_place}位"
            f"（共{evidence.participants}个单位），位列后{self.threshold}名"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "unit": self.unit,
            "threshold": self.threshold,
            "scope": self.scope,
            "evidence": [e.to_dict() for e in self.evidence],
            "description": self.describe(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WarningFinding:
        return cls(
            kind=WarningKind(data["kind"]),
            unit=data["unit"],
            evidence=tuple(Evidence.from_dict(e) for e in data["evidence"]),
            threshold=int(data.get("threshold", 1)),
            scope=data.get("scope", ""),
        )


def _evidence(period: PeriodResult, unit: str, last: LastPlace | None = None) -> Evidence:
    """The unit's evidence in ``period``; when it is found last there (``last``), its
    place after the tie-breakers."""
    row = period.row(unit)
    if last is not None and unit in last.units:
        place, shared, tie_break = last.place, len(last.units), last.tie_break
    else:
        place = row.overall_rank
        shared = sum(1 for r in period.rows if r.composite == row.composite)
        tie_break = ""
    return Evidence(
        period=period.key,
        label=period.label,
        months=period.months,
        composite=row.composite,
        overall_rank=row.overall_rank,
        participants=len(period.rows),
        place=place,
        shared=shared,
        tie_break=tie_break,
    )


def last_units(
    period: PeriodResult,
    *,
    spec: BoardSpec | None = None,
    previous: Mapping[str, int] | None = None,
) -> tuple[str, ...]:
    """The units last overall under the spec's rule (see :func:`last_place`): nobody
    when every unit has the same composite, or when more units than the rule allows
    are still tied at the bottom."""
    return last_place(period, spec=spec, previous=previous).units


def lowest_composites(composites: Iterable[tuple[str, int]]) -> tuple[str, ...]:
    """The units with the lowest composite, in the order given; nobody when all are
    equal (the rule of :func:`last_units`, for callers holding only the composites)."""
    pairs = list(composites)
    if not pairs:
        return ()
    lowest = min(c for _, c in pairs)
    if all(c == lowest for _, c in pairs):
        return ()
    return tuple(u for u, c in pairs if c == lowest)


def consecutive_last(
    *,
    periods: Sequence[PeriodResult],
    months: int = 2,
    latest_only: bool = False,
    spec: BoardSpec | None = None,
    lasts: Mapping[str, LastPlace] | None = None,
) -> list[WarningFinding]:
    """Units last overall in at least ``months`` consecutive calendar months.

    ``periods`` are monthly results in any order (e.g. re-read snapshots); a gap in the
    calendar breaks a run. Who is last in a month follows the spec's rule
    (:func:`last_place`, the month before given as the previous period when it is among
    ``periods``), unless ``lasts`` gives it for that month (as decided at its close).
    Each finding is one maximal run, its evidence the months of the run. With
    ``latest_only``, only runs that reach the latest month given — what a monthly close
    needs to decide on a 工作预警通知书.
    """
    if months < 1:
        raise ValueError("连续月数应至少为1")
    monthly = sorted(
        periods, key=lambda p: _month_index(p.key) if p.kind is PeriodKind.MONTH else 0
    )
    if any(p.kind is not PeriodKind.MONTH for p in monthly):
        raise ValueError("连续末位只看各月的排名，不能包含累计期间")
    keys = [p.key for p in monthly]
    if len(set(keys)) != len(keys):
        raise ValueError("同一月份出现了多次")
    if not monthly:
        return []
    latest = monthly[-1].key
    runs: dict[str, list[PeriodResult]] = {}
    findings: list[tuple[int, int, WarningFinding]] = []
    order: dict[str, int] = {}
    decided: dict[str, LastPlace] = {}

    def close(unit: str) -> None:
        run = runs.pop(unit, [])
        if len(run) >= months and (not latest_only or run[-1].key == latest):
            finding = WarningFinding(
                kind=WarningKind.CONSECUTIVE_LAST,
                unit=unit,
                evidence=tuple(_evidence(p, unit, decided[p.key]) for p in run),
                threshold=months,
                scope=months_label([p.key for p in run]),
            )
            findings.append((_month_index(run[0].key), order[unit], finding))

    previous: PeriodResult | None = None
    for period in monthly:
        for unit in period.units:
            order.setdefault(unit, len(order))
        adjacent = (
            previous is not None and _month_index(period.key) == _month_index(previous.key) + 1
        )
        found = (lasts or {}).get(period.key)
        if found is None:
            before = (
                {r.unit: r.overall_rank for r in previous.rows}
                if adjacent and previous is not None
                else None
            )
            found = last_place(period, spec=spec, previous=before)
        decided[period.key] = found
        last = set(found.units)
        for unit in list(runs):
            if unit not in last or not adjacent:
                close(unit)
        for unit in period.units:
            if unit in last:
                runs.setdefault(unit, []).append(period)
        previous = period
    for unit in list(runs):
        close(unit)
    return [f for _, _, f in sorted(findings, key=lambda t: (t[0], t[1]))]


def quarter_last(
    *,
    period: PeriodResult,
    spec: BoardSpec | None = None,
    previous: Mapping[str, int] | None = None,
    last: LastPlace | None = None,
) -> list[WarningFinding]:
    """Units last in a quarter's cumulative result (for the 约谈 of their leader), by
    the spec's rule (:func:`last_place`; ``previous``: the overall ranks of the quarter
    before), unless ``last`` gives who is last.

    ``period`` must be the cumulative period of a board over exactly one calendar
    quarter (draw it with ``spec.with_months([...])``).
    """
    scope = quarter_of(period.months)
    if period.kind is not PeriodKind.CUMULATIVE or scope is None:
        raise ValueError(f"{period.label}不是一个完整季度的累计排名")
    if last is None:
        last = last_place(period, spec=spec, previous=previous)
    return [
        WarningFinding(
            kind=WarningKind.QUARTER_LAST,
            unit=unit,
            evidence=(_evidence(period, unit, last),),
            scope=scope,
        )
        for unit in last.units
    ]


def cumulative_bottom(
    *,
    period: PeriodResult,
    k: int,
    spec: BoardSpec | None = None,
    previous: Mapping[str, int] | None = None,
    bottom: BottomList | None = None,
) -> list[WarningFinding]:
    """The bottom ``k`` units of a cumulative result as findings, worst first, cut by
    :func:`bottom_list` (the spec's tie-breakers; units still tied across the cut are
    not listed), unless ``bottom`` gives the list.

    As with :func:`last_units`, a period where every unit has the same composite
    singles out nobody.
    """
    if bottom is None:
        bottom = bottom_list(period, k=k, spec=spec, previous=previous)
    return [
        WarningFinding(
            kind=WarningKind.CUMULATIVE_BOTTOM,
            unit=unit,
            evidence=(_bottom_evidence(period, unit, bottom),),
            threshold=k,
            scope=period.label,
        )
        for unit in bottom.units
    ]


def _bottom_evidence(period: PeriodResult, unit: str, bottom: BottomList) -> Evidence:
    """The unit's evidence on a bottom-K list: its place after the tie-breakers when
    they decided it."""
    evidence = _evidence(period, unit)
    if unit not in bottom.places:
        return evidence
    place, shared = bottom.places[unit]
    return replace(evidence, place=place, shared=shared, tie_break=bottom.tie_break)
