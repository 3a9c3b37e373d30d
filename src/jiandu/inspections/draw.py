"""The 巡察 / 单元制 team draw with 回避 (conflict-of-interest avoidance).

Pure code, no Django: the platform's stored draws and the ``jiandu inspection draw``
calculator both call :func:`draw_teams`.

The rules (docs/user-guide/inspections.md, with examples):

* every target gets a team of exactly ``team_size`` people: one 组长 (a person who can
  lead) and ``team_size - 1`` 组员;
* every required skill is held by at least one member of each team;
* nobody inspects a unit in the target's ``covers`` (the unit and its subordinate units)
  when it is their own unit (``home_org``);
* nobody inspects a target when a declared conflict (relative working there, other
  declared conflict) names an org in its ``covers``;
* cool-down: a history row (person, org, ended_on) blocks the person from a target whose
  ``covers`` contains the org when ``ended_on`` is after ``as_of`` minus
  ``cooldown_months`` calendar months (a day that does not exist in the earlier month is
  the last day of that month: 2026-08-31 minus 6 months is 2026-02-28);
* nobody sits on two teams of one draw.

The solver is OR-Tools CP-SAT with one search worker, the draw's seed as its random
seed and a deterministic time budget; the people are put before it in a seeded random
order, so the same inputs and seed give the same teams, and another seed another draw.
For large pools each target first gets a candidate list (its eligible people in a
seeded random order, cut to ``CANDIDATE_FACTOR × team_size`` plus leaders and holders
of every required skill);
when those lists cannot staff every target the draw is solved again over all eligible
people, so the cut never makes a feasible draw look infeasible.

An infeasible draw names every target that cannot be staffed and why: the reasons are
found per target first (too few eligible people, no eligible leader, a required skill
nobody eligible has, or the three together cannot be met by one team) and, when every
target can be staffed alone, by a second solve that staffs as many targets as possible:
the targets left over are those the pool cannot staff jointly.
"""

from __future__ import annotations

import calendar
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

LEADER = "组长"
MEMBER = "组员"

DEFAULT_COOLDOWN_MONTHS = 36
# Candidate list per target: this many times the team size, at least MIN_CANDIDATES.
CANDIDATE_FACTOR = 4
MIN_CANDIDATES = 20
# Extra leaders / holders of each required skill put on every candidate list.
EXTRA_PER_NEED = 3
# CP-SAT's deterministic time budget (not wall-clock: the same on any machine).
DETERMINISTIC_TIME = 30.0


@dataclass(frozen=True)
class Candidate:
    """A person of the talent pool."""

    person_id: str
    name: str
    home_org: str
    skills: frozenset[str] = frozenset()
    can_lead: bool = False


@dataclass(frozen=True)
class Target:
    """A unit to inspect; ``covers`` are the org ids that count as it (always with itself)."""

    org_id: str
    name: str = ""
    covers: frozenset[str] = frozenset()

    @property
    def scope(self) -> frozenset[str]:
        return self.covers | {self.org_id}


# Where an avoid pair comes from (the stored draw keeps it; an infeasible draw names it).
SOURCE_DECLARED = "申报"
SOURCE_RELATIONS = "比对数据 亲属关系"
SOURCE_HOUSEHOLD = "同户"
# How an infeasible draw names the people blocked by each source ("" = the calculator's
# AVOID.csv, whose rows do not say where they come from).
SOURCE_WORDS = {
    SOURCE_DECLARED: "申报回避",
    SOURCE_RELATIONS: "亲属在该单位任职（比对数据 亲属关系）",
    SOURCE_HOUSEHOLD: "同户亲属在该单位任职（比对数据 同户）",
    "": "亲属等申报回避",
}


@dataclass(frozen=True)
class Conflict:
    """An avoid pair: the person may not inspect a target covering ``org_id``.
    ``source`` is one of ``SOURCE_WORDS`` (empty for the calculator's AVOID.csv) and
    ``note`` says why in words (names, never ID numbers)."""

    person_id: str
    org_id: str
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class HistoryEntry:
    """The person inspected ``org_id``; the stint ended on ``ended_on``."""

    person_id: str
    org_id: str
    ended_on: date


@dataclass(frozen=True)
class DrawRequest:
    candidates: Sequence[Candidate]
    targets: Sequence[Target]
    team_size: int
    seed: int
    as_of: date
    required_skills: Sequence[str] = ()
    conflicts: Sequence[Conflict] = ()
    history: Sequence[HistoryEntry] = ()
    cooldown_months: int = DEFAULT_COOLDOWN_MONTHS


