"""The case plan: every petition, clue, disposal, outcome and 通报曝光 batch of the demo,
drawn up in memory before anything is written. Months run from January of the calibrated
year (:class:`Calendar`; by default last year) to the month of ``last_day`` (yesterday):
the calibrated year has the quotas below, the months after it the same months' quotas
again (pro rata for the current month), and nothing is dated after ``last_day``.

Planning first is what makes the demo both realistic and exact. The calibration targets
(seed 000: 1–9月 扶贫领域 受理问题线索1009个, 处置办结943个, 批评教育456人, 问责处理112人,
党纪处分99人, 政务处分10人, 通报曝光63批106起195人; 9月 69个受理, 68个办结, 47人批评教育,
73人处理, 11批14起21人) are monthly quotas here, and the plan fills them by construction:

1. receptions: each month's clues are spread over working days and over the handling
   units by weight (weak units get few, and every unit's weight wobbles month to month);
2. closures: each month closes its quota among the clues then open, oldest first but
   faster in strong units; a handful received late in the calibrated year stay open
   (overdue now, as such stragglers are in real registries), and the last weeks' clues
   are in hand;
3. outcomes: each month's quota of 批评教育, 问责, 党纪处分 … is grouped into cases of one to
   three people and given to the clues closing that month, the disposal method following
   from the gravest outcome (立案审查 for 党纪/政务处分, 初步核实 or 谈话函询 below that);
4. 通报曝光: each month's batches pick closed clues with handled people and name them;
5. petitions: one for each clue from a 信访举报, and some more that are filed, transferred
   or repeat an earlier one (those of the last days still wait for triage).

Volumes scale with ``scale`` (quotas rounded so totals stay consistent); only
``scale=1.0`` reproduces the calibration. Nothing here touches the database: the plan
refers to orgs by key and to cadres by index, and the same seed gives the same plan.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from jiandu.clues.choices import (
    ClueAction,
    ClueSource,
    Conclusion,
    DisposalMethod,
    OutcomeKind,
    OutcomeSubtype,
    ResponsibilityType,
)
from jiandu.core import idnumbers
from jiandu.demo import texts
from jiandu.demo.orgs import POVERTY_COUNTIES, OrgPlan
from jiandu.demo.people import CadreSpec
from jiandu.orgs.choices import OrgKind

if TYPE_CHECKING:
    from jiandu.statcentre.periods import Period

CALIBRATED_YEAR = 2020  # the year of seed 000's figures
POVERTY = "poverty"

# --- calibrated quotas of the 扶贫 stream (months 1–12 of 2020) ------------------------

POVERTY_RECEIVED = (95, 60, 110, 130, 135, 140, 130, 140, 69, 85, 90, 80)
POVERTY_CLOSED = (35, 60, 95, 115, 125, 135, 155, 155, 68, 80, 95, 110)
POVERTY_OUTCOMES: dict[str, tuple[int, ...]] = {
    OutcomeKind.CRITICISM: (16, 28, 44, 54, 58, 63, 73, 73, 47, 38, 45, 50),
    OutcomeKind.ACCOUNTABILITY: (4, 7, 11, 13, 14, 15, 18, 18, 12, 10, 11, 13),
    OutcomeKind.PARTY_DISCIPLINE: (4, 6, 10, 12, 12, 14, 16, 15, 10, 9, 10, 12),
    OutcomeKind.GOVERNMENT_SANCTION: (0, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 2),
    OutcomeKind.ORGANISATIONAL: (1, 2, 2, 3, 3, 3, 4, 4, 2, 3, 3, 4),
    OutcomeKind.JUDICIAL_TRANSFER: (0, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1),
    OutcomeKind.NAME_CLEARED: (1, 1, 2, 2, 2, 2, 3, 3, 1, 2, 2, 3),
    OutcomeKind.FALSE_ACCUSATION: (0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1),
}
# (batches, cases, persons) per month
POVERTY_EXPOSURE = (
    (2, 2, 3), (3, 4, 7), (6, 10, 18), (8, 13, 24), (8, 14, 27), (9, 16, 31),
    (8, 17, 33), (8, 16, 31), (11, 14, 21), (7, 10, 17), (6, 9, 15), (8, 12, 20),
)  # fmt: skip
POVERTY_KEEP_OPEN = 4

# --- the other domains: as many clues again as 扶贫 (twice the 扶贫 volume overall) ----

OTHER_RECEIVED = (100, 62, 100, 110, 112, 115, 105, 112, 108, 105, 112, 118)
OTHER_KEEP_OPEN = 12
OTHER_CLOSE_RATE = 0.55  # share of the eligible open clues closed each month
# outcomes per closed clue, by kind
OTHER_OUTCOME_RATES: dict[str, float] = {
    OutcomeKind.CRITICISM: 0.40,
    OutcomeKind.ACCOUNTABILITY: 0.05,
    OutcomeKind.PARTY_DISCIPLINE: 0.10,
    OutcomeKind.GOVERNMENT_SANCTION: 0.03,
    OutcomeKind.ORGANISATIONAL: 0.025,
    OutcomeKind.JUDICIAL_TRANSFER: 0.008,
    OutcomeKind.NAME_CLEARED: 0.015,
    OutcomeKind.FALSE_ACCUSATION: 0.003,
}
# domain → weight per month (涉疫 only from February)
OTHER_DOMAINS: dict[str, tuple[int, ...]] = {
    "four_winds": (30, 18, 22, 25, 25, 25, 25, 25, 28, 30, 28, 32),
    "epidemic": (0, 30, 25, 15, 8, 5, 4, 4, 4, 4, 4, 5),
    "livelihood": (18, 14, 16, 18, 18, 18, 18, 18, 18, 18, 18, 18),
    "bidding": (9, 6, 9, 10, 10, 10, 10, 10, 10, 10, 10, 11),
    "rural_assets": (11, 8, 10, 11, 11, 12, 12, 12, 11, 11, 11, 11),
    "mining": (5, 3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5),
    "appointments": (8, 5, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9),
    "other": (12, 8, 11, 12, 12, 12, 12, 12, 12, 12, 12, 12),
}
PETITION_EXTRA_RATIO = 0.3  # petitions that do not become clues, per clue received

# 三降三升 (seed 004, 衢州): on the city's statistics page, this year up to the demo's
# today against the same days of the calibrated year (docs/user-guide/statistics.md).
# Counts move by percent, rates by percentage points.
SEED_004_RECEIVED, SEED_004_FIRST, SEED_004_REPEAT = -45.4, -46.7, -30.2
SEED_004_FIRST_CLOSED_RATE, SEED_004_SATISFACTION, SEED_004_BACKLOG_RATE = 12.3, 12.9, 23.6
# 信访积案 carried into the registry: petitions received the year before the calibrated
# year and still open at its start (at scale 1.0), of which this share is resolved in the
# calibrated year's part of the comparison.
LEGACY_BACKLOG = 60
# This year's repeats may run this much ahead of their target: late in the year fewer
# petitions are repeated than in the calibrated year (its window filled up then).
REPEAT_LEAD = 0.04
LEGACY_RESOLVED = 0.60

SOURCES: dict[str, tuple[tuple[str, int], ...]] = {
    POVERTY: (
        (ClueSource.PETITION, 55), (ClueSource.SUPERVISION, 18), (ClueSource.INSPECTION, 10),
        (ClueSource.DATACHECK, 8), (ClueSource.AUDIT, 4), (ClueSource.HIGHER_ASSIGNED, 5),
    ),
    "other": (
        (ClueSource.PETITION, 62), (ClueSource.SUPERVISION, 15), (ClueSource.INSPECTION, 10),
        (ClueSource.AUDIT, 6), (ClueSource.HIGHER_ASSIGNED, 5), (ClueSource.OTHER, 2),
    ),
}  # fmt: skip

SEVERITY: dict[str, int] = {
    DisposalMethod.DISMISSED: 0,
    DisposalMethod.SHELVED: 1,
    DisposalMethod.TALK_INQUIRY: 2,
    DisposalMethod.PRELIMINARY_VERIFICATION: 3,
    DisposalMethod.CASE_FILED: 4,
}
HANDLED_KINDS = frozenset(
    {
        OutcomeKind.CRITICISM,
        OutcomeKind.ACCOUNTABILITY,
        OutcomeKind.PARTY_DISCIPLINE,
        OutcomeKind.GOVERNMENT_SANCTION,
        OutcomeKind.ORGANISATIONAL,
        OutcomeKind.JUDICIAL_TRANSFER,
    }
)
SUBTYPE_WEIGHTS: dict[str, tuple[tuple[str, int], ...]] = {
    OutcomeKind.CRITICISM: (
        (OutcomeSubtype.REMINDER_TALK, 35), (OutcomeSubtype.CRITICISM, 35),
        (OutcomeSubtype.ORDERED_REVIEW, 15), (OutcomeSubtype.ADMONISHMENT, 15),
    ),
    OutcomeKind.ACCOUNTABILITY: (
        (OutcomeSubtype.ACC_REVIEW, 25), (OutcomeSubtype.ACC_CIRCULATE, 30),
        (OutcomeSubtype.ACC_ADMONISH, 25), (OutcomeSubtype.ACC_ORGANISATIONAL, 10),
        (OutcomeSubtype.ACC_DISCIPLINE, 10),
    ),
    OutcomeKind.PARTY_DISCIPLINE: (
        (OutcomeSubtype.PARTY_WARNING, 45), (OutcomeSubtype.PARTY_SERIOUS_WARNING, 30),
        (OutcomeSubtype.PARTY_POST_REVOKED, 8), (OutcomeSubtype.PARTY_PROBATION, 8),
        (OutcomeSubtype.PARTY_EXPULSION, 9),
    ),
    OutcomeKind.GOVERNMENT_SANCTION: (
        (OutcomeSubtype.GOV_WARNING, 30), (OutcomeSubtype.GOV_DEMERIT, 30),
        (OutcomeSubtype.GOV_MAJOR_DEMERIT, 15), (OutcomeSubtype.GOV_DEMOTION, 10),
        (OutcomeSubtype.GOV_DISMISSAL_FROM_POST, 10), (OutcomeSubtype.GOV_EXPULSION, 5),
    ),
    OutcomeKind.ORGANISATIONAL: (
        (OutcomeSubtype.SUSPENSION, 15), (OutcomeSubtype.POST_ADJUSTMENT, 35),
        (OutcomeSubtype.ORDERED_RESIGNATION, 10), (OutcomeSubtype.DEMOTION, 15),
        (OutcomeSubtype.REMOVAL, 25),
    ),
}  # fmt: skip


class PlanError(RuntimeError):
    """The quotas cannot be met (a bug in the tables, not bad luck: the plan is fixed)."""


# --- the plan's records --------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A handling unit (县区纪委监委, 监督检查室 or 派驻组) and how it performs."""

    key: str
    kind: str  # "county" | "room" | "group"
    poverty_weight: float
    other_weight: float
    efficiency: float  # how quickly its clues close
    propensity: float  # how often its closed clues end with people handled
    subjects: tuple[str, ...]  # orgs whose people its clues are about


