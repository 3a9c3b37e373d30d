"""API of the core: who am I, a background task's progress, and the audit log (for the
audit administrator only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router

from jiandu.core.access import require_perm
from jiandu.core.audit import audit_log_list, audit_verify
from jiandu.core.choices import AuditAction
from jiandu.core.schemas import (
    ERRORS,
    AuditPageOut,
    AuditVerifyOut,
    CursorPageQuery,
    Date,
    ErrorOut,
    MeOut,
    TaskOut,
)
from jiandu.core.tasks import task_get

router = Router(tags=["系统"])


@router.get("/me", response={200: MeOut, 401: ErrorOut, 500: ErrorOut}, summary="当前用户")
def me(request: HttpRequest):
    """The signed-in user (or the token's user): org, roles and permission codenames."""
    user: Any = request.user  # authenticated: anonymous requests got 401
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "display_name": user.display_name,
        "title": user.title,
        "org": user.org,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "permissions": sorted(user.get_all_permissions()),
    }


@router.get("/tasks/{int:task_id}", response={200: TaskOut, **ERRORS}, summary="后台任务进度")
def task_detail(request: HttpRequest, task_id: int):
    return task_get(user=request.user, pk=task_id)


class AuditQuery(CursorPageQuery):
    action: AuditAction | None = None
    actor: str = Field("", description="操作人账号")
    object_type: str = Field("", description="对象类型，如 clues.clue")
    object_id: str = ""
    start: Date | None = Field(None, description="起始日期（含）")
    end: Date | None = Field(None, description="截止日期（含）")


@router.get("/audit", response={200: AuditPageOut, **ERRORS}, summary="审计日志")
def audit_list(request: HttpRequest, query: Query[AuditQuery]):
    """Newest first, keyset-paged by sequence; for holders of ``core.view_auditlog``."""
    require_perm(request, "core.view_auditlog")
    qs = audit_log_list(
        user=request.user,
        action=query.action or "",
        actor=query.actor.strip(),
        object_type=query.object_type.strip(),
        object_id=query.object_id.strip(),
        start=query.start,
        end=query.end,
    )
    if query.after:
        try:
            qs = qs.filter(sequence__lt=int(query.after))
        except ValueError:
            raise ValidationError({"after": "分页游标无效"}) from None
    rows = list(qs[: query.limit + 1])
    next_cursor = str(rows[query.limit - 1].sequence) if len(rows) > query.limit else None
    return {"items": rows[: query.limit], "next_cursor": next_cursor}


@router.post("/audit/verify", response={200: AuditVerifyOut, **ERRORS}, summary="校验审计哈希链")
def audit_chain_verify(request: HttpRequest):
    """Walk the whole hash chain and report the first broken row, if any."""
    require_perm(request, "core.view_auditlog")
    return audit_verify().as_dict()
