"""Reads of the 主体责任提醒卡, always through the user's jurisdiction: cards, the leaders a
committee gives cards to, overdue summaries, and the statistics of seed 001 (人次, 事项,
and the 提醒谈话, 诫勉 and 处分 that followed) with the records behind every number.

What "followed" means: an interview (``oversight.Interview``) or a registry outcome
(``clues.Outcome``) about the card's leader — the same person of the registry — dated
from the first day of the card's quarter up to the day before the first day of the
next quarter after it in which the leader has a card of the same committee, and at
most to the end of the quarter after the card's own. Each record thus belongs to one
card at most, and the statistics count records, so the same talk is never counted
under two quarters.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from jiandu.cards.choices import CardStatus, LeaderCategory, ListKind
from jiandu.cards.models import CardItem, ListTemplate, ReminderCard, SpotCheck
from jiandu.core.access import get_or_404, jurisdiction_org_ids
from jiandu.orgs.choices import COMMISSION_KINDS, OrgKind


class Side(StrEnum):
    """Who acts on a card: the issuing side (the committee's jurisdiction, with
    ``cards.issue_reminder_card``), a checking commission (the committee's or the
    leader's unit's jurisdiction, with ``cards.spot_check_card``) or the leader's unit
    (with ``cards.submit_card_summary``)."""

    ISSUER = "issuer"
    CHECKER = "checker"
    UNIT = "unit"


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter."""
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end - dt.timedelta(days=1)


def last_full_quarter(today: dt.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    return (today.year - 1, 4) if quarter == 1 else (today.year, quarter - 1)


def next_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def card_sides(user: Any, card: ReminderCard) -> set[Side]:
    from jiandu.oversight.selectors import acting_org_ids

    sides: set[Side] = set()
    seen = jurisdiction_org_ids(user)
    if card.committee_id in seen and user.has_perm("cards.issue_reminder_card"):
        sides.add(Side.ISSUER)
    org = getattr(user, "org", None)
    if (
        (card.committee_id in seen or card.leader_org_id in seen)
        and org is not None
        and org.is_commission
        and user.has_perm("cards.spot_check_card")
    ):
        sides.add(Side.CHECKER)
    if card.leader_org_id in acting_org_ids(user) and user.has_perm("cards.submit_card_summary"):
        sides.add(Side.UNIT)
    return sides


# --- list templates ----------------------------------------------------------------


def list_templates(*, include_archived: bool = False, kind: str = "") -> QuerySet[ListTemplate]:
    """Reference data: every user sees the lists (they are not about anyone)."""
    qs = ListTemplate.objects.annotate(item_count=Count("items"))
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "key", "-version")


def list_template_get(*, pk: int) -> ListTemplate:
    return get_or_404(ListTemplate.objects.all(), pk=pk)


def responsibility_templates() -> QuerySet[ListTemplate]:
    return list_templates(kind=ListKind.RESPONSIBILITY)


def negative_templates() -> QuerySet[ListTemplate]:
    return list_templates(kind=ListKind.NEGATIVE)


# --- committees and their leaders ----------------------------------------------------


def committees(user: Any) -> QuerySet[Any]:
    """The party committees (党委、党组、党工委) in the user's jurisdiction a card may be
    issued in the name of: orgs named 中共… or …党委/党组/党工委 that are not parts of a
    commission."""
    from jiandu.orgs.models import Org

    named = (
        Q(name__startswith="中共")
        | Q(name__endswith="党委")
        | Q(name__endswith="党组")
        | Q(name__endswith="党工委")
    )
    return (
        Org.objects.filter(pk__in=jurisdiction_org_ids(user), archived_at__isnull=True)
        .exclude(kind__in=COMMISSION_KINDS)
        .filter(named)
        .order_by("depth", "sort_order", "pk")
    )


