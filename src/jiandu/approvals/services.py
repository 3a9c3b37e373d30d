"""Writes of 呈批: submit, sign (同意 / 退回), withdraw, resubmit, set a route.

A decision takes effect only in ``request_sign`` when the last step approves: the kind's
registered ``apply`` runs in the same transaction, so a decision that can no longer be
applied (the record moved on meanwhile) leaves the request pending with the reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiandu.approvals import registry
from jiandu.approvals.choices import RequestStatus, SignerRole, StepDecision
from jiandu.approvals.models import ApprovalRequest, ApprovalRoute, ApprovalRouteStep, ApprovalStep
from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.orgs.choices import ACTED_FOR_KINDS
from jiandu.orgs.models import Org


def commission_of(org: Org) -> Org:
    """The 纪委监委 (city or county) an office belongs to: the org itself when it is one,
    else its nearest such ancestor."""
    if org.kind in ACTED_FOR_KINDS:
        return org
    ids = org.ancestor_ids()[:-1]
    for ancestor in Org.objects.filter(pk__in=ids).order_by("-depth"):
        if ancestor.kind in ACTED_FOR_KINDS:
            return ancestor
    return org


def route_steps(*, org: Org, kind: str) -> tuple[list[str], ApprovalRoute | None]:
    """The steps a request of ``kind`` drafted in ``org`` goes through: the org's own
    route, else its commission's, else the shipped default."""
    commission = commission_of(org)
    candidates = [org.pk] if commission.pk == org.pk else [org.pk, commission.pk]
    routes = {
        r.org_id: r
        for r in ApprovalRoute.objects.filter(
            org_id__in=candidates, kind=kind, archived_at__isnull=True
        ).prefetch_related("steps")
    }
    for org_id in candidates:
        route = routes.get(org_id)
        if route is not None:
            return [s.signer_role for s in route.steps.all()], route
    return list(registry.DEFAULT_STEPS), None


