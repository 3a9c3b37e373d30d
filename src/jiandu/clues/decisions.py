"""The clue and petition decisions that go through 呈批 (docs/user-guide/approvals.md).

Pages, the API and imports never apply a lifecycle action to a clue directly: they
submit a request (``clue_request_action``); the decision takes effect when the last step
of its route approves, through ``clue_apply_approved`` — the same ``clue_apply`` a
direct action used, with the approved payload. The kinds are registered with the
approvals app when Django starts (CluesConfig.ready), see ADR 0015.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jiandu.approvals import registry
from jiandu.approvals.choices import RequestStatus
from jiandu.approvals.models import ApprovalRequest
from jiandu.clues import lifecycle
from jiandu.clues.choices import ClueAction, Conclusion, DisposalMethod, PetitionAction
from jiandu.clues.models import Clue, Petition
from jiandu.orgs.choices import ACTED_FOR_KINDS
from jiandu.orgs.models import Org

TARGET_TYPE = "clues.clue"
# 呈批事项 of a clue: one per lifecycle action (分办 = 交办; 移送 = 提级查办 / 直查直办).
KIND_BY_ACTION: dict[str, str] = {
    ClueAction.DISPOSE: "clues.dispose",
    ClueAction.CHANGE_DISPOSAL: "clues.change_disposal",
    ClueAction.CLOSE: "clues.close",
    ClueAction.ESCALATE: "clues.escalate",
    ClueAction.DIRECT_HANDLE: "clues.direct_handle",
    ClueAction.ASSIGN_DOWN: "clues.assign_down",
    ClueAction.EXTEND: "clues.extend",
}
ACTION_BY_KIND = {kind: action for action, kind in KIND_BY_ACTION.items()}
KIND_LABELS: dict[str, str] = {
    "clues.dispose": "线索处置（选择处置方式）",
    "clues.change_disposal": "变更处置方式",
    "clues.close": "线索办结",
    "clues.escalate": "移送（提级查办）",
    "clues.direct_handle": "移送（直查直办）",
    "clues.assign_down": "分办（交办下级）",
    "clues.extend": "延期（办理期限）",
}


# Whose route a clue decision takes (docs/user-guide/approvals.md#审批流程与签批人): a
# decision within the handling unit's remit (处置, 变更处置方式, 办结, 延期, 交办) is the
# handling unit's, approved by its 室主任 and its commission's 分管领导 whoever drafts it —
# a 线索大起底 or 集体排查 of 案件监督管理室 included; taking a clue up (提级查办, 直查直办)
# is the upper commission's, along the route of the drafter's unit. A record the
# commission handles itself (a clue it took up) has no 室 of its own: its decisions go
# along the route of the drafter's office in that commission (see record_request_org).
DRAFTER_ROUTED_ACTIONS = frozenset({ClueAction.ESCALATE, ClueAction.DIRECT_HANDLE})


def record_request_org(*, actor: Any, handling_org: Org) -> Org:
    """The unit whose route a decision on a record handled by ``handling_org`` goes
    along: that unit, unless it is a commission itself (城市或县区纪委监委本级, such as
    a clue taken up by 提级查办) and the drafter works in one of its offices (室, 派驻组):
    then the drafter's office, whose 室主任 reviews before the commission's 分管领导."""
    from jiandu.approvals.services import commission_of

    office = getattr(actor, "org", None)
    if (
        office is None
        or office.pk == handling_org.pk
        or handling_org.kind not in ACTED_FOR_KINDS
        or commission_of(office).pk != handling_org.pk
    ):
        return handling_org
    return office


def clue_request_org(*, actor: Any, clue: Clue, action: str) -> Org:
    """The unit whose approval route a request of ``action`` on ``clue`` goes along."""
    if action in DRAFTER_ROUTED_ACTIONS and actor.org is not None:
        return actor.org
    return record_request_org(actor=actor, handling_org=clue.handling_org)


class _DryRun(Exception):
    pass


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _payload(action: str, data: dict[str, Any], clue: Clue | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {"action": action}
    for key in ("method", "note", "conclusion", "conclusion_text"):
        if key in data and data[key] is not None:
            payload[key] = data[key]
    if data.get("to_org") is not None:
        org = data["to_org"]
        payload["to_org"] = org.pk
        payload["to_org_name"] = str(org)
    if data.get("new_due") is not None:
        payload["new_due"] = data["new_due"].isoformat()
        if clue is not None and clue.due_date is not None:
            payload["due_before"] = clue.due_date.isoformat()
    return payload


def _service_data(payload: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in payload.items() if k not in ("action", "to_org_name", "due_before")}
    if "to_org" in data:
        data["to_org"] = Org.objects.get(pk=data["to_org"])
    if "new_due" in data:
        data["new_due"] = dt.date.fromisoformat(data["new_due"])
    return data


def _summary(clue: Clue, action: str, payload: dict[str, Any]) -> str:
    label = ClueAction(action).label
    if "method" in payload:
        detail = f"拟{_label(DisposalMethod, payload['method'])}"
    elif "conclusion" in payload:
        detail = f"结论：{_label(Conclusion, payload['conclusion'])}"
    elif "to_org_name" in payload:
        detail = f"至{payload['to_org_name']}"
    elif "new_due" in payload:
        detail = f"办理期限延至{payload['new_due']}"
    else:
        detail = ""
    return f"{label}：{clue.number} {clue.title} {detail}".strip()


def describe(payload: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [("办理动作", _label(ClueAction, payload.get("action", "")))]
    if payload.get("method"):
        rows.append(("处置方式", _label(DisposalMethod, payload["method"])))
    if payload.get("to_org_name"):
        rows.append(("目标单位", payload["to_org_name"]))
    if payload.get("new_due"):
        if payload.get("due_before"):
            rows.append(("原办理期限", payload["due_before"]))
        rows.append(("延期至", payload["new_due"]))
    if payload.get("conclusion"):
        rows.append(("办结结论", _label(Conclusion, payload["conclusion"])))
    if payload.get("conclusion_text"):
        rows.append(("办结情况", payload["conclusion_text"]))
    if payload.get("note"):
        rows.append(("理由", payload["note"]))
    return rows


def clue_request_action(
    *, actor: Any, clue: Clue, action: str, reason: str = "", source: str = "", **data: Any
) -> ApprovalRequest:
    """呈批 one lifecycle action on a clue. The action is checked now exactly as it would
    be applied (a dry run of ``clue_apply`` rolled back), so a request that could never
    take effect is refused at once with the same message; ``on_date`` is ignored — an
    approved decision takes effect on the day of the last approval. The request goes
    along the route of :func:`clue_request_org` (the clue's handling unit, whoever
    drafts it, but for 提级查办 / 直查直办 and for a clue the commission handles itself)."""
    # Imported here: the kinds are registered at start-up, the services load on use.
    from jiandu.approvals.services import request_submit
    from jiandu.clues.services import clue_apply

    kind = KIND_BY_ACTION.get(action)
    if kind is None:
        raise lifecycle.TransitionError(f"未知的线索办理动作“{action}”")
    data.pop("on_date", None)
    try:
        with transaction.atomic():
            clue_apply(actor=actor, clue=clue, action=action, **data)
            raise _DryRun
    except _DryRun:
        pass
    payload = _payload(action, data, clue)
    return request_submit(
        actor=actor,
        kind=kind,
        target_type=TARGET_TYPE,
        target_id=clue.pk,
        target_label=f"{clue.number} {clue.title}",
        org=clue_request_org(actor=actor, clue=clue, action=action),
        summary=_summary(clue, action, payload),
        payload=payload,
        reason=reason or str(data.get("note") or data.get("conclusion_text") or ""),
        source=source,
    )


def clue_apply_approved(*, actor: Any, request: ApprovalRequest) -> Clue:
    """Make an approved 呈批 take effect: the approved action through ``clue_apply``, as
    of today, in the 承办人's name, the timeline noting the approval."""
    # Imported here: the kinds are registered at start-up, the services load on use.
    from jiandu.clues.services import clue_apply

    if request.status != RequestStatus.APPROVED or request.target_type != TARGET_TYPE:
        raise ValidationError({"request": "只有已批准的线索呈批件才能生效"})
    clue = Clue.objects.get(pk=request.target_id)
    data = _service_data(request.payload)
    stamp = f"（经呈批批准，{request.document_number or f'呈批件 {request.pk}'}）"
    if "note" in data or request.payload["action"] != ClueAction.CLOSE:
        data["note"] = f"{data.get('note', '')}{stamp}".strip()
    # The day of the last approval (the decision took effect then).
    on_date: dt.date = timezone.localdate(request.decided_at or timezone.now())
    return clue_apply(
        actor=request.drafted_by,
        clue=clue,
        action=ACTION_BY_KIND[request.kind],
        on_date=on_date,
        **data,
    )


