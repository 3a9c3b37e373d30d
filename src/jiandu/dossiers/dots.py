"""Dots and grades of a 政治生态档案, as pure code (no Django): the platform builds the
items of a dossier from its records and hands them here with the tables in force.

* **Colour table** (versioned data, :class:`ColourTable`): which item kind gives which
  colour — red 表彰嘉奖, blue 中性信息, yellow problems handled by organisational means,
  black 党纪政务处分. A dossier "as of" a date uses the table in force on that date
  (the latest version whose ``valid_from`` is on or before it); an item kind the table
  does not list gives no dot (and the page says so).
* **Grading table** (versioned data, :class:`GradingTable`): dots dated within the
  look-back window (the ``window_months`` months up to the as-of date, both ends
  counted: as of 2026-06-30 with 36 months the window starts 2023-06-30) are counted
  per colour; the score is the sum of count × weight; the grade is that of the first
  band whose minimum the score reaches; then caps: a colour with at least ``count``
  dots in the window holds the grade at ``grade`` or worse. The grade comes with the
  dots that decided it (the window's dots of colours with a non-zero weight or a cap).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from jiandu.dossiers.periods import add_months

RED, BLUE, YELLOW, BLACK = "red", "blue", "yellow", "black"
COLOURS = (RED, BLUE, YELLOW, BLACK)
COLOUR_LABELS = {RED: "红色", BLUE: "蓝色", YELLOW: "黄色", BLACK: "黑色"}
COLOUR_MEANINGS = {
    RED: "表彰嘉奖",
    BLUE: "中性信息",
    YELLOW: "问题组织处理",
    BLACK: "党纪政务处分",
}


class TableError(ValueError):
    """A table that cannot be applied (unknown colour, bands out of order …)."""


@dataclass(frozen=True)
class ColourTable:
    version: str
    valid_from: dt.date
    colours: Mapping[str, str]  # item kind -> colour

    def __post_init__(self) -> None:
        bad = sorted({c for c in self.colours.values() if c not in COLOURS})
        if bad:
            raise TableError(f"颜色表 {self.version}：未知颜色 {'、'.join(bad)}")

    def colour(self, item_kind: str) -> str | None:
        return self.colours.get(item_kind)


@dataclass(frozen=True)
class Band:
    min_score: int
    grade: str


@dataclass(frozen=True)
class Cap:
    colour: str
    count: int
    grade: str


@dataclass(frozen=True)
class GradingTable:
    version: str
    valid_from: dt.date
    window_months: int
    weights: Mapping[str, int]
    bands: tuple[Band, ...]  # best first, min_score descending; the last is the floor
    caps: tuple[Cap, ...] = ()

    def __post_init__(self) -> None:
        if self.window_months < 1:
            raise TableError("评定表：回看期应至少1个月")
        if not self.bands:
            raise TableError("评定表：至少要有一个等次")
        scores = [b.min_score for b in self.bands]
        if scores != sorted(scores, reverse=True) or len(set(scores)) != len(scores):
            raise TableError("评定表：各等次的最低分应从高到低排列且互不相同")
        grades = [b.grade for b in self.bands]
        for cap in self.caps:
            if cap.grade not in grades:
                raise TableError(f"评定表：封顶等次“{cap.grade}”不在等次中")
            if cap.colour not in COLOURS or cap.count < 1:
                raise TableError("评定表：封顶条件应为某颜色至少1个")
        if any(c not in COLOURS for c in self.weights):
            raise TableError("评定表：权重中有未知颜色")

    @property
    def grades(self) -> list[str]:
        return [b.grade for b in self.bands]

    def window_start(self, as_of: dt.date) -> dt.date:
        return add_months(as_of, -self.window_months)

    def describe(self) -> str:
        weights = "，".join(f"{COLOUR_LABELS[c]}{self.weights.get(c, 0):+d}" for c in COLOURS)
        bands = "；".join(f"{b.grade}≥{b.min_score}" for b in self.bands[:-1])
        bands += f"；其余为{self.bands[-1].grade}"
        caps = "；".join(
            f"{COLOUR_LABELS[c.colour]}点≥{c.count}个时最高为{c.grade}" for c in self.caps
        )
        text = f"回看{self.window_months}个月；权重：{weights}；等次：{bands}"
        return text + (f"；封顶：{caps}" if caps else "")


T = TypeVar("T", "ColourTable", "GradingTable")


def in_force(tables: Sequence[T], day: dt.date) -> T | None:
    """The version in force on ``day``: the latest ``valid_from`` on or before it."""
    found = None
    for table in sorted(tables, key=lambda t: t.valid_from):
        if table.valid_from <= day:
            found = table
    return found


@dataclass(frozen=True)
class Item:
    """Something in a dossier: its kind, date and what it comes from."""

    kind: str
    on: dt.date
    label: str
    ref: object = None
    until: dt.date | None = None  # for sanctions: last day of the effect period
    annulled_on: dt.date | None = None  # for sanctions: 撤销 on review (then no dot)
    annul_reason: str = ""

    def annulled_by(self, as_of: dt.date) -> bool:
        """Annulled on or before ``as_of``: on that date it was not a sanction."""
        return self.annulled_on is not None and self.annulled_on <= as_of


@dataclass(frozen=True)
class Dot:
    item: Item
    colour: str

    @property
    def on(self) -> dt.date:
        return self.item.on


def colour_items(
    items: Iterable[Item], table: ColourTable, as_of: dt.date
) -> tuple[list[Dot], list[Item]]:
    """Dots of the items dated on or before ``as_of`` (newest first), and the items the
    table gives no colour (shown as such, never silently dropped). A sanction annulled
    by ``as_of`` gives no dot (see :func:`annulled_items`)."""
    dots, uncoloured = [], []
    for item in items:
        if item.on > as_of or item.annulled_by(as_of):
            continue
        colour = table.colour(item.kind)
        if colour is None:
            uncoloured.append(item)
        else:
            dots.append(Dot(item, colour))
    dots.sort(key=lambda d: d.on, reverse=True)
    return dots, uncoloured


def annulled_items(items: Iterable[Item], as_of: dt.date) -> list[Item]:
    """Sanctions annulled (撤销 on review) by ``as_of``, newest first: shown on the
    timeline as 已撤销 with the reason, counting for nothing (no colour, no grade)."""
    found = [i for i in items if i.on <= as_of and i.annulled_by(as_of)]
    found.sort(key=lambda i: i.on, reverse=True)
    return found


@dataclass(frozen=True)
class Grade:
    grade: str
    score: int
    counts: dict[str, int]
    window_from: dt.date
    window_to: dt.date
    band: Band
    cap: Cap | None
    deciding: tuple[Dot, ...] = field(default=())
    table: GradingTable | None = None

    def explain(self) -> str:
        counts = "，".join(f"{COLOUR_LABELS[c]}{self.counts.get(c, 0)}个" for c in COLOURS)
        text = f"{self.window_from}至{self.window_to}：{counts}；得分{self.score}"
        text += f"，按分数为{self.band.grade}"
        if self.cap is not None:
            text += (
                f"；{COLOUR_LABELS[self.cap.colour]}点达到{self.cap.count}个，"
                f"等次最高为{self.cap.grade}"
            )
        return text + f"；评定为{self.grade}"


def grade(dots: Iterable[Dot], table: GradingTable, as_of: dt.date) -> Grade:
    """The grade of the dots in the look-back window up to ``as_of``."""
    start = table.window_start(as_of)
    window = [d for d in dots if start <= d.on <= as_of]
    counts = Counter(d.colour for d in window)
    score = sum(counts[c] * table.weights.get(c, 0) for c in COLOURS)
    band = next((b for b in table.bands if score >= b.min_score), table.bands[-1])
    order = table.grades
    chosen = band.grade
    applied = None
    for cap in table.caps:
        if counts[cap.colour] >= cap.count and order.index(cap.grade) > order.index(chosen):
            chosen = cap.grade
            applied = cap
    capped = {c.colour for c in table.caps}
    deciding = tuple(d for d in window if table.weights.get(d.colour, 0) or d.colour in capped)
    return Grade(
        grade=chosen,
        score=score,
        counts={c: counts[c] for c in COLOURS},
        window_from=start,
        window_to=as_of,
        band=band,
        cap=applied,
        deciding=deciding,
        table=table,
    )
