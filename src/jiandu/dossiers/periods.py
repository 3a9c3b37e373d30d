"""Effect periods (影响期) of sanctions and the 廉政意见 drawn from them.

Pure Python (no Django, no database): the platform's opinion drafting and the
command-line calculator ``jiandu dossier opinion`` run this same code.

The rules, exactly (docs/user-guide/dossiers.md has them with examples):

* A sanction takes effect on its **effective date** (the decision date unless another is
  recorded). It is in effect from that date **through the last day of its period**: the
  corresponding day N months later, or that month's last day when that month has no
  corresponding day (民法典 第二百零二条). Effect periods do not move for holidays: they
  are not deadlines (第二百零三条 does not apply).
* The period of each sanction kind is a row of a **versioned rule table** citing its
  article (:data:`PERIOD_TABLES`); the table in force on the effective date applies.
  政务处分 (公职人员政务处分法 第八条): 警告 6 months, 记过 12, 记大过 18, 降级 24,
  撤职 24; 开除 has no end. 党纪处分 (中国共产党纪律处分条例): 警告 12 months,
  严重警告 18, 撤销党内职务 24, 留党察看 its own period (12 or 24, recorded on the
  decision), 开除党籍 60 (no re-admission for five years).
* A sanction **lifted early** (解除) on day L is in effect through L − 1; a lift after
  the period's natural end changes nothing. An **annulled** sanction (撤销 on review)
  is not a sanction: it counts for nothing, in effect or for 评先评优.
* **评先评优**: a person who received any 党纪 or 政务 sanction (decision date) in a year
  is not eligible for that year's 评先评优, whether or not it was later lifted.
* **As of** a date: decisions, lifts, annulments and clues dated after it are ignored,
  so an opinion drafted again later gives the same answer.
* **Open matters**: clues where the person is a subject, disposed by 初步核实 or
  立案审查 on or before the as-of date and not closed by then (正在核查).
* **The opinion** is 有影响 when a sanction is in effect, a matter is open, or the
  purpose is 评先评优 and the person is not eligible; otherwise 无影响
  (未发现影响使用的问题).
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class SanctionKind(StrEnum):
    PARTY = "party"
    GOVERNMENT = "government"

    @property
    def label(self) -> str:
        return {"party": "党纪处分", "government": "政务处分"}[self.value]


# Disposal stages of a clue as written in the records (Chinese labels of the registry).
CLUE_STAGES = ("谈话函询", "初步核实", "暂存待查", "予以了结", "立案审查")
# Stages that make an open clue an open matter (正在核查).
OPEN_MATTER_STAGES = frozenset({"初步核实", "立案审查"})

# What a batch may be asked for; 评先评优 is the one where ineligibility decides.
PURPOSES = ("提拔任用", "进一步使用", "年度考核", "评先评优", "后备干部", "换届提名", "其他")
AWARD_PURPOSE = "评先评优"

# The dates the rules are asked about: records before 1950 or an as-of date before it are
# refused (and the look-back windows stay within the calendar).
EARLIEST = dt.date(1950, 1, 1)
LATEST = dt.date(2099, 12, 31)


def _check_range(*days: dt.date | None) -> None:
    for day in days:
        if day is not None and not EARLIEST <= day <= LATEST:
            raise RecordError(f"日期 {day} 超出可计算的范围（1950-01-01 至 2099-12-31）")


IMPACT = "有影响"
NO_IMPACT = "无影响"
NO_PROBLEM_TEXT = "未发现影响使用的问题"


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later, or that month's last day (民法典 第二百零二条)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class PeriodRule:
    """One row of the table: how long one sanction kind is in effect and why."""

    kind: SanctionKind
    category: str
    months: int | None  # None: no end (or, with ``variable``, recorded on the decision)
    article: str
    effect: str
    variable: tuple[int, ...] = ()  # allowed recorded periods (留党察看: 12 or 24)

    @property
    def no_end(self) -> bool:
        return self.months is None and not self.variable

    def describe(self) -> str:
        if self.variable:
            length = "、".join(f"{m}个月" for m in self.variable) + "（按决定记载）"
        elif self.months is None:
            length = "无终止"
        else:
            length = f"{self.months}个月"
        return f"{self.kind.label}·{self.category}：{length}（{self.article}：{self.effect}）"


@dataclass(frozen=True)
class PeriodTable:
    """A version of the rule table, in force for sanctions effective from ``valid_from``."""

    version: str
    valid_from: dt.date
    title: str
    rules: tuple[PeriodRule, ...]
    award_article: str
    lift_article: str = "解除处分决定自解除之日起生效，影响期至解除前一日止"
    _index: dict[tuple[str, str], PeriodRule] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for rule in self.rules:
            self._index[(rule.kind.value, rule.category)] = rule

    def rule(self, kind: SanctionKind | str, category: str) -> PeriodRule | None:
        return self._index.get((str(kind), category))

    def categories(self, kind: SanctionKind | str) -> list[str]:
        return [r.category for r in self.rules if r.kind == kind]


_PARTY = "《中国共产党纪律处分条例》（2023年修订）"
_GOV = "《中华人民共和国公职人员政务处分法》"

PERIOD_TABLES: tuple[PeriodTable, ...] = (
    PeriodTable(
        version="2024-01",
        valid_from=dt.date(1900, 1, 1),
        title="党纪处分、政务处分影响期（2024年版）",
        rules=(
            PeriodRule(
                SanctionKind.PARTY,
                "警告",
                12,
                f"{_PARTY}第十条",
                "一年内不得在党内提拔职务或者进一步使用",
            ),
            PeriodRule(
                SanctionKind.PARTY,
                "严重警告",
                18,
                f"{_PARTY}第十条",
                "一年半内不得在党内提拔职务或者进一步使用",
            ),
            PeriodRule(
                SanctionKind.PARTY,
                "撤销党内职务",
                24,
                f"{_PARTY}第十一条",
                "二年内不得担任与其原任职务相当或者高于其原任职务的职务",
            ),
            PeriodRule(
                SanctionKind.PARTY,
                "留党察看",
                None,
                f"{_PARTY}第十二条",
                "留党察看一年或者二年，期间没有表决权、选举权和被选举权",
                variable=(12, 24),
            ),
            PeriodRule(
                SanctionKind.PARTY, "开除党籍", 60, f"{_PARTY}第十三条", "五年内不得重新入党"
            ),
            PeriodRule(SanctionKind.GOVERNMENT, "警告", 6, f"{_GOV}第八条", "处分期间为六个月"),
            PeriodRule(SanctionKind.GOVERNMENT, "记过", 12, f"{_GOV}第八条", "处分期间为十二个月"),
            PeriodRule(
                SanctionKind.GOVERNMENT, "记大过", 18, f"{_GOV}第八条", "处分期间为十八个月"
            ),
            PeriodRule(
                SanctionKind.GOVERNMENT, "降级", 24, f"{_GOV}第八条", "处分期间为二十四个月"
            ),
            PeriodRule(
                SanctionKind.GOVERNMENT, "撤职", 24, f"{_GOV}第八条", "处分期间为二十四个月"
            ),
            PeriodRule(
                SanctionKind.GOVERNMENT,
                "开除",
                None,
                f"{_GOV}第八条",
                "开除无处分期间，不得再被录用",
            ),
        ),
        award_article="当年受到党纪处分或者政务处分的，不得参加当年度评先评优",
    ),
)


def table_for(day: dt.date, tables: Sequence[PeriodTable] = PERIOD_TABLES) -> PeriodTable:
    """The table in force on ``day`` (the earliest version before the first ``valid_from``)."""
    chosen = tables[0]
    for table in sorted(tables, key=lambda t: t.valid_from):
        if table.valid_from <= day:
            chosen = table
    return chosen


class RecordError(ValueError):
    """A record the rules cannot read; the message says why (without the row)."""


@dataclass(frozen=True)
class Sanction:
    """A 党纪 or 政务 sanction as the rules see it."""

    kind: SanctionKind
    category: str
    decided_on: dt.date
    effective_on: dt.date | None = None
    period_months: int | None = None
    lifted_on: dt.date | None = None
    annulled_on: dt.date | None = None
    annulled: bool = False  # annulled with no date known: never counts
    ref: object = None  # the record it comes from (platform) or the CSV row

    @property
    def start(self) -> dt.date:
        return self.effective_on or self.decided_on


def check_sanction(s: Sanction, tables: Sequence[PeriodTable] = PERIOD_TABLES) -> PeriodRule:
    """The rule for ``s``; raise :class:`RecordError` when the record breaks the table."""
    _check_range(s.decided_on, s.effective_on, s.lifted_on, s.annulled_on)
    table = table_for(s.start, tables)
    rule = table.rule(s.kind, s.category)
    if rule is None:
        known = "、".join(table.categories(s.kind))
        raise RecordError(f"{s.kind.label}没有“{s.category}”这一种类（应为 {known}）")
    if rule.variable:
        if s.period_months not in rule.variable:
            allowed = " 或 ".join(str(m) for m in rule.variable)
            got = "未填" if s.period_months is None else str(s.period_months)
            raise RecordError(f"{s.category}的期限应为 {allowed} 个月（实际为{got}）")
    elif s.period_months is not None:
        raise RecordError(f"只有留党察看填写期限，{s.kind.label}·{s.category}不应填写期限")
    if s.lifted_on is not None and s.lifted_on <= s.decided_on:
        raise RecordError(f"解除日期 {s.lifted_on} 应晚于决定日期 {s.decided_on}")
    if s.effective_on is not None and s.effective_on < s.decided_on:
        raise RecordError(f"生效日期 {s.effective_on} 不应早于决定日期 {s.decided_on}")
    return rule


@dataclass(frozen=True)
class EffectPeriod:
    """A sanction's period as known on the as-of date."""

    sanction: Sanction
    rule: PeriodRule
    start: dt.date
    natural_until: dt.date | None  # last day by the table (None: no end)
    until: dt.date | None  # last day in effect (earlier when lifted)
    lifted_on: dt.date | None  # the lift as known on the as-of date

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.until is None or day <= self.until)