def may_sign(user: Any, request: ApprovalRequest, step: ApprovalStep) -> bool:
    """室主任审核: a holder of 审核 in the request's office (the record's handling unit,
    whoever drafted it); 分管领导审批: a holder of 审批 in the office's commission. Never
    the drafter, never outside the jurisdiction."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.org_id:
        return False
    if user.pk == request.drafted_by_id or request.org_id not in jurisdiction_org_ids(user):
        return False
    if step.signer_role == SignerRole.OFFICE_HEAD:
        return user.org_id == request.org_id and user.has_perm("approvals.review_request")
    if step.signer_role == SignerRole.LEADER:
        return user.has_perm("approvals.approve_request") and (
            user.org_id == commission_of(request.org).pk
        )
    return False


def current_step(request: ApprovalRequest) -> ApprovalStep | None:
    if request.status != RequestStatus.PENDING:
        return None
    return (
        request.steps.filter(round=request.round, decision=StepDecision.WAITING)
        .order_by("order")
        .first()
    )


def _create_steps(request: ApprovalRequest, roles: list[str]) -> None:
    ApprovalStep.objects.bulk_create(
        ApprovalStep(request=request, round=request.round, order=n, signer_role=role)
        for n, role in enumerate(roles, start=1)
    )


@transaction.atomic
def request_submit(
    *,
    actor: Any,
    kind: str,
    target_type: str,
    target_id: int,
    target_label: str,
    org: Org,
    summary: str,
    payload: dict[str, Any],
    reason: str = "",
    source: str = "",
) -> ApprovalRequest:
    """呈批: the 承办人 proposes a decision; it goes to the first step of its route. One
    request under way per record: a second is refused until the first is decided."""
    decision = registry.get(kind)
    if decision.target_type != target_type:
        raise ValidationError({"kind": f"“{decision.label}”不适用于该对象"})
    under_way = ApprovalRequest.objects.filter(
        target_type=target_type, target_id=target_id, status=RequestStatus.PENDING
    ).first()
    if under_way is not None:
        raise ValidationError(
            {
                "kind": f"“{target_label}”已有呈批件在审批中（{under_way.summary}），"
                "请待其审批后再呈批"
            }
        )
    roles, _route = route_steps(org=org, kind=kind)
    request = ApprovalRequest(
        kind=kind,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label[:200],
        org=org,
        summary=summary[:300],
        payload=payload,
        reason=reason.strip(),
        drafted_by=actor,
        source=source,
    )
    request.full_clean(exclude=["drafted_by", "org"])
    request.save()
    _create_steps(request, roles)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=request,
        summary=f"呈批：{request.summary}",
        changes={"kind": kind, "payload": payload, "steps": roles},
    )
    return request


def _lock(request: ApprovalRequest) -> ApprovalRequest:
    return ApprovalRequest.objects.select_for_update().select_related("org").get(pk=request.pk)


@transaction.atomic
def request_sign(
    *,
    actor: Any,
    request: ApprovalRequest,
    approve: bool,
    opinion: str = "",
    at: dt.datetime | None = None,
) -> ApprovalRequest:
    """Sign the current step: 同意 moves it on (the last 同意 applies the decision, dated
    the day of that signature); 退回 returns it to the 承办人 with the opinion (required).
    ``at`` is the signing time when it is not now (records entered after the fact, the
    demo's history)."""
    request = _lock(request)
    step = current_step(request)
    if step is None:
        raise ValidationError({"opinion": f"呈批件{request.get_status_display()}，不能再签批"})
    if not may_sign(actor, request, step):
        raise PermissionDenied(f"您不是“{step.label}”这一步的签批人")
    opinion = opinion.strip()
    if not approve and not opinion:
        raise ValidationError({"opinion": "退回须写明意见"})
    now = at or timezone.now()
    step.signer = actor
    step.opinion = opinion
    step.signed_at = now
    step.decision = StepDecision.APPROVED if approve else StepDecision.RETURNED
    step.save()
    is_last = not request.steps.filter(round=request.round, decision=StepDecision.WAITING).exists()
    if not approve:
        request.status = RequestStatus.RETURNED
        request.save(update_fields=["status", "updated_at"])
        summary = f"退回呈批件：{request.summary}"
    elif is_last:
        request.status = RequestStatus.APPROVED
        request.decided_at = now
        request.save(update_fields=["status", "decided_at", "updated_at"])
        # The decision takes effect now, in this transaction: if it cannot, nothing is signed.
        decision = registry.get(request.kind)
        try:
            decision.apply(actor=actor, request=request)
        except decision.refusals as exc:
            raise ValidationError({"opinion": f"决定不能生效：{exc}"}) from exc
        summary = f"批准呈批件：{request.summary}"
    else:
        summary = f"{step.label}同意：{request.summary}"
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=request,
        summary=summary,
        changes={"step": step.label, "opinion": opinion},
    )
    return request


@transaction.atomic
def request_withdraw(*, actor: Any, request: ApprovalRequest, reason: str = "") -> ApprovalRequest:
    """撤回: the 承办人 takes back a request not yet decided (under way or returned)."""
    request = _lock(request)
    if actor.pk != request.drafted_by_id:
        raise PermissionDenied("只有承办人可以撤回呈批件")
    if request.status not in (RequestStatus.PENDING, RequestStatus.RETURNED):
        raise ValidationError({"reason": f"呈批件{request.get_status_display()}，不能撤回"})
    request.status = RequestStatus.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=request,
        summary=f"撤回呈批件：{request.summary}",
        changes={"reason": reason.strip()},
    )
    return request


