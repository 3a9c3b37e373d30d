"""Reads of the 政治生态档案: the dossier of a person or a unit built from the records
(bulk: a fixed number of queries for any number of people), the tables in force, the
pre-black warnings, and the 廉政意见 batches. Everything is scoped: a person or unit
outside the user's jurisdiction does not exist (404); a 纪检监察干部's dossier exists
only for holders of ``dossiers.view_inspector_dossier``."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from jiandu.boards.models import BoardSnapshot, BoardWarning
from jiandu.boards.ranking import month_label
from jiandu.clues.choices import ClueAction, DisposalMethod, OutcomeKind, OutcomeSubtype
from jiandu.clues.models import Clue, ClueEvent, Outcome
from jiandu.core.access import get_or_404, jurisdiction_org_ids
from jiandu.dossiers import dots, periods
from jiandu.dossiers import dots as dot_rules  # the Dossier's field ``dots`` hides the module
from jiandu.dossiers.choices import ItemKind
from jiandu.dossiers.models import (
    ColourRule,
    ColourTable,
    DossierItem,
    GradingTable,
    OpinionBatch,
    OpinionLine,
    SanctionDetail,
)
from jiandu.orgs.choices import COMMISSION_KINDS
from jiandu.orgs.models import Org
from jiandu.oversight.models import Problem
from jiandu.people.models import Person, Post

INSPECTOR_PERM = "dossiers.view_inspector_dossier"
ORIGIN = "dossiers.dossieritem"

OUTCOME_ITEM_KIND = {
    OutcomeKind.CRITICISM: ItemKind.OUTCOME_CRITICISM,
    OutcomeKind.ORGANISATIONAL: ItemKind.OUTCOME_ORGANISATIONAL,
    OutcomeKind.ACCOUNTABILITY: ItemKind.OUTCOME_ACCOUNTABILITY,
    OutcomeKind.PARTY_DISCIPLINE: ItemKind.OUTCOME_PARTY,
    OutcomeKind.GOVERNMENT_SANCTION: ItemKind.OUTCOME_GOVERNMENT,
    OutcomeKind.JUDICIAL_TRANSFER: ItemKind.OUTCOME_JUDICIAL,
    OutcomeKind.NAME_CLEARED: ItemKind.OUTCOME_NAME_CLEARED,
}

# The 处分 subtypes of an outcome as the period table names them.
SANCTION_CATEGORY: dict[str, tuple[periods.SanctionKind, str]] = {
    OutcomeSubtype.PARTY_WARNING: (periods.SanctionKind.PARTY, "警告"),
    OutcomeSubtype.PARTY_SERIOUS_WARNING: (periods.SanctionKind.PARTY, "严重警告"),
    OutcomeSubtype.PARTY_POST_REVOKED: (periods.SanctionKind.PARTY, "撤销党内职务"),
    OutcomeSubtype.PARTY_PROBATION: (periods.SanctionKind.PARTY, "留党察看"),
    OutcomeSubtype.PARTY_EXPULSION: (periods.SanctionKind.PARTY, "开除党籍"),
    OutcomeSubtype.GOV_WARNING: (periods.SanctionKind.GOVERNMENT, "警告"),
    OutcomeSubtype.GOV_DEMERIT: (periods.SanctionKind.GOVERNMENT, "记过"),
    OutcomeSubtype.GOV_MAJOR_DEMERIT: (periods.SanctionKind.GOVERNMENT, "记大过"),
    OutcomeSubtype.GOV_DEMOTION: (periods.SanctionKind.GOVERNMENT, "降级"),
    OutcomeSubtype.GOV_DISMISSAL_FROM_POST: (periods.SanctionKind.GOVERNMENT, "撤职"),
    OutcomeSubtype.GOV_EXPULSION: (periods.SanctionKind.GOVERNMENT, "开除"),
}


def evidence_url(item: dots.Item) -> str | None:
    """Where the record behind a dot opens (the board snapshot of a rank, the board
    warning); the target page checks the viewer's access itself."""
    from django.urls import reverse

    ref = item.ref
    if isinstance(ref, BoardRank):
        url = reverse("boards:board_detail", args=[ref.board_id])
        return f"{url}?month={ref.month}&version={ref.version}"
    if isinstance(ref, BoardWarning):
        return reverse("boards:warning_detail", args=[ref.pk])
    return None


