"""Writes of the 巡察 rounds: the talent pool and declared conflicts, a round and its stage
moves, team draws (inputs gathered from the registry, solved by
:func:`jiandu.inspections.draw.draw_teams`, stored with inputs and seed), findings into
the 整改闭环 and clues transferred into the registry (巡察移交).

Every function is keyword-only with ``actor=``, atomic, validated and audited.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jiandu.clues.choices import ClueSource
from jiandu.clues.models import Clue
from jiandu.clues.services import clue_create, clue_escalate
from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.deadlines import deadline_compute
from jiandu.inspections.choices import (
    STAGE_ORDER,
    CommentOutcome,
    EscalationKind,
    RoundStage,
    SuggestionStatus,
    TeamRole,
)
from jiandu.inspections.draw import (
    LEADER,
    Candidate,
    DrawRequest,
    HistoryEntry,
    Target,
    draw_teams,
)
from jiandu.inspections.models import (
    DeclaredConflict,
    EscalationRule,
    EscalationSuggestion,
    FocusItem,
    InspectionRound,
    ReportComment,
    RoundClue,
    RoundEvent,
    RoundProblem,
    RoundReport,
    RoundTarget,
    TalentEntry,
    TeamAssignment,
    TeamDraw,
)
from jiandu.inspections.reference import PRIORITY_STEP
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org
from jiandu.oversight.models import Problem, ProblemCategory, ProblemSource
from jiandu.oversight.services import problem_create
from jiandu.people.models import Person

# The problem source of a round's findings (oversight reference data).
FINDING_SOURCE = "inspection"
FINDING_ORIGIN = "inspections.roundtarget"
# Stages in which findings may be recorded and clues transferred.
FINDING_STAGES = (RoundStage.STATIONED, RoundStage.REPORTING, RoundStage.FEEDBACK)
TRANSFER_STAGES = (RoundStage.STATIONED, RoundStage.REPORTING, RoundStage.FEEDBACK,
                   RoundStage.TRANSFER)  # fmt: skip


def _owner_org(actor: Any) -> Org:
    org = actor.org
    if org is None:
        raise ValidationError({"org": "您的账号没有所属单位"})
    if org.acts_for_commission and org.parent_id:
        return org.parent
    return org


def owner_org_of(actor: Any) -> Org:
    """The commission whose 人才库 and rounds a user works with."""
    return _owner_org(actor)


def _require_jurisdiction(actor: Any, orgs: Sequence[Org], field: str) -> None:
    ids = jurisdiction_org_ids(actor)
    outside = [o.name for o in orgs if o.pk not in ids]
    if outside:
        raise ValidationError({field: f"{'、'.join(outside)}不在您的管辖范围内"})


def home_org_ids(person_ids: Sequence[int]) -> dict[int, int | None]:
    """:func:`home_org_id` for many people in two queries."""
    from jiandu.people.models import Post

    found: dict[int, int | None] = {}
    for person_id, org_id in (
        Post.objects.filter(person_id__in=person_ids, end_date__isnull=True)
        .order_by("person_id", "start_date", "pk")
        .values_list("person_id", "org_id")
    ):
        found[person_id] = org_id  # the latest current post wins
    missing = [p for p in person_ids if p not in found]
    found.update(Person.objects.filter(pk__in=missing).values_list("pk", "registered_org_id"))
    return found


def home_org_id(person: Person) -> int | None:
    """The unit a person works in: the current post's org, else the registering org."""
    post = person.posts.filter(end_date__isnull=True).order_by("-start_date", "-pk").first()
    if post is not None:
        return post.org_id
    return person.registered_org_id


@transaction.atomic
def talent_set(
    *,
    actor: Any,
    person: Person,
    skills: Sequence[str],
    can_lead: bool,
    available: bool = True,
    note: str = "",
) -> TalentEntry:
    """Put a cadre of the registry into the actor's commission's 人才库, or update them."""
    owner = _owner_org(actor)
    clean = list(dict.fromkeys(s.strip() for s in skills if s.strip()))
    entry, created = TalentEntry.objects.get_or_create(
        owner_org=owner,
        person=person,
        defaults={"skills": clean, "can_lead": can_lead, "available": available, "note": note},
    )
    before = {"skills": entry.skills, "can_lead": entry.can_lead, "available": entry.available}
    if not created:
        entry.skills, entry.can_lead, entry.available, entry.note = clean, can_lead, available, note
        entry.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=entry,
        summary=f"人才库：{person.name}",
        changes={"before": None if created else before,
                 "after": {"skills": clean, "can_lead": can_lead, "available": available}},
    )  # fmt: skip
    return entry