def leader_category(*, post: Any, committee: Any) -> str:
    """Which of seed 001's three kinds of leader a post is, seen from a committee: a
    member of the committee itself (常委), a deputy of the government beside it (党组
    副职), or the head of a unit or committee below it (下级一把手)."""
    if post.org_id == committee.pk:
        return LeaderCategory.STANDING_MEMBER
    if post.org.name.endswith("人民政府") and not post.is_leader:
        return LeaderCategory.GOVERNMENT_DEPUTY
    return LeaderCategory.SUBORDINATE_HEAD


@dataclass
class Candidate:
    post: Any
    category: str

    @property
    def category_label(self) -> str:
        return str(LeaderCategory(self.category).label)


def leader_candidates(*, user: Any, committee: Any) -> list[Candidate]:
    """The leaders a committee gives cards to, from the registry's current posts:

    * its own members other than the secretary (同级党委常委);
    * the deputies of the 人民政府 beside it (政府党组副职);
    * the heads of the units beside it under the same parent, and the secretaries of
      the committees of the commissions beside it (下级党委（党组）一把手).

    Only posts in the user's jurisdiction; the issuer unticks whoever is not meant."""
    from jiandu.orgs.models import Org
    from jiandu.people.models import Post

    parent_id = committee.parent_id
    siblings = Org.objects.filter(parent_id=parent_id, archived_at__isnull=True).exclude(
        pk=committee.pk
    )
    commissions = siblings.filter(kind__in=[OrgKind.COUNTY, OrgKind.COMMISSION])
    lower_committees = Org.objects.filter(parent__in=commissions, name__startswith="中共")
    government = siblings.filter(name__endswith="人民政府")
    query = (
        Q(org=committee, is_leader=False)
        | Q(org__in=government, is_leader=False)
        | (Q(org__in=siblings.exclude(kind__in=COMMISSION_KINDS)) & Q(is_leader=True))
        & ~Q(org__in=government)
        | Q(org__in=lower_committees, is_leader=True)
    )
    posts = (
        Post.objects.current()
        .filter(query, org_id__in=jurisdiction_org_ids(user))
        .select_related("person", "org")
        .order_by("org__depth", "org__sort_order", "org_id", "-is_leader", "pk")
    )
    out = [Candidate(post=p, category=leader_category(post=p, committee=committee)) for p in posts]
    order = list(LeaderCategory.values)
    return sorted(out, key=lambda c: order.index(c.category))


# --- cards -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CardFilters:
    year: int | None = None
    quarter: int | None = None
    committee_id: int | None = None
    leader_org_id: int | None = None
    category: str = ""
    status: str = ""
    overdue: bool = False
    text: str = ""


def _missing_summary() -> Exists:
    return Exists(CardItem.objects.filter(card=OuterRef("pk"), summarised_on__isnull=True))


def overdue_q(today: dt.date | None = None) -> Q:
    """Issued, past the summary's due date, and some item still has no summary."""
    return Q(status=CardStatus.ISSUED, summary_due__lt=today or timezone.localdate()) & Q(
        _missing_summary()
    )


def card_list(*, user: Any, filters: CardFilters | None = None) -> QuerySet[ReminderCard]:
    f = filters or CardFilters()
    qs = ReminderCard.objects.restrict(user)
    if f.year:
        qs = qs.filter(year=f.year)
    if f.quarter:
        qs = qs.filter(quarter=f.quarter)
    if f.committee_id:
        qs = qs.filter(committee_id=f.committee_id)
    if f.leader_org_id:
        qs = qs.filter(leader_org_id=f.leader_org_id)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.overdue:
        qs = qs.filter(overdue_q())
    if f.text.strip():
        text = f.text.strip()
        qs = qs.filter(
            Q(number__icontains=text) | Q(leader__name__icontains=text) | Q(leader_title=text)
        )
    return qs.select_related("committee", "leader", "leader_org").annotate(
        item_count=Count("items", distinct=True),
        summarised_count=Count(
            "items", filter=Q(items__summarised_on__isnull=False), distinct=True
        ),
    )


def card_get(*, user: Any, pk: int) -> ReminderCard:
    return get_or_404(card_list(user=user), pk=pk)


def card_timeline(*, card: ReminderCard) -> QuerySet[Any]:
    return card.events.select_related("actor")


