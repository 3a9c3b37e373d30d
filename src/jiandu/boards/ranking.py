"""多色榜 (multi-colour board): the pure calculator.

Each month the 党风政风监督室 ranks the units it supervises (派驻机构, 监督检查室, 县区纪委监委)
on a set of work indicators (受理问题线索, 处置问题线索, 批评教育, 问责处理, 通报曝光 …) and
publishes the result as a board where every indicator cell is coloured:

* **red** (红, 5 points): among the top three of that indicator;
* **blue** (蓝, 3 points): in the middle;
* **white** (白, 1 point): last on that indicator;
* **yellow** (黄) is not a score but a marker on designated units (e.g. the 纪检组 of the
  lead unit of a 分指挥部, or a 脱贫摘帽县); it is carried through and never changes points.

The points of all indicators add up to the unit's **composite score** (综合得分) and the
units are ranked on it (综合排名). Besides each month, the board is drawn for the
cumulative period (e.g. 1—9月). Two consecutive months last brings a 工作预警通知书, last
of a quarter brings a 约谈 of the unit's leader; the warning helpers at the end of this
module find those units.

The rules, exactly, for each indicator and period among the participating units:

1. rank = 1 + the number of units with a strictly better value (ties share a rank);
2. white: units whose value equals the worst value — unless every unit has the same
   value, in which case all are blue;
3. red: units with rank ≤ ``top_n`` (3) that are not white;
4. blue: all others.

A compound indicator such as 通报曝光(批次/人次) ranks on its first component, ties broken
by the next. "Better" is higher or lower according to the indicator's direction. The
overall rank follows the same tie rule on the composite (higher is better).

A cumulative board ranks either on the months' summed values (``sum_values``, the
default: the cumulative period is ranked exactly like a month) or on the summed monthly
points (``sum_points``: a unit's cumulative composite is the sum of its monthly
composites; an indicator cell carries the summed points of that indicator and its rank
among units on those points, but no colour).

Nothing here touches Django or a database: the spec, the values and every result are
dataclasses that convert to and from JSON-ready dicts, so a monthly close can store a
snapshot and re-read it later (e.g. to look for two consecutive months last).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

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


# --------------------------------------------------------------------------- months and numbers

_MONTH_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT_MONTH_RE = re.compile(r"^(\d{4})(\d{2})$")
_QUARTER_NAMES = ("一", "二", "三", "四")


def parse_month(value: object) -> str:
    """A month as ``YYYY-MM``; accepts ``2019-9``, ``2019/09``, ``201909``, ``2019年9月``, dates."""
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    raw = unicodedata.normalize("NFKC", str(value)).strip()
    match = _MONTH_RE.match(raw) or _COMPACT_MONTH_RE.match(raw)
    if not match:
        raise ValueError(f"“{raw}”不是有效的月份，应写作 2019-09")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"“{raw}”中的月份应在1到12之间")
    return f"{year:04d}-{month:02d}"


def _month_parts(month: str) -> tuple[int, int]:
    year, number = month.split("-")
    return int(year), int(number)


def _month_index(month: str) -> int:
    year, number = _month_parts(month)
    return year * 12 + number - 1


def month_label(month: str) -> str:
    """``2019-09`` → ``2019年9月``."""
    year, number = _month_parts(month)
    return f"{year}年{number}月"


def months_label(months: Sequence[str]) -> str:
    """A span of consecutive months as the bulletins write it: ``2019年1—9月``."""
    if not months:
        return ""
    if len(months) == 1:
        return month_label(months[0])
    (y1, m1), (y2, m2) = _month_parts(months[0]), _month_parts(months[-1])
    if y1 == y2:
        return f"{y1}年{m1}—{m2}月"
    return f"{y1}年{m1}月—{y2}年{m2}月"


def join_month_labels(months: Sequence[str]) -> str:
    """Separate months listed the way a notice does: ``2019年8月、9月``."""
    parts: list[str] = []
    previous_year = None
    for month in months:
        year, number = _month_parts(month)
        parts.append(f"{number}月" if year == previous_year else f"{year}年{number}月")
        previous_year = year
    return "、".join(parts)


def quarter_of(months: Sequence[str]) -> str | None:
    """``2019年第三季度`` when the months are exactly one calendar quarter, else None."""
    if len(months) != 3:
        return None
    (year, first), *_ = (_month_parts(m) for m in months)
    if first not in (1, 4, 7, 10):
        return None
    expected = [f"{year:04d}-{first + i:02d}" for i in range(3)]
    if list(months) != expected:
        return None
    return f"{year}年第{_QUARTER_NAMES[(first - 1) // 3]}季度"


def to_decimal(value: object) -> Decimal:
    """A figure as an exact decimal (so that ties are real ties); rejects text and NaN."""
    # Fast paths for the figures a close produces by the hundred thousand.
    kind = type(value)
    if kind is int:
        return Decimal(value)  # type: ignore[arg-type]
    if kind is Decimal and value.is_finite():  # type: ignore[attr-defined]
        return value  # type: ignore[return-value]
    if isinstance(value, bool) or value is None:
        raise ValueError("应为数字")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if not text:
            raise ValueError("数值为空")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{value}”不是数字") from None
    else:
        raise ValueError(f"“{value}”不是数字")
    if not number.is_finite():
        raise ValueError(f"“{value}”不是有限的数字")
    return number


@functools.lru_cache(maxsize=8192)
def format_number(value: Decimal) -> str:
    """``12`` for whole numbers, ``0.85`` otherwise (no trailing zeros, no exponent)."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