@transaction.atomic
def conflict_declare(
    *, actor: Any, person: Person, org: Org, reason: str, note: str = ""
) -> DeclaredConflict:
    """Record a declared conflict (亲属在该单位任职 …)."""
    conflict, _ = DeclaredConflict.objects.get_or_create(
        person=person,
        org=org,
        defaults={"reason": reason, "note": note.strip(), "created_by": actor},
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=conflict,
        summary=f"申报回避：{person.name} — {org.name}",
        changes={"reason": reason},
    )
    return conflict


@transaction.atomic
def round_create(
    *,
    actor: Any,
    name: str,
    form: str,
    level: str,
    starts_on: dt.date,
    ends_on: dt.date,
    targets: Sequence[Org],
    focus_items: dict[int, Sequence[FocusItem]] | None = None,
    team_size: int = 5,
    required_skills: Sequence[str] = (),
    cooldown_months: int = 36,
) -> InspectionRound:
    """Set up a round run by the actor's commission; ``focus_items`` maps a target org's
    id to the items chosen from the menu for it (菜单式)."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于进驻日期"})
    if not targets:
        raise ValidationError({"targets": "请选择被巡察单位"})
    if team_size < 1:
        raise ValidationError({"team_size": "每组人数至少为1"})
    _require_jurisdiction(actor, targets, "targets")
    item = InspectionRound(
        name=name.strip(),
        form=form,
        level=level,
        owner_org=_owner_org(actor),
        starts_on=starts_on,
        ends_on=ends_on,
        team_size=team_size,
        required_skills=list(dict.fromkeys(s.strip() for s in required_skills if s.strip())),
        cooldown_months=cooldown_months,
        created_by=actor,
    )
    item.full_clean()
    item.save()
    rows = RoundTarget.objects.bulk_create(
        RoundTarget(round=item, org=org) for org in dict.fromkeys(targets)
    )
    for row in rows:
        chosen = (focus_items or {}).get(row.org_id)
        if chosen:
            row.focus_items.set(chosen)
    RoundEvent.objects.create(
        round=item, from_stage="", to_stage=item.stage, actor=actor, at=timezone.now()
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=item,
        summary=f"建立巡察：{item.name}",
        changes={"form": form, "level": level, "targets": [r.org_id for r in rows]},
    )
    return item


@transaction.atomic
def round_advance(
    *, actor: Any, round: InspectionRound, to_stage: str, note: str = ""
) -> InspectionRound:
    """Move a round one stage forward. 进驻 needs an adopted draw (the teams)."""
    locked = InspectionRound.objects.select_for_update().get(pk=round.pk)
    if to_stage not in STAGE_ORDER:
        raise ValidationError({"to_stage": "没有这个阶段"})
    current = STAGE_ORDER.index(locked.stage)
    if STAGE_ORDER.index(to_stage) != current + 1:
        raise ValidationError(
            {"to_stage": f"巡察在“{locked.get_stage_display()}”阶段，"
                         f"不能转到“{RoundStage(to_stage).label}”（须按顺序逐个阶段推进）"}
        )  # fmt: skip
    if to_stage == RoundStage.STATIONED and not locked.draws.filter(adopted=True).exists():
        raise ValidationError({"to_stage": "尚未抽取并采用巡察组，不能进驻"})
    before = locked.stage
    locked.stage = to_stage
    locked.save(update_fields=["stage", "updated_at"])
    RoundEvent.objects.create(
        round=locked,
        from_stage=before,
        to_stage=to_stage,
        note=note.strip(),
        actor=actor,
        at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=locked,
        summary=f"{locked.name}：{RoundStage(before).label} → {RoundStage(to_stage).label}",
        changes={"stage": [before, to_stage], "note": note.strip()},
    )
    round.stage = to_stage
    return locked


def _subtree_ids(org: Org) -> list[int]:
    return list(Org.objects.filter(path__startswith=org.path).values_list("pk", flat=True))


def draw_request_for(round: InspectionRound, *, seed: int, as_of: dt.date) -> DrawRequest:
    """The draw's inputs from the registry: the available people of the commission's 人才库
    (home unit from their current post), the round's targets with their subordinate
    units, the avoid pairs (declared conflicts and relatives working in a target unit,
    ``selectors.registry_avoid_pairs``), and the teams of adopted draws of other rounds
    (ended on their round's end date)."""
    return _draw_inputs(round, seed=seed, as_of=as_of)[0]


def _draw_inputs(
    round: InspectionRound, *, seed: int, as_of: dt.date
) -> tuple[DrawRequest, dict[str, Any]]:
    from jiandu.inspections.selectors import registry_avoid_pairs

    entries = list(
        TalentEntry.objects.filter(owner_org=round.owner_org, available=True)
        .select_related("person")
        .order_by("person_id")
    )
    homes = home_org_ids([e.person_id for e in entries])
    candidates = [
        Candidate(
            str(e.person_id),
            e.person.name,
            str(homes.get(e.person_id) or ""),
            frozenset(e.skills),
            e.can_lead,
        )
        for e in entries
    ]
    person_ids = [e.person_id for e in entries]
    targets = [
        Target(str(t.org_id), t.org.name, frozenset(str(i) for i in _subtree_ids(t.org)))
        for t in round.targets.select_related("org").order_by("org__path")
    ]
    conflicts, facts = registry_avoid_pairs(
        owner_org=round.owner_org,
        person_ids=person_ids,
        covers={int(o) for t in targets for o in t.scope},
        as_of=as_of,
    )
    history = [
        HistoryEntry(str(p), str(o), ended)
        for p, o, ended in TeamAssignment.objects.filter(
            draw__adopted=True, person_id__in=person_ids
        )
        .exclude(draw__round=round)
        .order_by("pk")
        .values_list("person_id", "target__org_id", "draw__round__ends_on")
    ]
    request = DrawRequest(
        candidates=candidates,
        targets=targets,
        team_size=round.team_size,
        seed=seed,
        as_of=as_of,
        required_skills=list(round.required_skills),
        conflicts=conflicts,
        history=history,
        cooldown_months=round.cooldown_months,
    )
    return request, facts


def _inputs_json(request: DrawRequest) -> dict:
    return {
        "pool": [
            {"person_id": c.person_id, "name": c.name, "home_org": c.home_org,
             "skills": sorted(c.skills), "can_lead": c.can_lead}
            for c in request.candidates
        ],
        "targets": [
            {"org_id": t.org_id, "name": t.name, "covers": sorted(t.covers)}
            for t in request.targets
        ],
        "avoid": [{"person_id": c.person_id, "org_id": c.org_id, "source": c.source,
                   "note": c.note} for c in request.conflicts],
        "history": [
            {"person_id": h.person_id, "org_id": h.org_id, "ended_on": h.ended_on.isoformat()}
            for h in request.history
        ],
        "team_size": request.team_size,
        "skills": list(request.required_skills),
        "as_of": request.as_of.isoformat(),
        "cooldown_months": request.cooldown_months,
    }  # fmt: skip


@transaction.atomic
def round_draw(
    *, actor: Any, round: InspectionRound, seed: int | None = None, as_of: dt.date | None = None
) -> TeamDraw:
    """Draw the round's teams and store the draw with its inputs, seed and result. A
    feasible draw is adopted (replacing an earlier one) while the round is 准备."""
    if round.stage != RoundStage.PREPARING:
        raise ValidationError({"round": "巡察组只能在准备阶段抽取"})
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 10**6)
    as_of = as_of or timezone.localdate()
    request, facts = _draw_inputs(round, seed=seed, as_of=as_of)
    result = draw_teams(request)
    if result.ok:
        round.draws.filter(adopted=True).update(adopted=False)
    draw = TeamDraw.objects.create(
        round=round,
        seed=seed,
        as_of=as_of,
        inputs=_inputs_json(request),
        result=result.to_dict(),
        feasible=result.ok,
        adopted=result.ok,
        drawn_by=actor,
        drawn_at=timezone.now(),
    )
    if result.ok:
        targets = {str(t.org_id): t for t in round.targets.all()}
        TeamAssignment.objects.bulk_create(
            TeamAssignment(
                draw=draw,
                target=targets[team.target],
                person_id=int(m.person_id),
                role=TeamRole.LEADER if m.role == LEADER else TeamRole.MEMBER,
            )
            for team in result.teams
            for m in team.members
        )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=draw,
        summary=f"{round.name}：抽取巡察组（随机种子 {seed}）"
        + ("" if result.ok else f"，{len(result.infeasible)}个单位组不齐"),
        changes={"seed": seed, "as_of": as_of.isoformat(), "result": result.to_dict(),
                 "avoid": _avoid_counts(request), "avoid_data": facts},
    )  # fmt: skip
    return draw


