"""Authentication events go into the audit log (a framework event, not business logic)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.middleware import client_ip


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(
        actor=user,
        action=AuditAction.LOGIN,
        obj=user,
        summary="登录成功",
        ip_address=client_ip(request) if request else "",
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    audit_record(
        actor=user,
        action=AuditAction.LOGOUT,
        obj=user,
        summary="退出登录",
        ip_address=client_ip(request) if request else "",
    )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        summary="登录失败",
        changes={"username": str(credentials.get("username", ""))[:150]},
        ip_address=client_ip(request) if request else "",
    )