def _known(day: dt.date | None, as_of: dt.date) -> dt.date | None:
    return day if day is not None and day <= as_of else None


def effect_period(
    s: Sanction, as_of: dt.date, tables: Sequence[PeriodTable] = PERIOD_TABLES
) -> EffectPeriod | None:
    """The period of ``s`` as the records said on ``as_of``; ``None`` when the decision
    is later than ``as_of`` or the sanction has been annulled by then."""
    rule = check_sanction(s, tables)
    if s.decided_on > as_of or s.annulled or _known(s.annulled_on, as_of):
        return None
    months = s.period_months if rule.variable else rule.months
    natural = None if months is None else add_months(s.start, months)
    lifted = _known(s.lifted_on, as_of)
    until = natural
    if lifted is not None and (natural is None or lifted <= natural):
        until = lifted - dt.timedelta(days=1)
    return EffectPeriod(s, rule, s.start, natural, until, lifted)


def in_effect(
    sanctions: Iterable[Sanction], as_of: dt.date, tables: Sequence[PeriodTable] = PERIOD_TABLES
) -> list[EffectPeriod]:
    """Sanctions in effect on ``as_of``, oldest first."""
    found = []
    for s in sanctions:
        period = effect_period(s, as_of, tables)
        if period is not None and period.covers(as_of):
            found.append(period)
    return sorted(found, key=lambda p: (p.start, p.sanction.kind, p.sanction.category))


