"""Reads about past imports. An import leaves one IMPORT row in the audit log (kind in
``object_type``, the file's SHA-256 in ``object_id``); that row is the import's record."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog


def import_list(*, user: Any, limit: int = 10) -> QuerySet[AuditLog]:
    """The user's own most recent imports (newest first)."""
    return AuditLog.objects.filter(action=AuditAction.IMPORT, actor=user).order_by("-sequence")[
        :limit
    ]


def import_find_previous(*, kind: str, sha256: str) -> AuditLog | None:
    """An earlier successful import of the very same file as the same kind."""
    return (
        AuditLog.objects.filter(
            action=AuditAction.IMPORT, object_type=f"imports.{kind}", object_id=sha256
        )
        .order_by("sequence")
        .first()
    )
