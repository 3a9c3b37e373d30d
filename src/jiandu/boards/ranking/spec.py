"""What defines a 多色榜 apart from its figures: the enums, the errors, the indicators,
colours and last-place rule of a :class:`BoardSpec` (read from JSON with every problem
reported at once), and the observations it ranks."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from jiandu.boards.ranking.formats import _month_index, month_label, months_label, parse_month

# --------------------------------------------------------------------------- enums


class Direction(StrEnum):
    """Whether a higher or a lower value of an indicator means better work."""

    HIGHER = "higher"
    LOWER = "lower"

    @property
    def label(self) -> str:
        return "越高越好" if self is Direction.HIGHER else "越低越好"


class Colour(StrEnum):
    """The colour of one indicator cell on the board."""

    RED = "red"
    BLUE = "blue"
    WHITE = "white"

    @property
    def label(self) -> str:
        return {"red": "红", "blue": "蓝", "white": "白"}[self.value]


class CumulativeMode(StrEnum):
    """How the cumulative board (e.g. 1—9月) is ranked."""

    SUM_VALUES = "sum_values"
    SUM_POINTS = "sum_points"

    @property
    def label(self) -> str:
        if self is CumulativeMode.SUM_VALUES:
            return "按各月数值累加后排名"
        return "按各月得分累加后排名"


class MissingPolicy(StrEnum):
    """What a missing value (a unit without a figure for an indicator in a month) means."""

    ERROR = "error"
    ZERO = "zero"

    @property
    def label(self) -> str:
        return "缺少数据即报错" if self is MissingPolicy.ERROR else "缺少的数据按0计"


class PeriodKind(StrEnum):
    MONTH = "month"
    CUMULATIVE = "cumulative"


class RankingBasis(StrEnum):
    """What the indicator cells of a period were ranked on."""

    VALUES = "values"
    POINTS = "points"


class WarningKind(StrEnum):
    """Why a unit is singled out after the board is drawn."""

    CONSECUTIVE_LAST = "consecutive_last"
    QUARTER_LAST = "quarter_last"
    CUMULATIVE_BOTTOM = "cumulative_bottom"

    @property
    def label(self) -> str:
        return {
            "consecutive_last": "连续末位",
            "quarter_last": "季度末位",
            "cumulative_bottom": "累计排名靠后",
        }[self.value]


# --------------------------------------------------------------------------- errors


class BoardError(ValueError):
    """Any problem that stops a board from being drawn; the message is for the user."""


class SpecError(BoardError):
    """The board spec (indicators, colours, months, units) is not usable."""

    def __init__(self, problems: Sequence[str]):
        self.problems = tuple(problems)
        super().__init__("多色榜规则有误：\n" + "\n".join(f"- {p}" for p in self.problems))


@dataclass(frozen=True)
class ValueProblem:
    """One bad observation: its position in the input, the field at fault and why.

    ``other_index`` points at the earlier observation a duplicate repeats.
    """

    index: int
    field: str
    message: str
    other_index: int | None = None


class ValueInputError(BoardError):
    """Observations that name unknown units, months or indicators, or bad numbers."""

    def __init__(self, problems: Sequence[ValueProblem]):
        self.problems = tuple(problems)
        lines = []
        for p in self.problems:
            line = f"- 第{p.index + 1}条数据（{p.field}）：{p.message}"
            if p.other_index is not None:
                line += f"（与第{p.other_index + 1}条重复）"
            lines.append(line)
        super().__init__("多色榜数据有误：\n" + "\n".join(lines))


@dataclass(frozen=True)
class MissingValue:
    """A figure a participating unit lacks: which unit, month, indicator (and component)."""

    unit: str
    month: str
    indicator: str
    component: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "month": self.month,
            "indicator": self.indicator,
            "component": self.component,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MissingValue:
        return cls(
            unit=data["unit"],
            month=data["month"],
            indicator=data["indicator"],
            component=data.get("component"),
        )


class MissingValuesError(BoardError):
    """Participating units lack figures and the caller said that is an error."""

    def __init__(self, missing: Sequence[MissingValue], *, spec: BoardSpec | None = None):
        self.missing = tuple(missing)
        self.units = tuple(dict.fromkeys(m.unit for m in self.missing))
        super().__init__(describe_missing(self.missing, spec=spec))


def describe_missing(missing: Sequence[MissingValue], *, spec: BoardSpec | None = None) -> str:
    """A Chinese sentence per unit listing the months and indicators it lacks."""
    by_unit: dict[str, dict[str, list[str]]] = {}
    for m in missing:
        name = m.indicator
        if spec is not None:
            indicator = spec.indicator(m.indicator)
            name = indicator.name
            if m.component is not None:
                name += "·" + indicator.component(m.component).name
        by_unit.setdefault(m.unit, {}).setdefault(m.month, []).append(name)
    lines = [f"以下{len(by_unit)}个单位缺少数据："]
    for unit, months in by_unit.items():
        parts = [f"{month_label(month)}：{'、'.join(names)}" for month, names in months.items()]
        lines.append(f"- {unit}（{'；'.join(parts)}）")
    return "\n".join(lines)


# --------------------------------------------------------------------------- the spec


@dataclass(frozen=True)
class Component:
    """One part of a compound indicator, e.g. 批次 of 通报曝光(批次/人次)."""

    key: str
    name: str
    unit: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "unit": self.unit}


@dataclass(frozen=True)
class Indicator:
    """A column of the board: what is counted, in what unit, and which way is better.

    ``components`` makes it compound: the ranking compares the first component and
    breaks ties with the next ones, in order.
    """

    key: str
    name: str
    unit: str = ""
    direction: Direction = Direction.HIGHER
    components: tuple[Component, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "direction", Direction(self.direction))
        object.__setattr__(self, "components", tuple(self.components))

    @property
    def is_compound(self) -> bool:
        return bool(self.components)

    @property
    def component_keys(self) -> tuple[str | None, ...]:
        """The value slots of this indicator: ``(None,)`` for a simple one."""
        return tuple(c.key for c in self.components) if self.components else (None,)

    @property
    def display_unit(self) -> str:
        if self.unit or not self.components:
            return self.unit
        return "/".join(c.unit or c.name for c in self.components)

    @property
    def heading(self) -> str:
        """The column heading as printed on the board: ``通报曝光（批次/人次）``."""
        return f"{self.name}（{self.display_unit}）" if self.display_unit else self.name

    def component(self, key_or_name: str) -> Component:
        for component in self.components:
            if key_or_name in (component.key, component.name):
                return component
        raise KeyError(key_or_name)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key,
            "name": self.name,
            "unit": self.unit,
            "direction": self.direction.value,
        }
        if self.components:
            data["components"] = [c.to_dict() for c in self.components]
        return data


@dataclass(frozen=True)
class ColourSettings:
    """Points per colour and how many places count as the top (red)."""

    red_points: int = 5
    blue_points: int = 3
    white_points: int = 1
    top_n: int = 3

    def points(self, colour: Colour) -> int:
        return {
            Colour.RED: self.red_points,
            Colour.BLUE: self.blue_points,
            Colour.WHITE: self.white_points,
        }[colour]

    def describe(self) -> str:
        return (
            f"红色为单项排名前{self.top_n}名，计{self.red_points}分；"
            f"蓝色为单项排名中间，计{self.blue_points}分；"
            f"白色为单项排名最后，计{self.white_points}分"
        )

    def to_dict(self) -> dict[str, int]:
        return {
            "red_points": self.red_points,
            "blue_points": self.blue_points,
            "white_points": self.white_points,
            "top_n": self.top_n,
        }


# The tie-breaker that compares the units' overall rank in the period before.
PREVIOUS_RANK = "previous_rank"
PREVIOUS_RANK_LABEL = "上期综合排名"


@dataclass(frozen=True)
class LastPlaceRule:
    """What "last" means when units tie at the bottom of an overall ranking.

    Among the units with the lowest composite, each tie-breaker in turn keeps only the
    worst of them: an indicator (by key) keeps the units with the worst value of that
    indicator in the period (by its direction; a compound one compared component by
    component); :data:`PREVIOUS_RANK` keeps the units with the worst overall rank in the
    period before. A tie-breaker that cannot be applied to every unit still tied (no
    previous period, a unit that did not take part in it) is passed over. When more
    than ``max_tied`` units are still tied, nobody is last.
    """

    tie_breakers: tuple[str, ...] = ()
    max_tied: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {"tie_breakers": list(self.tie_breakers), "max_tied": self.max_tied}

    def describe(self, spec: BoardSpec | None = None) -> str:
        """The rule in one Chinese sentence, e.g. for the legend of a board."""
        names = [tie_breaker_label(key, spec) for key in self.tie_breakers]
        text = "综合得分最低的单位为末位"
        if names:
            text += f"；得分相同的，依次比较{'、'.join(names)}，较差者为末位"
        return text + f"；仍并列末位的单位多于{self.max_tied}个时，不确定末位、不发预警"


def tie_breaker_label(key: str, spec: BoardSpec | None = None) -> str:
    """A tie-breaker as a person reads it: “处置问题线索”, 上期综合排名."""
    if key == PREVIOUS_RANK:
        return PREVIOUS_RANK_LABEL
    if spec is not None:
        try:
            return f"“{spec.indicator(key).name}”"
        except KeyError:
            pass
    return f"“{key}”"


_SPEC_KEYS = {
    "last_place",
    "title",
    "indicators",
    "months",
    "colours",
    "cumulative_mode",
    "units",
    "yellow_units",
}
DEFAULT_YELLOW_LABEL = "黄色标注单位"


@dataclass(frozen=True)
class BoardSpec:
    """Everything that defines a board apart from the figures.

    ``months`` are consecutive ``YYYY-MM`` months; the cumulative period spans them all.
    ``units`` lists the participants in display order; when empty, every unit that has
    a figure participates, in order of first appearance. ``yellow_units`` maps a unit
    to its yellow label (牵头单位纪检组, 脱贫摘帽县 …).
    """

    indicators: tuple[Indicator, ...]
    months: tuple[str, ...]
    colours: ColourSettings = field(default_factory=ColourSettings)
    cumulative_mode: CumulativeMode = CumulativeMode.SUM_VALUES
    units: tuple[str, ...] = ()
    yellow_units: Mapping[str, str] = field(default_factory=dict, hash=False)
    title: str = ""
    last_place: LastPlaceRule = field(default_factory=LastPlaceRule)

    def __post_init__(self) -> None:
        problems: list[str] = []
        object.__setattr__(self, "indicators", tuple(self.indicators))
        object.__setattr__(self, "units", tuple(self.units))
        object.__setattr__(self, "yellow_units", dict(self.yellow_units))
        try:
            object.__setattr__(self, "cumulative_mode", CumulativeMode(self.cumulative_mode))
        except ValueError:
            problems.append(
                f"cumulative_mode：“{self.cumulative_mode}”无效，应为 sum_values 或 sum_points"
            )
        months: list[str] = []
        for i, raw in enumerate(self.months):
            try:
                months.append(parse_month(raw))
            except ValueError as exc:
                problems.append(f"months[{i}]：{exc}")
        object.__setattr__(self, "months", tuple(months))
        problems += self._check_indicators()
        problems += self._check_months()
        problems += self._check_colours()
        problems += self._check_units()
        problems += self._check_last_place()
        if problems:
            raise SpecError(problems)

    def _check_indicators(self) -> list[str]:
        problems: list[str] = []
        if not self.indicators:
            problems.append("indicators：至少需要一个指标")
        seen: set[str] = set()
        for i, indicator in enumerate(self.indicators):
            where = f"indicators[{i}]"
            if not indicator.key or "." in indicator.key:
                problems.append(f"{where}.key：指标代码不能为空，也不能含“.”")
            if not indicator.name:
                problems.append(f"{where}.name：指标名称不能为空")
            # Values may name an indicator by key or by Chinese name: both must be unique.
            names = {indicator.key, indicator.name} - {""}
            if names & seen:
                problems.append(f"{where}：指标“{'、'.join(sorted(names & seen))}”重复")
            seen |= names
            if len(indicator.components) == 1:
                problems.append(f"{where}.components：复合指标至少需要两个分项")
            component_seen: set[str] = set()
            for j, component in enumerate(indicator.components):
                cwhere = f"{where}.components[{j}]"
                if not component.key or "." in component.key:
                    problems.append(f"{cwhere}.key：分项代码不能为空，也不能含“.”")
                if not component.name:
                    problems.append(f"{cwhere}.name：分项名称不能为空")
                cnames = {component.key, component.name} - {""}
                if cnames & component_seen:
                    problems.append(
                        f"{cwhere}：分项“{'、'.join(sorted(cnames & component_seen))}”重复"
                    )
                component_seen |= cnames
        return problems

    def _check_months(self) -> list[str]:
        if not self.months:
            return ["months：至少需要一个月份"]
        indexes = [_month_index(m) for m in self.months]
        if any(b != a + 1 for a, b in itertools.pairwise(indexes)):
            return ["months：月份应按时间顺序连续排列，不能重复或跳月"]
        return []

    def _check_colours(self) -> list[str]:
        c = self.colours
        values = (c.red_points, c.blue_points, c.white_points, c.top_n)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return ["colours：分值和前几名均应为整数"]
        problems = []
        if c.top_n < 1:
            problems.append("colours.top_n：应至少为1")
        if not c.red_points > c.blue_points > c.white_points >= 0:
            problems.append("colours：分值应满足 红 > 蓝 > 白 ≥ 0")
        return problems

    def _check_units(self) -> list[str]:
        problems = []
        if any(not u for u in self.units):
            problems.append("units：单位名称不能为空")
        if len(set(self.units)) != len(self.units):
            problems.append("units：单位重复")
        for unit, label in self.yellow_units.items():
            if not unit:
                problems.append("yellow_units：单位名称不能为空")
            elif self.units and unit not in self.units:
                problems.append(f"yellow_units：“{unit}”不在 units 中")
            if not isinstance(label, str) or not label:
                problems.append(f"yellow_units：“{unit}”的标注不能为空")
        return problems

    def _check_last_place(self) -> list[str]:
        """Tie-breakers name indicators (by key or name, stored as the key) or
        ``previous_rank``, each once; at least one unit may be last."""
        rule = self.last_place
        problems = []
        max_tied = rule.max_tied
        if not isinstance(max_tied, int) or isinstance(max_tied, bool) or max_tied < 1:
            problems.append("last_place.max_tied：末位并列单位数上限应为不小于1的整数")
        keys: list[str] = []
        for i, raw in enumerate(rule.tie_breakers):
            where = f"last_place.tie_breakers[{i}]"
            if raw in (PREVIOUS_RANK, PREVIOUS_RANK_LABEL):
                key = PREVIOUS_RANK
            else:
                try:
                    key = self.indicator(str(raw)).key
                except KeyError:
                    available = "、".join([*(i.key for i in self.indicators), PREVIOUS_RANK])
                    problems.append(f"{where}：“{raw}”不是本榜的指标（可用：{available}）")
                    continue
            if key in keys:
                problems.append(f"{where}：“{raw}”重复")
                continue
            keys.append(key)
        object.__setattr__(
            self, "last_place", LastPlaceRule(tie_breakers=tuple(keys), max_tied=max_tied)
        )
        return problems

    # ----- lookups

    def indicator(self, key_or_name: str) -> Indicator:
        """The indicator with this key or Chinese name."""
        for indicator in self.indicators:
            if key_or_name in (indicator.key, indicator.name):
                return indicator
        raise KeyError(key_or_name)

    def yellow_label(self, unit: str) -> str | None:
        return self.yellow_units.get(unit)

    @property
    def period_label(self) -> str:
        return months_label(self.months)

    def with_months(self, months: Sequence[str]) -> BoardSpec:
        """The same board over other months (e.g. one quarter out of 1—9月)."""
        return BoardSpec(
            indicators=self.indicators,
            months=tuple(months),
            colours=self.colours,
            cumulative_mode=self.cumulative_mode,
            units=self.units,
            yellow_units=self.yellow_units,
            title=self.title,
            last_place=self.last_place,
        )

    # ----- JSON

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "indicators": [i.to_dict() for i in self.indicators],
            "months": list(self.months),
            "colours": self.colours.to_dict(),
            "cumulative_mode": self.cumulative_mode.value,
            "units": list(self.units),
            "yellow_units": dict(self.yellow_units),
            "last_place": self.last_place.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: object) -> BoardSpec:
        """Build a spec from parsed JSON; every problem found is reported at once."""
        if not isinstance(data, Mapping):
            raise SpecError(["规则应为一个 JSON 对象"])
        problems: list[str] = []
        unknown = sorted(set(data) - _SPEC_KEYS)
        if unknown:
            problems.append(
                f"不认识的字段：{'、'.join(unknown)}（可用：{'、'.join(sorted(_SPEC_KEYS))}）"
            )
        indicators = _parse_indicators(data.get("indicators"), problems)
        months = data.get("months")
        if not isinstance(months, list) or not months:
            problems.append('months：应为非空的月份列表，如 ["2019-08", "2019-09"]')
            months = []
        colours = _parse_colours(data.get("colours", {}), problems)
        units = data.get("units", [])
        if not isinstance(units, list) or not all(isinstance(u, str) for u in units):
            problems.append("units：应为单位名称的列表")
            units = []
        yellow = _parse_yellow(data.get("yellow_units", {}), problems)
        title = data.get("title", "")
        if not isinstance(title, str):
            problems.append("title：应为文字")
            title = ""
        last_place = _parse_last_place(data.get("last_place", {}), problems)
        if problems:
            raise SpecError(problems)
        return cls(
            indicators=tuple(indicators),
            months=tuple(months),
            colours=colours,
            cumulative_mode=data.get("cumulative_mode", CumulativeMode.SUM_VALUES.value),
            units=tuple(u.strip() for u in units),
            yellow_units=yellow,
            title=title,
            last_place=last_place,
        )


def _parse_last_place(raw: object, problems: list[str]) -> LastPlaceRule:
    if not isinstance(raw, Mapping):
        problems.append(
            'last_place：应为对象，如 {"tie_breakers": ["previous_rank"], "max_tied": 1}'
        )
        return LastPlaceRule()
    unknown = sorted(set(raw) - {"tie_breakers", "max_tied"})
    if unknown:
        problems.append(
            f"last_place：不认识的字段：{'、'.join(unknown)}（可用：max_tied、tie_breakers）"
        )
    breakers = raw.get("tie_breakers", [])
    if not isinstance(breakers, list) or not all(isinstance(b, str) for b in breakers):
        problems.append("last_place.tie_breakers：应为指标代码（或 previous_rank）的列表")
        breakers = []
    max_tied = raw.get("max_tied", 1)
    if not isinstance(max_tied, int) or isinstance(max_tied, bool):
        problems.append("last_place.max_tied：应为整数")
        max_tied = 1
    return LastPlaceRule(tie_breakers=tuple(b.strip() for b in breakers), max_tied=max_tied)


def _text(value: object, where: str, problems: list[str], *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(f"{where}：应为非空文字")
        return ""
    return value.strip()


def _parse_indicators(raw: object, problems: list[str]) -> list[Indicator]:
    if not isinstance(raw, list) or not raw:
        problems.append("indicators：应为非空的指标列表")
        return []
    indicators = []
    for i, item in enumerate(raw):
        where = f"indicators[{i}]"
        if not isinstance(item, Mapping):
            problems.append(f"{where}：应为对象")
            continue
        extra = sorted(set(item) - {"key", "name", "unit", "direction", "components"})
        if extra:
            problems.append(f"{where}：不认识的字段 {'、'.join(extra)}")
        direction = item.get("direction", Direction.HIGHER.value)
        if direction not in {d.value for d in Direction}:
            problems.append(f"{where}.direction：“{direction}”无效，应为 higher 或 lower")
            direction = Direction.HIGHER.value
        components = []
        raw_components = item.get("components", [])
        if not isinstance(raw_components, list):
            problems.append(f"{where}.components：应为分项列表")
            raw_components = []
        for j, comp in enumerate(raw_components):
            cwhere = f"{where}.components[{j}]"
            if not isinstance(comp, Mapping):
                problems.append(f"{cwhere}：应为对象")
                continue
            components.append(
                Component(
                    key=_text(comp.get("key"), f"{cwhere}.key", problems),
                    name=_text(comp.get("name", comp.get("key")), f"{cwhere}.name", problems),
                    unit=_text(comp.get("unit"), f"{cwhere}.unit", problems, required=False),
                )
            )
        indicators.append(
            Indicator(
                key=_text(item.get("key"), f"{where}.key", problems),
                name=_text(item.get("name", item.get("key")), f"{where}.name", problems),
                unit=_text(item.get("unit"), f"{where}.unit", problems, required=False),
                direction=Direction(direction),
                components=tuple(components),
            )
        )
    return indicators


def _parse_colours(raw: object, problems: list[str]) -> ColourSettings:
    if not isinstance(raw, Mapping):
        problems.append("colours：应为对象")
        return ColourSettings()
    allowed = {"red_points", "blue_points", "white_points", "top_n"}
    extra = sorted(set(raw) - allowed)
    if extra:
        problems.append(f"colours：不认识的字段 {'、'.join(extra)}")
    values = {}
    for key in allowed & set(raw):
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"colours.{key}：应为整数")
        else:
            values[key] = value
    return ColourSettings(**values)


def _parse_yellow(raw: object, problems: list[str]) -> dict[str, str]:
    if isinstance(raw, list):
        if not all(isinstance(u, str) and u.strip() for u in raw):
            problems.append("yellow_units：应为单位名称列表，或“单位: 标注”的对象")
            return {}
        return {u.strip(): DEFAULT_YELLOW_LABEL for u in raw}
    if isinstance(raw, Mapping):
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
            problems.append("yellow_units：单位和标注均应为文字")
            return {}
        return {k.strip(): (v.strip() or DEFAULT_YELLOW_LABEL) for k, v in raw.items()}
    problems.append("yellow_units：应为单位名称列表，或“单位: 标注”的对象")
    return {}


# --------------------------------------------------------------------------- input values


@dataclass(frozen=True)
class Observation:
    """One figure: a unit's value of an indicator (or one of its components) in a month.

    ``indicator`` and ``component`` may be given by key or by Chinese name; ``month``
    in any form :func:`parse_month` accepts; ``value`` as int, float, Decimal or text.
    """

    unit: str
    month: str | dt.date
    indicator: str
    value: Decimal | int | float | str
    component: str | None = None