@transaction.atomic
def request_resubmit(*, actor: Any, request: ApprovalRequest, reason: str) -> ApprovalRequest:
    """重新呈批 a returned request (with the 承办人's answer to the opinion): a new round
    of the route as it stands now."""
    request = _lock(request)
    if actor.pk != request.drafted_by_id:
        raise PermissionDenied("只有承办人可以重新呈批")
    if request.status != RequestStatus.RETURNED:
        raise ValidationError({"reason": "只有被退回的呈批件可以重新呈批"})
    if not reason.strip():
        raise ValidationError({"reason": "请说明修改情况"})
    if (
        ApprovalRequest.objects.filter(
            target_type=request.target_type,
            target_id=request.target_id,
            status=RequestStatus.PENDING,
        )
        .exclude(pk=request.pk)
        .exists()
    ):
        raise ValidationError({"reason": "该对象已有其他呈批件在审批中"})
    request.round += 1
    request.status = RequestStatus.PENDING
    request.reason = reason.strip()
    request.submitted_at = timezone.now()
    request.save(update_fields=["round", "status", "reason", "submitted_at", "updated_at"])
    roles, _route = route_steps(org=request.org, kind=request.kind)
    _create_steps(request, roles)
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=request,
        summary=f"重新呈批：{request.summary}",
        changes={"round": request.round, "reason": request.reason},
    )
    return request


@transaction.atomic
def route_set(*, actor: Any, org: Org, kind: str, steps: list[str]) -> ApprovalRoute:
    """Set the route of ``kind`` for ``org`` (the previous one is archived, requests
    under way keep the steps they were submitted with)."""
    registry.get(kind)
    if not actor.has_perm("approvals.manage_route") or org.pk not in jurisdiction_org_ids(actor):
        raise PermissionDenied("没有设置该单位审批流程的权限")
    if not steps:
        raise ValidationError({"steps": "审批流程至少要有一步"})
    bad = [s for s in steps if s not in SignerRole.values]
    if bad:
        raise ValidationError({"steps": f"未知的签批人“{bad[0]}”"})
    now = timezone.now()
    ApprovalRoute.objects.filter(org=org, kind=kind, archived_at__isnull=True).update(
        archived_at=now, archived_by=actor, archive_reason="重新设置"
    )
    route = ApprovalRoute.objects.create(org=org, kind=kind, created_by=actor)
    ApprovalRouteStep.objects.bulk_create(
        ApprovalRouteStep(route=route, order=n, signer_role=role)
        for n, role in enumerate(steps, start=1)
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=route,
        summary=f"设置审批流程：{org}·{registry.label(kind)}",
        changes={"steps": steps},
    )
    return route


def commission_offices(commission: Org) -> list[Org]:
    """The 内设机构 (室, 派驻组 …) of a commission, each of which may have its own routes."""
    from jiandu.orgs.choices import COMMISSION_KINDS

    kinds = COMMISSION_KINDS - ACTED_FOR_KINDS
    offices = Org.objects.filter(parent=commission, kind__in=kinds)
    return list(offices.order_by("sort_order", "path"))


def route_source(*, org: Org, route: ApprovalRoute | None) -> str:
    """Where the steps in effect for ``org`` come from, in words."""
    if route is None:
        return "系统默认"
    if route.org_id == org.pk:
        return "本单位设置"
    return f"沿用{route.org}的流程"


@transaction.atomic
def route_archive(*, actor: Any, route: ApprovalRoute, reason: str = "") -> ApprovalRoute:
    """Archive an org's own route: the org falls back to its commission's route (or the
    shipped default). Requests under way keep their steps."""
    if not actor.has_perm("approvals.manage_route") or route.org_id not in jurisdiction_org_ids(
        actor
    ):
        raise PermissionDenied("没有设置该单位审批流程的权限")
    route = ApprovalRoute.objects.select_for_update().select_related("org").get(pk=route.pk)
    if route.archived_at is not None:
        raise ValidationError({"route": "该审批流程已归档"})
    route.archived_at = timezone.now()
    route.archived_by = actor
    route.archive_reason = reason.strip() or "取消单独设置"
    route.save(update_fields=["archived_at", "archived_by", "archive_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.ARCHIVE,
        obj=route,
        summary=f"归档审批流程：{route.org}·{registry.label(route.kind)}",
        changes={"reason": route.archive_reason},
    )
    return route


@transaction.atomic
def request_record_document(*, actor: Any, request: ApprovalRequest, number: str) -> None:
    """Note the 文号 of the request's 呈批表 (issued by the documents register)."""
    ApprovalRequest.objects.filter(pk=request.pk).update(document_number=number)
    request.document_number = number
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=request,
        summary=f"呈批表编号：{number}",
        changes={"document_number": number},
    )
