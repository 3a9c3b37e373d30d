"""The audit trail: append a row (hash-chained) and verify the chain.

Service functions call :func:`audit_record` inside their own transaction, so a write and
its audit row are committed together or not at all.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from jiandu.core.choices import AuditAction
from jiandu.core.db import insert_rows
from jiandu.core.middleware import current_ip
from jiandu.core.models import AuditChainHead, AuditLog

GENESIS_HASH = "0" * 64


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str)
    return str(value)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_json_default)


def _row_digest(row: AuditLog) -> str:
    payload = canonical_json(
        {
            "sequence": row.sequence,
            "at": row.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor_id": row.actor_id,
            "actor_name": row.actor_name,
            "action": row.action,
            "object_type": row.object_type,
            "object_id": row.object_id,
            "object_repr": row.object_repr,
            "summary": row.summary,
            "changes": row.changes,
            "ip_address": row.ip_address,
            "previous_hash": row.previous_hash,
        }
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _new_row(
    *,
    sequence: int,
    previous_hash: str,
    at: dt.datetime,
    actor: Any,
    action: str,
    obj: models.Model | None,
    object_type: str,
    object_id: str,
    summary: str,
    changes: dict[str, Any] | None,
    ip_address: str | None,
    object_repr: str = "",
) -> AuditLog:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor_obj = actor if getattr(actor, "pk", None) else None
    row = AuditLog(
        sequence=sequence,
        at=at,
        actor=actor_obj,
        actor_name=getattr(actor_obj, "username", "") if actor_obj else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        summary=summary[:300],
        changes=json.loads(canonical_json(changes or {})),
        ip_address=ip_address if ip_address is not None else (current_ip() or ""),
        previous_hash=previous_hash,
    )
    row.row_hash = _row_digest(row)
    return row


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    changes: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditLog:
    """Append one audit row. ``actor`` may be None (a failed login by an unknown name
    is recorded with ``changes['username']``)."""
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        row = _new_row(
            sequence=head.last_sequence + 1,
            previous_hash=head.last_hash,
            at=timezone.now(),
            actor=actor,
            action=action,
            obj=obj,
            object_type=object_type,
            object_id=object_id,
            summary=summary,
            changes=changes,
            ip_address=ip_address,
        )
        row.save()
        head.last_sequence = row.sequence
        head.last_hash = row.row_hash
        head.save(update_fields=["last_sequence", "last_hash"])
    return row


def audit_record_many(entries: list[dict[str, Any]], *, batch_size: int = 2000) -> int:
    """Append one audit row per entry (the keyword arguments of :func:`audit_record`, and
    ``object_repr`` when the caller has it at hand),
    chained in the order given, with one insert per ``batch_size`` rows: for writers of
    thousands of records in one transaction (the demo builder). Returns the row count."""
    if not entries:
        return 0
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        sequence, previous = head.last_sequence, head.last_hash
        now = timezone.now()
        rows: list[AuditLog] = []
        for entry in entries:
            sequence += 1
            row = _new_row(
                sequence=sequence,
                previous_hash=previous,
                at=now,
                actor=entry.get("actor"),
                action=entry["action"],
                obj=entry.get("obj"),
                object_type=entry.get("object_type", ""),
                object_id=entry.get("object_id", ""),
                summary=entry.get("summary", ""),
                changes=entry.get("changes"),
                ip_address=entry.get("ip_address"),
                object_repr=entry.get("object_repr", ""),
            )
            previous = row.row_hash
            rows.append(row)
        insert_rows(AuditLog, rows, batch_size=batch_size)
        head.last_sequence = sequence
        head.last_hash = previous
        head.save(update_fields=["last_sequence", "last_hash"])
    return len(rows)


def model_snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Field values for the before/after of an audited write (protected fields left
    out: the audit log must not become a second copy of what it protects)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if getattr(field, "protected", False):
            continue
        data[field.name] = field.value_from_object(obj)
    return json.loads(canonical_json(data))


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    keys = sorted(set(before) | set(after))
    return {
        k: {"before": before.get(k), "after": after.get(k)}
        for k in keys
        if before.get(k) != after.get(k)
    }


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    rows_checked: int
    first_broken_sequence: int | None = None
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows_checked": self.rows_checked,
            "first_broken_sequence": self.first_broken_sequence,
            "reason": self.reason,
        }


def audit_verify(*, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order; report the first row whose link or content is wrong."""
    previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    rows = AuditLog.objects.order_by("sequence").iterator(chunk_size=batch_size)
    for row in rows:
        if row.sequence != expected_sequence:
            return ChainReport(
                False, checked, expected_sequence, f"缺少序号为{expected_sequence}的审计记录"
            )
        if row.previous_hash != previous:
            return ChainReport(False, checked, row.sequence, "与上一条记录的哈希链接不一致")
        if _row_digest(row) != row.row_hash:
            return ChainReport(False, checked, row.sequence, "记录内容与其哈希不符（可能被篡改）")
        previous = row.row_hash
        expected_sequence += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_sequence != checked:
        return ChainReport(
            False,
            checked,
            checked + 1,
            f"链头记录的最后序号为{head.last_sequence}，但只找到{checked}条",
        )
    return ChainReport(True, checked)


__all__ = [
    "AuditAction",
    "audit_record",
    "audit_record_many",
    "audit_verify",
    "diff",
    "model_snapshot",
]


def audit_log_list(
    *,
    user: Any,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> models.QuerySet[AuditLog]:
    """The audit log as its reader sees it, newest first: the whole chain for holders of
    ``core.view_auditlog`` (the 审计管理员), nothing for anyone else. The log has no
    jurisdiction of its own: reading it is the audit administrator's separate duty."""
    if not user.has_perm("core.view_auditlog"):
        return AuditLog.objects.none()
    qs = AuditLog.objects.all()
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_name=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if start:
        qs = qs.filter(at__date__gte=start)
    if end:
        qs = qs.filter(at__date__lte=end)
    return qs.order_by("-sequence")
