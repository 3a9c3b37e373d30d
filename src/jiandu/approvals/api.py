"""API of 呈批 (/api/v1/approvals/): list (待我审批 too), one request, sign, withdraw,
resubmit. Scoped as everywhere (404 outside the jurisdiction), every write audited by the
services; signing a step one may not sign is 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from jiandu.approvals import selectors, services
from jiandu.approvals.choices import RequestStatus
from jiandu.approvals.schemas import ReasonIn, RequestOut, RequestQuery, SignIn
from jiandu.approvals.selectors import request_data
from jiandu.core.access import require_perm
from jiandu.core.schemas import ERRORS, ERRORS_WITH_CONFLICT

router = Router(tags=["呈批"])
VIEW = "approvals.view_approvalrequest"


@router.get("", response={200: list[RequestOut], **ERRORS}, summary="呈批件列表（含待我审批）")
def list_requests(request: HttpRequest, query: Query[RequestQuery]):
    """The newest 200 requests in reach; ``awaiting=true`` lists only those whose current
    step the caller may sign."""
    require_perm(request, VIEW)
    if query.awaiting:
        rows = selectors.requests_awaiting(user=request.user)
    else:
        status = query.status or ""
        if status and status not in RequestStatus.values:
            raise HttpError(422, f"未知的状态“{status}”")
        rows = list(selectors.request_list(user=request.user, status=status)[:200])
    return [request_data(r) for r in rows]


@router.get("/{int:request_id}", response={200: RequestOut, **ERRORS}, summary="呈批件")
def get_request(request: HttpRequest, request_id: int):
    require_perm(request, VIEW)
    return request_data(selectors.request_get(user=request.user, pk=request_id))


def _denied(exc: PermissionDenied) -> HttpError:
    return HttpError(403, str(exc) or "没有权限")


@router.post(
    "/{int:request_id}/sign",
    response={200: RequestOut, **ERRORS_WITH_CONFLICT},
    summary="签批呈批件（同意或退回；最后一步同意后决定生效）",
)
def sign_request(request: HttpRequest, request_id: int, payload: SignIn):
    require_perm(request, VIEW)
    req = selectors.request_get(user=request.user, pk=request_id)
    try:
        req = services.request_sign(
            actor=request.user, request=req, approve=payload.approve, opinion=payload.opinion
        )
    except PermissionDenied as exc:
        raise _denied(exc) from exc
    return request_data(selectors.request_get(user=request.user, pk=req.pk))


@router.post(
    "/{int:request_id}/withdraw", response={200: RequestOut, **ERRORS}, summary="撤回呈批件"
)
def withdraw_request(request: HttpRequest, request_id: int, payload: ReasonIn):
    require_perm(request, VIEW)
    req = selectors.request_get(user=request.user, pk=request_id)
    try:
        services.request_withdraw(actor=request.user, request=req, reason=payload.reason)
    except PermissionDenied as exc:
        raise _denied(exc) from exc
    return request_data(selectors.request_get(user=request.user, pk=req.pk))


@router.post("/{int:request_id}/resubmit", response={200: RequestOut, **ERRORS}, summary="重新呈批")
def resubmit_request(request: HttpRequest, request_id: int, payload: ReasonIn):
    require_perm(request, VIEW)
    req = selectors.request_get(user=request.user, pk=request_id)
    try:
        services.request_resubmit(actor=request.user, request=req, reason=payload.reason)
    except PermissionDenied as exc:
        raise _denied(exc) from exc
    return request_data(selectors.request_get(user=request.user, pk=req.pk))