def card_is_overdue(card: ReminderCard, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        card.status == CardStatus.ISSUED
        and card.summary_due < today
        and card.items.filter(summarised_on__isnull=True).exists()
    )


def spot_checks(*, card: ReminderCard) -> list[SpotCheck]:
    from jiandu.cards.services import SPOT_CHECK_ORIGIN
    from jiandu.oversight.models import Problem

    checks = list(card.spot_checks.select_related("checked_by", "checked_by_org", "checklist"))
    problems = defaultdict(list)
    for p in Problem.objects.filter(
        origin_type=SPOT_CHECK_ORIGIN, origin_id__in=[c.pk for c in checks]
    ).select_related("rectification"):
        problems[p.origin_id].append(p)
    for check in checks:
        check.problems = problems[check.pk]  # type: ignore[attr-defined]
    return checks


# --- what followed, and the statistics ----------------------------------------------------

TALK = "talks"
ADMONISH = "admonitions"
SANCTION = "sanctions"

METRICS: dict[str, str] = {
    "cards": "提醒卡（人次）",
    "items": "提醒事项（条）",
    "summarised": "已报送小结（张）",
    "overdue": "逾期未总结（张）",
    "checks": "抽查（次）",
    "findings": "抽查发现问题（个）",
    TALK: "提醒谈话（人次）",
    ADMONISH: "诫勉（人次）",
    SANCTION: "纪律处分（人次）",
}


def _follow_kind_interview(kind: str) -> str | None:
    from jiandu.oversight.choices import InterviewKind

    kinds: dict[str, str] = {
        InterviewKind.REMINDER_TALK: TALK,
        InterviewKind.ADMONISHMENT: ADMONISH,
    }
    return kinds.get(kind)


def _follow_kind_outcome(kind: str, subtype: str) -> str | None:
    from jiandu.clues.choices import OutcomeKind, OutcomeSubtype

    if kind in (OutcomeKind.PARTY_DISCIPLINE, OutcomeKind.GOVERNMENT_SANCTION):
        return SANCTION
    if subtype in (OutcomeSubtype.ADMONISHMENT, OutcomeSubtype.ACC_ADMONISH):
        return ADMONISH
    if subtype == OutcomeSubtype.REMINDER_TALK:
        return TALK
    return None


@dataclass
class FollowUps:
    """For each card: the interviews and outcomes that followed it, by kind."""

    interviews: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    outcomes: dict[int, dict[str, list[int]]] = field(default_factory=dict)

    def count(self, card_ids: Any, kind: str) -> int:
        return sum(
            len(self.interviews.get(c, {}).get(kind, []))
            + len(self.outcomes.get(c, {}).get(kind, []))
            for c in card_ids
        )


# (card id, leader id, committee id, year, quarter)
CardKey = tuple[int, int, int, int, int]


def _windows(cards: list[CardKey]) -> dict[int, tuple[dt.date, dt.date]]:
    """Each card's follow window (see the module's docstring)."""
    by_leader: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
    for pk, leader_id, committee_id, year, quarter in cards:
        by_leader[(leader_id, committee_id)].append((year, quarter, pk))
    windows = {}
    for quarters in by_leader.values():
        quarters.sort()
        for i, (year, quarter, pk) in enumerate(quarters):
            start = quarter_bounds(year, quarter)[0]
            after = next_quarter(*next_quarter(year, quarter))
            if i + 1 < len(quarters):
                after = min(after, quarters[i + 1][:2])
            windows[pk] = (start, quarter_bounds(*after)[0] - dt.timedelta(days=1))
    return windows