def award_blockers(
    sanctions: Iterable[Sanction],
    year: int,
    as_of: dt.date,
    tables: Sequence[PeriodTable] = PERIOD_TABLES,
) -> list[Sanction]:
    """Sanctions received in ``year`` (decision date, known on ``as_of``, not annulled)
    that make the person ineligible for that year's 评先评优."""
    found = []
    for s in sanctions:
        check_sanction(s, tables)
        if s.decided_on.year != year or s.decided_on > as_of:
            continue
        if s.annulled or _known(s.annulled_on, as_of):
            continue
        found.append(s)
    return sorted(found, key=lambda s: s.decided_on)


@dataclass(frozen=True)
class ClueMatter:
    """A clue where the person is a subject, at its disposal stage."""

    stage: str
    decided_on: dt.date  # the date of the disposal decision
    closed: bool = False
    closed_on: dt.date | None = None  # when known; a later close is ignored as of earlier
    ref: object = None


def check_clue(c: ClueMatter) -> None:
    _check_range(c.decided_on, c.closed_on)
    if c.stage not in CLUE_STAGES:
        raise RecordError(f"问题线索的处置方式“{c.stage}”无效（应为 {'、'.join(CLUE_STAGES)}）")
    if c.closed_on is not None and c.closed_on < c.decided_on:
        raise RecordError(f"办结日期 {c.closed_on} 不应早于处置日期 {c.decided_on}")