@functools.lru_cache(maxsize=8192)
def _json_number(value: Decimal) -> int | float:
    if value == value.to_integral_value():
        return int(value)
    return float(value)


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


# --------------------------------------------------------------------------- the rules


def _exact(raw: object) -> bool:
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
        plain = _exact(raw)
        if plain and (found := seen.get(raw)) is not None:
            keys[unit] = found
            continue
        parts = tuple(raw) if isinstance(raw, tuple | list) else (raw,)
        key = tuple(v if type(v) is Decimal else to_decimal(v) for v in parts)
        # "Bigger key is better" whatever the direction, so the rules read the same.
        keys[unit] = key = key if higher else tuple(-v for v in key)
        if plain:
            seen[raw] = key
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


def rank_board(
    *,
    spec: BoardSpec,
    observations: Iterable[Observation],
    missing: MissingPolicy | str = MissingPolicy.ERROR,
) -> BoardResult:
    """Draw the board of every month of ``spec`` and of the cumulative period.

    ``missing`` says what a participant's missing figure means: ``error`` raises
    :class:`MissingValuesError` naming every unit and indicator lacking one; ``zero``
    counts it as 0 and records it on the period and the cell.
    """
    policy = MissingPolicy(missing)
    table, seen_units = _collect(spec, observations)
    participants = spec.units or tuple(seen_units)
    if not participants:
        raise BoardError("没有任何单位的数据，无法排名")
    absent_yellow = [u for u in spec.yellow_units if u not in participants]
    if absent_yellow:
        raise BoardError(f"黄色标注单位没有任何数据：{'、'.join(absent_yellow)}")

    missing_values = [
        MissingValue(unit=unit, month=month, indicator=indicator.key, component=component)
        for unit in participants
        for month in spec.months
        for indicator in spec.indicators
        for component in indicator.component_keys
        if (unit, month, indicator.key, component) not in table
    ]
    if missing_values and policy is MissingPolicy.ERROR:
        raise MissingValuesError(missing_values, spec=spec)
    missing_set = {(m.unit, m.month, m.indicator) for m in missing_values}

    def vector(unit: str, month: str, indicator: Indicator) -> tuple[Decimal, ...]:
        return tuple(
            table.get((unit, month, indicator.key, c), Decimal(0)) for c in indicator.component_keys
        )

    monthly = []
    for month in spec.months:
        values = {
            unit: {ind.key: vector(unit, month, ind) for ind in spec.indicators}
            for unit in participants
        }
        flags = {
            (unit, ind.key)
            for unit in participants
            for ind in spec.indicators
            if (unit, month, ind.key) in missing_set
        }
        monthly.append(
            _rank_on_values(
                spec=spec,
                participants=participants,
                values=values,
                flags=flags,
                key=month,
                label=month_label(month),
                kind=PeriodKind.MONTH,
                months=(month,),
                missing=tuple(m for m in missing_values if m.month == month),
            )
        )

    summed = {
        unit: {
            ind.key: tuple(
                sum((vector(unit, m, ind)[i] for m in spec.months), Decimal(0))
                for i in range(len(ind.component_keys))
            )
            for ind in spec.indicators
        }
        for unit in participants
    }
    flags = {(m.unit, m.indicator) for m in missing_values}
    label = months_label(spec.months)
    everything = tuple(missing_values)
    if spec.cumulative_mode is CumulativeMode.SUM_VALUES:
        cumulative = _rank_on_values(
            spec=spec,
            participants=participants,
            values=summed,
            flags=flags,
            key="cumulative",
            label=label,
            kind=PeriodKind.CUMULATIVE,
            months=spec.months,
            missing=everything,
        )
    else:
        cumulative = _rank_on_points(
            spec=spec,
            participants=participants,
            values=summed,
            flags=flags,
            label=label,
            months=spec.months,
            missing=everything,
            monthly=monthly,
        )
    return BoardResult(
        spec=spec, missing_policy=policy, months=tuple(monthly), cumulative=cumulative
    )


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


