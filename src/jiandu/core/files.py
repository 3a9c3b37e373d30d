"""Uploaded files kept by content hash (a petition's or clue's attachments, a problem's
rectification material, an interview's files): one size limit, one way of storing,
one audit row. Each app keeps its own file model; the models share the fields filled
here (``file``, ``original_name``, ``content_type``, ``size``, ``sha256``,
``uploaded_by``, ``uploaded_at``)."""

from __future__ import annotations

import hashlib
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Model
from django.utils import timezone

from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction

F = TypeVar("F", bound=Model)


def upload_size_check(*, name: str, data: bytes, what: str = "附件") -> None:
    """Refuse a file over ``JIANDU_MAX_UPLOAD_BYTES``, naming it (``what`` is how the
    page calls it: 附件, 材料, 文件)."""
    limit = settings.JIANDU_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise ValidationError({"file": f"{what}“{name}”超过大小上限（{limit // (1024 * 1024)}MB）"})


def stored_file_add(
    record: F,
    *,
    actor: Any,
    name: str,
    data: bytes,
    content_type: str = "",
    what: str = "附件",
    summary: str = "",
    changes: dict[str, Any] | None = None,
    audited: bool = True,
) -> F:
    """Store ``data`` under its SHA-256 as the file of ``record`` (an unsaved row of a
    file model, its owner already set), fill the shared fields and save it; with
    ``audited``, one audit row with ``changes`` plus the size and hash. Called inside the
    caller's transaction."""
    upload_size_check(name=name, data=data, what=what)
    digest = hashlib.sha256(data).hexdigest()
    row: Any = record
    row.original_name = name[:200]
    row.content_type = content_type[:100]
    row.size = len(data)
    row.sha256 = digest
    row.uploaded_by = actor
    row.uploaded_at = timezone.now()
    row.file.save(digest, ContentFile(data), save=False)
    row.save()
    if audited:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=record,
            summary=summary,
            changes={**(changes or {}), "size": len(data), "sha256": digest},
        )
    return record