STAGE_LABEL = {m.value: str(m.label) for m in DisposalMethod}
KIND_LABEL = {k.value: str(k.label) for k in ItemKind}


# --- tables ------------------------------------------------------------------------------


def colour_tables() -> list[dots.ColourTable]:
    rows: dict[int, dict[str, str]] = defaultdict(dict)
    tables = list(ColourTable.objects.order_by("valid_from"))
    for table_id, kind, colour in ColourRule.objects.values_list("table_id", "item_kind", "colour"):
        rows[table_id][kind] = colour
    return [dots.ColourTable(t.version, t.valid_from, rows[t.pk]) for t in tables]


def grading_tables() -> list[dots.GradingTable]:
    return [
        dots.GradingTable(
            version=t.version,
            valid_from=t.valid_from,
            window_months=t.window_months,
            weights=t.weights,
            bands=tuple(dots.Band(int(s), g) for s, g in t.bands),
            caps=tuple(dots.Cap(c, int(n), g) for c, n, g in t.caps),
        )
        for t in GradingTable.objects.order_by("valid_from")
    ]


# --- who may be seen ----------------------------------------------------------------------


def inspector_people() -> QuerySet[Post]:
    """Posts that make a person a 纪检监察干部: a current post in a commission's org."""
    return Post.objects.filter(end_date__isnull=True, org__kind__in=list(COMMISSION_KINDS))


def dossier_people(*, user: Any) -> QuerySet[Person]:
    qs = Person.objects.restrict(user).filter(archived_at__isnull=True)
    if not user.has_perm(INSPECTOR_PERM):
        qs = qs.exclude(Exists(inspector_people().filter(person=OuterRef("pk"))))
    return qs


def dossier_person(*, user: Any, pk: Any) -> Person:
    return get_or_404(dossier_people(user=user), pk=pk)


def is_inspector(person: Person) -> bool:
    return inspector_people().filter(person=person).exists()


def dossier_org(*, user: Any, pk: Any) -> Org:
    ids = jurisdiction_org_ids(user)
    return get_or_404(Org.objects.filter(pk__in=ids, archived_at__isnull=True), pk=pk)


# --- records of people, in bulk ------------------------------------------------------------


@dataclass
class Records:
    """What the records say about one person (or unit): dossier items (to colour), the
    sanctions and clues the period rules read, and records the rules cannot read."""

    items: list[dots.Item] = field(default_factory=list)
    sanctions: list[periods.Sanction] = field(default_factory=list)
    clues: list[periods.ClueMatter] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)


def _clue_stages(clue_ids: Iterable[int]) -> dict[int, list[tuple[dt.date, str]]]:
    """Disposal stages of each clue over time (from its events), oldest first."""
    stages: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    events = ClueEvent.objects.filter(
        clue_id__in=list(clue_ids),
        action__in=[ClueAction.DISPOSE, ClueAction.CHANGE_DISPOSAL, ClueAction.CLOSE],
    ).order_by("on_date", "pk")
    for clue_id, action, method, on in events.values_list(
        "clue_id", "action", "disposal_method", "on_date"
    ):
        stages[clue_id].append((on, "__close__" if action == ClueAction.CLOSE else method))
    return stages