def _collect(
    spec: BoardSpec, observations: Iterable[Observation]
) -> tuple[dict[tuple[str, str, str, str | None], Decimal], list[str]]:
    """Check and index the observations; report every bad one at once."""
    problems: list[ValueProblem] = []
    table: dict[tuple[str, str, str, str | None], Decimal] = {}
    first_index: dict[tuple[str, str, str, str | None], int] = {}
    seen_units: dict[str, None] = {}
    allowed_units = set(spec.units)
    months = set(spec.months)
    indicator_names = "、".join(i.key for i in spec.indicators)
    # Look-ups repeated for every observation, done once per distinct input.
    by_name: dict[str, Indicator] = {}
    for candidate in reversed(spec.indicators):
        by_name[candidate.name] = candidate
    for candidate in reversed(spec.indicators):
        by_name[candidate.key] = candidate
    parsed_months: dict[str, str] = {}
    for index, obs in enumerate(observations):
        bad = len(problems)
        unit = (obs.unit or "").strip() if isinstance(obs.unit, str) else ""
        if not unit:
            problems.append(ValueProblem(index, "unit", "单位为空"))
        elif allowed_units and unit not in allowed_units:
            problems.append(ValueProblem(index, "unit", f"单位“{unit}”不在规则的 units 中"))
        month = ""
        try:
            if isinstance(obs.month, str) and obs.month in parsed_months:
                month = parsed_months[obs.month]
            else:
                month = parse_month(obs.month)
                if isinstance(obs.month, str):
                    parsed_months[obs.month] = month
        except ValueError as exc:
            problems.append(ValueProblem(index, "month", str(exc)))
        else:
            if month not in months:
                problems.append(
                    ValueProblem(
                        index,
                        "month",
                        f"{month_label(month)}不在规则的月份（{spec.period_label}）内",
                    )
                )
        indicator: Indicator | None = None
        component: str | None = None
        try:
            indicator = by_name[str(obs.indicator).strip()]
        except KeyError:
            problems.append(
                ValueProblem(
                    index,
                    "indicator",
                    f"指标“{obs.indicator}”不在规则中（可用：{indicator_names}）",
                )
            )
        if indicator is not None:
            if indicator.is_compound:
                keys = "、".join(c.key for c in indicator.components)
                if obs.component is None or not str(obs.component).strip():
                    problems.append(
                        ValueProblem(
                            index,
                            "component",
                            f"“{indicator.name}”是复合指标，需写明分项（{keys}）",
                        )
                    )
                else:
                    try:
                        component = indicator.component(str(obs.component).strip()).key
                    except KeyError:
                        problems.append(
                            ValueProblem(
                                index,
                                "component",
                                f"“{indicator.name}”没有分项“{obs.component}”（可用：{keys}）",
                            )
                        )
            elif obs.component is not None and str(obs.component).strip():
                problems.append(
                    ValueProblem(index, "component", f"“{indicator.name}”不是复合指标，不能写分项")
                )
        value = Decimal(0)
        try:
            value = to_decimal(obs.value)
        except ValueError as exc:
            problems.append(ValueProblem(index, "value", str(exc)))
        if len(problems) > bad or indicator is None:
            continue
        key = (unit, month, indicator.key, component)
        if key in first_index:
            problems.append(
                ValueProblem(index, "unit", "同一单位、月份、指标的数据重复", first_index[key])
            )
            continue
        first_index[key] = index
        table[key] = value
        seen_units.setdefault(unit)
    if problems:
        raise ValueInputError(problems)
    return table, list(seen_units)


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


# --------------------------------------------------------------------------- warnings


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
    used: list[str] = []
    for breaker in rule.tie_breakers:
        if len(remaining) <= 1:
            break
        if breaker == PREVIOUS_RANK:
            if previous is None or any(r.unit not in previous for r in remaining):
                continue
            worst_rank = max(int(previous[r.unit]) for r in remaining)
            narrowed = [r for r in remaining if int(previous[r.unit]) == worst_rank]
        else:
            assert spec is not None  # a tie-breaker other than previous_rank needs a spec
            indicator = spec.indicator(breaker)
            higher = indicator.direction is Direction.HIGHER
            keys: dict[str, tuple[Decimal, ...]] = {}
            for r in remaining:
                found = [c for c in r.cells if c.indicator == indicator.key]
                if not found:
                    break
                value = found[0].value
                keys[r.unit] = value if higher else tuple(-v for v in value)
            if len(keys) < len(remaining):
                continue
            worst_key = min(keys.values())
            narrowed = [r for r in remaining if keys[r.unit] == worst_key]
        if len(narrowed) < len(remaining):
            used.append(breaker)
        remaining = narrowed
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


def cumulative_bottom(*, period: PeriodResult, k: int) -> list[WarningFinding]:
    """The bottom ``k`` units of a cumulative result, all units tied at the cut included.

    As with :func:`last_units`, a period where every unit has the same composite
    singles out nobody.
    """
    if k < 1:
        raise ValueError("后几名的名数应至少为1")
    if period.kind is not PeriodKind.CUMULATIVE:
        raise ValueError(f"{period.label}不是累计排名")
    composites = sorted(r.composite for r in period.rows)
    if not composites or composites[0] == composites[-1]:
        return []
    cut = composites[min(k, len(composites)) - 1]
    chosen = [r for r in period.rows if r.composite <= cut]
    chosen.sort(key=lambda r: r.composite)
    return [
        WarningFinding(
            kind=WarningKind.CUMULATIVE_BOTTOM,
            unit=row.unit,
            evidence=(_evidence(period, row.unit),),
            threshold=k,
            scope=period.label,
        )
        for row in chosen
    ]
