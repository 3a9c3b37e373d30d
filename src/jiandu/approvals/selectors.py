"""Reads of 呈批, always within the user's jurisdiction (404 outside)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jiandu.approvals import registry
from jiandu.approvals.choices import RequestStatus, SignerRole, StepDecision
from jiandu.approvals.models import ApprovalRequest, ApprovalStep
from jiandu.approvals.services import commission_of, current_step, may_sign
from jiandu.core.access import get_or_404


def request_list(*, user: Any, status: str = "") -> QuerySet[ApprovalRequest]:
    qs = ApprovalRequest.objects.restrict(user).select_related("org", "drafted_by__org")
    if status:
        qs = qs.filter(status=status)
    return qs


def request_get(*, user: Any, pk: int) -> ApprovalRequest:
    return get_or_404(request_list(user=user), pk=pk)


def request_steps(*, request: ApprovalRequest) -> list[ApprovalStep]:
    return list(request.steps.select_related("signer").order_by("round", "order"))


def requests_awaiting(*, user: Any, limit: int | None = None) -> list[ApprovalRequest]:
    """待我审批: requests under way whose current step this user may sign."""
    if not (
        user.has_perm("approvals.review_request") or user.has_perm("approvals.approve_request")
    ):
        return []
    pending = list(request_list(user=user, status=RequestStatus.PENDING).order_by("submitted_at"))
    if not pending:
        return []
    rounds = {r.pk: r.round for r in pending}
    waiting: dict[int, ApprovalStep] = {}
    for step in ApprovalStep.objects.filter(
        request__in=list(rounds), decision=StepDecision.WAITING
    ).order_by("order"):
        # Steps left unsigned in an earlier (returned) round are not waiting any more.
        if step.round == rounds[step.request_id]:
            waiting.setdefault(step.request_id, step)
    found = []
    for request in pending:
        current = waiting.get(request.pk)
        if current is not None and may_sign(user, request, current):
            current.request = request  # its org is loaded: the step's label reads it
            request.current = current  # type: ignore[attr-defined]
            found.append(request)
            if limit is not None and len(found) >= limit:
                break
    return found


def step_signers(*, request: ApprovalRequest, step: ApprovalStep) -> list[Any]:
    """Who may sign ``step`` now: the 室主任 (呈批审核) of the request's office, or the
    分管领导 (呈批审批) of its commission — never the drafter."""
    from django.contrib.auth import get_user_model

    org = request.org if step.signer_role == SignerRole.OFFICE_HEAD else commission_of(request.org)
    users = get_user_model().objects.filter(org=org, is_active=True).order_by("pk")
    return [u for u in users if may_sign(u, request, step)]


def requests_for_target(*, user: Any, target_type: str, target_id: int) -> list[ApprovalRequest]:
    return list(request_list(user=user).filter(target_type=target_type, target_id=target_id)[:20])


def requests_drafted(*, user: Any) -> QuerySet[ApprovalRequest]:
    return request_list(user=user).filter(drafted_by=user)


def request_data(request: ApprovalRequest) -> dict[str, Any]:
    """The API's shape of one request (approvals and clues endpoints share it)."""
    step = current_step(request)
    return {
        "id": request.pk,
        "kind": request.kind,
        "kind_label": registry.label(request.kind),
        "target_type": request.target_type,
        "target_id": request.target_id,
        "target_label": request.target_label,
        "org": str(request.org),
        "summary": request.summary,
        "details": [{"label": k, "value": v} for k, v in registry.describe(request)],
        "reason": request.reason,
        "status": request.status,
        "status_label": request.get_status_display(),
        "drafted_by": request.drafted_by.display_name,
        "drafted_by_org": str(request.drafted_by.org or ""),
        "source": (registry.describe_source(None, request.source) or ("", ""))[0],
        "submitted_at": request.submitted_at,
        "decided_at": request.decided_at,
        "waiting_for": step.label if step else "",
        "steps": [
            {
                "round": s.round,
                "order": s.order,
                "step": s.label,
                "signer": s.signer.display_name if s.signer else None,
                "decision": s.get_decision_display() if s.decision else "",
                "opinion": s.opinion,
                "signed_at": s.signed_at,
            }
            for s in request_steps(request=request)
        ],
    }
