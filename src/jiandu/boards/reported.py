"""Figures the units report themselves: the .xlsx template per board and month, and its
import — all or nothing, every problem named by row and column.

The template and the reader are built from the same sheet spec with the Excel import
framework of :mod:`jiandu.imports.importers` (header checks, cell parsers, row errors,
instructions sheet). One row per unit: the unit's name, then one column per value slot
of each reported indicator (a compound indicator has one per component). A user fills
in, and may upload, only rows of units within their jurisdiction.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from jiandu.boards import compute, ranking
from jiandu.boards.models import Board, ReportedUpload, ReportedValue
from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.imports.importers import (
    CellError,
    Column,
    ImportContext,
    ImportKind,
    ParsedRow,
    RowError,
    Rows,
    SheetSpec,
    cell_text,
    check_size,
    parse_rows,
    read_workbook,
    sort_errors,
    squeeze,
)
from jiandu.imports.templates_xlsx import build_template

UNIT_HEADER = "单位"
_SHEET_MONTH = re.compile(r"^(\d{4})年(\d{1,2})月填报$")
MAX_VALUE = Decimal("999999999999")


def sheet_title(month: str) -> str:
    return f"{ranking.month_label(month)}填报"


def slot_header(column: compute.Column, slot: dict[str, Any]) -> str:
    if slot["key"] is None:
        return f"{column.name}（{column.unit}）" if column.unit else column.name
    unit = f"（{slot['unit']}）" if slot.get("unit") else ""
    return f"{column.name}·{slot['name']}{unit}"


def slot_key(column: compute.Column, slot: dict[str, Any]) -> str:
    return column.key + (f".{slot['key']}" if slot["key"] else "")


def _number(value: Any, ctx: ImportContext) -> Decimal:
    if isinstance(value, bool):
        raise CellError(f"应为数字，实际为“{cell_text(value)}”")
    try:
        number = ranking.to_decimal(value if not isinstance(value, str) else value.strip())
    except ValueError:
        raise CellError(f"应为不小于0的数字，实际为“{cell_text(value)}”") from None
    if number < 0:
        raise CellError(f"不能为负数，实际为{cell_text(value)}")
    if number > MAX_VALUE:
        raise CellError("数值过大")
    if number != number.quantize(Decimal("0.01")):
        raise CellError("最多保留两位小数")
    return number.quantize(Decimal("0.01"))


class ReportedKind(ImportKind):
    """The reported figures of one board and month, as an import kind."""

    key = "boards.reported"
    permission = "boards.view_board"

    def __init__(
        self,
        *,
        board: Board,
        month: str,
        columns: Sequence[compute.Column],
        units: Sequence[compute.BoardUnit],
        allowed: frozenset[int],
    ) -> None:
        self.board = board
        self.month = month
        self.units = list(units)
        self.allowed = allowed
        self.reported = [c for c in columns if not c.is_computed]
        self._by_name: dict[str, compute.BoardUnit] = {}
        for unit in self.units:
            self._by_name.setdefault(squeeze(unit.name), unit)
        permitted = tuple(u.name for u in self.units if u.org_id in allowed)
        value_columns = tuple(
            Column(
                slot_header(column, slot),
                slot_key(column, slot),
                _number,
                required=True,
                help=f"{ranking.month_label(month)}的数值，不小于0的数字，最多两位小数",
                example="3",
                width=18,
            )
            for column in self.reported
            for slot in column.slots
        )
        label = f"{board.title}{ranking.month_label(month)}填报数据"
        unit_column = Column(
            UNIT_HEADER,
            "unit",
            self._unit,
            required=True,
            help="本榜的参评单位，从下拉列表选择；每个单位一行",
            example=permitted[0] if permitted else "",
            choices=permitted,
            width=30,
        )
        notes = (
            f"本模板用于“{board.title}”{ranking.month_label(month)}由单位填报的指标；"
            "按案件记录自动计算的指标不在此填报。",
            "同一单位、同一月份再次上传时，以最后一次上传的数据为准；"
            "已结账的月份须重新结账后才会采用新数据。",
        )
        # The import framework declares these per kind (class variables); a kind of one
        # board and month sets them on the instance.
        for name, value in {
            "label": label,
            "description": label,
            "sheets": (SheetSpec(sheet_title(month), (unit_column, *value_columns)),),
            "notes": notes,
        }.items():
            setattr(self, name, value)

    def _unit(self, value: Any, ctx: ImportContext) -> compute.BoardUnit:
        name = cell_text(value)
        unit = self._by_name.get(squeeze(name))
        if unit is None:
            raise CellError(f"“{name}”不是本榜的参评单位")
        if unit.org_id not in self.allowed:
            raise CellError(f"您无权填报“{unit.name}”的数据（不在您的管辖范围内）")
        return unit

    def file_checks(self, rows: Rows, ctx: ImportContext) -> list[RowError]:
        errors: list[RowError] = []
        first: dict[str, int] = {}
        for row in rows.get(self.sheets[0].title, []):
            unit = row.values.get("unit")
            if unit is None:
                continue
            if unit.key in first:
                errors.append(
                    RowError(
                        row.sheet,
                        row.number,
                        UNIT_HEADER,
                        f"“{unit.name}”重复（与第{first[unit.key]}行重复）",
                    )
                )
            else:
                first[unit.key] = row.number
        return errors

    def write(self, rows: Rows, ctx: ImportContext, writer: Any) -> None:  # pragma: no cover
        raise NotImplementedError("填报数据由 reported_import 写入")


def _kind(*, actor: Any, board: Board, month: str) -> ReportedKind:
    columns = compute.board_columns(board)
    if all(c.is_computed for c in columns):
        raise ValidationError("该多色榜的指标都按案件记录自动计算，没有需要单位填报的指标")
    units = compute.board_units(board)
    return ReportedKind(
        board=board,
        month=month,
        columns=columns,
        units=units,
        allowed=jurisdiction_org_ids(actor),
    )


def reported_template(*, actor: Any, board: Board, month: str) -> bytes:
    """The template of a board and month, one row per unit the user may report for."""
    kind = _kind(actor=actor, board=board, month=month)
    data = build_template(kind, user=actor)
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[kind.sheets[0].title]
    permitted = [u for u in kind.units if u.org_id in kind.allowed]
    for row, unit in enumerate(permitted, start=2):
        sheet.cell(row=row, column=1, value=unit.name)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class ReportedImportResult:
    """``ok`` with the stored upload, or the problems (nothing stored)."""

    filename: str
    ok: bool = False
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    upload: ReportedUpload | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "ok": self.ok,
            "rows": self.rows,
            "errors": [e.as_dict() for e in self.errors],
            "upload_id": self.upload.pk if self.upload else None,
        }


def _wrong_month(data: bytes, month: str) -> str:
    """The month a file's data sheet names when it is not ``month`` (a template of
    another month uploaded by mistake)."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # unreadable files are reported by read_workbook
        return ""
    try:
        names = workbook.sheetnames
    finally:
        workbook.close()
    if sheet_title(month) in names:
        return ""
    for name in names:
        match = _SHEET_MONTH.match(name)
        if match:
            return f"{int(match.group(1))}年{int(match.group(2))}月"
    return ""


