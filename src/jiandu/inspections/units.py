"""单元制 supervision units (seed 000): the unit with its member orgs and covered units,
the yearly coverage plan (重点检查), special checks drawn from the shared talent pool
with the same 回避 draw, moved through the six steps, their problems in the 整改闭环
(source 单元制监督检查) and the outcomes that follow (责令整改, 谈话, 诫勉); before the
next check the unit's open problems are put in front of the group; coverage says which
covered units have not been checked this year.

Writes are keyword-only with ``actor=``, atomic, validated and audited."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.inspections.choices import CHECK_STEP_ORDER, CheckOutcomeKind, CheckStep
from jiandu.inspections.draw import (
    Candidate,
    DrawRequest,
    HistoryEntry,
    Target,
    draw_teams,
)
from jiandu.inspections.models import (
    CheckOutcome,
    CheckProblem,
    CheckTopic,
    CoveragePlan,
    SpecialCheck,
    SupervisionUnit,
    TalentEntry,
    TeamAssignment,
    UnitMember,
)
from jiandu.inspections.services import _owner_org, _require_jurisdiction, home_org_id
from jiandu.orgs.models import Org
from jiandu.oversight.choices import RectificationStatus
from jiandu.oversight.models import Problem, ProblemCategory, ProblemSource
from jiandu.oversight.services import problem_create

CHECK_SOURCE = "unit_check"
CHECK_ORIGIN = "inspections.specialcheck"


@transaction.atomic
def unit_create(
    *, actor: Any, name: str, members: Sequence[tuple[Org, str]], covered: Sequence[Org]
) -> SupervisionUnit:
    """A unit of the actor's commission: member orgs with their roles (exactly one 派驻组
    and one 镇/园区纪(工)委 or 纪检监察室), and the units it covers."""
    roles = [role for _, role in members]
    if roles.count("stationed") != 1 or roles.count("township") != 1:
        raise ValidationError(
            {"members": "监督单元须有1个派驻纪检监察组和1个镇（园区）纪（工）委或纪检监察室"}
        )
    if not covered:
        raise ValidationError({"covered": "请选择监督单位"})
    twice = [o for o, n in Counter(o for o, _ in members).items() if n > 1]
    if twice:
        names = "、".join(o.name for o in twice)
        raise ValidationError({"members": f"{names}在成员单位中重复：每个单位只能以一种身份加入"})
    _require_jurisdiction(actor, [*covered, *(o for o, _ in members)], "covered")
    unit = SupervisionUnit.objects.create(name=name.strip(), owner_org=_owner_org(actor),
                                          created_by=actor)  # fmt: skip
    UnitMember.objects.bulk_create(UnitMember(unit=unit, org=o, role=r) for o, r in members)
    unit.covered.set(covered)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=unit, summary=f"建立监督单元：{name}",
                 changes={"members": [[o.pk, r] for o, r in members],
                          "covered": [o.pk for o in covered]})  # fmt: skip
    return unit


@transaction.atomic
def coverage_plan_set(
    *, actor: Any, unit: SupervisionUnit, year: int, orgs: Sequence[Org], key: Sequence[Org] = ()
) -> list[CoveragePlan]:
    """The year's plan (replaces it): units to check, ``key`` of them for 重点检查."""
    covered = set(unit.covered.values_list("pk", flat=True))
    outside = [o.name for o in orgs if o.pk not in covered]
    if outside:
        raise ValidationError({"orgs": f"{'、'.join(outside)}不在本单元的监督单位中"})
    key_ids = {o.pk for o in key}
    if key_ids - {o.pk for o in orgs}:
        raise ValidationError({"key": "重点检查单位须在年度计划中"})
    CoveragePlan.objects.filter(unit=unit, year=year).delete()
    rows = CoveragePlan.objects.bulk_create(
        CoveragePlan(unit=unit, year=year, org=o, key_check=o.pk in key_ids)
        for o in dict.fromkeys(orgs)
    )
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=unit,
                 summary=f"{unit.name}：{year}年监督计划",
                 changes={"orgs": [o.pk for o in orgs], "key": sorted(key_ids)})  # fmt: skip
    return rows