@dataclass
class Reporter:
    name: str
    phone: str
    id_number: str
    address: str


@dataclass
class PetitionPlan:
    index: int
    received: dt.date
    channel: str
    registrar: str  # actor key
    received_org: str  # org key
    title: str
    content: str
    domains: list[str]
    subject_people: list[int]
    subject_orgs: list[str]
    reporter: Reporter | None = None
    assign_to: str | None = None  # 交办 by the city before conversion
    fate: str = "convert"  # convert | file | transfer | repeat
    reason: str = ""
    transferred_to: str = ""
    repeat_of: int | None = None  # the planned original of a ``repeat``
    clue: CluePlan | None = None
    # The earliest petition this one repeats as the registry finds it (the rule of
    # clues.services._find_repeat); None: 初信初访. Set by the planner for every petition.
    repeat_root: int | None = None
    handled: dt.date | None = None  # converted, filed or transferred on (None: pending)


@dataclass
class OutcomePlan:
    kind: str
    subtype: str = ""
    responsibility: str = ""
    person: int | None = None  # cadre index
    subject_name: str = ""  # when no registered cadre (诬告陷害者)
    decision: dt.date | None = None
    funds: Decimal = Decimal(0)


@dataclass
class Move:
    action: str  # escalate | direct_handle
    to_org: str
    on_date: dt.date
    note: str
    actor: str


@dataclass
class CluePlan:
    index: int
    stream: str
    domains: list[str]
    unit: str
    handling: str  # org key handling it at reception
    subject_org: str
    subject_people: list[int]
    source: str
    received: dt.date
    title: str
    problem: str
    content: str
    funds: Decimal | None = None
    petition: PetitionPlan | None = None
    move: Move | None = None
    method: str = ""
    disposed: dt.date | None = None
    change: tuple[str, dt.date, str] | None = None
    closed: dt.date | None = None
    conclusion: str = ""
    conclusion_text: str = ""
    outcomes: list[OutcomePlan] = field(default_factory=list)
    keep_open: bool = False
    never_disposed: bool = False  # open and not even disposed (the worst overdue)
    exposed: bool = False

    @property
    def final_org(self) -> str:
        return self.move.to_org if self.move else self.handling

    def handled_people(self) -> list[int]:
        seen: list[int] = []
        for o in self.outcomes:
            if o.kind in HANDLED_KINDS and o.person is not None and o.person not in seen:
                seen.append(o.person)
        return seen


@dataclass
class ExposurePlan:
    stream: str
    domain: str
    published: dt.date
    publisher: str  # org key
    actor: str
    title: str
    medium: str
    cases: list[tuple[CluePlan, list[int], str]]  # clue, persons, case title


@dataclass
class CasePlan:
    petitions: list[PetitionPlan] = field(default_factory=list)
    clues: list[CluePlan] = field(default_factory=list)  # all clues, petition-born or not
    exposures: list[ExposurePlan] = field(default_factory=list)


# --- calendar helpers ------------------------------------------------------------------


def _days(start: str, end: str) -> set[dt.date]:
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return {first + dt.timedelta(days=i) for i in range((last - first).days + 1)}


# Public holidays: the 2020 Spring Festival as extended for the epidemic and the 2020–21
# table; other years have the fixed-date ones (元旦, 劳动节, 国庆).
HOLIDAYS_2020: frozenset[dt.date] = frozenset(
    set().union(
        *(
            _days(a, b)
            for a, b in (
                ("2020-01-01", "2020-01-01"), ("2020-01-24", "2020-02-02"),
                ("2020-04-04", "2020-04-06"), ("2020-05-01", "2020-05-05"),
                ("2020-06-25", "2020-06-27"), ("2020-10-01", "2020-10-08"),
                ("2021-01-01", "2021-01-03"), ("2021-02-11", "2021-02-17"),
                ("2021-04-03", "2021-04-05"),
            )
        )
    )
)  # fmt: skip


def holidays(year: int) -> frozenset[dt.date]:
    if year in (2020, 2021):
        return HOLIDAYS_2020
    return frozenset(
        set().union(
            _days(f"{year}-01-01", f"{year}-01-01"),
            _days(f"{year}-05-01", f"{year}-05-05"),
            _days(f"{year}-10-01", f"{year}-10-07"),
        )
    )


@dataclass(frozen=True)
class Calendar:
    """The plan's months: 1 = January of the calibrated ``year``, on to the month of
    ``last_day`` (the day before the demo's today); nothing is dated after ``last_day``."""

    year: int
    last_day: dt.date

    @property
    def last_month(self) -> int:
        return self.plan_month(self.last_day)

    def month_of(self, m: int) -> tuple[int, int]:
        return self.year + (m - 1) // 12, (m - 1) % 12 + 1

    def month_start(self, m: int) -> dt.date:
        year, month = self.month_of(m)
        return dt.date(year, month, 1)

    def month_end(self, m: int) -> dt.date:
        """The month's last day, or ``last_day`` in the current month."""
        year, month = self.month_of(m)
        return min(dt.date(year, month, calendar.monthrange(year, month)[1]), self.last_day)

    def month_fraction(self, m: int) -> float:
        """How much of month ``m`` has passed (1 for every month before the current)."""
        year, month = self.month_of(m)
        days = calendar.monthrange(year, month)[1]
        return ((self.month_end(m) - self.month_start(m)).days + 1) / days

    def plan_month(self, day: dt.date) -> int:
        return (day.year - self.year) * 12 + day.month

    def working_day(self, rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
        """A random working day in [low, high] (any day if the range has none)."""
        high = min(high, self.last_day)
        if high < low:
            raise PlanError(f"空日期区间 {low}–{high}")
        days = [low + dt.timedelta(days=i) for i in range((high - low).days + 1)]
        off = holidays(low.year) | holidays(high.year)
        working = [d for d in days if d.weekday() < 5 and d not in off]
        return rng.choice(working or days)


def scaled(series: tuple[int, ...] | list[int], scale: float) -> list[int]:
    """Scale a monthly series keeping its total rounded (largest remainder)."""
    if scale == 1.0:
        return list(series)
    raw = [v * scale for v in series]
    out = [math.floor(v) for v in raw]
    missing = round(sum(series) * scale) - sum(out)
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - out[i], -i), reverse=True)
    for i in order[: max(0, missing)]:
        out[i] += 1
    return out


