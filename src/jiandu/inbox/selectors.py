"""Reads of the inbox: a user's own messages (anybody else's do not exist for them),
the header's unread count, and who receives a message about a unit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from jiandu.core.access import get_or_404
from jiandu.inbox.models import Message

# The header shows "99+" beyond this: the count stops reading there.
UNREAD_COUNT_CAP = 99


def message_list(*, user: Any, unread_only: bool = False) -> QuerySet[Message]:
    """The user's messages, unread first, newest first."""
    if not getattr(user, "pk", None):
        return Message.objects.none()
    qs = Message.objects.filter(recipient_id=user.pk)
    if unread_only:
        qs = qs.filter(unread=True)
    return qs.order_by("-unread", "-id")


def message_get(*, user: Any, pk: int) -> Message:
    return get_or_404(message_list(user=user), pk=pk)


def unread_count(*, user: Any) -> int:
    """Unread messages, counted up to :data:`UNREAD_COUNT_CAP` + 1 on the
    (recipient, unread, id) index: one cheap query whatever the inbox's size."""
    if not getattr(user, "pk", None):
        return 0
    ids = Message.objects.filter(recipient_id=user.pk, unread=True).values("id")
    return ids[: UNREAD_COUNT_CAP + 1].count()


def acting_holders(perm: str) -> list[tuple[int, int]]:
    """(org id, user id) of every active user holding ``perm`` (through a role or
    directly), once for the user's own org and once more for the commission an office
    acts for (ADR 0009) — the orgs ``oversight.selectors.acting_org_ids`` gives. A
    message about a unit goes to the users whose pairs name it."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user_model = get_user_model()
    app_label, codename = perm.split(".", 1)
    perm_ids = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).values("pk")
    holders = Q(
        pk__in=user_model.groups.through.objects.filter(group__permissions__in=perm_ids).values(
            "user_id"
        )
    ) | Q(
        pk__in=user_model.user_permissions.through.objects.filter(permission__in=perm_ids).values(
            "user_id"
        )
    )
    rows = (
        user_model.objects.filter(holders, is_active=True, org__isnull=False)
        .values_list("pk", "org_id", "org__acts_for_commission", "org__parent_id")
        .order_by("pk")
    )
    pairs: list[tuple[int, int]] = []
    for user_id, org_id, acts_for, parent_id in rows:
        pairs.append((org_id, user_id))
        if acts_for and parent_id:
            pairs.append((parent_id, user_id))
    return pairs


def recipients(*, perm: str, org_ids: Iterable[int], exclude: Iterable[int] = ()) -> list[int]:
    """Ids of the users acting for any of ``org_ids`` with ``perm``, ascending."""
    wanted = set(org_ids)
    skip = set(exclude)
    return sorted(
        {user for org, user in acting_holders(perm) if org in wanted and user not in skip}
    )
