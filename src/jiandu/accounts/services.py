"""Writes on accounts: personal API tokens and password changes.

Each function is one transaction that also appends its audit row.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiandu.accounts.models import ApiToken, User
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction


def api_token_create(
    *, actor: User, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue a bearer token for ``actor``'s own machine clients.

    Returns the stored row and the token itself. Only the token's hash is stored: the
    caller shows the token once and it can never be read back.
    """
    name = (name or "").strip()
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "到期时间必须晚于当前时间。"})
    token_str = ApiToken.generate()
    token = ApiToken(
        user=actor,
        name=name,
        prefix=token_str[:8],
        token_hash=ApiToken.hash(token_str),
        expires_at=expires_at,
    )
    token.full_clean()
    with transaction.atomic():
        token.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=token,
            summary=f"创建API令牌“{token.name}”（前缀 {token.prefix}）",
            changes={"name": token.name, "prefix": token.prefix, "expires_at": expires_at},
        )
    return token, token_str


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once. Users revoke their own tokens; holders of
    ``accounts.change_apitoken`` (system administrators) may revoke anyone's."""
    if token.user_id != actor.pk and not actor.has_perm("accounts.change_apitoken"):
        raise PermissionDenied("只能吊销本人的API令牌。")
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            revoked = timezone.localtime(locked.revoked_at)
            raise ValidationError(f"令牌“{locked.name}”已于{revoked:%Y-%m-%d %H:%M}吊销。")
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=f"吊销API令牌“{locked.name}”（前缀 {locked.prefix}）",
            changes={"revoked_at": {"before": None, "after": locked.revoked_at}},
        )
    token.revoked_at = locked.revoked_at
    return locked


def user_password_change(*, actor: User, new_password: str) -> None:
    """Set ``actor``'s own password (already validated by the form)."""
    with transaction.atomic():
        actor.set_password(new_password)
        actor.save(update_fields=["password"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=actor, summary="修改登录密码")