def follow_ups(*, user: Any, cards: QuerySet[ReminderCard]) -> FollowUps:
    """The interviews and outcomes in the user's jurisdiction that followed ``cards``
    (issued ones), one card per record at most."""
    from jiandu.clues.models import Outcome
    from jiandu.oversight.models import Interview

    fields = ("pk", "leader_id", "committee_id", "year", "quarter")
    rows: list[CardKey] = list(
        ReminderCard.objects.filter(pk__in=cards.values("pk"), status=CardStatus.ISSUED)
        .order_by()
        .values_list(*fields)
    )
    result = FollowUps()
    if not rows:
        return result
    # A leader's later cards bound an earlier card's window: read the leader's other
    # issued cards of the same committees too (outside the filter of ``cards``).
    leaders = {r[1] for r in rows}
    everyone: list[CardKey] = list(
        ReminderCard.objects.filter(
            status=CardStatus.ISSUED,
            leader_id__in=leaders,
            committee_id__in={r[2] for r in rows},
        )
        .order_by()
        .values_list(*fields)
    )
    windows = _windows(everyone)
    wanted = {r[0] for r in rows}
    per_leader: dict[int, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
    for pk, leader_id, *_rest in everyone:
        per_leader[leader_id].append((pk, *windows[pk]))

    def place(person_id: int, day: dt.date) -> int | None:
        for pk, start, end in per_leader.get(person_id, []):
            if start <= day <= end:
                return pk
        return None

    interviews = (
        Interview.objects.restrict(user)
        .filter(person_id__in=leaders)
        .values_list("pk", "person_id", "held_on", "kind")
    )
    for pk, person_id, day, kind in interviews:
        metric = _follow_kind_interview(kind)
        card_pk = place(person_id, day) if metric else None
        if card_pk in wanted and metric:
            result.interviews.setdefault(card_pk, {}).setdefault(metric, []).append(pk)
    outcomes = (
        Outcome.objects.restrict(user)
        .active()
        .filter(person_id__in=leaders)
        .values_list("pk", "person_id", "decision_date", "kind", "subtype")
    )
    for pk, person_id, day, kind, subtype in outcomes:
        metric = _follow_kind_outcome(kind, subtype)
        card_pk = place(person_id, day) if metric else None
        if card_pk in wanted and metric:
            result.outcomes.setdefault(card_pk, {}).setdefault(metric, []).append(pk)
    return result


@dataclass
class StatsRow:
    year: int
    quarter: int
    committee_id: int
    committee: str
    values: dict[str, int]

    @property
    def quarter_label(self) -> str:
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(key, self.values.get(key, 0)) for key in METRICS]


def card_stats(*, user: Any, year: int | None = None, quarter: int | None = None) -> list[StatsRow]:
    """Per quarter and issuing committee: the seed's figures and the loop's."""
    from jiandu.cards.services import SPOT_CHECK_ORIGIN
    from jiandu.oversight.models import Problem

    cards = card_list(user=user, filters=CardFilters(year=year, quarter=quarter)).filter(
        status=CardStatus.ISSUED
    )
    today = timezone.localdate()
    base = cards.order_by().values("year", "quarter", "committee_id", "committee__name")
    rows = {
        (r["year"], r["quarter"], r["committee_id"]): StatsRow(
            r["year"], r["quarter"], r["committee_id"], r["committee__name"], {}
        )
        for r in base.annotate(n=Count("pk"))
    }
    per_card = list(
        ReminderCard.objects.filter(pk__in=cards.values("pk"))
        .order_by()
        .annotate(
            n_items=Count("items", distinct=True),
            n_missing=Count("items", filter=Q(items__summarised_on__isnull=True), distinct=True),
            n_checks=Count("spot_checks", distinct=True),
        )
        .values_list(
            "pk",
            "year",
            "quarter",
            "committee_id",
            "n_items",
            "n_missing",
            "summary_due",
            "n_checks",
        )
    )
    checks = dict(
        SpotCheck.objects.filter(card__in=cards.values("pk")).values_list("pk", "card_id")
    )
    findings: dict[int, int] = defaultdict(int)
    for origin_id in (
        Problem.objects.restrict(user)
        .filter(origin_type=SPOT_CHECK_ORIGIN, origin_id__in=list(checks))
        .values_list("origin_id", flat=True)
    ):
        findings[checks[origin_id]] += 1
    follow = follow_ups(user=user, cards=cards)
    for row in rows.values():
        row.values = {key: 0 for key in METRICS}
    for pk, y, q, committee_id, n_items, n_missing, due, n_checks in per_card:
        v = rows[(y, q, committee_id)].values
        v["cards"] += 1
        v["items"] += n_items
        v["summarised"] += 1 if n_missing == 0 else 0
        v["overdue"] += 1 if (n_missing and due < today) else 0
        v["checks"] += n_checks
        v["findings"] += findings.get(pk, 0)
        for kind in (TALK, ADMONISH, SANCTION):
            v[kind] += follow.count([pk], kind)
    return sorted(rows.values(), key=lambda r: (-r.year, -r.quarter, r.committee_id))