def _avoid_counts(request: DrawRequest) -> dict[str, int]:
    """Avoid pairs per source (the audit row says where the draw's 回避 came from)."""
    counts: dict[str, int] = {}
    for c in request.conflicts:
        counts[c.source] = counts.get(c.source, 0) + 1
    return counts


def _target(round: InspectionRound, org: Org) -> RoundTarget:
    target = round.targets.filter(org=org).first()
    if target is None:
        raise ValidationError({"org": f"{org.name}不是本轮巡察的被巡察单位"})
    return target


@transaction.atomic
def finding_add(
    *,
    actor: Any,
    round: InspectionRound,
    org: Org,
    description: str,
    category: ProblemCategory,
    focus_item: FocusItem | None = None,
    found_on: dt.date | None = None,
) -> Problem:
    """A finding of the round: a problem of the 整改闭环 (source 巡察), supervised by the
    round's commission, linked to the round, the target and the focus item."""
    if round.stage not in FINDING_STAGES:
        raise ValidationError({"round": "只有进驻、报告、反馈阶段可以登记发现的问题"})
    target = _target(round, org)
    if (
        focus_item is not None
        and target.focus_items.exists()
        and not target.focus_items.filter(pk=focus_item.pk).exists()
    ):
        raise ValidationError({"focus_item": f"“{focus_item.name}”不是该单位选定的重点事项"})
    problem = problem_create(
        actor=actor,
        org=org,
        description=description,
        category=category,
        source=ProblemSource.objects.get(key=FINDING_SOURCE),
        found_on=found_on or timezone.localdate(),
        supervising_org=round.owner_org,
        found_by_org=round.owner_org,
        origin=(FINDING_ORIGIN, target.pk),
    )
    RoundProblem.objects.create(round=round, target=target, focus_item=focus_item, problem=problem)
    return problem