def open_matters(clues: Iterable[ClueMatter], as_of: dt.date) -> list[ClueMatter]:
    """Clues under 初步核实 or 立案审查 on ``as_of`` and not closed by then."""
    found = []
    for c in clues:
        check_clue(c)
        if c.stage not in OPEN_MATTER_STAGES or c.decided_on > as_of:
            continue
        if c.closed_on is not None:
            if c.closed_on <= as_of:
                continue
        elif c.closed:
            continue
        found.append(c)
    return sorted(found, key=lambda c: c.decided_on)


@dataclass(frozen=True)
class Opinion:
    """The drafted 廉政意见 for one person."""

    as_of: dt.date
    purpose: str
    award_year: int
    in_effect: tuple[EffectPeriod, ...]
    award_blockers: tuple[Sanction, ...]
    open_matters: tuple[ClueMatter, ...]

    @property
    def eligible_for_award(self) -> bool:
        return not self.award_blockers

    @property
    def has_impact(self) -> bool:
        if self.in_effect or self.open_matters:
            return True
        return self.purpose == AWARD_PURPOSE and not self.eligible_for_award

    @property
    def verdict(self) -> str:
        return IMPACT if self.has_impact else NO_IMPACT

    def lines(self) -> list[str]:
        """The opinion as sentences, in the order the reply letter gives them."""
        out = []
        for p in self.in_effect:
            end = "无终止期限" if p.until is None else f"影响期至{p.until:%Y年%-m月%-d日}"
            out.append(
                f"{p.start:%Y年%-m月}受到{p.sanction.kind.label}（{p.sanction.category}），{end}"
            )
        for s in self.award_blockers:
            out.append(
                f"{s.decided_on:%Y年%-m月}受到{s.kind.label}（{s.category}），"
                f"{self.award_year}年度不能评先评优"
            )
        for c in self.open_matters:
            out.append(f"有问题线索正在核查（{c.stage}，{c.decided_on:%Y年%-m月%-d日}起）")
        if not out:
            out.append(NO_PROBLEM_TEXT)
        return out

    def text(self) -> str:
        return "；".join(self.lines()) + "。"


def draft_opinion(
    *,
    sanctions: Iterable[Sanction],
    clues: Iterable[ClueMatter],
    as_of: dt.date,
    purpose: str,
    award_year: int | None = None,
    tables: Sequence[PeriodTable] = PERIOD_TABLES,
) -> Opinion:
    """The opinion for one person from their records, as of ``as_of``."""
    if purpose not in PURPOSES:
        raise RecordError(f"用途“{purpose}”无效（应为 {'、'.join(PURPOSES)}）")
    sanctions = list(sanctions)
    year = as_of.year if award_year is None else award_year
    return Opinion(
        as_of=as_of,
        purpose=purpose,
        award_year=year,
        in_effect=tuple(in_effect(sanctions, as_of, tables)),
        award_blockers=tuple(award_blockers(sanctions, year, as_of, tables)),
        open_matters=tuple(open_matters(clues, as_of)),
    )
