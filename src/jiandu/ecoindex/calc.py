"""The political-ecology index (一图一表一指数), as exact rules on plain data.

No Django here: the monthly close (:mod:`jiandu.ecoindex.close`) and the pure calculator
(``jiandu index compute``, :mod:`jiandu.ecoindex.index_cli`) both call :func:`compute_month`
and :func:`regreened`, so what the platform freezes is what the calculator prints.

The rules (docs/user-guide/ecoindex.md has them with a worked example):

* a leaf is scored by its method over the participating units of one month —
  ``minmax``: 100·(x − min)/(max − min) when higher is better, 100·(max − x)/(max − min)
  when lower is better, min and max over the units that have a value, every unit 100
  when max = min; ``deduction``: max(floor, 100 − points·x); ``thresholds``:
  piecewise-linear between breakpoints, flat outside them;
* a node's score is Σ wᵢ·sᵢ / Σ wᵢ over its children that have a score; under the
  ``reweight`` rule a missing leaf is skipped and a node without a scored child is
  missing, under ``zero`` a missing leaf scores 0;
* the index is the root's score rounded half-up to 2 decimals, the colour is the first
  band whose ``min`` the rounded index reaches, the rank is 1 + the number of units with a
  strictly higher rounded index;
* 复绿: green in the ``k`` months ending at m and not green (another colour) in m − k.

Arithmetic is exact: scores are computed as decimals at 60 significant digits, and a
root that lands within 10⁻³⁰ of a half-cent is computed again in exact fractions, so that
84.995 rounds to 85.00 and 84.994 to 84.99 whatever path produced them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, Inexact, localcontext
from enum import StrEnum
from fractions import Fraction
from typing import Any

from jiandu.boards.ranking.formats import parse_month, to_decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
_CONTEXT = Context(prec=60)
_NEAR_HALF = Decimal("1e-30")


class Method(StrEnum):
    MINMAX = "minmax"
    DEDUCTION = "deduction"
    THRESHOLDS = "thresholds"

    @property
    def label(self) -> str:
        return {"minmax": "极差标准化", "deduction": "扣分法", "thresholds": "分段计分"}[self.value]


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"

    @property
    def label(self) -> str:
        return "越高越好" if self is Direction.HIGHER else "越低越好"


class MissingRule(StrEnum):
    REWEIGHT = "reweight"
    ZERO = "zero"

    @property
    def label(self) -> str:
        if self is MissingRule.REWEIGHT:
            return "缺项不计、按其余指标权重折算"
        return "缺项按0分计"


class SpecError(ValueError):
    """A bad spec; ``problems`` lists every problem, each naming its key."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("；".join(self.problems))


# --------------------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Node:
    """One node of the tree: a leaf has a ``method``, an inner node ``children``."""

    key: str
    name: str
    weight: Decimal
    children: tuple[Node, ...] = ()
    method: Method | None = None
    direction: Direction = Direction.HIGHER
    points: Decimal | None = None
    floor: Decimal = Decimal(0)
    breakpoints: tuple[tuple[Decimal, Decimal], ...] = ()

    @property
    def is_leaf(self) -> bool:
        return self.method is not None

    def walk(self) -> Iterable[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> list[Node]:
        return [n for n in self.walk() if n.is_leaf]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"key": self.key, "name": self.name, "weight": str(self.weight)}
        if self.is_leaf:
            data["method"] = self.method.value  # type: ignore[union-attr]
            data["direction"] = self.direction.value
            if self.method is Method.DEDUCTION:
                data["points"] = str(self.points)
                data["floor"] = str(self.floor)
            if self.method is Method.THRESHOLDS:
                data["breakpoints"] = [[str(x), str(s)] for x, s in self.breakpoints]
        else:
            data["children"] = [c.to_dict() for c in self.children]
        return data


@dataclass(frozen=True)
class Band:
    colour: str
    min: Decimal | None


DEFAULT_BANDS: tuple[Band, ...] = (
    Band("绿", Decimal(85)),
    Band("黄", Decimal(70)),
    Band("橙", Decimal(60)),
    Band("红", None),
)