def _chance_round(rng: random.Random, value: float) -> int:
    whole = int(value)
    return whole + (1 if rng.random() < value - whole else 0)


def _reporter_key(p: PetitionPlan) -> tuple[str, ...]:
    """What the registry matches a reporter by (``demo.cases._reporter_key`` hashes the
    same): the ID number, else name and phone; () for an anonymous petition."""
    r = p.reporter
    if r is None:
        return ()
    if r.id_number:
        return ("id", r.id_number)
    if r.name and r.phone:
        return ("np", r.name.strip(), r.phone.strip())
    return ()


# --- the planner ---------------------------------------------------------------------


class Planner:
    """Draws up the :class:`CasePlan` for one seed and scale."""

    def __init__(
        self,
        *,
        seed: int,
        scale: float,
        orgs: OrgPlan,
        cadres: list[CadreSpec],
        year: int = CALIBRATED_YEAR,
        last_day: dt.date | None = None,
    ) -> None:
        self.seed = seed
        self.scale = scale
        self.cal = Calendar(year, last_day or dt.date(year + 1, 4, 30))
        if self.cal.last_day < dt.date(year, 12, 31):
            raise PlanError(f"演示数据的最后一天{self.cal.last_day}早于{year}年年底")
        self.last_month = self.cal.last_month
        self.orgs = orgs
        self.cadres = cadres
        self.rng = random.Random(f"{seed}:cases")
        self.by_org: dict[str, list[int]] = {}
        for cadre in cadres:
            self.by_org.setdefault(cadre.org, []).append(cadre.index)
        self.units = self._units()
        self.unit_by_key = {u.key: u for u in self.units}
        self.plan = CasePlan()
        self._phones: set[str] = set()
        self._subject_cursor: dict[str, int] = {}

    # units and their performance ----------------------------------------------------

    def _units(self) -> list[Unit]:
        rng = random.Random(f"{self.seed}:units")
        orgs = self.orgs
        units: list[Unit] = []
        # 扶贫 weights of the nine 脱贫摘帽县 (the other counties 0.22): 东川, 禄劝, 寻甸
        # carry most; 富民 (530124) is the weak one, 晋宁 (530122) middling. Scaled below
        # so counties receive about two thirds of 扶贫 clues, rooms 12%, groups 21%.
        poverty_county_weight = {
            "530113": 1.3, "530128": 1.3, "530129": 1.3, "530125": 1.0, "530126": 0.9,
            "530127": 1.0, "530124": 0.22, "530122": 0.6, "530181": 0.9,
        }  # fmt: skip
        # Units that are consistently slow to close and seldom hold anyone to account
        # (富民县, 晋宁区, 派驻第十七纪检监察组, 第八监督检查室): the 多色榜 will warn them.
        weak = {"county:530124": 0.45, "county:530122": 0.75, "group:17": 0.45, "room:8": 0.6}
        for key in orgs.counties:
            code = orgs.spec(key).region_code
            subjects = [
                k
                for k in orgs.subtree(key)
                if orgs.spec(k).kind in (OrgKind.TOWNSHIP, OrgKind.VILLAGE, OrgKind.COUNTY_UNIT)
                and not k.startswith(("party:", "gov:"))
            ]
            units.append(
                Unit(
                    key=key,
                    kind="county",
                    poverty_weight=poverty_county_weight.get(code, 0.22) * 7.2,
                    other_weight=(1.2 if code in POVERTY_COUNTIES else 1.5) * 3.0,
                    efficiency=weak.get(key, rng.uniform(0.9, 1.2)),
                    propensity=weak.get(key, rng.uniform(0.85, 1.15)),
                    subjects=tuple(subjects),
                )
            )
        for n, key in enumerate(orgs.rooms, start=1):
            supervised = orgs.supervises.get(key, [])
            if n == 8:
                room_subjects = tuple(supervised)
            else:
                room_subjects = tuple(
                    k
                    for county in supervised
                    for k in orgs.children.get(county, [])
                    if k.startswith(("party:", "gov:", "cunit:"))
                )
            poverty_counties = sum(1 for c in supervised if c.split(":")[1] in POVERTY_COUNTIES)
            units.append(
                Unit(
                    key=key,
                    kind="room",
                    poverty_weight=0.6 + 0.9 * poverty_counties,
                    other_weight=1.6,
                    efficiency=weak.get(key, rng.uniform(0.9, 1.2)),
                    propensity=weak.get(key, rng.uniform(0.85, 1.15)),
                    subjects=room_subjects,
                )
            )
        # Groups over the units where 扶贫 money flows (农业农村, 乡村振兴, 民政, 人社 …).
        poverty_groups = {19: 3.0, 20: 3.2, 12: 2.0, 14: 1.6, 17: 0.2, 8: 1.2, 23: 1.2, 13: 1.3,
                          15: 0.8, 16: 0.6, 7: 0.8}  # fmt: skip
        for n, key in enumerate(orgs.groups, start=1):
            units.append(
                Unit(
                    key=key,
                    kind="group",
                    poverty_weight=poverty_groups.get(n, 0.3),
                    other_weight=rng.uniform(0.7, 1.4),
                    efficiency=weak.get(key, rng.uniform(0.9, 1.2)),
                    propensity=weak.get(key, rng.uniform(0.85, 1.15)),
                    subjects=tuple(orgs.supervises[key]),
                )
            )
        return units

    # entry point ----------------------------------------------------------------------

    def _series(self, table: tuple[int, ...]) -> list[int]:
        """A calibrated year's monthly quotas, then the same months' quotas again for
        the year after, up to the current month (pro rata for the days gone)."""
        calibrated = scaled(table, self.scale)
        return calibrated + [
            round(calibrated[(m - 1) % 12] * self.cal.month_fraction(m))
            for m in range(13, self.last_month + 1)
        ]

    def build(self) -> CasePlan:
        poverty = self._stream(
            POVERTY,
            received=self._series(POVERTY_RECEIVED),
            keep_open=round(POVERTY_KEEP_OPEN * self.scale),
        )
        self._close(poverty, closed=self._series(POVERTY_CLOSED))
        outcome_quotas = {k: scaled(v, self.scale) for k, v in POVERTY_OUTCOMES.items()}
        self._outcomes(poverty, outcome_quotas)
        others = self._stream(
            "other",
            received=self._series(OTHER_RECEIVED),
            keep_open=max(1, round(OTHER_KEEP_OPEN * self.scale)),
        )
        self._close(others, closed=None)
        self._outcomes(others, None)
        for clue in (*poverty, *others):
            self._finish_dates(clue)
        self._exposures(poverty, others)
        self._petitions(poverty, others)
        self._petition_calibration()
        self.plan.clues = sorted([*poverty, *others], key=lambda c: (c.received, c.index))
        self.plan.petitions.sort(key=lambda p: (p.received, p.index))
        self.plan.exposures.sort(key=lambda e: e.published)
        return self.plan

    # 1. receptions ----------------------------------------------------------------------

    def _weights(self, stream: str, month: int) -> list[float]:
        rng = random.Random(f"{self.seed}:weights:{stream}:{month}")
        out = []
        for unit in self.units:
            base = unit.poverty_weight if stream == POVERTY else unit.other_weight
            out.append(base * math.exp(rng.gauss(0, 0.35)))
        return out

    def _stream(self, stream: str, *, received: list[int], keep_open: int) -> list[CluePlan]:
        rng = self.rng
        clues: list[CluePlan] = []
        for month, count in enumerate(received, start=1):
            weights = self._weights(stream, month)
            for _ in range(count):
                unit = rng.choices(self.units, weights=weights, k=1)[0]
                day = self.cal.working_day(
                    rng, self.cal.month_start(month), self.cal.month_end(month)
                )
                if stream == POVERTY:
                    domains = [POVERTY]
                    extra = rng.random()
                    if extra < 0.06:
                        domains.append("rural_assets")
                    elif extra < 0.10:
                        domains.append("livelihood")
                else:
                    names = list(OTHER_DOMAINS)
                    domains = [
                        rng.choices(
                            names, weights=[OTHER_DOMAINS[n][(month - 1) % 12] for n in names]
                        )[0]
                    ]
                clues.append(self._clue(stream, unit, day, domains))
        # A few of the calibrated year's last clues are still open today (overdue).
        year = self.cal.year
        late = [c for c in clues if dt.date(year, 10, 1) <= c.received <= dt.date(year, 12, 31)]
        for n, clue in enumerate(rng.sample(late, min(keep_open, len(late)))):
            clue.keep_open = True
            clue.never_disposed = n == 0
        return clues

    def _subject_org(self, unit: Unit, stream: str) -> str:
        rng = self.rng
        subjects = list(unit.subjects)
        if unit.kind == "county" and stream == POVERTY:
            villages = [k for k in subjects if k.startswith("village:")]
            towns = [k for k in subjects if k.startswith("town:")]
            units = [k for k in subjects if k.startswith("cunit:")]
            pools = [(villages, 55), (towns, 30), (units, 15)]
            pools = [(p, w) for p, w in pools if p]
            pool = rng.choices([p for p, _ in pools], weights=[w for _, w in pools])[0]
            return rng.choice(pool)
        return rng.choice(subjects)

    def _people_of(self, org: str) -> list[int]:
        people = self.by_org.get(org, [])
        if people:
            return people
        parent = self.orgs.spec(org).parent
        return self._people_of(parent) if parent else []

    def _next_subject(self, org: str) -> int:
        """Cadres of an org in turn, so reports spread over people (fewer accidental
        repeats) and leaders are reported a little more often."""
        people = self._people_of(org)
        if self.rng.random() < 0.15:
            return people[0]
        cursor = self._subject_cursor.get(org, self.rng.randrange(len(people)))
        self._subject_cursor[org] = cursor + 1
        return people[cursor % len(people)]

    def _who(self, org: str, cadre: int | None, *, veiled_name: bool = True) -> str:
        spec = self.orgs.spec(org)
        place = spec.name
        if spec.kind == OrgKind.VILLAGE and spec.parent:
            place = self.orgs.spec(spec.parent).name + spec.name
        elif spec.kind == OrgKind.TOWNSHIP and spec.parent:
            county = self.orgs.spec(spec.parent)
            place = (county.short_name or county.name).removesuffix("纪委监委") + spec.name
        if cadre is None:
            return place
        person = self.cadres[cadre]
        name = texts.veiled(person.name) if veiled_name else person.name
        return f"{place}{person.title}{name}"

    def _clue(self, stream: str, unit: Unit, day: dt.date, domains: list[str]) -> CluePlan:
        rng = self.rng
        subject_org = self._subject_org(unit, stream)
        roll = rng.random()
        people = [] if roll < 0.05 else [self._next_subject(subject_org)]
        if roll > 0.9:
            other = self._next_subject(subject_org)
            if other not in people:
                people.append(other)
        problem, sentence = rng.choice(texts.PROBLEMS[domains[0]])
        amount = rng.choice((8, 12, 26, 35, 48, 60, 85, 120, 230, 560)) * 1000 + rng.randrange(
            0, 1000, 10
        )
        who = self._who(subject_org, people[0] if people else None)
        content = sentence.format(who=who, amount=f"{amount:,}", n=rng.randint(2, 9))
        handling = unit.key
        if (
            unit.kind == "county"
            and subject_org.startswith(("village:", "town:"))
            and rng.random() < 0.28
        ):
            # 乡镇纪委 handles it first; the county may take it up (提级/直查直办).
            handling = (
                subject_org
                if subject_org.startswith("town:")
                else self.orgs.spec(subject_org).parent or unit.key
            )
        source_table = SOURCES[POVERTY if stream == POVERTY else "other"]
        source = texts.weighted(rng, source_table)
        clue = CluePlan(
            index=len(self.plan.clues),
            stream=stream,
            domains=domains,
            unit=unit.key,
            handling=handling,
            subject_org=subject_org,
            subject_people=people,
            source=source,
            received=day,
            title=f"反映{who}{problem}问题",
            problem=problem,
            content=content,
            funds=Decimal(amount) if "{amount}" in sentence else None,
        )
        self.plan.clues.append(clue)
        return clue

    # 2. closures ------------------------------------------------------------------------

    def _close(self, clues: list[CluePlan], *, closed: list[int] | None) -> None:
        rng = self.rng
        open_pool = [c for c in clues if not c.keep_open]
        for month in range(1, self.last_month + 1):
            start, end = self.cal.month_start(month), self.cal.month_end(month)
            eligible = [
                c for c in open_pool if c.closed is None and c.received <= end - dt.timedelta(3)
            ]
            if closed is not None:
                quota = closed[month - 1]
            else:
                rate = OTHER_CLOSE_RATE * self.cal.month_fraction(month)
                quota = round(len(eligible) * rate * rng.uniform(0.9, 1.1))
            if quota > len(eligible):
                if closed is not None and month <= 12 and self.scale == 1.0:
                    raise PlanError(f"第{month}月办结配额{quota}超过可办结线索{len(eligible)}")
                quota = len(eligible)

            def score(c: CluePlan, end: dt.date = end) -> float:
                age = (end - c.received).days + 5
                return age * self.unit_by_key[c.unit].efficiency * rng.uniform(0.6, 1.4)

            chosen = sorted(eligible, key=score, reverse=True)[:quota]
            for clue in chosen:
                low = max(start, clue.received + dt.timedelta(days=3))
                clue.closed = self.cal.working_day(rng, low, end)

    # 3. outcomes ------------------------------------------------------------------------

    def _outcomes(self, clues: list[CluePlan], quotas: dict[str, list[int]] | None) -> None:
        rng = self.rng
        by_month: dict[int, list[CluePlan]] = {}
        for clue in clues:
            if clue.closed is not None:
                by_month.setdefault(self.cal.plan_month(clue.closed), []).append(clue)
        for month in range(1, self.last_month + 1):
            closing = by_month.get(month, [])
            if not closing:
                continue
            if quotas is not None and month <= 12:
                quota = {kind: series[month - 1] for kind, series in quotas.items()}
            else:
                rates = OTHER_OUTCOME_RATES
                if quotas is not None:  # 扶贫 after 2020: the year's own ratios
                    done = sum(POVERTY_CLOSED)
                    rates = {k: sum(v) / done for k, v in POVERTY_OUTCOMES.items()}
                quota = {k: _chance_round(rng, r * len(closing)) for k, r in rates.items()}
            groups = self._groups(quota)
            ordered = sorted(
                closing,
                key=lambda c: self.unit_by_key[c.unit].propensity * rng.uniform(0.5, 1.5),
                reverse=True,
            )
            assigned: list[list[Group]] = [[] for _ in ordered]
            for i, group in enumerate(groups):
                if i < len(ordered):
                    assigned[i].append(group)
                else:
                    # More groups than closing clues: a clue handles several groups.
                    assigned[rng.randrange(len(ordered))].append(group)
            for clue, clue_groups in zip(ordered, assigned, strict=True):
                self._settle(clue, clue_groups)

    def _groups(self, quota: dict[str, int]) -> list[Group]:
        rng = self.rng
        groups: list[Group] = []
        serious: list[Group] = []

        def sizes(total: int, weights: tuple[int, ...]) -> list[int]:
            out = []
            while total > 0:
                size = min(total, rng.choices(range(1, len(weights) + 1), weights=weights)[0])
                out.append(size)
                total -= size
            return out

        for size in sizes(quota.get(OutcomeKind.PARTY_DISCIPLINE, 0), (70, 24, 6)):
            group = Group(DisposalMethod.CASE_FILED)
            for _ in range(size):
                group.slots.append([OutcomePlan(OutcomeKind.PARTY_DISCIPLINE)])
            serious.append(group)
        for kind, attach in (
            (OutcomeKind.GOVERNMENT_SANCTION, 0.6),
            (OutcomeKind.JUDICIAL_TRANSFER, 0.9),
        ):
            for _ in range(quota.get(kind, 0)):
                slots = [s for g in serious for s in g.slots if not any(o.kind == kind for o in s)]
                if slots and rng.random() < attach:
                    slot = rng.choice(slots)
                    slot.append(OutcomePlan(kind))
                    if kind == OutcomeKind.JUDICIAL_TRANSFER:
                        for o in slot:
                            if o.kind == OutcomeKind.PARTY_DISCIPLINE:
                                o.subtype = OutcomeSubtype.PARTY_EXPULSION
                            if o.kind == OutcomeKind.GOVERNMENT_SANCTION:
                                o.subtype = OutcomeSubtype.GOV_EXPULSION
                else:
                    group = Group(DisposalMethod.CASE_FILED, [[OutcomePlan(kind)]])
                    serious.append(group)
        groups.extend(serious)
        for size in sizes(quota.get(OutcomeKind.ACCOUNTABILITY, 0), (50, 35, 15)):
            method = (
                DisposalMethod.PRELIMINARY_VERIFICATION
                if rng.random() < 0.75
                else DisposalMethod.CASE_FILED
            )
            groups.append(
                Group(method, [[OutcomePlan(OutcomeKind.ACCOUNTABILITY)] for _ in range(size)])
            )
        for size in sizes(quota.get(OutcomeKind.CRITICISM, 0), (65, 28, 7)):
            method = (
                DisposalMethod.TALK_INQUIRY
                if rng.random() < 0.55
                else DisposalMethod.PRELIMINARY_VERIFICATION
            )
            groups.append(
                Group(method, [[OutcomePlan(OutcomeKind.CRITICISM)] for _ in range(size)])
            )
        for _ in range(quota.get(OutcomeKind.ORGANISATIONAL, 0)):
            hosts = [g for g in groups if g.method != DisposalMethod.TALK_INQUIRY]
            if hosts and rng.random() < 0.5:
                rng.choice(hosts).slots.append([OutcomePlan(OutcomeKind.ORGANISATIONAL)])
            else:
                groups.append(
                    Group(
                        DisposalMethod.PRELIMINARY_VERIFICATION,
                        [[OutcomePlan(OutcomeKind.ORGANISATIONAL)]],
                    )
                )
        for _ in range(quota.get(OutcomeKind.NAME_CLEARED, 0)):
            method = rng.choice(
                (DisposalMethod.TALK_INQUIRY, DisposalMethod.PRELIMINARY_VERIFICATION)
            )
            groups.append(Group(method, [[OutcomePlan(OutcomeKind.NAME_CLEARED)]], cleared=True))
        for _ in range(quota.get(OutcomeKind.FALSE_ACCUSATION, 0)):
            groups.append(
                Group(
                    DisposalMethod.PRELIMINARY_VERIFICATION,
                    [
                        [OutcomePlan(OutcomeKind.NAME_CLEARED)],
                        [OutcomePlan(OutcomeKind.FALSE_ACCUSATION)],
                    ],
                    cleared=True,
                )
            )
        rng.shuffle(groups)
        # Grave cases first, so they land on the clues of the most diligent units.
        groups.sort(key=lambda g: -SEVERITY[g.method])
        return groups

    def _settle(self, clue: CluePlan, groups: list[Group]) -> None:
        """Fix the clue's disposal, conclusion and outcomes (people, subtypes) from the
        groups given to it; a clue without groups ends without anyone handled."""
        rng = self.rng
        if not groups:
            clue.method = texts.weighted(
                rng,
                (
                    (DisposalMethod.DISMISSED, 30),
                    (DisposalMethod.TALK_INQUIRY, 28),
                    (DisposalMethod.PRELIMINARY_VERIFICATION, 30),
                    (DisposalMethod.SHELVED, 12),
                ),
            )
            if clue.method == DisposalMethod.DISMISSED:
                clue.conclusion = texts.weighted(
                    rng, ((Conclusion.OTHER, 50), (Conclusion.UNVERIFIABLE, 50))
                )
            elif clue.method == DisposalMethod.TALK_INQUIRY:
                clue.conclusion = Conclusion.UNSUBSTANTIATED
            elif clue.method == DisposalMethod.PRELIMINARY_VERIFICATION:
                clue.conclusion = texts.weighted(
                    rng,
                    (
                        (Conclusion.UNSUBSTANTIATED, 60),
                        (Conclusion.UNVERIFIABLE, 30),
                        (Conclusion.PARTLY_SUBSTANTIATED, 10),
                    ),
                )
            else:
                clue.conclusion = Conclusion.UNVERIFIABLE
            if clue.method == DisposalMethod.SHELVED and rng.random() < 0.5:
                clue.change = (
                    DisposalMethod.DISMISSED,
                    clue.received,
                    "暂存后仍无新的线索，予以了结",
                )
            return
        clue.method = max((g.method for g in groups), key=lambda m: SEVERITY[m])
        cleared_only = all(g.cleared for g in groups)
        clue.conclusion = (
            Conclusion.UNSUBSTANTIATED
            if cleared_only
            else (
                Conclusion.SUBSTANTIATED if rng.random() < 0.8 else Conclusion.PARTLY_SUBSTANTIATED
            )
        )
        candidates = self._candidates(clue)
        for group in groups:
            for slot in group.slots:
                person = None
                if any(o.kind != OutcomeKind.FALSE_ACCUSATION for o in slot):
                    person = next(candidates, None)
                    if person is None:
                        raise PlanError(f"线索“{clue.title}”没有足够的处理对象")
                for outcome in slot:
                    self._fill_outcome(clue, outcome, person)
                    clue.outcomes.append(outcome)
        if clue.method == DisposalMethod.CASE_FILED and rng.random() < 0.7:
            clue.method = DisposalMethod.PRELIMINARY_VERIFICATION
            clue.change = (
                DisposalMethod.CASE_FILED,
                clue.received,
                "初步核实发现违纪事实，依规立案审查",
            )
        elif clue.method == DisposalMethod.TALK_INQUIRY and rng.random() < 0.06:
            clue.method = DisposalMethod.SHELVED
            clue.change = (DisposalMethod.TALK_INQUIRY, clue.received, "出现新的情况，转为谈话函询")

    def _candidates(self, clue: CluePlan) -> Iterator[int]:
        """Who may be handled on a clue: its subjects first, then their colleagues, the
        level above, and the other orgs its unit supervises."""
        unit = self.unit_by_key[clue.unit]
        orgs = [clue.subject_org, self.orgs.spec(clue.subject_org).parent or "", *unit.subjects]
        seen: set[int] = set()
        for person in [*clue.subject_people, *(p for o in orgs if o for p in self._people_of(o))]:
            if person not in seen:
                seen.add(person)
                yield person

    def _fill_outcome(self, clue: CluePlan, outcome: OutcomePlan, person: int | None) -> None:
        rng = self.rng
        if outcome.kind == OutcomeKind.FALSE_ACCUSATION:
            outcome.subject_name = texts.person_name(rng, rng.choice("男女"))
            return
        outcome.person = person
        if outcome.kind in SUBTYPE_WEIGHTS and not outcome.subtype:
            outcome.subtype = texts.weighted(rng, SUBTYPE_WEIGHTS[outcome.kind])
        if outcome.kind == OutcomeKind.ACCOUNTABILITY:
            cadre = self.cadres[person] if person is not None else None
            if cadre is not None and cadre.is_leader:
                outcome.responsibility = ResponsibilityType.PRINCIPAL
            elif cadre is not None and "纪" in cadre.title:
                outcome.responsibility = ResponsibilityType.SUPERVISORY
            else:
                outcome.responsibility = texts.weighted(
                    rng,
                    (
                        (ResponsibilityType.PRINCIPAL, 35),
                        (ResponsibilityType.SUPERVISORY, 35),
                        (ResponsibilityType.LEADERSHIP, 30),
                    ),
                )
        if (
            clue.funds
            and outcome.kind in (OutcomeKind.PARTY_DISCIPLINE, OutcomeKind.GOVERNMENT_SANCTION)
            and not any(o.funds for o in clue.outcomes)
        ):
            outcome.funds = (clue.funds * Decimal(rng.randint(50, 100)) / 100).quantize(
                Decimal("1")
            )

    # dates ----------------------------------------------------------------------------

    def _finish_dates(self, clue: CluePlan) -> None:
        """Dates of every step, in order: received ≤ move ≤ disposed ≤ change ≤
        outcomes ≤ closed; outcomes fall in the month of closing (as counted)."""
        rng = self.rng
        unit = self.unit_by_key[clue.unit]
        end = clue.closed or min(clue.received + dt.timedelta(days=60), self.cal.last_day)
        span = (end - clue.received).days
        cursor = clue.received
        if unit.kind == "county" and span >= 2:
            self._plan_move(clue, unit, span)
            if clue.move is not None:
                clue.move.on_date = clue.received + dt.timedelta(
                    days=rng.randint(1, max(1, span // 4))
                )
                cursor = clue.move.on_date
        if clue.never_disposed:
            return
        if clue.closed is None:
            # Still open: the overdue stragglers, and the last weeks' clues in hand.
            if span < 3 and not clue.keep_open:
                return
            clue.method = texts.weighted(
                rng,
                (
                    (DisposalMethod.PRELIMINARY_VERIFICATION, 40),
                    (DisposalMethod.SHELVED, 25),
                    (DisposalMethod.CASE_FILED, 15),
                    (DisposalMethod.TALK_INQUIRY, 10),
                ),
            )
            clue.disposed = min(cursor + dt.timedelta(days=rng.randint(2, 12)), end)
            return
        disposed_by = max(cursor, clue.received + dt.timedelta(days=max(1, span // 3)))
        clue.disposed = cursor + dt.timedelta(
            days=rng.randint(1, max(1, (disposed_by - cursor).days))
        )
        if clue.disposed >= end:
            clue.disposed = end - dt.timedelta(days=1)
        first_outcome_low = max(clue.disposed, self.cal.month_start(self.cal.plan_month(end)))
        if clue.change is not None:
            method, _day, note = clue.change
            change_day = clue.disposed + dt.timedelta(
                days=rng.randint(0, max(0, (first_outcome_low - clue.disposed).days))
            )
            clue.change = (method, change_day, note)
            first_outcome_low = max(first_outcome_low, change_day)
        for outcome in clue.outcomes:
            outcome.decision = first_outcome_low + dt.timedelta(
                days=rng.randint(0, (end - first_outcome_low).days)
            )
        texts_for = texts.CONCLUSION_TEXTS[clue.conclusion]
        clue.conclusion_text = rng.choice(texts_for)

    def _plan_move(self, clue: CluePlan, unit: Unit, span: int) -> None:
        rng = self.rng
        county_spec = self.orgs.spec(unit.key)
        county_name = county_spec.short_name or county_spec.name
        if clue.handling != unit.key:
            roll = rng.random()
            if roll < 0.55:
                clue.move = Move(
                    ClueAction.ESCALATE,
                    unit.key,
                    clue.received,
                    "涉及村（社区）“两委”干部的问题线索，按规定由县级纪委监委提级查办",
                    unit.key,
                )
            elif roll < 0.8:
                clue.move = Move(
                    ClueAction.DIRECT_HANDLE,
                    unit.key,
                    clue.received,
                    f"问题线索反映情况较为突出，由{county_name}直查直办",
                    unit.key,
                )
            return
        roll = rng.random()
        if roll < 0.02:
            clue.move = Move(
                ClueAction.DIRECT_HANDLE,
                "city",
                clue.received,
                "问题线索涉及面广、影响较大，由市纪委监委直查直办",
                "city",
            )
        elif roll < 0.035:
            clue.move = Move(
                ClueAction.ESCALATE,
                "city",
                clue.received,
                "问题线索涉及县管干部且案情复杂，提级由市纪委监委办理",
                "city",
            )

    # 4. 通报曝光 -----------------------------------------------------------------------

    def _exposures(self, poverty: list[CluePlan], others: list[CluePlan]) -> None:
        rng = self.rng
        quotas = list(POVERTY_EXPOSURE)
        if self.scale != 1.0:
            batches = scaled([q[0] for q in quotas], self.scale)
            cases = scaled([q[1] for q in quotas], self.scale)
            persons = scaled([q[2] for q in quotas], self.scale)
            quotas = [
                (b, max(b, c), min(max(b, c) * 3, max(p, c, b)))
                for b, c, p in zip(batches, cases, persons, strict=True)
            ]
        for month, (b, k, p) in enumerate(quotas, start=1):
            self._month_exposure(
                POVERTY, POVERTY, poverty, month, b, k, p, strict=self.scale == 1.0
            )
        # The months after the calibrated year whose 通报 (from the 15th) is out by now.
        later = [
            m
            for m in range(13, self.last_month + 1)
            if self.cal.month_start(m) + dt.timedelta(days=14) <= self.cal.last_day
        ]
        for month in later:
            b, k, p = quotas[(month - 1) % 12]
            self._month_exposure(POVERTY, POVERTY, poverty, month, b, k, p, strict=False)
        for month in [*range(1, 13), *later]:
            b = _chance_round(rng, 2.2 * self.scale)
            for _ in range(b):
                domain = texts.weighted(
                    rng, (("four_winds", 55), ("livelihood", 15), ("epidemic", 10), ("other", 20))
                )
                pool = [c for c in others if c.domains[0] == domain]
                k = rng.randint(1, 3)
                self._month_exposure(
                    "other", domain, pool, month, 1, k, k + rng.randint(0, k), strict=False
                )

    def _month_exposure(
        self,
        stream: str,
        domain: str,
        clues: list[CluePlan],
        month: int,
        batches: int,
        cases: int,
        persons: int,
        *,
        strict: bool,
    ) -> None:
        rng = self.rng
        if batches == 0:
            return
        start, end = self.cal.month_start(month), self.cal.month_end(month)
        days = sorted(
            self.cal.working_day(rng, start + dt.timedelta(days=14), end) for _ in range(batches)
        )
        counts = [1] * batches
        for _ in range(cases - batches):
            counts[rng.randrange(batches)] += 1
        planned: list[ExposurePlan] = []
        county_weight = {u.key: u.propensity for u in self.units if u.kind == "county"}
        for day, count in zip(days, counts, strict=True):
            pool = [
                c
                for c in clues
                if not c.exposed
                and c.closed is not None
                and day - dt.timedelta(days=150) <= c.closed <= day
                and c.handled_people()
            ]
            # The city's batches are issued in the name of 党风政风监督室, which compiles
            # the monthly 通报; a county issues its own.
            publisher, actor = "conduct", "city"
            # A county publishes only when its own cases can carry its share of people.
            share = math.ceil(count * persons / cases)
            counties = [
                k
                for k in county_weight
                if sum(1 for c in pool if c.unit == k) >= count
                and sum(
                    sorted((min(3, len(c.handled_people())) for c in pool if c.unit == k),
                           reverse=True)[:count]
                ) >= share
            ]  # fmt: skip
            if counties and rng.random() < 0.4:
                publisher = rng.choices(counties, weights=[county_weight[k] for k in counties])[0]
                actor = publisher
                pool = [c for c in pool if c.unit == publisher]
            if len(pool) < count:
                if strict:
                    raise PlanError(f"{day}的通报曝光缺少可通报的已办结线索")
                count = len(pool)
                if count == 0:
                    continue
            pool.sort(
                key=lambda c: (len(c.handled_people()) + rng.random(), c.closed), reverse=True
            )
            chosen = pool[:count]
            for clue in chosen:
                clue.exposed = True
            planned.append(
                ExposurePlan(
                    stream=stream,
                    domain=domain,
                    published=day,
                    publisher=publisher,
                    actor=actor,
                    title="",
                    medium="",
                    cases=[(clue, [], "") for clue in chosen],
                )
            )
        all_cases = [case for e in planned for case in e.cases]
        if not all_cases:
            return
        for clue, people, _title in all_cases:
            people.append(clue.handled_people()[0])
        extra = persons - len(all_cases)
        while extra > 0:
            spare = [
                (clue, people)
                for clue, people, _t in all_cases
                if len(people) < min(3, len(clue.handled_people()))
            ]
            if not spare:
                if strict:
                    raise PlanError(f"第{month}月通报曝光人次不足")
                break
            clue, people = rng.choice(spare)
            people.append(clue.handled_people()[len(people)])
            extra -= 1
        domain_name = dict(texts.DOMAIN_NAMES)[domain]
        for exposure in planned:
            exposure.cases = [
                (clue, people, self._case_title(clue, people))
                for clue, people, _t in exposure.cases
            ]
            n = len(exposure.cases)
            if exposure.publisher == "conduct":
                exposure.title = f"市纪委市监委通报{n}起{domain_name}领域典型问题"
                exposure.medium = "市纪委监委门户网站"
            else:
                county = self.orgs.spec(exposure.publisher)
                short = (county.short_name or county.name).removesuffix("纪委监委")
                exposure.title = f"{short}纪委监委通报{n}起{domain_name}领域典型问题"
                exposure.medium = f"{short}纪委监委微信公众号"
            self.plan.exposures.append(exposure)

    def _case_title(self, clue: CluePlan, people: list[int]) -> str:
        first = people[0]
        who = self._who(self.cadres[first].org, first, veiled_name=False)
        more = "等人" if len(people) > 1 else ""
        return f"{who}{more}{clue.problem}问题"

    # 5. petitions ---------------------------------------------------------------------

    def _reporter(self, county_code: str) -> Reporter:
        rng = self.rng
        gender = rng.choice("男女")
        while True:
            phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
            if phone not in self._phones:
                self._phones.add(phone)
                break
        birth = dt.date(rng.randint(1950, 1995), rng.randint(1, 12), rng.randint(1, 28))
        id_number = ""
        if rng.random() < 0.4:
            sequence = rng.randrange(500) * 2 + (1 if gender == "男" else 0)
            id_number = idnumbers.make(county_code, birth, sequence)
        street = rng.choice(texts.STREETS)
        return Reporter(
            name=texts.person_name(rng, gender),
            phone=phone,
            id_number=id_number,
            address=f"{self._county_place(county_code)}{street}{rng.randint(1, 300)}号",
        )

    def _county_place(self, code: str) -> str:
        key = f"county:{code}"
        if key not in self.orgs.counties:
            return "昆明市"
        spec = self.orgs.spec(key)
        return (spec.short_name or spec.name).removesuffix("纪委监委")

    def _county_code_of(self, unit_key: str) -> str:
        if unit_key.startswith("county:"):
            return unit_key.split(":")[1]
        return self.rng.choice(("530102", "530103", "530111", "530112"))

    def _intake(self, unit_key: str) -> tuple[str, str, str | None]:
        """(registrar, received org, 交办 target) for a petition about a unit's area:
        counties take in their own; the city's 信访室 takes in the rest and the
        commission hands them to the room or group concerned."""
        if unit_key.startswith("county:"):
            return unit_key, unit_key, None
        return "petition", "petition", unit_key

    def _petition_for(self, clue: CluePlan, day: dt.date) -> PetitionPlan:
        rng = self.rng
        registrar, received_org, assign_to = self._intake(clue.unit)
        real_name = rng.random() < 0.35
        petition = PetitionPlan(
            index=len(self.plan.petitions),
            received=day,
            channel=texts.weighted(rng, texts.CHANNEL_WEIGHTS),
            registrar=registrar,
            received_org=received_org,
            title=clue.title,
            content=clue.content,
            domains=list(clue.domains),
            subject_people=list(clue.subject_people),
            subject_orgs=[clue.subject_org],
            reporter=self._reporter(self._county_code_of(clue.unit)) if real_name else None,
            assign_to=assign_to,
        )
        self.plan.petitions.append(petition)
        return petition

    def _petitions(self, poverty: list[CluePlan], others: list[CluePlan]) -> None:
        rng = self.rng
        for clue in (*poverty, *others):
            if clue.source != ClueSource.PETITION:
                continue
            first = dt.date(self.cal.year, 1, 1)
            day = max(first, clue.received - dt.timedelta(days=rng.randint(0, 6)))
            petition = self._petition_for(clue, day)
            petition.clue = clue
            clue.petition = petition
        # Petitions that do not become clues: repeats, 存档, 转办.
        by_unit: dict[str, list[PetitionPlan]] = {}
        for petition in self.plan.petitions:
            if petition.clue is not None:
                by_unit.setdefault(petition.clue.unit, []).append(petition)
        for clues in (poverty, others):
            for clue in rng.sample(clues, round(len(clues) * PETITION_EXTRA_RATIO)):
                self._extra_petition(clue, by_unit)
        # 存档 and 转办 take a few working days (their own draws: the rest of the plan
        # does not move with them); those of the last days are still to be triaged.
        dates = random.Random(f"{self.seed}:petition-dates")
        for petition in self.plan.petitions:
            if petition.clue is not None:
                petition.handled = petition.clue.received
            elif petition.received >= self.cal.last_day - dt.timedelta(days=3):
                petition.handled = None
            else:
                petition.handled = self.cal.working_day(
                    dates, petition.received, petition.received + dt.timedelta(days=8)
                )

    # 三降三升 -------------------------------------------------------------------------

    def _petition_calibration(self) -> None:
        """Calibrate this year's petitions against the same days of the calibrated year
        to seed 004's 三降三升, as the city's statistics page counts them on the demo's
        today (its own random draws: the calibrated year's records are not touched):

        1. 检举控告, 初信初访, 重复举报: the petitions are classified in the order they
           are registered, by the registry's repeat rule, and this year's are kept so that
           each day the running counts of 初信初访 and 重复举报 track the same day a year
           earlier times the target (a dropped petition's clue stays, found by 监督检查).
           The three seed figures cannot all hold with the demo's share of repeats (衢州's
           imply ~8 % repeats), so both targets miss by the same margin as 检举控告.
        2. 初信初访办结率: some of the calibrated year's first-time petitions that were
           filed or transferred wait past its period's end (来信积压, before the 最多访一次
           reform), enough to put its rate the seed's points below this year's.
        3. 积案化解率: a backlog carried in from the year before (``LEGACY_BACKLOG``),
           ``LEGACY_RESOLVED`` of it resolved in the calibrated year's period; this year
           enough of the backlog at 1 January (the rest of it and the petitions of 2.) is
           resolved by yesterday to be the seed's points higher; the rest is still open.
        """
        this_year = self.cal.year + 1
        if self.cal.last_day < dt.date(this_year, 1, 1):
            return
        from jiandu.statcentre.periods import parse_period

        today = self.cal.last_day + dt.timedelta(days=1)
        current = parse_period(str(this_year)).clipped(today)
        last = current.same_period_last_year()
        legacy = self._legacy_backlog()
        self._classify_and_thin(current, last)
        slow = self._slow_first_petitions(current, last)
        self._resolve_backlog(current, last, legacy, slow)

    def _legacy_backlog(self) -> list[PetitionPlan]:
        """The backlog carried in: petitions about no named person (so no later petition
        repeats them) received in the year before the calibrated year, still open."""
        rng = random.Random(f"{self.seed}:legacy-backlog")
        year = self.cal.year
        models = sorted(
            (c for c in self.plan.clues if c.received < dt.date(year, 4, 1)), key=lambda c: c.index
        )
        out = []
        for _ in range(max(1, round(LEGACY_BACKLOG * self.scale))):
            model = rng.choice(models)
            registrar, received_org, _assign = self._intake(model.unit)
            day = self.cal.working_day(rng, dt.date(year - 1, 3, 1), dt.date(year - 1, 12, 20))
            petition = PetitionPlan(
                index=len(self.plan.petitions),
                received=day,
                channel=texts.weighted(rng, texts.CHANNEL_WEIGHTS),
                registrar=registrar,
                received_org=received_org,
                title=model.title.replace("反映", "反映疑似", 1),
                content=model.content.replace("反映", "听说", 1),
                domains=list(model.domains),
                subject_people=[],
                subject_orgs=[model.subject_org],
                fate="file",
                reason=rng.choice(texts.FILE_REASONS),
            )
            self.plan.petitions.append(petition)
            out.append(petition)
        return out

    def _classify_and_thin(self, current: Period, last: Period) -> None:
        """Step 1 of :meth:`_petition_calibration` (sets every petition's repeat_root)."""
        from jiandu.clues.services import REPEAT_TITLE_SIMILARITY, REPEAT_WINDOW_DAYS

        rng = random.Random(f"{self.seed}:current-year-petitions")
        window = dt.timedelta(days=REPEAT_WINDOW_DAYS)
        by_reporter: dict[tuple[str, ...], list[PetitionPlan]] = {}
        by_person: dict[int, list[PetitionPlan]] = {}
        last_days: dict[bool, list[dt.date]] = {True: [], False: []}  # first-time? → days
        kept_counts = {True: 0, False: 0}
        ratios: dict[bool, float] = {}
        dropped: set[int] = set()
        kept: list[PetitionPlan] = []
        originals = {
            p.repeat_of
            for p in self.plan.petitions
            if p.fate == "repeat" and p.received >= current.start
        }
        # Imported here, as by the clue services: not at the demo command's start.
        from rapidfuzz import fuzz

        def found(p: PetitionPlan) -> PetitionPlan | None:
            since = p.received - window
            key = _reporter_key(p)
            if key:
                for e in by_reporter.get(key, []):
                    if e.received >= since:
                        return e
            seen = {
                e.index: e
                for person in p.subject_people
                for e in by_person.get(person, [])
                if e.received >= since
            }
            title = p.title.strip()
            for e in sorted(seen.values(), key=lambda e: (e.received, e.index)):
                if fuzz.partial_ratio(e.title.strip(), title) >= REPEAT_TITLE_SIMILARITY:
                    return e
            return None

        for p in sorted(self.plan.petitions, key=lambda p: (p.received, p.index)):
            earlier = found(p)
            first = earlier is None
            if p.received >= current.start:
                if not ratios:
                    ratios = self._fall_ratios(last_days, last.end)
                # The same days a year earlier, up to the day after (the page's today).
                same_day = last.start + dt.timedelta(days=(p.received - current.start).days + 1)
                target = ratios[first] * bisect.bisect_right(last_days[first], same_day)
                # The petitions repeated later are kept (repeats are scarce this year: the
                # running counts make up for them), a repeat without its original is not.
                orphan = p.fate == "repeat" and p.repeat_of in dropped
                if not first:
                    target *= 1 + REPEAT_LEAD
                keep = p.index in originals or kept_counts[first] + rng.random() < target
                if orphan or not keep:
                    dropped.add(p.index)
                    if p.clue is not None:
                        p.clue.petition = None
                        p.clue.source = ClueSource.SUPERVISION
                    continue
                kept_counts[first] += 1
            elif p.received >= last.start:
                last_days[first].append(p.received)
            if earlier is not None:
                p.repeat_root = (
                    earlier.repeat_root if earlier.repeat_root is not None else earlier.index
                )
            kept.append(p)
            key = _reporter_key(p)
            if key:
                by_reporter.setdefault(key, []).append(p)
            for person in p.subject_people:
                by_person.setdefault(person, []).append(p)
        self.plan.petitions = kept

    @staticmethod
    def _fall_ratios(last_days: dict[bool, list[dt.date]], end: dt.date) -> dict[bool, float]:
        """Kept share of this year's first-time and repeat petitions: seed 004's falls,
        each moved by the margin that makes 检举控告 miss by as much (given the calibrated
        year's share ``f`` of first-time petitions, 检举控告 = f·初信初访 + (1−f)·重复举报)."""
        first = bisect.bisect_right(last_days[True], end)
        repeat = bisect.bisect_right(last_days[False], end)
        f = first / max(1, first + repeat)
        margin = (f * SEED_004_FIRST + (1 - f) * SEED_004_REPEAT - SEED_004_RECEIVED) / 2
        return {
            True: 1 + (SEED_004_FIRST - margin) / 100,
            False: 1 + (SEED_004_REPEAT - margin) / 100,
        }

    def _slow_first_petitions(self, current: Period, last: Period) -> list[PetitionPlan]:
        """Step 2: the calibrated year's first-time petitions that wait (handled None for
        now; :meth:`_resolve_backlog` dates those resolved)."""
        rng = random.Random(f"{self.seed}:slow-petitions")

        def firsts(period: Period) -> list[PetitionPlan]:
            return [
                p
                for p in self.plan.petitions
                if period.start <= p.received <= period.end and p.repeat_root is None
            ]

        def closed(ps: list[PetitionPlan], end: dt.date) -> list[PetitionPlan]:
            return [p for p in ps if p.handled is not None and p.handled <= end]

        now, then = firsts(current), firsts(last)
        if not now or not then:
            return []
        rate = len(closed(now, current.end)) / len(now) - SEED_004_FIRST_CLOSED_RATE / 100
        was_closed = closed(then, last.end)
        pool = [p for p in was_closed if p.clue is None]
        slow = rng.sample(pool, min(len(pool), max(0, len(was_closed) - round(len(then) * rate))))
        for p in slow:
            p.handled = None
        return sorted(slow, key=lambda p: p.index)

    def _resolve_backlog(
        self, current: Period, last: Period, legacy: list[PetitionPlan], slow: list[PetitionPlan]
    ) -> None:
        """Step 3: date the resolutions of the backlog in both periods."""
        rng = random.Random(f"{self.seed}:backlog")
        resolved = rng.sample(legacy, round(len(legacy) * LEGACY_RESOLVED))
        for p in resolved:
            p.handled = self.cal.working_day(rng, last.start, last.end)
        last_rate = len(resolved) / len(legacy)
        chosen = {p.index for p in resolved}
        pool = [p for p in legacy if p.index not in chosen] + slow
        for p in pool:
            p.handled = None
        in_pool = {p.index for p in pool}
        natural = [
            p
            for p in self.plan.petitions
            if p.received < current.start
            and p.index not in in_pool
            and (p.handled is None or p.handled >= current.start)
        ]
        natural_resolved = sum(
            1 for p in natural if p.handled is not None and p.handled <= current.end
        )
        backlog = len(pool) + len(natural)
        want = round(backlog * (last_rate + SEED_004_BACKLOG_RATE / 100))
        for p in rng.sample(pool, min(len(pool), max(0, want - natural_resolved))):
            p.handled = self.cal.working_day(rng, current.start, self.cal.last_day)

    def _extra_petition(self, model: CluePlan, by_unit: dict[str, list[PetitionPlan]]) -> None:
        """A petition in the same unit and month as ``model`` that is not converted."""
        rng = self.rng
        month = self.cal.plan_month(model.received)
        day = self.cal.working_day(rng, self.cal.month_start(month), self.cal.month_end(month))
        roll = rng.random()
        earlier = [
            p
            for p in by_unit.get(model.unit, [])
            if dt.timedelta(days=3) <= day - p.received <= dt.timedelta(days=180)
            and (p.reporter is not None or p.subject_people)
            and p.fate != "repeat"
        ]
        if roll < 0.25 and earlier:
            original = rng.choice(earlier)
            petition = PetitionPlan(
                index=len(self.plan.petitions),
                received=day,
                channel=texts.weighted(rng, texts.CHANNEL_WEIGHTS),
                registrar=original.registrar,
                received_org=original.received_org,
                title=f"再次{original.title}",
                content=f"{original.content}此前已反映，至今未见处理结果，再次反映。",
                domains=list(original.domains),
                subject_people=list(original.subject_people),
                subject_orgs=list(original.subject_orgs),
                reporter=original.reporter,
                fate="repeat",
                reason=texts.REPEAT_FILE_REASON,
                repeat_of=original.index,
            )
        elif roll < 0.7:
            registrar, received_org, _assign = self._intake(model.unit)
            petition = PetitionPlan(
                index=len(self.plan.petitions),
                received=day,
                channel=texts.weighted(rng, texts.CHANNEL_WEIGHTS),
                registrar=registrar,
                received_org=received_org,
                title=model.title.replace("反映", "反映疑似", 1),
                content=model.content.replace("反映", "听说", 1),
                domains=list(model.domains),
                subject_people=[],
                subject_orgs=[model.subject_org],
                reporter=self._reporter(self._county_code_of(model.unit))
                if rng.random() < 0.2
                else None,
                fate="file",
                reason=rng.choice(texts.FILE_REASONS),
            )
        else:
            registrar, received_org, _assign = self._intake(model.unit)
            to, reason, title, content = rng.choice(texts.TRANSFERS)
            if to.startswith("县") and model.unit.startswith("county:"):
                to = self._county_place(model.unit.split(":")[1]) + to.removeprefix("县")
            elif to.startswith("县"):
                to = "市中级人民法院"
            petition = PetitionPlan(
                index=len(self.plan.petitions),
                received=day,
                channel=texts.weighted(rng, texts.CHANNEL_WEIGHTS),
                registrar=registrar,
                received_org=received_org,
                title=title,
                content=content.format(n=rng.randint(2, 9), amount=f"{rng.randint(20, 300)}万"),
                domains=[],
                subject_people=[],
                subject_orgs=[],
                reporter=self._reporter(self._county_code_of(model.unit))
                if rng.random() < 0.6
                else None,
                fate="transfer",
                reason=reason,
                transferred_to=to,
            )
        self.plan.petitions.append(petition)


@dataclass
class Group:
    """Outcomes decided together on one clue: one slot per person."""

    method: str
    slots: list[list[OutcomePlan]] = field(default_factory=list)
    cleared: bool = False


def build_plan(
    *,
    seed: int,
    scale: float,
    orgs: OrgPlan,
    cadres: list[CadreSpec],
    year: int = CALIBRATED_YEAR,
    last_day: dt.date | None = None,
) -> CasePlan:
    return Planner(
        seed=seed, scale=scale, orgs=orgs, cadres=cadres, year=year, last_day=last_day
    ).build()