def stats_total(rows: list[StatsRow]) -> dict[str, int]:
    return {key: sum(r.values.get(key, 0) for r in rows) for key in METRICS}


@dataclass
class Drill:
    """The records behind one number of the statistics."""

    metric: str
    label: str
    kind: str  # "cards", "items", "checks", "problems", "interviews", "outcomes"
    records: list[Any]


def stats_records(
    *,
    user: Any,
    metric: str,
    year: int | None = None,
    quarter: int | None = None,
    committee_id: int | None = None,
) -> Drill:
    """The records a number of :func:`card_stats` counts (the same filters)."""
    from jiandu.cards.services import SPOT_CHECK_ORIGIN
    from jiandu.clues.models import Outcome
    from jiandu.oversight.models import Interview, Problem

    if metric not in METRICS:
        raise ValueError(metric)
    cards = card_list(
        user=user, filters=CardFilters(year=year, quarter=quarter, committee_id=committee_id)
    ).filter(status=CardStatus.ISSUED)
    label = METRICS[metric]
    if metric == "cards":
        return Drill(metric, label, "cards", list(cards.order_by("committee_id", "pk")))
    if metric == "summarised":
        done = cards.exclude(_missing_summary())
        return Drill(metric, label, "cards", list(done.order_by("pk")))
    if metric == "overdue":
        return Drill(metric, label, "cards", list(cards.filter(overdue_q()).order_by("pk")))
    if metric == "items":
        items = CardItem.objects.filter(card__in=cards.values("pk")).select_related(
            "card", "card__leader", "card__leader_org"
        )
        return Drill(metric, label, "items", list(items.order_by("card_id", "order")))
    if metric == "checks":
        checks = SpotCheck.objects.filter(card__in=cards.values("pk")).select_related(
            "card", "card__leader", "checked_by_org"
        )
        return Drill(metric, label, "checks", list(checks))
    if metric == "findings":
        check_ids = SpotCheck.objects.filter(card__in=cards.values("pk")).values("pk")
        problems = (
            Problem.objects.restrict(user)
            .filter(origin_type=SPOT_CHECK_ORIGIN, origin_id__in=check_ids)
            .select_related("org", "rectification")
        )
        return Drill(metric, label, "problems", list(problems))
    follow = follow_ups(user=user, cards=cards)
    interview_ids = [i for per in follow.interviews.values() for i in per.get(metric, [])]
    outcome_ids = [i for per in follow.outcomes.values() for i in per.get(metric, [])]
    records: list[Any] = list(
        Interview.objects.filter(pk__in=interview_ids).select_related("org", "person")
    )
    records += list(
        Outcome.objects.filter(pk__in=outcome_ids).select_related("clue", "person", "decided_by")
    )
    return Drill(metric, label, "followed", records)


def card_follow_records(*, user: Any, card: ReminderCard) -> list[Any]:
    """The interviews and outcomes that followed one card (its page lists them)."""
    from jiandu.clues.models import Outcome
    from jiandu.oversight.models import Interview

    follow = follow_ups(user=user, cards=ReminderCard.objects.filter(pk=card.pk))
    ids = [i for ids in follow.interviews.get(card.pk, {}).values() for i in ids]
    outcome_ids = [i for ids in follow.outcomes.get(card.pk, {}).values() for i in ids]
    return [
        *Interview.objects.filter(pk__in=ids).order_by("held_on"),
        *Outcome.objects.filter(pk__in=outcome_ids)
        .select_related("clue")
        .order_by("decision_date"),
    ]