@dataclass(frozen=True)
class IndexRules:
    """Everything that decides the scores apart from the values."""

    tree: Node
    missing: MissingRule = MissingRule.REWEIGHT
    bands: tuple[Band, ...] = DEFAULT_BANDS
    regreen_months: int = 2

    @property
    def green(self) -> str:
        return self.bands[0].colour

    def colour_of(self, index: Decimal) -> str:
        for band in self.bands:
            if band.min is None or index >= band.min:
                return band.colour
        return self.bands[-1].colour  # unreachable: the last band reaches 0

    def leaf_map(self) -> dict[str, Node]:
        return {leaf.key: leaf for leaf in self.tree.leaves()}


@dataclass(frozen=True)
class IndexSpec:
    """SPEC.json of the pure calculator: the rules and the months to compute."""

    months: tuple[str, ...]
    rules: IndexRules


def _number(value: Any, where: str, what: str, problems: list[str]) -> Decimal | None:
    if isinstance(value, bool):
        problems.append(f"{where}：{what}应为数字")
        return None
    try:
        return to_decimal(value)
    except ValueError:
        problems.append(f"{where}：{what}应为数字（现为 {json_repr(value)}）")
        return None


def json_repr(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def parse_tree(
    data: Any, *, problems: list[str], path: str = "tree", root: bool = True
) -> Node | None:
    """A node and its subtree from JSON, appending every problem (named by key path)."""
    if not isinstance(data, Mapping):
        problems.append(f"{path}：应为对象（含 key、name 等）")
        return None
    key = data.get("key")
    if not isinstance(key, str) or not key.strip():
        problems.append(f"{path}：缺少 key")
        return None
    key = key.strip()
    where = f"{path}“{key}”" if root else f"{path} › “{key}”"
    name = data.get("name", key)
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}：name 应为非空文字")
        name = key
    weight = Decimal(1)
    if not root:
        if "weight" not in data:
            problems.append(f"{where}：缺少 weight（权重）")
        else:
            weight = _number(data["weight"], where, "weight", problems) or Decimal(0)
            if weight <= 0:
                problems.append(f"{where}：weight（权重）应大于0")
    children_data = data.get("children")
    method_raw = data.get("method")
    if children_data is not None and method_raw is not None:
        problems.append(f"{where}：不能既有 children 又有 method")
        return None
    if children_data is not None:
        if not isinstance(children_data, list) or not children_data:
            problems.append(f"{where}：children 应为非空列表")
            return None
        children = []
        for i, child in enumerate(children_data):
            if not isinstance(child, Mapping):
                problems.append(f"{where} 的第{i + 1}个下级：应为对象（含 key、name 等）")
                continue
            node = parse_tree(child, problems=problems, path=where, root=False)
            if node is not None:
                children.append(node)
        return Node(key=key, name=name.strip(), weight=weight, children=tuple(children))
    if method_raw is None:
        problems.append(f"{where}：叶子指标缺少 method（minmax、deduction 或 thresholds）")
        return None
    try:
        method = Method(method_raw)
    except ValueError:
        problems.append(
            f"{where}：method {json_repr(method_raw)} 无效，应为 minmax、deduction 或 thresholds"
        )
        return None
    direction = Direction.HIGHER
    if "direction" in data:
        try:
            direction = Direction(data["direction"])
        except ValueError:
            problems.append(f"{where}：direction 应为 higher 或 lower")
    points = None
    floor = Decimal(0)
    breakpoints: list[tuple[Decimal, Decimal]] = []
    if method is Method.DEDUCTION:
        if "points" not in data:
            problems.append(f"{where}：扣分法（deduction）缺少 points（每单位扣分）")
        else:
            points = _number(data["points"], where, "points", problems)
            if points is not None and points < 0:
                problems.append(f"{where}：points 不能为负数")
        if data.get("floor") is not None:
            floor = _number(data["floor"], where, "floor", problems) or Decimal(0)
            if not 0 <= floor <= 100:
                problems.append(f"{where}：floor（最低分）应在0到100之间")
    if method is Method.THRESHOLDS:
        raw = data.get("breakpoints")
        if not isinstance(raw, list) or not raw:
            problems.append(
                f"{where}：分段计分（thresholds）缺少 breakpoints，如 [[0, 100], [5, 60]]"
            )
        else:
            for i, pair in enumerate(raw):
                at = f"{where} breakpoints 第{i + 1}项"
                if not isinstance(pair, list) or len(pair) != 2:
                    problems.append(f"{at}：应为 [数值, 得分]")
                    continue
                x = _number(pair[0], at, "数值", problems)
                s = _number(pair[1], at, "得分", problems)
                if s is not None and not 0 <= s <= 100:
                    problems.append(f"{at}：得分应在0到100之间")
                if x is not None and s is not None:
                    breakpoints.append((x, s))
            breakpoints.sort(key=lambda p: p[0])
            xs = [x for x, _ in breakpoints]
            if len(set(xs)) != len(xs):
                problems.append(f"{where}：breakpoints 中有重复的数值")
    return Node(
        key=key,
        name=name.strip(),
        weight=weight,
        method=method,
        direction=direction,
        points=points,
        floor=floor,
        breakpoints=tuple(breakpoints),
    )