def _url(target_id: int) -> str:
    return reverse("clues:clue_detail", args=[target_id])


# --- petitions: 分办 (分流) of a 信访件 ------------------------------------------------

PETITION_TARGET_TYPE = "clues.petition"
PETITION_KIND_BY_ACTION: dict[str, str] = {
    PetitionAction.CONVERT: "petitions.convert",
    PetitionAction.ASSIGN: "petitions.assign",
    PetitionAction.TRANSFER: "petitions.transfer",
    PetitionAction.FILE: "petitions.file",
}
PETITION_ACTION_BY_KIND = {kind: action for action, kind in PETITION_KIND_BY_ACTION.items()}
PETITION_KIND_LABELS: dict[str, str] = {
    "petitions.convert": "信访件分办（转为问题线索）",
    "petitions.assign": "信访件分办（交办）",
    "petitions.transfer": "信访件分办（转办）",
    "petitions.file": "信访件分办（存档了结）",
}


def _org_ref(payload: dict[str, Any], key: str, org: Org | None) -> None:
    if org is not None:
        payload[key] = org.pk
        payload[f"{key}_name"] = str(org)


def _petition_payload(action: str, reason: str, data: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = {"action": action, "reason": reason.strip()}
    if data.get("title"):
        payload["title"] = str(data["title"]).strip()
    if data.get("transferred_to"):
        payload["transferred_to"] = str(data["transferred_to"]).strip()
    _org_ref(payload, "handling_org", data.get("handling_org"))
    _org_ref(payload, "to_org", data.get("to_org"))
    return payload


def _petition_data(payload: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        k: v for k, v in payload.items() if k in ("reason", "title", "transferred_to")
    }
    for key in ("handling_org", "to_org"):
        if payload.get(key) is not None:
            data[key] = Org.objects.get(pk=payload[key])
    return data


def _petition_summary(petition: Petition, action: str, payload: dict[str, Any]) -> str:
    label = PetitionAction(action).label
    if "to_org_name" in payload:
        detail = f"至{payload['to_org_name']}"
    elif "transferred_to" in payload:
        detail = f"至{payload['transferred_to']}"
    elif "handling_org_name" in payload:
        detail = f"（承办单位：{payload['handling_org_name']}）"
    else:
        detail = ""
    return f"{label}：{petition.number} {petition.title} {detail}".strip()


def describe_petition(payload: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [("分办方式", _label(PetitionAction, payload.get("action", "")))]
    if payload.get("title"):
        rows.append(("线索标题", payload["title"]))
    if payload.get("handling_org_name"):
        rows.append(("承办单位", payload["handling_org_name"]))
    if payload.get("to_org_name"):
        rows.append(("交办至", payload["to_org_name"]))
    if payload.get("transferred_to"):
        rows.append(("转办至", payload["transferred_to"]))
    if payload.get("reason"):
        rows.append(("理由", payload["reason"]))
    return rows


def petition_request_action(
    *, actor: Any, petition: Petition, action: str, reason: str, source: str = "", **data: Any
) -> ApprovalRequest:
    """呈批 one triage action (转为问题线索, 交办, 转办, 存档了结) on a petition: checked now
    by a rolled-back run of ``petition_apply`` (same messages as a direct action), then
    submitted along its route; ``on_date`` is ignored — an approved decision takes effect
    on the day of the last approval."""
    from jiandu.approvals.services import request_submit
    from jiandu.clues.services import petition_apply

    kind = PETITION_KIND_BY_ACTION.get(action)
    if kind is None:
        raise lifecycle.TransitionError(f"未知的信访件办理动作“{action}”")
    data.pop("on_date", None)
    try:
        with transaction.atomic():
            petition_apply(actor=actor, petition=petition, action=action, reason=reason, **data)
            raise _DryRun
    except _DryRun:
        pass
    payload = _petition_payload(action, reason, data)
    return request_submit(
        actor=actor,
        kind=kind,
        target_type=PETITION_TARGET_TYPE,
        target_id=petition.pk,
        target_label=f"{petition.number} {petition.title}",
        # The petition's handling unit's route, whoever drafts the 分办; for a petition
        # the commission handles itself, the drafter's office's (as a clue's).
        org=record_request_org(actor=actor, handling_org=petition.handling_org),
        summary=_petition_summary(petition, action, payload),
        payload=payload,
        reason=reason,
        source=source,
    )


def petition_apply_approved(*, actor: Any, request: ApprovalRequest) -> Petition | Clue:
    """Make an approved 分办 take effect: the approved action through ``petition_apply``,
    in the 承办人's name, the reason noting the approval; a clue converted now is received
    on the day of the last approval."""
    from jiandu.clues.services import petition_apply

    if request.status != RequestStatus.APPROVED or request.target_type != PETITION_TARGET_TYPE:
        raise ValidationError({"request": "只有已批准的信访件呈批件才能生效"})
    petition = Petition.objects.get(pk=request.target_id)
    data = _petition_data(request.payload)
    stamp = f"（经呈批批准，{request.document_number or f'呈批件 {request.pk}'}）"
    data["reason"] = f"{data.get('reason', '')}{stamp}"
    action = PETITION_ACTION_BY_KIND[request.kind]
    if action == PetitionAction.CONVERT:
        data["on_date"] = timezone.localdate(request.decided_at or timezone.now())
    return petition_apply(actor=request.drafted_by, petition=petition, action=action, **data)


def _petition_url(target_id: int) -> str:
    return reverse("clues:petition_detail", args=[target_id])


def register_kinds() -> None:
    for kind, label in KIND_LABELS.items():
        registry.register(
            registry.DecisionKind(
                key=kind,
                label=label,
                target_type=TARGET_TYPE,
                apply=clue_apply_approved,
                describe=describe,
                url=_url,
                refusals=(lifecycle.TransitionError,),
            )
        )
    for kind, label in PETITION_KIND_LABELS.items():
        registry.register(
            registry.DecisionKind(
                key=kind,
                label=label,
                target_type=PETITION_TARGET_TYPE,
                apply=petition_apply_approved,
                describe=describe_petition,
                url=_petition_url,
                refusals=(lifecycle.TransitionError,),
            )
        )


def _approval_rows(user: Any, target_type: str, target_id: int) -> list[dict[str, Any]]:
    from jiandu.approvals.selectors import requests_for_target, step_signers
    from jiandu.approvals.services import current_step

    if not user.has_perm("approvals.view_approvalrequest"):
        return []
    rows = []
    for request in requests_for_target(user=user, target_type=target_type, target_id=target_id):
        step = current_step(request)
        rows.append(
            {
                "request": request,
                "waiting_for": step.label if step else "",
                "signers": (
                    [u.display_name for u in step_signers(request=request, step=step)]
                    if step
                    else []
                ),
            }
        )
    return rows


def clue_approval_requests(user: Any, clue: Clue) -> list[dict[str, Any]]:
    """The clue's 呈批件 the user may see (newest first), each with where it stands."""
    return _approval_rows(user, TARGET_TYPE, clue.pk)


def petition_approval_requests(user: Any, petition: Petition) -> list[dict[str, Any]]:
    """The petition's 分办 呈批件 the user may see (newest first): the step it waits at
    and who may sign it."""
    return _approval_rows(user, PETITION_TARGET_TYPE, petition.pk)


def petition_pending_request(petition: Petition) -> ApprovalRequest | None:
    """The petition's 呈批件 under way, whoever may see it (one at a time)."""
    return ApprovalRequest.objects.filter(
        target_type=PETITION_TARGET_TYPE, target_id=petition.pk, status=RequestStatus.PENDING
    ).first()
