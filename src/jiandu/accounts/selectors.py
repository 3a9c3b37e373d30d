"""Reads on accounts: personal API tokens, and what the three administrators read
(accounts, lock-outs, sign-in history)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jiandu.accounts.models import ApiToken, User
from jiandu.core.access import get_or_404, jurisdiction_org_ids
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog
from jiandu.orgs.models import Org


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first (revoked and expired ones included)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_get(*, user: User, pk: int) -> ApiToken:
    """One of the user's own tokens; anyone else's is a 404."""
    return get_object_or_404(api_token_list(user=user), pk=pk)


# --- user administration (三员分立) -------------------------------------------------

SIGNIN_ACTIONS = (AuditAction.LOGIN, AuditAction.LOGIN_FAILED, AuditAction.LOGOUT)


def manageable_orgs(*, user: Any) -> QuerySet[Org]:
    """The active units whose accounts ``user`` administers: the jurisdiction (the
    installation superuser, who has no unit yet, administers every unit)."""
    qs = Org.objects.filter(archived_at__isnull=True)
    if not getattr(user, "is_superuser", False):
        qs = qs.filter(pk__in=jurisdiction_org_ids(user))
    return qs.order_by("path")


def _sees_unplaced(user: Any) -> bool:
    """Accounts without a unit (the installation superuser) belong to the top of the
    tree: administrators of a top-level unit see them."""
    if getattr(user, "is_superuser", False):
        return True
    org_id = getattr(user, "org_id", None)
    return org_id is not None and Org.objects.filter(pk=org_id, parent__isnull=True).exists()


def user_list(
    *,
    user: Any,
    query: str = "",
    org: Org | None = None,
    active: bool | None = None,
    role: str = "",
) -> QuerySet[User]:
    """Accounts the administrator ``user`` may administer, by unit then user name:
    those of units in the jurisdiction (whole subtree of ``org`` when given)."""
    if getattr(user, "is_superuser", False):
        qs = User.objects.all()
    else:
        scope = Q(org__in=jurisdiction_org_ids(user))
        if _sees_unplaced(user):
            scope |= Q(org__isnull=True)
        qs = User.objects.filter(scope)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if query:
        qs = qs.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    if active is not None:
        qs = qs.filter(is_active=active)
    if role:
        qs = qs.filter(groups__name=role)
    return qs.select_related("org").prefetch_related("groups").order_by("org__path", "username")


def user_get(*, user: Any, pk: int) -> User:
    """One administered account; any other is a 404."""
    return get_or_404(user_list(user=user), pk=pk)


def org_path_names(orgs: list[Org]) -> dict[int, str]:
    """Each org's full name along the tree ("昆明市纪委监委 › 五华区纪委监委"), one query."""
    ancestor_ids = {a for o in orgs for a in o.ancestor_ids()}
    names = dict(Org.objects.filter(pk__in=ancestor_ids).values_list("pk", "name"))
    result = {}
    for o in orgs:
        chain = [names.get(a, "") for a in o.ancestor_ids() if a != o.pk]
        result[o.pk] = " › ".join([n for n in chain if n] + [o.name])
    return result


def org_search(*, user: Any, query: str, limit: int = 20) -> list[tuple[Org, str]]:
    """Units to place an account in, matching ``query`` by name or short name, each with
    its full path along the tree."""
    query = (query or "").strip()
    if not query:
        return []
    orgs = list(
        manageable_orgs(user=user).filter(
            Q(name__icontains=query) | Q(short_name__icontains=query)
        )[:limit]
    )
    paths = org_path_names(orgs)
    return [(o, paths[o.pk]) for o in orgs]


def user_is_locked(*, username: str, now: dt.datetime | None = None) -> bool:
    return any(row["locked"] for row in lockout_rows(usernames=[username], now=now))


def lockout_rows(
    *, usernames: list[str] | None = None, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Failed sign-in counters still in force (django-axes attempts within the cool-off
    period), newest first: user name, address, failures, last attempt, whether the
    name is locked out from that address and until when."""
    from axes.models import AccessAttempt

    now = now or timezone.now()
    limit = settings.AXES_FAILURE_LIMIT
    cool_off = dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    qs = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off, failures_since_start__gt=0)
    if usernames is not None:
        qs = qs.filter(username__in=usernames)
    rows = []
    for attempt in qs.order_by("-attempt_time"):
        rows.append(
            {
                "username": attempt.username or "",
                "ip_address": attempt.ip_address or "",
                "failures": attempt.failures_since_start,
                "last_attempt": attempt.attempt_time,
                "locked": attempt.failures_since_start >= limit,
                "until": attempt.attempt_time + cool_off,
            }
        )
    return rows


def lockout_list(*, user: Any, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Lock-outs and failure counters the 安全管理员 ``user`` watches: of the accounts
    they administer, and of names that match no account (guessing); each row carries
    its account (or None)."""
    rows = lockout_rows(now=now)
    names = {row["username"] for row in rows}
    existing = {u.username: u for u in User.objects.filter(username__in=names)}
    managed = set(
        user_list(user=user).filter(username__in=names).values_list("username", flat=True)
    )
    visible = []
    for row in rows:
        account = existing.get(row["username"])
        if account is None or account.username in managed:
            visible.append({**row, "user": account})
    visible.sort(key=lambda r: (not r["locked"], -r["last_attempt"].timestamp()))
    return visible


def signin_list(
    *,
    user: Any,
    username: str = "",
    action: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[AuditLog]:
    """Sign-in history (logins, failed logins, logouts from the audit log), newest
    first: of the administered accounts, plus failed attempts (recorded by the name
    typed, whoever it belongs to)."""
    if not user.has_perm("accounts.view_signin"):
        return AuditLog.objects.none()
    qs = AuditLog.objects.filter(action__in=SIGNIN_ACTIONS)
    qs = qs.filter(
        Q(action=AuditAction.LOGIN_FAILED) | Q(actor__in=user_list(user=user).values("pk"))
    )
    if action:
        qs = qs.filter(action=action)
    if username:
        qs = qs.filter(
            Q(actor_name=username) | Q(action=AuditAction.LOGIN_FAILED, changes__username=username)
        )
    if start:
        qs = qs.filter(at__date__gte=start)
    if end:
        qs = qs.filter(at__date__lte=end)
    return qs.order_by("-sequence")