@transaction.atomic
def check_create(
    *,
    actor: Any,
    unit: SupervisionUnit,
    name: str,
    topic: str,
    held_on: dt.date,
    targets: Sequence[Org],
    team_size: int = 3,
    required_skills: Sequence[str] = (),
) -> SpecialCheck:
    covered = set(unit.covered.values_list("pk", flat=True))
    if not targets or any(o.pk not in covered for o in targets):
        raise ValidationError({"targets": "被检查单位须是本单元的监督单位"})
    if not CheckTopic.objects.filter(name=topic.strip(), archived_at__isnull=True).exists():
        names = "、".join(CheckTopic.objects.filter(archived_at__isnull=True)
                         .values_list("name", flat=True))  # fmt: skip
        raise ValidationError({"topic": f"没有“{topic}”这类专项检查（可选：{names}）"})
    if team_size < 1:
        raise ValidationError({"team_size": "检查组人数至少为1"})
    check = SpecialCheck.objects.create(
        unit=unit, name=name.strip(), topic=topic.strip(), held_on=held_on, team_size=team_size,
        required_skills=list(required_skills), created_by=actor,
    )  # fmt: skip
    check.targets.set(targets)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=check, summary=f"专项检查：{name}")
    return check


def _subtree(org: Org) -> set[str]:
    return {
        str(pk) for pk in Org.objects.filter(path__startswith=org.path).values_list("pk", flat=True)
    }


