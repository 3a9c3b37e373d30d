"""Values the departments report each month (县委办, 县府办, 组织部, 宣传部, 大督考专班,
信访局, 纪委监委): one .xlsx template per department and month — one row per unit, one
column per leaf the department reports — and its import, all or nothing, every problem
named by row and column (the Excel import framework of :mod:`jiandu.imports.importers`,
as the 多色榜's reported figures). The latest upload of a department and month counts.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from jiandu.boards.ranking.formats import parse_month, to_decimal
from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.ecoindex.choices import LeafSource
from jiandu.ecoindex.close import participants, tree_for_month
from jiandu.ecoindex.models import IndexNode, IndexTree, IndexUpload, IndexValue, month_label
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
from jiandu.orgs.models import Org

UNIT_HEADER = "单位"
MAX_VALUE = Decimal("999999999999")


def departments(tree: IndexTree) -> list[str]:
    seen: list[str] = []
    for node in tree.nodes.filter(source=LeafSource.REPORTED).order_by("level", "position", "pk"):
        if node.department not in seen:
            seen.append(node.department)
    return seen


def _number(value: Any, ctx: ImportContext) -> Decimal:
    if isinstance(value, bool):
        raise CellError(f"应为数字，实际为“{cell_text(value)}”")
    try:
        number = to_decimal(value if not isinstance(value, str) else value.strip())
    except ValueError:
        raise CellError(f"应为不小于0的数字，实际为“{cell_text(value)}”") from None
    if number < 0:
        raise CellError(f"不能为负数，实际为{cell_text(value)}")
    if number > MAX_VALUE:
        raise CellError("数值过大")
    if number != number.quantize(Decimal("0.01")):
        raise CellError("最多保留两位小数")
    return number.quantize(Decimal("0.01"))


def _header(leaf: IndexNode) -> str:
    return f"{leaf.name}（{leaf.unit}）" if leaf.unit else leaf.name


class IndexReportedKind(ImportKind):
    """The values one department reports for one month, as an import kind."""

    key = "ecoindex.reported"
    permission = "ecoindex.report_index"

    def __init__(
        self,
        *,
        tree: IndexTree,
        month: str,
        department: str,
        leaves: Sequence[IndexNode],
        units: Sequence[Org],
        allowed: frozenset[int],
    ) -> None:
        self.tree = tree
        self.month = month
        self.department = department
        self.leaves = list(leaves)
        self.units = list(units)
        self.allowed = allowed
        self._by_name: dict[str, Org] = {}
        for unit in self.units:
            self._by_name.setdefault(squeeze(unit.name), unit)
        permitted = tuple(u.name for u in self.units if u.pk in allowed)
        value_columns = tuple(
            Column(
                _header(leaf),
                leaf.key,
                _number,
                required=True,
                help=f"{month_label(month)}：{leaf.definition or leaf.name}；不小于0，最多两位小数",
                example="0",
                width=20,
            )
            for leaf in self.leaves
        )
        label = f"政治生态指数{month_label(month)}{department}填报数据"
        unit_column = Column(
            UNIT_HEADER, "unit", self._unit, required=True,
            help="参评单位，从下拉列表选择；每个单位一行",
            example=permitted[0] if permitted else "", choices=permitted, width=30,
        )  # fmt: skip
        notes = (
            f"本模板用于{department}填报政治生态指数{month_label(month)}的指标；"
            "按平台记录自动计算的指标不在此填报。",
            "同一部门、同一月份再次上传时，以最后一次上传的数据为准；"
            "已结账的月份须重新结账（写明原因）后才会采用新数据。",
        )
        for name, value in {
            "label": label,
            "description": label,
            "sheets": (
                SheetSpec(f"{month_label(month)}{department}", (unit_column, *value_columns)),
            ),
            "notes": notes,
        }.items():
            setattr(self, name, value)

    def _unit(self, value: Any, ctx: ImportContext) -> Org:
        name = cell_text(value)
        unit = self._by_name.get(squeeze(name))
        if unit is None:
            raise CellError(f"“{name}”不是参评单位")
        if unit.pk not in self.allowed:
            raise CellError(f"您无权填报“{unit.name}”的数据（不在您的管辖范围内）")
        return unit

    def file_checks(self, rows: Rows, ctx: ImportContext) -> list[RowError]:
        errors: list[RowError] = []
        first: dict[int, int] = {}
        for row in rows.get(self.sheets[0].title, []):
            unit = row.values.get("unit")
            if unit is None:
                continue
            if unit.pk in first:
                message = f"“{unit.name}”重复（与第{first[unit.pk]}行重复）"
                errors.append(RowError(row.sheet, row.number, UNIT_HEADER, message))
            else:
                first[unit.pk] = row.number
        return errors

    def write(self, rows: Rows, ctx: ImportContext, writer: Any) -> None:  # pragma: no cover
        raise NotImplementedError("填报数据由 reported_import 写入")


def reported_kind(*, actor: Any, month: str, department: str) -> IndexReportedKind:
    month = parse_month(month)
    tree = tree_for_month(month)
    leaves = list(
        tree.nodes.filter(source=LeafSource.REPORTED, department=department).order_by(
            "level", "position", "pk"
        )
    )
    if not leaves:
        raise ValidationError(f"“{department}”在该版本指标体系中没有需要填报的指标")
    return IndexReportedKind(
        tree=tree, month=month, department=department, leaves=leaves,
        units=participants(tree), allowed=jurisdiction_org_ids(actor),
    )  # fmt: skip


def reported_template(*, actor: Any, month: str, department: str) -> bytes:
    kind = reported_kind(actor=actor, month=month, department=department)
    data = build_template(kind, user=actor)
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[kind.sheets[0].title]
    permitted = [u for u in kind.units if u.pk in kind.allowed]
    for row, unit in enumerate(permitted, start=2):
        sheet.cell(row=row, column=1, value=unit.name)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class IndexImportResult:
    filename: str
    ok: bool = False
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    upload: IndexUpload | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"filename": self.filename, "ok": self.ok, "rows": self.rows,
                "errors": [e.as_dict() for e in self.errors],
                "upload_id": self.upload.pk if self.upload else None}  # fmt: skip


def reported_import(
    *, actor: Any, month: str, department: str, filename: str, data: bytes
) -> IndexImportResult:
    """Import a filled-in template: every cell checked first; only a file without a single
    problem is stored (the file, then one value per unit and leaf), with an audit row."""
    kind = reported_kind(actor=actor, month=month, department=department)
    title = kind.sheets[0].title
    result = IndexImportResult(filename=filename)
    refusal = check_size(len(data))
    if refusal:
        result.errors = [RowError(title, None, "", refusal)]
        return result
    sheets, errors = read_workbook(kind, data)
    result.rows = sum(len(s.rows) for s in sheets)
    if not errors and result.rows == 0:
        errors = [RowError(title, None, "", "文件中没有数据行（从第2行起每个单位一行）")]
    rows: Rows = {}
    if not errors:
        rows, errors = parse_rows(kind, sheets, ImportContext(actor))
    if errors:
        result.errors = sort_errors(kind, errors)
        return result
    result.upload = store_upload(
        actor=actor, kind=kind, filename=filename, data=data, rows=rows[title]
    )
    result.ok = True
    return result


@transaction.atomic
def store_upload(
    *, actor: Any, kind: IndexReportedKind, filename: str, data: bytes, rows: list[ParsedRow]
) -> IndexUpload:
    digest = hashlib.sha256(data).hexdigest()
    upload = IndexUpload(
        tree=kind.tree, month=kind.month, department=kind.department,
        original_name=filename[:200], size=len(data), sha256=digest, rows=len(rows),
        uploaded_by=actor, uploaded_at=timezone.now(),
    )  # fmt: skip
    upload.file.save(digest, ContentFile(data), save=False)
    upload.save()
    IndexValue.objects.bulk_create(
        [
            IndexValue(upload=upload, month=kind.month, org_id=row.values["unit"].pk,
                       leaf=leaf.key, value=row.values[leaf.key], row_number=row.number)
            for row in rows
            for leaf in kind.leaves
        ],
        batch_size=2000,
    )  # fmt: skip
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        obj=upload,
        summary=f"导入政治生态指数填报数据：{kind.department} {month_label(kind.month)}"
        f"（{filename}，{len(rows)}个单位）"[:300],
        changes={"month": kind.month, "department": kind.department, "filename": filename,
                 "sha256": digest, "units": [row.values["unit"].pk for row in rows]},
    )  # fmt: skip
    return upload