def reported_import(
    *, actor: Any, board: Board, month: str, filename: str, data: bytes
) -> ReportedImportResult:
    """Import a filled-in template: every cell is checked first; only a file without a
    single problem is stored (the file, then one value per unit and slot), in one
    transaction, with one IMPORT audit row."""
    month = ranking.parse_month(month)
    kind = _kind(actor=actor, board=board, month=month)
    title = kind.sheets[0].title
    result = ReportedImportResult(filename=filename)
    refusal = check_size(len(data))
    if refusal:
        result.errors = [RowError(title, None, "", refusal)]
        return result
    other = _wrong_month(data, month)
    if other:
        result.errors = [
            RowError(
                title,
                None,
                "",
                f"文件是{other}的填报模板，与所选月份{ranking.month_label(month)}不一致；"
                "请选择正确的月份，或下载该月模板重新填写",
            )
        ]
        return result
    sheets, errors = read_workbook(kind, data)
    result.rows = sum(len(s.rows) for s in sheets)
    if not errors and result.rows == 0:
        errors = [RowError(title, None, "", "文件中没有数据行（从第2行起每个单位一行）")]
    if not errors:
        rows, errors = parse_rows(kind, sheets, ImportContext(actor))
    if errors:
        result.errors = sort_errors(kind, errors)
        return result
    result.upload = _store(actor=actor, kind=kind, filename=filename, data=data, rows=rows[title])
    result.ok = True
    return result


@transaction.atomic
def _store(
    *, actor: Any, kind: ReportedKind, filename: str, data: bytes, rows: list[ParsedRow]
) -> ReportedUpload:
    digest = hashlib.sha256(data).hexdigest()
    upload = ReportedUpload(
        board=kind.board,
        month=kind.month,
        original_name=filename[:200],
        size=len(data),
        sha256=digest,
        rows=len(rows),
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    upload.file.save(digest, ContentFile(data), save=False)
    upload.save()
    values = []
    for row in rows:
        unit = row.values["unit"]
        for column in kind.reported:
            for slot in column.slots:
                values.append(
                    ReportedValue(
                        upload=upload,
                        board=kind.board,
                        month=kind.month,
                        org_id=unit.org_id,
                        indicator_id=column.indicator_id,
                        component=slot["key"] or "",
                        value=row.values[slot_key(column, slot)],
                        row_number=row.number,
                    )
                )
    ReportedValue.objects.bulk_create(values)
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        obj=upload,
        summary=f"导入多色榜填报数据：{kind.board.title} {ranking.month_label(kind.month)}"
        f"（{filename}，{len(rows)}个单位）"[:300],
        changes={
            "board": kind.board.key,
            "month": kind.month,
            "filename": filename,
            "size": len(data),
            "sha256": digest,
            "units": [row.values["unit"].org_id for row in rows],
        },
    )
    return upload