@transaction.atomic
def clue_transfer(
    *,
    actor: Any,
    round: InspectionRound,
    org: Org,
    title: str,
    content: str = "",
    handling_org: Org | None = None,
    received_date: dt.date | None = None,
    subject_people: Sequence[Person] = (),
    domains: Sequence[Any] = (),
) -> Clue:
    """Transfer a clue found by the round into the registry (source 巡察移交), linked
    back to the round and target. 优先办理: its first deadline is the deadline table's
    own row for inspection clues when that is earlier; 提级 suggestions are raised by the
    rule table."""
    if round.stage not in TRANSFER_STAGES:
        raise ValidationError({"round": "只有进驻至移交阶段可以移交问题线索"})
    target = _target(round, org)
    received = received_date or timezone.localdate()
    clue = clue_create(
        actor=actor,
        source=ClueSource.INSPECTION,
        title=title,
        content=content,
        received_date=received,
        handling_org=handling_org,
        subject_orgs=[org],
        subject_people=list(subject_people) or None,
        domains=list(domains) or None,
        evidence={"inspection_round": round.pk, "round_name": round.name},
    )
    priority = deadline_compute(PRIORITY_STEP, received).due
    regular_due = clue.due_date
    if clue.due_date is None or priority < clue.due_date:
        clue.due_date = priority
        clue.save(update_fields=["due_date"])
    RoundClue.objects.create(round=round, target=target, clue=clue)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=round,
        summary=f"{round.name}：移交问题线索 {clue.number}（{org.name}），优先办理",
        changes={"clue": clue.pk, "due_date": [regular_due, clue.due_date]},
    )
    escalation_suggest(clue=clue)
    return clue


def _county_above(org: Org) -> Org | None:
    """The nearest county commission strictly above ``org`` (提级 goes to the county)."""
    ancestors = Org.objects.filter(pk__in=org.ancestor_ids(), kind=OrgKind.COUNTY)
    found = [a for a in ancestors if a.pk != org.pk]
    return max(found, key=lambda a: len(a.path), default=None)


def _rule_matches(rule: EscalationRule, clue: Clue) -> bool:
    if rule.kind == EscalationKind.DOMAIN:
        return clue.domains.filter(code=rule.domain_code).exists()
    if rule.kind == EscalationKind.VILLAGE_COMMITTEE:
        return clue.subject_people.filter(
            posts__end_date__isnull=True, posts__org__kind=OrgKind.VILLAGE
        ).exists()
    return False