def parse_bands(data: Any, problems: list[str]) -> tuple[Band, ...]:
    if data is None:
        return DEFAULT_BANDS
    if not isinstance(data, list) or not data:
        problems.append('bands：应为非空列表，如 [{"colour": "绿", "min": 85}, …]')
        return DEFAULT_BANDS
    bands: list[Band] = []
    for i, item in enumerate(data):
        at = f"bands 第{i + 1}项"
        if not isinstance(item, Mapping) or not isinstance(item.get("colour"), str):
            problems.append(f'{at}：应为 {{"colour": 颜色, "min": 下限}}')
            continue
        colour = item["colour"].strip()
        at = f"bands 第{i + 1}项“{colour}”"
        minimum = item.get("min")
        if minimum is None:
            if i != len(data) - 1:
                problems.append(f"{at}：只有最后一档可以不写 min")
            bands.append(Band(colour, None))
            continue
        value = _number(minimum, at, "min", problems)
        if value is None:
            continue
        if bands and bands[-1].min is not None and value >= bands[-1].min:
            problems.append(
                f"{at}：各档的 min 应从高到低严格递减（{value} 不低于上一档 {bands[-1].min}）"
            )
        bands.append(Band(colour, value))
    colours = [b.colour for b in bands]
    if len(set(colours)) != len(colours):
        problems.append("bands：颜色重复")
    if bands and bands[-1].min is not None and bands[-1].min > 0:
        problems.append(
            f"bands：最后一档“{bands[-1].colour}”的 min 应不写或不大于0，使每个指数都有颜色"
        )
    return tuple(bands) or DEFAULT_BANDS


def parse_rules(data: Mapping[str, Any], problems: list[str]) -> IndexRules | None:
    tree = parse_tree(data.get("tree"), problems=problems) if "tree" in data else None
    if "tree" not in data:
        problems.append("缺少 tree（指标树的根节点）")
    elif tree is not None and tree.is_leaf:
        problems.append("tree：根节点应有 children")
    if tree is not None:
        seen: set[str] = set()
        for node in tree.walk():
            if node.key in seen:
                problems.append(f"tree：key“{node.key}”重复")
            seen.add(node.key)
    missing = MissingRule.REWEIGHT
    if data.get("missing") is not None:
        try:
            missing = MissingRule(data["missing"])
        except ValueError:
            problems.append(f"missing：{json_repr(data['missing'])} 无效，应为 reweight 或 zero")
    bands = parse_bands(data.get("bands"), problems)
    k = data.get("regreen_months", 2)
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        problems.append("regreen_months：应为不小于1的整数")
        k = 2
    if tree is None or problems:
        return None
    return IndexRules(tree=tree, missing=missing, bands=bands, regreen_months=k)


def parse_spec(data: Any) -> IndexSpec:
    """SPEC.json as read by ``jiandu index compute``; raises :class:`SpecError`."""
    if not isinstance(data, Mapping):
        raise SpecError(["应为 JSON 对象（含 months、tree 等）"])
    problems: list[str] = []
    months: list[str] = []
    raw_months = data.get("months")
    if not isinstance(raw_months, list) or not raw_months:
        problems.append('months：应为非空的月份列表，如 ["2026-09", "2026-10"]')
    else:
        for item in raw_months:
            try:
                month = parse_month(item)
            except ValueError as exc:
                problems.append(f"months：{exc}")
                continue
            if month in months:
                problems.append(f"months：{month} 重复")
            months.append(month)
    rules = parse_rules(data, problems)
    if problems or rules is None:
        raise SpecError(problems)
    return IndexSpec(months=tuple(sorted(months)), rules=rules)


# --------------------------------------------------------------------------- months


def value_problem(leaf: Node, value: Decimal) -> str | None:
    """Why ``value`` cannot be a value of ``leaf`` (None when it can)."""
    if leaf.method is Method.DEDUCTION and value < 0:
        return f"扣分法指标“{leaf.name}”的数值不能为负数（现为 {value}）"
    return None