@transaction.atomic
def check_draw(
    *, actor: Any, check: SpecialCheck, seed: int | None = None, as_of: dt.date | None = None
) -> dict:
    """Draw the check's team from the unit's commission's talent pool with the same 回避
    rules: the check is one target covering every unit checked (and their subordinates);
    earlier round teams and checks count for the cool-down. Stored on the check."""
    if check.step != CheckStep.PROBLEMS:
        raise ValidationError({"check": "检查组只能在“看问题”步骤之前抽取"})
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 10**6)
    as_of = as_of or timezone.localdate()
    entries = list(TalentEntry.objects.filter(owner_org=check.unit.owner_org, available=True)
                   .select_related("person").order_by("person_id"))  # fmt: skip
    ids = [e.person_id for e in entries]
    covers: set[str] = set()
    for org in check.targets.all():
        covers |= _subtree(org)
    history = [
        HistoryEntry(str(p), str(o), ended)
        for p, o, ended in TeamAssignment.objects.filter(draw__adopted=True, person_id__in=ids)
        .values_list("person_id", "target__org_id", "draw__round__ends_on")
    ] + [
        HistoryEntry(str(p), str(o), held)
        for p, o, held in SpecialCheck.objects.exclude(pk=check.pk)
        .filter(members__in=ids)
        .values_list("members", "targets", "held_on")
    ]  # fmt: skip
    # 回避: declared conflicts and relatives in the commission's 比对数据 (as for rounds).
    from jiandu.inspections.selectors import registry_avoid_pairs

    conflicts, _facts = registry_avoid_pairs(
        owner_org=check.unit.owner_org, person_ids=ids, covers={int(o) for o in covers},
        as_of=as_of,
    )  # fmt: skip
    request = DrawRequest(
        candidates=[Candidate(str(e.person_id), e.person.name, str(home_org_id(e.person) or ""),
                              frozenset(e.skills), e.can_lead) for e in entries],
        targets=[Target(f"check-{check.pk}", check.name, frozenset(covers))],
        team_size=check.team_size,
        seed=seed,
        as_of=as_of,
        required_skills=list(check.required_skills),
        conflicts=conflicts,
        history=history,
        cooldown_months=12,
    )  # fmt: skip
    result = draw_teams(request)
    check.draw = {"seed": seed, "as_of": as_of.isoformat(), "result": result.to_dict()}
    check.save(update_fields=["draw", "updated_at"])
    if result.ok:
        team = result.teams[0]
        check.members.set([int(m.person_id) for m in team.members])
        check.draw["leader"] = team.leader
        check.save(update_fields=["draw"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=check,
                 summary=f"{check.name}：抽取检查组（随机种子 {seed}）",
                 changes=check.draw)  # fmt: skip
    return check.draw


@transaction.atomic
def check_advance(*, actor: Any, check: SpecialCheck, to_step: str) -> SpecialCheck:
    """One step forward through 看问题 → 查台账 → 走访谈 → 找症结 → 促整改 → 回头看 → 已完成;
    the first move needs a drawn team."""
    current = CHECK_STEP_ORDER.index(check.step)
    if to_step not in CHECK_STEP_ORDER or CHECK_STEP_ORDER.index(to_step) != current + 1:
        raise ValidationError(
            {"to_step": f"检查在“{check.get_step_display()}”步骤，须按顺序逐步推进"}
        )
    if not check.members.exists():
        raise ValidationError({"to_step": "尚未抽取检查组"})
    before = check.step
    check.step = to_step
    check.save(update_fields=["step", "updated_at"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=check,
                 summary=f"{check.name}：{CheckStep(before).label} → {CheckStep(to_step).label}",
                 changes={"step": [before, to_step]})  # fmt: skip
    return check


@transaction.atomic
def check_finding_add(
    *, actor: Any, check: SpecialCheck, org: Org, description: str, category: ProblemCategory
) -> Problem:
    """A problem found by the check: into the loop, source 单元制监督检查 (促整改 or before)."""
    if CHECK_STEP_ORDER.index(check.step) > CHECK_STEP_ORDER.index(CheckStep.RECTIFY):
        raise ValidationError({"check": "回头看以后不再登记新问题"})
    if not check.targets.filter(pk=org.pk).exists():
        raise ValidationError({"org": f"{org.name}不是本次检查的被检查单位"})
    problem = problem_create(
        actor=actor, org=org, description=description, category=category,
        source=ProblemSource.objects.get(key=CHECK_SOURCE), found_on=check.held_on,
        supervising_org=check.unit.owner_org, found_by_org=check.unit.owner_org,
        origin=(CHECK_ORIGIN, check.pk),
    )  # fmt: skip
    CheckProblem.objects.create(check_item=check, problem=problem)
    return problem


@transaction.atomic
def check_outcome_record(
    *, actor: Any, check: SpecialCheck, kind: str, org: Org, person_name: str = "", note: str = ""
) -> CheckOutcome:
    if kind not in CheckOutcomeKind.values:
        raise ValidationError({"kind": "没有这种处理"})
    if kind != CheckOutcomeKind.ORDER and not person_name.strip():
        raise ValidationError({"person_name": "谈话、诫勉须写明对象"})
    outcome = CheckOutcome.objects.create(
        check_item=check, kind=kind, org=org, person_name=person_name.strip(), note=note.strip(),
        recorded_by=actor, recorded_at=timezone.now(),
    )  # fmt: skip
    audit_record(actor=actor, action=AuditAction.CREATE, obj=outcome,
                 summary=f"{check.name}：{outcome.get_kind_display()}（{org.name}）")  # fmt: skip
    return outcome


def open_problems(unit: SupervisionUnit) -> list[Problem]:
    """The unit's problems not yet 销号: put in front of the group before the next check."""
    return list(
        Problem.objects.filter(unit_check_link__check_item__unit=unit)
        .exclude(rectification__status=RectificationStatus.CLOSED)
        .select_related("org", "rectification")
        .order_by("rectification__due_on", "pk")
    )


def coverage(unit: SupervisionUnit, year: int) -> dict[str, list[Org]]:
    """Covered units checked this year, and those not yet (planned ones first)."""
    checked_ids = set(
        SpecialCheck.objects.filter(unit=unit, held_on__year=year).values_list("targets", flat=True)
    )
    planned = set(
        CoveragePlan.objects.filter(unit=unit, year=year).values_list("org_id", flat=True)
    )
    covered = list(unit.covered.order_by("path"))
    unchecked = [o for o in covered if o.pk not in checked_ids]
    unchecked.sort(key=lambda o: o.pk not in planned)
    return {"checked": [o for o in covered if o.pk in checked_ids], "unchecked": unchecked}


def unit_figures(unit: SupervisionUnit, year: int) -> dict[str, int]:
    """Per 单元: checks, problems, 责令整改, 谈话, 诫勉, units covered / checked."""
    checks = SpecialCheck.objects.filter(unit=unit, held_on__year=year)
    outcomes = dict(
        CheckOutcome.objects.filter(check_item__in=checks).values_list("kind")
        .annotate(n=Count("pk")).values_list("kind", "n")
    )  # fmt: skip
    seen = coverage(unit, year)
    return {
        "checks": checks.count(),
        "problems": CheckProblem.objects.filter(check_item__in=checks).count(),
        "orders": outcomes.get(CheckOutcomeKind.ORDER, 0),
        "talks": outcomes.get(CheckOutcomeKind.TALK, 0),
        "admonitions": outcomes.get(CheckOutcomeKind.ADMONISH, 0),
        "covered": len(seen["checked"]) + len(seen["unchecked"]),
        "checked": len(seen["checked"]),
    }