def person_records(person_ids: Iterable[int], *, items: bool = True) -> dict[int, Records]:
    """Records of many people in a fixed number of queries (outcomes with their sanction
    details, clues with their disposal history, imported items). ``items=False`` leaves
    out the imported items (the largest table): what an opinion needs are the sanctions
    and the clues only."""
    ids = list(dict.fromkeys(person_ids))
    found: dict[int, Records] = {pk: Records() for pk in ids}
    if not ids:
        return found
    outcomes = Outcome.objects.filter(person_id__in=ids, archived_at__isnull=True).only(
        "pk", "person_id", "kind", "subtype", "decision_date", "clue_id", "subject_name"
    )
    details = {d.outcome_id: d for d in SanctionDetail.objects.filter(outcome__person_id__in=ids)}
    for o in outcomes:
        rec = found[o.person_id]
        detail = details.get(o.pk)
        kind = OUTCOME_ITEM_KIND.get(o.kind)
        label = o.get_subtype_display() or o.get_kind_display()
        sanction = None
        if o.kind in (OutcomeKind.PARTY_DISCIPLINE, OutcomeKind.GOVERNMENT_SANCTION):
            category = SANCTION_CATEGORY.get(o.subtype)
            if category is None:
                rec.incomplete.append(f"{o.decision_date} {o.get_kind_display()}未登记处分种类")
            else:
                sanction = periods.Sanction(
                    kind=category[0],
                    category=category[1],
                    decided_on=o.decision_date,
                    effective_on=detail.effective_on if detail else None,
                    period_months=detail.period_months if detail else None,
                    lifted_on=detail.lifted_on if detail else None,
                    annulled_on=detail.annulled_on if detail else None,
                    ref=o,
                )
                try:
                    periods.check_sanction(sanction)
                except periods.RecordError as exc:
                    rec.incomplete.append(f"{o.decision_date} {label}：{exc}")
                    sanction = None
        until = None
        annulled_on, annul_reason = None, ""
        if sanction is not None:
            rec.sanctions.append(sanction)
            if detail and detail.annulled_on:
                # Annulled: from that date on it is shown greyed with its reason and
                # counts for nothing (as of an earlier date it was still a sanction).
                annulled_on, annul_reason = detail.annulled_on, detail.annul_reason
            unannulled = dataclasses.replace(sanction, annulled_on=None)
            period = periods.effect_period(unannulled, dt.date.max)
            until = period.until if period is not None else None
        if kind is not None:
            rec.items.append(
                dots.Item(kind.value, o.decision_date, label, o, until, annulled_on, annul_reason)
            )
    through = Clue.subject_people.through
    links = list(through.objects.filter(person_id__in=ids).values_list("person_id", "clue_id"))
    clue_ids = {c for _, c in links}
    clues = {
        c.pk: c
        for c in Clue.objects.filter(pk__in=clue_ids).only(
            "pk", "number", "title", "received_date", "disposal_method", "disposed_at",
            "status", "closed_at",
        )
    }  # fmt: skip
    stages = _clue_stages(clue_ids)
    for person_id, clue_id in links:
        clue = clues[clue_id]
        rec = found[person_id]
        rec.items.append(
            dots.Item(ItemKind.CLUE_SUBJECT.value, clue.received_date, clue.title, clue)
        )
        history = stages.get(clue_id)
        if not history and clue.disposal_method:
            history = [(clue.disposed_at or clue.received_date, clue.disposal_method)]
            if clue.closed_at:
                history.append((clue.closed_at, "__close__"))
        for index, (on, stage) in enumerate(history or []):
            if stage == "__close__" or not stage:
                continue
            ends = next((d for d, _ in (history or [])[index + 1 :]), None)
            rec.clues.append(
                periods.ClueMatter(
                    stage=STAGE_LABEL[stage], decided_on=on, closed=ends is not None,
                    closed_on=ends, ref=clue,
                )
            )  # fmt: skip
    if not items:
        return found
    for item in DossierItem.objects.filter(person_id__in=ids, archived_at__isnull=True):
        found[item.person_id].items.append(dots.Item(item.kind, item.occurred_on, item.title, item))
    return found


@dataclass(frozen=True)
class BoardRank:
    """A unit's place on a closed month of a 多色榜 (the evidence of a red dot): the
    snapshot version that was in force on the as-of date, the unit's overall rank and
    the board's frozen top band (``top_n``: the places its colour rules make red)."""

    board_id: int
    board_title: str
    snapshot_id: int
    month: str
    version: int
    rank: int
    participants: int
    top_n: int

    @property
    def pk(self) -> int:
        return self.snapshot_id