def month_shift(month: str, delta: int) -> str:
    year, number = (int(p) for p in month.split("-"))
    index = year * 12 + number - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


# --------------------------------------------------------------------------- computing


@dataclass
class UnitScore:
    """One unit in one month: node scores (None = missing), the rounded index, colour, rank."""

    unit: str
    nodes: dict[str, Decimal | None]
    index: Decimal | None
    colour: str | None
    rank: int | None = None
    regreened: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "index": float(self.index) if self.index is not None else None,
            "colour": self.colour,
            "rank": self.rank,
            "nodes": {k: (float(v) if v is not None else None) for k, v in self.nodes.items()},
            "regreened": self.regreened,
        }


@dataclass
class MonthScores:
    month: str
    units: list[UnitScore] = field(default_factory=list)

    def by_unit(self) -> dict[str, UnitScore]:
        return {u.unit: u for u in self.units}

    def to_dict(self) -> dict[str, Any]:
        return {"month": self.month, "units": [u.to_dict() for u in self.units]}


def _leaf_score(leaf: Node, x: Any, lo: Any, hi: Any, hundred: Any) -> Any:
    """The score of value ``x`` (a Decimal or a Fraction, consistently with the bounds)."""
    if leaf.method is Method.MINMAX:
        if hi == lo:
            return hundred
        if leaf.direction is Direction.HIGHER:
            return hundred * (x - lo) / (hi - lo)
        return hundred * (hi - x) / (hi - lo)
    kind = type(hundred)
    if leaf.method is Method.DEDUCTION:
        floor = kind(leaf.floor)
        return max(floor, hundred - kind(leaf.points) * x)
    points = leaf.breakpoints
    if x <= kind(points[0][0]):
        return kind(points[0][1])
    for (x0, s0), (x1, s1) in itertools.pairwise(points):
        if x <= kind(x1):
            x0_, s0_, x1_, s1_ = kind(x0), kind(s0), kind(x1), kind(s1)
            return s0_ + (s1_ - s0_) * (x - x0_) / (x1_ - x0_)
    return kind(points[-1][1])


def _evaluate(
    tree: Node,
    leaf_scores: Mapping[str, Any],
    *,
    missing: MissingRule,
    zero: Any,
    out: dict[str, Any] | None,
) -> Any:
    """The score of ``tree`` (None when missing), filling ``out`` with every node's score."""
    if tree.is_leaf:
        score = leaf_scores.get(tree.key)
        if score is None and missing is MissingRule.ZERO:
            score = zero
        if out is not None:
            out[tree.key] = score
        return score
    if out is not None:
        out[tree.key] = None  # keeps the tree's order: the parent before its children
    kind = type(zero)
    total = zero
    weights = zero
    for child in tree.children:
        score = _evaluate(child, leaf_scores, missing=missing, zero=zero, out=out)
        if score is None:
            continue
        w = kind(child.weight)
        total += w * score
        weights += w
    result = total / weights if weights else None
    if out is not None:
        out[tree.key] = result
    return result


def round_half_up(value: Decimal | Fraction) -> Decimal:
    """``value`` rounded half-up to 2 decimals (scores are never negative)."""
    if isinstance(value, Fraction):
        cents = math.floor(value * 100 + Fraction(1, 2))
        return (Decimal(cents) / 100).quantize(CENT)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _near_half_cent(value: Decimal) -> bool:
    scaled = value * 100
    return (
        abs(scaled - scaled.to_integral_value(rounding="ROUND_FLOOR") - Decimal("0.5")) < _NEAR_HALF
    )


