"""Framework events: authentication goes into the audit log, and changes to what decides
access (org tree, an office acting for its commission, supervision, roles, memberships)
renew the access stamp."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver

from jiandu.core.access import access_changed
from jiandu.core.choices import AuditAction


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    # Imported when a login happens: every command starts with this module loaded.
    from jiandu.core.audit import audit_record
    from jiandu.core.middleware import client_ip

    audit_record(
        actor=user,
        action=AuditAction.LOGIN,
        obj=user,
        summary="登录成功",
        ip_address=client_ip(request) if request else "",
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    from jiandu.core.audit import audit_record
    from jiandu.core.middleware import client_ip

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
    from jiandu.core.audit import audit_record
    from jiandu.core.middleware import client_ip

    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        summary="登录失败",
        changes={"username": str(credentials.get("username", ""))[:150]},
        ip_address=client_ip(request) if request else "",
    )


def _access_changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        access_changed()


def connect_access_signals() -> None:
    """Renew the access stamp on every change that can alter a jurisdiction or a
    permission set (bulk SQL bypasses signals: code doing that calls
    ``core.access.access_changed`` itself, as the demo builder does)."""
    org = apps.get_model("orgs", "Org")
    user = apps.get_model("accounts", "User")
    group = apps.get_model("auth", "Group")
    permission = apps.get_model("auth", "Permission")
    for model in (org, group, permission):
        post_save.connect(_access_changed, sender=model, dispatch_uid=f"access-save-{model}")
        post_delete.connect(_access_changed, sender=model, dispatch_uid=f"access-del-{model}")
    for through in (
        org.supervises.through,
        user.groups.through,
        user.user_permissions.through,
        group.permissions.through,
    ):
        m2m_changed.connect(_access_changed, sender=through, dispatch_uid=f"access-m2m-{through}")


def _analyze_sqlite(sender, using="default", plan=None, **kwargs):
    """After migrations changed a SQLite schema, refresh the planner's statistics: SQLite
    plans with the statistics of its last ANALYZE, and an index added since has none (a
    list page could then sort a million rows instead of walking an index). PostgreSQL's
    autovacuum does this by itself."""
    connection = connections[using]
    if plan and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _audit_head(sender, using="default", **kwargs):
    """A fresh (or flushed) database starts its audit chain with a signed head row."""
    from jiandu.core.audit import audit_head_create

    if using == "default":
        audit_head_create()


def connect_migrate_signals(app_config) -> None:
    post_migrate.connect(_analyze_sqlite, sender=app_config, dispatch_uid="analyze-sqlite")
    post_migrate.connect(_audit_head, sender=app_config, dispatch_uid="audit-chain-head")