def board_top_items(org: Org, *, as_of: dt.date | None = None) -> list[dots.Item]:
    """多色榜 results that give a unit a red dot: in each closed month (the latest
    snapshot version closed on or before ``as_of``), an overall rank within the board's
    top band (rank ≤ the frozen ``top_n``, the places the board colours red). Dated the
    last day of the month; the item kind is ``board_top`` and its colour comes from the
    colour table (data)."""
    rows = BoardSnapshot.objects.filter(figures__overall__has_key=str(org.pk))
    if as_of is not None:
        rows = rows.filter(created_at__date__lte=as_of)
    latest: dict[tuple[int, str], tuple[Any, ...]] = {}
    for row in rows.order_by("board_id", "month", "-version").values_list(
        "board_id", "month", "pk", "version", "figures__overall", "board__title",
        "board__top_n",
    ):  # fmt: skip
        latest.setdefault((row[0], row[1]), row)
    if not latest:
        return []
    frozen = dict(
        BoardSnapshot.objects.filter(pk__in=[r[2] for r in latest.values()]).values_list(
            "pk", "data__result__settings__colours__top_n"
        )
    )
    items = []
    for board_id, month, pk, version, overall, title, top_n in latest.values():
        composite_rank = overall.get(str(org.pk))
        if not composite_rank or composite_rank[1] is None:
            continue
        band = int(frozen.get(pk) or top_n)
        rank = int(composite_rank[1])
        if rank > band:
            continue
        year, number = (int(x) for x in month.split("-"))
        day = dt.date(year, number, calendar.monthrange(year, number)[1])
        ref = BoardRank(board_id, title, pk, month, version, rank, len(overall), band)
        label = (
            f"{title}：{month_label(month)}综合排名第{rank}名（共{len(overall)}个单位，"
            f"前{band}名为红色；第{version}版结账）"
        )
        items.append(dots.Item(ItemKind.BOARD_TOP.value, day, label, ref))
    return items


def org_records(org: Org, *, as_of: dt.date | None = None) -> Records:
    rec = Records()
    rec.items.extend(board_top_items(org, as_of=as_of))
    # A problem opened from an imported item (交办 of a yellow dot) is that item's dot.
    problems = (
        Problem.objects.filter(org=org).exclude(origin_type=ORIGIN).select_related("rectification")
    )
    for problem in problems:
        text = problem.description[:80]
        rec.items.append(dots.Item(ItemKind.PROBLEM.value, problem.found_on, text, problem))
        rectification = getattr(problem, "rectification", None)
        if rectification is not None and rectification.closed_on:
            rec.items.append(
                dots.Item(ItemKind.PROBLEM_RECTIFIED.value, rectification.closed_on, text, problem)
            )
    # 多色榜 results: a warning (two months last, last of a quarter …) is the unit's dot,
    # dated the last day of the month it was raised for.
    for warning in BoardWarning.objects.filter(org=org).select_related("board"):
        year, month = (int(x) for x in warning.month.split("-"))
        day = dt.date(year, month, calendar.monthrange(year, month)[1])
        label = f"{warning.board.title}：{warning.get_kind_display()}（{warning.description}）"
        rec.items.append(dots.Item(ItemKind.BOARD_WARNING.value, day, label, warning))
    for item in DossierItem.objects.filter(org=org, archived_at__isnull=True):
        rec.items.append(dots.Item(item.kind, item.occurred_on, item.title, item))
    return rec


# --- the dossier ---------------------------------------------------------------------------


@dataclass
class Dossier:
    as_of: dt.date
    colour_table: dot_rules.ColourTable | None
    grading_table: dot_rules.GradingTable | None
    dots: list[dot_rules.Dot]
    uncoloured: list[dot_rules.Item]
    grade: dot_rules.Grade | None
    records: Records
    opinion: periods.Opinion
    warnings: list[str] = field(default_factory=list)
    annulled: list[dot_rules.Item] = field(default_factory=list)

    def count(self, colour: str) -> int:
        return sum(1 for d in self.dots if d.colour == colour)


def build_dossier(
    records: Records,
    *,
    as_of: dt.date,
    colour_tables_: list[dots.ColourTable],
    grading_tables_: list[dots.GradingTable],
    purpose: str = "提拔任用",
    award_year: int | None = None,
    warning_days: int | None = None,
) -> Dossier:
    colour_table = dots.in_force(colour_tables_, as_of)
    grading_table = dots.in_force(grading_tables_, as_of)
    found, uncoloured = (
        dots.colour_items(records.items, colour_table, as_of) if colour_table else ([], [])
    )
    result = dots.grade(found, grading_table, as_of) if grading_table else None
    opinion = periods.draft_opinion(
        sanctions=records.sanctions, clues=records.clues, as_of=as_of, purpose=purpose,
        award_year=award_year,
    )  # fmt: skip
    return Dossier(
        as_of=as_of,
        colour_table=colour_table,
        grading_table=grading_table,
        dots=found,
        uncoloured=uncoloured,
        grade=result,
        records=records,
        opinion=opinion,
        warnings=pre_black_warnings(
            records, found, as_of=as_of, settings_=pre_black_settings(warning_days)
        ),
        annulled=dots.annulled_items(records.items, as_of),
    )


