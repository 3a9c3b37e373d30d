"""The unread count in the page header: lazy, so only pages that show the header read
it, with one bounded count query (``selectors.unread_count``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from jiandu.inbox.selectors import UNREAD_COUNT_CAP, unread_count


def inbox(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def label() -> str:
        count = unread_count(user=user)
        return f"{UNREAD_COUNT_CAP}+" if count > UNREAD_COUNT_CAP else str(count or "")

    return {"inbox_unread": SimpleLazyObject(label)}