def compute_month(
    rules: IndexRules,
    values: Mapping[str, Mapping[str, Decimal]],
    *,
    units: Sequence[str] | None = None,
    month: str = "",
) -> MonthScores:
    """Score every unit for one month.

    ``values`` maps unit → leaf key → value (a unit or leaf absent = missing); ``units``
    are the participating units (default: the keys of ``values``), in display order for
    ties."""
    unit_list = list(units) if units is not None else list(values)
    leaves = rules.tree.leaves()
    with localcontext(_CONTEXT) as context:
        bounds: dict[str, tuple[Decimal, Decimal]] = {}
        for leaf in leaves:
            if leaf.method is not Method.MINMAX:
                continue
            present = [v[leaf.key] for u in unit_list if leaf.key in (v := values.get(u, {}))]
            if present:
                bounds[leaf.key] = (min(present), max(present))
        results: list[UnitScore] = []
        empty: Mapping[str, Decimal] = {}
        # (leaf, value) → exact leaf score, shared by the units recomputed in fractions
        exact_leaves: dict[tuple[str, Decimal], Fraction] = {}
        for unit in unit_list:
            own = values.get(unit, empty)
            context.clear_flags()
            scores: dict[str, Decimal] = {}
            for leaf in leaves:
                x = own.get(leaf.key)
                if x is None:
                    continue
                lo, hi = bounds.get(leaf.key, (x, x))
                scores[leaf.key] = _leaf_score(leaf, x, lo, hi, HUNDRED)
            nodes: dict[str, Decimal | None] = {}
            root = _evaluate(rules.tree, scores, missing=rules.missing, zero=Decimal(0), out=nodes)
            index = None
            if root is not None:
                # Only a root that some operation rounded (Inexact) and that lies within
                # 10⁻³⁰ of a half-cent is recomputed in fractions: an exact root rounds
                # as it is.
                if context.flags[Inexact] and _near_half_cent(root):
                    root_exact = _exact_root(rules, own, bounds, exact_leaves)
                    index = round_half_up(root_exact)
                else:
                    index = round_half_up(root)
            colour = rules.colour_of(index) if index is not None else None
            results.append(UnitScore(unit=unit, nodes=nodes, index=index, colour=colour))
    assign_ranks(results)
    return MonthScores(month=month, units=results)


def _exact_root(
    rules: IndexRules,
    own: Mapping[str, Decimal],
    bounds: Mapping[str, tuple[Decimal, Decimal]],
    cache: dict[tuple[str, Decimal], Fraction] | None = None,
) -> Fraction:
    """The root's score in exact fractions (for a root within 10⁻³⁰ of a half-cent);
    ``cache`` keeps each (leaf, value)'s exact score for the next unit of the month."""
    scores: dict[str, Fraction] = {}
    cache = {} if cache is None else cache
    for leaf in rules.tree.leaves():
        x = own.get(leaf.key)
        if x is None:
            continue
        found = cache.get((leaf.key, x))
        if found is None:
            lo, hi = bounds.get(leaf.key, (x, x))
            found = _leaf_score(leaf, Fraction(x), Fraction(lo), Fraction(hi), Fraction(100))
            cache[(leaf.key, x)] = found
        scores[leaf.key] = found
    return _evaluate(rules.tree, scores, missing=rules.missing, zero=Fraction(0), out=None)


def assign_ranks(results: list[UnitScore]) -> None:
    """rank = 1 + units with a strictly higher rounded index; sort by rank (missing last),
    keeping the given order among ties."""
    indexed = sorted((u.index for u in results if u.index is not None), reverse=True)
    higher: dict[Decimal, int] = {}
    for position, value in enumerate(indexed):
        higher.setdefault(value, position)
    for unit in results:
        unit.rank = higher[unit.index] + 1 if unit.index is not None else None
    results.sort(key=lambda u: (u.rank is None, u.rank or 0))


def regreened(colours: Mapping[str, str | None], month: str, *, k: int, green: str) -> bool:
    """复绿 in ``month``: green in the ``k`` months ending at ``month`` and of another
    colour (not missing) in the month ``k`` months before. ``colours`` maps month → colour."""
    for back in range(k):
        if colours.get(month_shift(month, -back)) != green:
            return False
    before = colours.get(month_shift(month, -k))
    return before is not None and before != green


def proving_months(month: str, k: int) -> list[str]:
    """The ``k`` green months that prove a 复绿 in ``month``, oldest first."""
    return [month_shift(month, -back) for back in range(k - 1, -1, -1)]


def compute_months(
    spec: IndexSpec, values: Mapping[str, Mapping[str, Mapping[str, Decimal]]], units: Sequence[str]
) -> list[MonthScores]:
    """Every month of the spec; ``values`` maps month → unit → leaf key → value."""
    out = [compute_month(spec.rules, values.get(m, {}), units=units, month=m) for m in spec.months]
    history: dict[str, dict[str, str | None]] = {}
    for scores in out:
        for unit in scores.units:
            history.setdefault(unit.unit, {})[scores.month] = unit.colour
    for scores in out:
        for unit in scores.units:
            unit.regreened = regreened(
                history[unit.unit],
                scores.month,
                k=spec.rules.regreen_months,
                green=spec.rules.green,
            )
    return out