def escalation_suggest(*, clue: Clue) -> list[EscalationSuggestion]:
    """Suggest 提级 for a clue under every rule it matches, when a county commission is
    above its handling unit (a clue already at the county or above is not suggested)."""
    to_org = _county_above(clue.handling_org)
    if to_org is None:
        return []
    made = []
    for rule in EscalationRule.objects.filter(archived_at__isnull=True):
        if _rule_matches(rule, clue):
            suggestion, _ = EscalationSuggestion.objects.get_or_create(
                clue=clue, rule=rule, defaults={"to_org": to_org}
            )
            made.append(suggestion)
    return made


@transaction.atomic
def escalation_decide(
    *, actor: Any, suggestion: EscalationSuggestion, confirm: bool, reason: str
) -> EscalationSuggestion:
    """The handler confirms (the clue is 提级 to the county) or declines, with a reason."""
    suggestion = EscalationSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != SuggestionStatus.PENDING:
        raise ValidationError({"suggestion": "这条提级建议已经处理过"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写理由"})
    if confirm:
        clue_escalate(
            actor=actor,
            clue=suggestion.clue,
            to_org=suggestion.to_org,
            note=f"{suggestion.rule.label}：{reason.strip()}",
        )
    suggestion.status = SuggestionStatus.CONFIRMED if confirm else SuggestionStatus.DECLINED
    suggestion.reason = reason.strip()
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now()
    suggestion.save()
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=suggestion,
        summary=f"提级建议（{suggestion.rule.label}）：{suggestion.get_status_display()}",
        changes={"clue": suggestion.clue_id, "reason": suggestion.reason},
    )
    return suggestion


@transaction.atomic
def report_file(
    *, actor: Any, round: InspectionRound, org: Org, kind: str, text: str
) -> RoundReport:
    """The team files (or files again) its 巡察报告 or 专题/线索报告 on a target (报告阶段)."""
    if round.stage != RoundStage.REPORTING:
        raise ValidationError({"round": "只有报告阶段可以提交巡察报告"})
    if not text.strip():
        raise ValidationError({"text": "请填写报告内容"})
    target = _target(round, org)
    report, created = RoundReport.objects.update_or_create(
        round=round, target=target, kind=kind, defaults={"text": text.strip(), "filed_by": actor}
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=report,
        summary=f"{round.name}：{org.name}{report.get_kind_display()}",
    )
    return report


@transaction.atomic
def report_comment(
    *,
    actor: Any,
    report: RoundReport,
    text: str,
    outcome: str = CommentOutcome.NOTE,
    category: ProblemCategory | None = None,
    clue_title: str = "",
    handling_org: Org | None = None,
) -> ReportComment:
    """巡察办's review comment (seed 002: the review caught a missed clue). With outcome
    发现问题 it opens a problem of the loop, with 发现问题线索 a 巡察移交 clue, both linked
    to the round and the report's target."""
    if not text.strip():
        raise ValidationError({"text": "请填写审核意见"})
    round, org = report.round, report.target.org
    comment = ReportComment(report=report, text=text.strip(), outcome=outcome, author=actor,
                            at=timezone.now())  # fmt: skip
    if outcome == CommentOutcome.PROBLEM:
        if category is None:
            raise ValidationError({"category": "请选择问题类别"})
        comment.problem = finding_add(actor=actor, round=round, org=org,
                                      description=text, category=category)  # fmt: skip
    elif outcome == CommentOutcome.CLUE:
        comment.clue = clue_transfer(actor=actor, round=round, org=org,
                                     title=clue_title.strip() or text.strip()[:60],
                                     content=text, handling_org=handling_org)  # fmt: skip
    comment.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=comment,
        summary=f"审核{report}：{comment.get_outcome_display()}",
        changes={"problem": comment.problem_id, "clue": comment.clue_id},
    )
    return comment


def _target_team(round: InspectionRound, target: RoundTarget) -> tuple[str, list[str]]:
    draw = round.draws.filter(adopted=True).first()
    if draw is None:
        raise ValidationError({"round": "尚未采用巡察组"})
    rows = list(draw.assignments.filter(target=target).select_related("person"))
    leader = next((a.person.name for a in rows if a.role == TeamRole.LEADER), "")
    return leader, [a.person.name for a in rows if a.role == TeamRole.MEMBER]


