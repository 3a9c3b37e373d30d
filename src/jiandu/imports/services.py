"""Importing an Excel file: all or nothing.

The whole file is read and checked first (headers, every cell, references within the
actor's jurisdiction, checks across rows). Only a file without a single problem is
written, in one transaction, row by row through the same service functions the pages
use, so each record is validated and audited as if entered by hand; a refusal by a
service on any row rolls the whole file back. A kind whose files run to tens of
thousands of rows (党员干部, 任职, 组织机构) builds and checks every record first and writes
them ahead into a stage nobody sees (``ImportKind.stage``), so that its transaction only
publishes them, in one statement per table (ADR 0010). A successful import adds one IMPORT audit
row naming the file, its kind, its size and hash, and what it created.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from jiandu.core.audit import StagedWrite, audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.db import collector_paused
from jiandu.imports.importers import (
    MAX_ROWS,
    ImportContext,
    RowError,
    Writer,
    check_size,
    parse_rows,
    read_workbook,
    sort_errors,
)
from jiandu.imports.kinds import CREATED_LABELS, KINDS, created_items
from jiandu.imports.selectors import import_find_previous


@dataclass
class ImportResult:
    """What an import did: ``ok`` with the created counts, or the problems found (with
    nothing written). ``references`` maps a clue's external number to its new number."""

    kind: str
    filename: str
    ok: bool
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)

    @classmethod
    def refused(cls, *, kind: str, filename: str, message: str, sheet: str = "") -> ImportResult:
        """A file refused as a whole (too large, not a workbook, already imported)."""
        return cls(
            kind=kind, filename=filename, ok=False, errors=[RowError(sheet, None, "", message)]
        )

    @property
    def created_items(self) -> list[tuple[str, int]]:
        return created_items(self.created)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "filename": self.filename,
            "ok": self.ok,
            "rows": self.rows,
            "errors": [error.as_dict() for error in self.errors],
            "created": dict(self.created),
            "references": dict(self.references),
        }


def import_file(
    *, actor: Any, kind: str, filename: str, data: bytes, max_rows: int = MAX_ROWS
) -> ImportResult:
    """Import one uploaded file of ``kind`` as ``actor`` (whose jurisdiction bounds every
    reference). Raises PermissionError when the actor may not import this kind."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ValueError(f"未知的导入类型“{kind}”")
    if not spec.permitted(actor):
        raise PermissionError(f"没有导入{spec.label}的权限")
    main_sheet = spec.sheets[0].title
    refusal = check_size(len(data))
    if refusal:
        return ImportResult.refused(kind=kind, filename=filename, message=refusal, sheet=main_sheet)
    digest = hashlib.sha256(data).hexdigest()
    previous = import_find_previous(kind=kind, sha256=digest)
    if previous is not None:
        when = timezone.localtime(previous.at).strftime("%Y-%m-%d %H:%M")
        return ImportResult.refused(
            kind=kind,
            filename=filename,
            sheet=main_sheet,
            message=f"同一文件已于{when}导入过（审计记录第{previous.sequence}号），"
            "为避免重复登记，不再导入",
        )

    sheets, errors = read_workbook(spec, data, max_rows=max_rows)
    rows_count = sum(len(sheet.rows) for sheet in sheets)
    result = ImportResult(kind=kind, filename=filename, ok=False, rows=rows_count)
    if errors:
        result.errors = sort_errors(spec, errors)
        return result
    if rows_count == 0:
        result.errors = [RowError(main_sheet, None, "", "文件中没有数据行（从第2行起填写）")]
        return result
    ctx = ImportContext(actor, filename=filename, sha256=digest)
    rows, errors = parse_rows(spec, sheets, ctx)
    errors.extend(RowError(main_sheet, None, "", m) for m in spec.permission_errors(actor, rows))
    if errors:
        result.errors = sort_errors(spec, errors)
        return result

    writer = Writer(actor)
    spec.prepare(rows, ctx, writer)  # outside the write transaction (the lock on SQLite)
    if writer.errors:
        result.errors = sort_errors(spec, writer.errors)
        return result
    with StagedWrite() as writer.staged:
        spec.stage(rows, ctx, writer)  # still outside it: rows nobody sees yet
        with collector_paused(), transaction.atomic():
            spec.write(rows, ctx, writer)
            if writer.errors:
                transaction.set_rollback(True)
                result.errors = sort_errors(spec, writer.errors)
                return result
            created = {key: writer.created[key] for key in CREATED_LABELS if writer.created[key]}
            audit_record(
                actor=actor,
                action=AuditAction.IMPORT,
                object_type=f"imports.{kind}",
                object_id=digest,
                summary=f"导入{spec.label}：{filename}（{rows_count}行）",
                changes={
                    "kind": kind,
                    "filename": filename,
                    "size": len(data),
                    "sha256": digest,
                    "rows": rows_count,
                    "created": created,
                    "references": writer.references,
                },
            )
    result.ok = True
    result.created = created
    result.references = writer.references
    return result