@dataclass(frozen=True)
class TeamMember:
    person_id: str
    role: str  # LEADER or MEMBER


@dataclass(frozen=True)
class Team:
    target: str
    members: tuple[TeamMember, ...]

    @property
    def leader(self) -> str:
        return next(m.person_id for m in self.members if m.role == LEADER)

    def to_dict(self) -> dict:
        return {
            "target": self.target,
            "members": [{"person_id": m.person_id, "role": m.role} for m in self.members],
        }


@dataclass(frozen=True)
class Infeasible:
    target: str
    reason: str
    code: str  # few_people | no_leader | skill | single_team | joint | bad_request

    def to_dict(self) -> dict:
        return {"target": self.target, "reason": self.reason}


@dataclass
class DrawResult:
    seed: int
    teams: list[Team] = field(default_factory=list)
    infeasible: list[Infeasible] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.infeasible

    def to_dict(self) -> dict:
        if self.infeasible:
            return {"infeasible": [i.to_dict() for i in self.infeasible]}
        return {"seed": self.seed, "teams": [t.to_dict() for t in self.teams]}


class DrawInputError(ValueError):
    """The request itself is wrong (not an infeasible draw)."""


def months_before(day: date, months: int) -> date:
    """``day`` minus ``months`` calendar months, clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cooldown_cutoff(as_of: date, cooldown_months: int) -> date:
    """History ending after this day blocks (see the module's rules)."""
    return months_before(as_of, cooldown_months)


class _EligibleLists(Mapping[str, list[str]]):
    """target -> the person ids that may sit on it, in pool order. Kept as the blocked
    people per target and built into a list only when asked for (300 targets × 5,000
    people: the lists cost more than the rest of a feasible draw)."""

    def __init__(self, all_ids: list[str]) -> None:
        self.all_ids = all_ids
        self.blocked: dict[str, set[str]] = {}
        self._lists: dict[str, list[str]] = {}

    def count(self, org_id: str) -> int:
        return len(self.all_ids) - len(self.blocked[org_id])

    def __getitem__(self, org_id: str) -> list[str]:
        if org_id not in self._lists:
            blocked = self.blocked[org_id]
            self._lists[org_id] = [p for p in self.all_ids if p not in blocked]
        return self._lists[org_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.blocked)

    def __len__(self) -> int:
        return len(self.blocked)


@dataclass
class _Eligibility:
    """Who may sit on which target, and why the others may not (counts per reason)."""

    eligible: _EligibleLists
    own_unit: dict[str, int]
    conflict: dict[str, dict[str, int]]  # target -> source -> people blocked by it
    cooldown: dict[str, int]


def _validate(request: DrawRequest) -> None:
    if request.team_size < 1:
        raise DrawInputError("每组人数至少为1")
    if request.cooldown_months < 0:
        raise DrawInputError("冷却期月数不能为负")
    seen: set[str] = set()
    for person in request.candidates:
        if person.person_id in seen:
            raise DrawInputError(f"人员编号重复：{person.person_id}")
        seen.add(person.person_id)
    seen = set()
    for target in request.targets:
        if target.org_id in seen:
            raise DrawInputError(f"被巡察单位重复：{target.org_id}")
        seen.add(target.org_id)


def eligibility(request: DrawRequest) -> _Eligibility:
    """Who may inspect each target under 回避 and the cool-down."""
    cutoff = cooldown_cutoff(request.as_of, request.cooldown_months)
    by_home: dict[str, set[str]] = defaultdict(set)
    for person in request.candidates:
        by_home[person.home_org].add(person.person_id)
    conflicts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in request.conflicts:
        conflicts[row.org_id][row.source].add(row.person_id)
    order = list(SOURCE_WORDS) + sorted(
        {row.source for row in request.conflicts} - set(SOURCE_WORDS)
    )
    all_ids = [p.person_id for p in request.candidates]
    in_pool = set(all_ids)
    recent: dict[str, set[str]] = defaultdict(set)
    for entry in request.history:
        if entry.ended_on > cutoff:
            recent[entry.org_id].add(entry.person_id)
    result = _Eligibility(eligible=_EligibleLists(all_ids), own_unit={}, conflict={}, cooldown={})
    for target in request.targets:
        own: set[str] = set()
        by_source: dict[str, set[str]] = defaultdict(set)
        cooled: set[str] = set()
        for org in target.scope:
            own |= by_home.get(org, set())
            for source, ids in conflicts.get(org, {}).items():
                by_source[source] |= ids
            cooled |= recent.get(org, set())
        counted = set(own)
        per_source: dict[str, int] = {}
        for source in order:  # a person blocked twice counts under the first source
            fresh = by_source.get(source, set()) - counted
            if fresh:
                per_source[source] = len(fresh)
                counted |= fresh
        result.eligible.blocked[target.org_id] = (counted | cooled) & in_pool
        result.own_unit[target.org_id] = len(own)
        result.conflict[target.org_id] = per_source
        result.cooldown[target.org_id] = len(cooled - counted)
    return result


def _blocked_note(elig: _Eligibility, org_id: str) -> str:
    parts = []
    if elig.own_unit[org_id]:
        parts.append(f"本单位及下属单位人员{elig.own_unit[org_id]}人")
    for source, count in elig.conflict[org_id].items():
        parts.append(f"{SOURCE_WORDS.get(source, source)}{count}人")
    if elig.cooldown[org_id]:
        parts.append(f"冷却期内巡察过{elig.cooldown[org_id]}人")
    return f"（已回避：{'、'.join(parts)}）" if parts else ""


def _single_target_reasons(
    request: DrawRequest,
    elig: _Eligibility,
    people: dict[str, Candidate],
    *,
    exact: bool = True,
) -> list[Infeasible]:
    """Targets that cannot be staffed even with the whole pool to themselves. Without
    ``exact`` only the counting reasons are looked for (too few people, no leader, a
    skill nobody has): the exact one-team test is left for when the draw fails."""
    found: list[Infeasible] = []
    size = request.team_size
    leaders = [p.person_id for p in request.candidates if p.can_lead]
    holders = {
        skill: [p.person_id for p in request.candidates if skill in p.skills]
        for skill in request.required_skills
    }
    for target in request.targets:
        org = target.org_id
        blocked = elig.eligible.blocked[org]
        count = elig.eligible.count(org)
        note = _blocked_note(elig, org)
        reasons: list[tuple[str, str]] = []
        if count < size:
            reasons.append(("few_people", f"可参加的人员只有{count}人，少于每组{size}人{note}"))
        if all(p in blocked for p in leaders):
            reasons.append(("no_leader", f"可参加的人员中没有能担任组长的人{note}"))
        for skill in request.required_skills:
            if all(p in blocked for p in holders[skill]):
                reasons.append(("skill", f"可参加的人员中没有具备「{skill}」专长的人{note}"))
        if exact and not reasons and not _one_team_possible(request, elig.eligible[org], people):
            reasons.append(
                (
                    "single_team",
                    f"可参加的{count}人无法在{size}人之内同时配齐组长和"
                    f"「{'、'.join(request.required_skills)}」专长",
                )
            )
        if reasons:
            found.append(Infeasible(org, "；".join(text for _, text in reasons), reasons[0][0]))
    return found


def _greedy_team(request: DrawRequest, ids: list[str], people: dict[str, Candidate]) -> bool:
    """A quick sufficient test: a leader, then whoever covers most missing skills."""
    needed = set(request.required_skills)
    leaders = [p for p in ids if people[p].can_lead]
    if not leaders:
        return False
    leader = max(leaders, key=lambda p: len(needed & people[p].skills))
    missing = needed - people[leader].skills
    used = 1
    pool = [p for p in ids if p != leader and needed & people[p].skills]
    while missing and used < request.team_size:
        best = max(pool, key=lambda p: len(missing & people[p].skills), default=None)
        if best is None or not missing & people[best].skills:
            return False
        missing -= people[best].skills
        pool.remove(best)
        used += 1
    return not missing and len(ids) >= request.team_size


def _one_team_possible(request: DrawRequest, ids: list[str], people: dict[str, Candidate]) -> bool:
    """Can one team of ``team_size`` from ``ids`` have a leader and every skill? Exact:
    the greedy test, and when it fails a CP-SAT model over leaders and skill holders
    (everybody else only fills places)."""
    if _greedy_team(request, ids, people):
        return True
    from ortools.sat.python import cp_model

    needed = set(request.required_skills)
    relevant = [p for p in ids if people[p].can_lead or needed & people[p].skills]
    fillers = len(ids) - len(relevant)
    model = cp_model.CpModel()
    x = {p: model.new_bool_var(f"x{i}") for i, p in enumerate(relevant)}
    lead = {p: model.new_bool_var(f"l{i}") for i, p in enumerate(relevant) if people[p].can_lead}
    model.add(sum(x.values()) <= request.team_size)
    model.add(sum(x.values()) >= request.team_size - fillers)
    model.add(sum(lead.values()) == 1)
    for p, var in lead.items():
        model.add_implication(var, x[p])
    for skill in request.required_skills:
        model.add(sum(x[p] for p in relevant if skill in people[p].skills) >= 1)
    solver = _solver(request.seed)
    return solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _solver(seed: int, *, satisfy: bool = False):
    """One search worker (CP-SAT is deterministic then: same model and seed, same
    answer) with a deterministic time budget. For the draw itself (``satisfy``: any
    solution will do) presolve, symmetry detection and the LP relaxation are off: on
    the benchmark's 300 targets they took about 1 s of a 1.3 s solve, the search itself
    0.2 s (docs/benchmarks.md §15)."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed % (2**31)
    solver.parameters.max_deterministic_time = DETERMINISTIC_TIME
    if satisfy:
        solver.parameters.cp_model_presolve = False
        solver.parameters.symmetry_level = 0
        solver.parameters.linearization_level = 0
    return solver


def _candidate_lists(
    request: DrawRequest, elig: _Eligibility, people: dict[str, Candidate], rng: random.Random
) -> dict[str, list[str]]:
    """Per target: a seeded random cut of its eligible people (leaders and skill holders
    included), so that the model stays small for large pools."""
    size = max(request.team_size * CANDIDATE_FACTOR, MIN_CANDIDATES)
    lists: dict[str, list[str]] = {}
    needs: list[tuple[str, str | None]] = [("lead", None)] + [
        ("skill", skill) for skill in request.required_skills
    ]

    def meets(person: Candidate, need: tuple[str, str | None]) -> bool:
        return person.can_lead if need[0] == "lead" else need[1] in person.skills

    all_ids = elig.eligible.all_ids
    need_lists = {need: [p for p in all_ids if meets(people[p], need)] for need in needs}
    for target in request.targets:
        org = target.org_id
        blocked = elig.eligible.blocked[org]
        if elig.eligible.count(org) <= size:
            chosen = list(elig.eligible[org])
            rng.shuffle(chosen)
            lists[org] = chosen
            continue
        # A seeded sample of the pool, large enough to hold ``size`` eligible people
        # (not a shuffle of every eligible person: 300 targets × 5,000 people made that
        # the draw's slowest step).
        sample = rng.sample(all_ids, min(len(all_ids), size + len(blocked)))
        chosen = [p for p in sample if p not in blocked][:size]
        taken = set(chosen)
        for need in needs:
            have = sum(1 for p in chosen if meets(people[p], need))
            pool = need_lists[need]
            tries = 0
            while have < EXTRA_PER_NEED and pool and tries < 8 * EXTRA_PER_NEED:
                tries += 1
                p = pool[rng.randrange(len(pool))]
                if p not in blocked and p not in taken:
                    chosen.append(p)
                    taken.add(p)
                    have += 1
            if have < EXTRA_PER_NEED:  # few of them are eligible: take them in seeded order
                rest = [p for p in pool if p not in blocked and p not in taken]
                rng.shuffle(rest)
                for p in rest[: EXTRA_PER_NEED - have]:
                    chosen.append(p)
                    taken.add(p)
        lists[org] = chosen
    return lists


def _solve(
    request: DrawRequest,
    lists: dict[str, list[str]],
    people: dict[str, Candidate],
    rng: random.Random,
    *,
    partial: bool = False,
):
    """Solve over ``lists``. Returns (teams or None, staffed target ids)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x: dict[tuple[str, str], cp_model.IntVar] = {}
    lead: dict[tuple[str, str], cp_model.IntVar] = {}
    by_person: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    staffed: dict[str, cp_model.IntVar] = {}
    for t_index, target in enumerate(request.targets):
        org = target.org_id
        ids = lists[org]
        on = model.new_bool_var(f"s{t_index}") if partial else None  # partial: staffed
        if on is not None:
            staffed[org] = on
        tx = []
        tl = []
        for p in ids:
            var = model.new_bool_var("")
            x[p, org] = var
            by_person[p].append(var)
            tx.append(var)
            if people[p].can_lead:
                lv = model.new_bool_var("")
                lead[p, org] = lv
                model.add_implication(lv, var)
                tl.append(lv)
        if on is not None:
            model.add(cp_model.LinearExpr.sum(tx) == request.team_size * on)
            model.add(cp_model.LinearExpr.sum(tl) == on)
            for skill in request.required_skills:
                holders = [x[p, org] for p in ids if skill in people[p].skills]
                model.add(cp_model.LinearExpr.sum(holders) >= on)
        else:
            # LinearExpr.sum, exactly-one and clauses: building the model with Python's
            # sum() took longer than solving it (docs/benchmarks.md §15).
            model.add(cp_model.LinearExpr.sum(tx) == request.team_size)
            model.add_exactly_one(tl)
            for skill in request.required_skills:
                model.add_bool_or([x[p, org] for p in ids if skill in people[p].skills])
    for p in sorted(by_person):
        if len(by_person[p]) > 1:
            model.add_at_most_one(by_person[p])
    if partial:
        model.maximize(cp_model.LinearExpr.sum(list(staffed.values())))
    solver = _solver(request.seed, satisfy=not partial)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, set()
    if partial:
        return None, {org for org, var in staffed.items() if solver.value(var)}
    teams = []
    for target in request.targets:
        org = target.org_id
        leader = [p for p in lists[org] if (p, org) in lead and solver.value(lead[p, org])]
        others = [p for p in lists[org] if solver.value(x[p, org]) and p not in leader]
        members = tuple(
            [TeamMember(leader[0], LEADER)] + [TeamMember(p, MEMBER) for p in sorted(others)]
        )
        teams.append(Team(org, members))
    return teams, {t.org_id for t in request.targets}


def draw_teams(request: DrawRequest) -> DrawResult:
    """Draw one team per target (see the module's rules). Raises :class:`DrawInputError`
    for a malformed request; an infeasible draw is a result with ``infeasible`` rows."""
    _validate(request)
    people = {p.person_id: p for p in request.candidates}
    result = DrawResult(seed=request.seed)
    if not request.targets:
        return result
    elig = eligibility(request)
    alone = _single_target_reasons(request, elig, people, exact=False)
    if alone:
        result.infeasible = alone
        return result
    rng = random.Random(request.seed)
    lists = _candidate_lists(request, elig, people, rng)
    teams, _ = _solve(request, lists, people, rng)
    if teams is None and any(len(lists[o]) < len(elig.eligible[o]) for o in lists):
        full = {org: list(ids) for org, ids in elig.eligible.items()}
        for ids in full.values():
            rng.shuffle(ids)
        teams, _ = _solve(request, full, people, rng)
    if teams is not None:
        result.teams = teams
        return result
    alone = _single_target_reasons(request, elig, people, exact=True)
    if alone:
        result.infeasible = alone
        return result
    # Jointly infeasible: staff as many targets as possible; name those left over.
    full = {org: list(ids) for org, ids in elig.eligible.items()}
    _, staffed = _solve(request, full, people, rng, partial=True)
    left = [t for t in request.targets if t.org_id not in staffed]
    need = request.team_size * len(request.targets)
    union = len({p for ids in elig.eligible.values() for p in ids})
    for target in left:
        result.infeasible.append(
            Infeasible(
                target.org_id,
                f"单独组队可行，但与其他被巡察单位共用的人员不足：{len(request.targets)}个单位"
                f"共需{need}人，可参加的人员合计{union}人，每人只能参加一个组"
                f"（可参加本单位的{len(elig.eligible[target.org_id])}人，除去其他组所用，不够组成本组）",
                "joint",
            )
        )
    if not result.infeasible:  # the solver gave up within its budget
        result.infeasible = [
            Infeasible(t.org_id, "在计算时限内未能找到满足全部条件的组队方案", "joint")
            for t in request.targets
        ]
    return result


def check_teams(request: DrawRequest, teams: Iterable[Team]) -> list[str]:
    """Every rule a set of teams breaks (empty when it keeps them all); used by tests and
    when a stored draw is shown again."""
    people = {p.person_id: p for p in request.candidates}
    elig = eligibility(request)
    problems: list[str] = []
    seen: dict[str, str] = {}
    teams = list(teams)
    by_target = {t.target: t for t in teams}
    for target in request.targets:
        team = by_target.get(target.org_id)
        if team is None:
            problems.append(f"{target.org_id}: no team")
            continue
        ids = [m.person_id for m in team.members]
        if len(ids) != request.team_size or len(set(ids)) != len(ids):
            problems.append(f"{target.org_id}: team size {len(ids)}")
        leaders = [m.person_id for m in team.members if m.role == LEADER]
        if len(leaders) != 1 or not people[leaders[0]].can_lead:
            problems.append(f"{target.org_id}: leaders {leaders}")
        allowed = set(elig.eligible[target.org_id])
        for p in ids:
            if p not in allowed:
                problems.append(f"{target.org_id}: {p} must be avoided")
            if p in seen:
                problems.append(f"{p} on teams {seen[p]} and {target.org_id}")
            seen[p] = target.org_id
        for skill in request.required_skills:
            if not any(skill in people[p].skills for p in ids):
                problems.append(f"{target.org_id}: skill {skill} missing")
    return problems