@transaction.atomic
def entry_notice_issue(*, actor: Any, round: InspectionRound, org: Org) -> Any:
    """The 巡察进驻通知 to a target (numbered; one per target: issuing again returns it)."""
    from jiandu.documents.choices import DocumentType
    from jiandu.documents.services import document_issue
    from jiandu.inspections.documents import EntryNotice, render_entry_notice_docx

    target = _target(round, org)
    leader, members = _target_team(round, target)
    items = [f.name for f in target.focus_items.all()]

    def render(number: str, day: dt.date) -> bytes:
        return render_entry_notice_docx(notice=EntryNotice(
            number=number, issuer=round.owner_org.name, recipient=org.name,
            round_name=round.name, starts_on=round.starts_on, ends_on=round.ends_on,
            leader=leader, members=members, focus_items=items, date=day,
        ))  # fmt: skip

    return document_issue(
        actor=actor,
        organ=round.owner_org,
        document_type=DocumentType.INSPECTION_ENTRY,
        title=f"关于{round.name}进驻{org.name}的通知",
        render=render,
        file_name=f"巡察进驻通知-{org.name}.docx",
        recipient_org=org,
        record_type="inspections.roundtarget",
        record_id=target.pk,
    )


@transaction.atomic
def feedback_issue(*, actor: Any, round: InspectionRound, org: Org, due_days: int = 30) -> Any:
    """The 巡察反馈意见 to a target, from its findings (反馈阶段)."""
    from jiandu.documents.choices import DocumentType
    from jiandu.documents.services import document_issue
    from jiandu.inspections.documents import FeedbackOpinion, FeedbackProblem, render_feedback_docx

    if round.stage != RoundStage.FEEDBACK:
        raise ValidationError({"round": "只有反馈阶段可以印发巡察反馈意见"})
    target = _target(round, org)
    links = list(target.problems.select_related("problem", "focus_item").order_by("pk"))
    if not links:
        raise ValidationError({"org": f"{org.name}没有登记发现的问题"})
    problems = [
        FeedbackProblem(
            link.problem.number or "",
            link.focus_item.name if link.focus_item else "",
            link.problem.description,
        )
        for link in links
    ]

    def render(number: str, day: dt.date) -> bytes:
        return render_feedback_docx(opinion=FeedbackOpinion(
            number=number, issuer=round.owner_org.name, recipient=org.name,
            round_name=round.name, problems=problems, due_days=due_days, date=day,
        ))  # fmt: skip

    return document_issue(
        actor=actor,
        organ=round.owner_org,
        document_type=DocumentType.INSPECTION_FEEDBACK,
        title=f"{round.name}对{org.name}的巡察反馈意见",
        render=render,
        file_name=f"巡察反馈意见-{org.name}.docx",
        recipient_org=org,
        record_type="inspections.roundtarget.feedback",
        record_id=target.pk,
    )


# The signed report as filed: PDF, Word (.docx/.doc), WPS (.wps) or OFD (GB/T 33190),
# told by the name's ending and the file's first bytes (a renamed file is refused).
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
REPORT_FILE_TYPES: dict[str, bytes] = {
    ".pdf": b"%PDF-", ".docx": _ZIP, ".doc": _OLE, ".wps": _OLE, ".ofd": _ZIP,
}  # fmt: skip


def report_file_type_refusal(name: str, data: bytes) -> str:
    """Why ``data`` named ``name`` is not a report file ("" when it is one)."""
    ending = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kinds = "、".join(REPORT_FILE_TYPES)
    if ending not in REPORT_FILE_TYPES:
        return f"文件“{name}”的类型不能作为报告文件（可上传 {kinds}）"
    if not data.startswith(REPORT_FILE_TYPES[ending]):
        return f"文件“{name}”的内容不是 {ending} 文件"
    return ""


@transaction.atomic
def report_file_attach(
    *, actor: Any, report: RoundReport, name: str, data: bytes, content_type: str = ""
) -> Any:
    """Attach the signed file of a 巡察报告 or 专题/线索报告 (core.files: size limit, hash,
    audit). Only while the round is 报告 (the report may be filed again until then)."""
    from jiandu.core.files import stored_file_add, upload_size_check
    from jiandu.inspections.models import ReportFile

    if report.round.stage != RoundStage.REPORTING:
        raise ValidationError({"file": "只有报告阶段可以上传报告文件"})
    if not data:
        raise ValidationError({"file": f"文件“{name}”是空的"})
    upload_size_check(name=name, data=data, what="报告文件")
    refusal = report_file_type_refusal(name, data)
    if refusal:
        raise ValidationError({"file": refusal})
    return stored_file_add(
        ReportFile(report=report),
        actor=actor,
        name=name,
        data=data,
        content_type=content_type,
        what="报告文件",
        summary=f"{report.round.name}：{report}上传文件“{name}”",
        changes={"report": report.pk, "name": name},
    )
