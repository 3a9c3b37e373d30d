"""The REST API (/api/v1/, OpenAPI at /api/v1/docs).

Two ways in, with the same jurisdiction scoping as the pages: the browser session
(CSRF-checked) and per-user bearer tokens for machine clients (``Authorization: Bearer
jd_…``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from jiandu.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user", "user__org")
            .filter(token_hash=ApiToken.hash(token))
            .first()
        )
        if row is None or not row.is_active or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


api = NinjaAPI(
    title="监督平台 API",
    version="1",
    description="纪检监察智慧监督平台接口。所有数据按当前用户的管辖范围过滤，范围外的记录返回404。",
    auth=[SessionAuth(), TokenAuth()],
    urls_namespace="api",
)


def require_perm(request: HttpRequest, perm: str) -> None:
    """Permission check for endpoints: 403 with the permission's name."""
    if not request.user.has_perm(perm):
        raise HttpError(403, f"没有权限：{perm}")


def _register_routers() -> None:
    from jiandu.boards.api import router as boards_router
    from jiandu.clues.api import router as clues_router
    from jiandu.core.api import router as core_router
    from jiandu.datacheck.api import router as datacheck_router
    from jiandu.orgs.api import router as orgs_router
    from jiandu.people.api import router as people_router

    api.add_router("/core/", core_router)
    api.add_router("/orgs/", orgs_router)
    api.add_router("/people/", people_router)
    api.add_router("/clues/", clues_router)
    api.add_router("/boards/", boards_router)
    api.add_router("/datacheck/", datacheck_router)


_register_routers()