def pre_black_settings(window_days: int | None = None) -> dict[str, Any]:
    from django.conf import settings

    found = dict(settings.JIANDU_DOSSIER_PRE_BLACK)
    if window_days is not None:
        found["yellow_then_clue_days"] = window_days
    return found


def pre_black_warnings(
    records: Records, found: list[dots.Dot], *, as_of: dt.date, settings_: dict[str, Any]
) -> list[str]:
    """预黑预警: an open 立案审查 clue; or a yellow dot followed within ``window_days`` by
    a new clue on the same matter (a clue naming the same person after the yellow dot).
    Each warning states its evidence."""
    out = []
    window_days = int(settings_["yellow_then_clue_days"])
    for matter in periods.open_matters(records.clues, as_of):
        if settings_["open_case_review"] and matter.stage == "立案审查":
            clue = matter.ref
            number = getattr(clue, "number", "") or ""
            out.append(f"问题线索{number}正在立案审查（{matter.decided_on}起），可能形成黑点")
    yellows = [d for d in found if d.colour == dots.YELLOW]
    clue_dots = [d for d in found if d.item.kind == ItemKind.CLUE_SUBJECT]
    for y in yellows if window_days > 0 else []:
        for c in clue_dots:
            if y.on < c.on <= min(as_of, y.on + dt.timedelta(days=window_days)):
                out.append(
                    f"{y.on}有黄点（{y.item.label}），{c.on}又有问题线索（{c.item.label}），"
                    f"在{window_days}日内"
                )
    return out


def person_dossier(
    person: Person, *, as_of: dt.date, purpose: str = "提拔任用", award_year: int | None = None
) -> Dossier:
    records = person_records([person.pk])[person.pk]
    return build_dossier(
        records, as_of=as_of, colour_tables_=colour_tables(), grading_tables_=grading_tables(),
        purpose=purpose, award_year=award_year,
    )  # fmt: skip


def org_dossier(org: Org, *, as_of: dt.date) -> Dossier:
    return build_dossier(
        org_records(org, as_of=as_of), as_of=as_of, colour_tables_=colour_tables(),
        grading_tables_=grading_tables(),
    )  # fmt: skip


def current_posts(person_ids: Iterable[int]) -> dict[int, list[Post]]:
    posts: dict[int, list[Post]] = defaultdict(list)
    for post in Post.objects.filter(person_id__in=list(person_ids), end_date__isnull=True)\
            .select_related("org").order_by("-is_leader", "start_date"):  # fmt: skip
        posts[post.person_id].append(post)
    return posts


def org_cadres(*, user: Any, org: Org) -> list[Person]:
    ids = Post.objects.filter(org=org, end_date__isnull=True).values("person_id")
    return list(dossier_people(user=user).filter(pk__in=ids))


def cadre_aggregate(people: list[Person], *, as_of: dt.date) -> dict[str, Any]:
    """Dots per colour and grades of a unit's cadres (one bulk build)."""
    records = person_records([p.pk for p in people])
    ctables, gtables = colour_tables(), grading_tables()
    colours = dict.fromkeys(dots.COLOURS, 0)
    grades: dict[str, int] = defaultdict(int)
    rows = []
    for person in people:
        d = build_dossier(records[person.pk], as_of=as_of, colour_tables_=ctables,
                          grading_tables_=gtables)  # fmt: skip
        for colour in dots.COLOURS:
            colours[colour] += d.count(colour)
        if d.grade:
            grades[d.grade.grade] += 1
        rows.append((person, d))
    return {"colours": colours, "grades": dict(grades), "rows": rows}


# --- batches -------------------------------------------------------------------------------


def batch_list(*, user: Any) -> QuerySet[OpinionBatch]:
    return OpinionBatch.objects.restrict(user).annotate(
        people=Count("lines", filter=Q(lines__person__isnull=False)),
        units=Count("lines", filter=Q(lines__org__isnull=False)),
        objections=Count("lines", filter=Q(lines__verdict="有影响")),
    )


def batch_get(*, user: Any, pk: Any) -> OpinionBatch:
    return get_or_404(OpinionBatch.objects.restrict(user).select_related("document"), pk=pk)


def batch_statistics(*, user: Any) -> list[dict[str, Any]]:
    """Per year of receipt: batches, people, units, people and units with an objection
    (seed 001: 63批次1128人、239家单位，对31人、15家单位提出了不同意见)."""
    out: dict[int, dict[str, Any]] = {}
    for batch in batch_list(user=user).order_by("received_on"):
        row = out.setdefault(
            batch.received_on.year,
            {"year": batch.received_on.year, "batches": 0, "people": 0, "units": 0,
             "people_objections": 0, "unit_objections": 0},
        )  # fmt: skip
        row["batches"] += 1
    lines = OpinionLine.objects.filter(batch__in=batch_list(user=user)).values_list(
        "batch__received_on__year", "person_id", "org_id", "verdict"
    )
    people: dict[int, set] = defaultdict(set)
    units: dict[int, set] = defaultdict(set)
    for year, person_id, org_id, verdict in lines:
        row = out[year]
        if person_id:
            row["people"] += 1
            people[year].add(person_id)
            if verdict == "有影响":
                row["people_objections"] += 1
        else:
            row["units"] += 1
            units[year].add(org_id)
            if verdict == "有影响":
                row["unit_objections"] += 1
    for year, row in out.items():
        row["distinct_people"] = len(people[year])
        row["distinct_units"] = len(units[year])
    return [out[y] for y in sorted(out, reverse=True)]


def not_found() -> Http404:
    return Http404("记录不存在")


# --- 预黑预警 across the jurisdiction ----------------------------------------------------------


@dataclass
class Flag:
    person: Person
    supervisors: list[Org]
    warnings: list[str]


def supervising_bodies(org_ids: Iterable[int]) -> dict[int, list[Org]]:
    """The bodies that supervise each org (派驻组, 监督检查室 …: orgs whose ``supervises``
    names it or an ancestor of it)."""
    found: dict[int, list[Org]] = {}
    orgs = {o.pk: o for o in Org.objects.filter(pk__in=list(org_ids))}
    for pk, org in orgs.items():
        node: Org | None = org
        bodies: list[Org] = []
        while node is not None and not bodies:
            bodies = list(Org.objects.filter(supervises=node, archived_at__isnull=True))
            node = node.parent
        found[pk] = bodies
    return found


def pre_black_flags(*, user: Any, as_of: dt.date) -> list[Flag]:
    """People of the jurisdiction a pre-black rule flags as of ``as_of``, with the
    evidence and the bodies that supervise them. Candidates are the subjects of clues
    under 立案审查 or received within the window; each is checked by the same rules as
    the dossier page."""
    rules = pre_black_settings()
    start = as_of - dt.timedelta(days=int(rules["yellow_then_clue_days"]))
    clues = Clue.objects.filter(
        Q(disposal_method=DisposalMethod.CASE_FILED) | Q(received_date__gte=start),
        received_date__lte=as_of,
    )
    candidates = dossier_people(user=user).filter(
        pk__in=Clue.subject_people.through.objects.filter(clue__in=clues).values("person_id")
    )
    people = list(candidates)
    records = person_records([p.pk for p in people])
    ctables, gtables = colour_tables(), grading_tables()
    posts = current_posts([p.pk for p in people])
    bodies = supervising_bodies({post.org_id for ps in posts.values() for post in ps})
    flags = []
    for person in people:
        d = build_dossier(records[person.pk], as_of=as_of, colour_tables_=ctables,
                          grading_tables_=gtables)  # fmt: skip
        if d.warnings:
            supervisors = list(
                {b.pk: b for post in posts.get(person.pk, []) for b in bodies[post.org_id]}.values()
            )
            flags.append(Flag(person, supervisors, d.warnings))
    return flags


def sanction_outcome(*, user: Any, pk: Any) -> Outcome:
    """A 党纪 or 政务 sanction outcome within the user's jurisdiction (else 404)."""
    qs = (
        Outcome.objects.restrict(user)
        .filter(
            archived_at__isnull=True,
            kind__in=[OutcomeKind.PARTY_DISCIPLINE, OutcomeKind.GOVERNMENT_SANCTION],
        )
        .select_related("person")
    )
    return get_or_404(qs, pk=pk)
