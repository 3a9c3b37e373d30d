"""The .xlsx import templates: data sheets with their header row, dropdowns and cell
formats, an instructions sheet and a hidden sheet of dropdown values.

Kept apart from :mod:`.importers` (which reads files) so that only the pages that hand
out a template import the spreadsheet writer."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jiandu.core.xlsx import put
from jiandu.imports.importers import (
    INSTRUCTIONS_SHEET,
    MAX_ROWS,
    OPTIONS_SHEET,
    TEMPLATE_ROWS,
    Column,
    ImportContext,
    ImportKind,
    _megabytes,
    domain_tags,
)

REQUIRED_FILL = PatternFill("solid", fgColor="8B1A1A")
OPTIONAL_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def build_template(kind: ImportKind, *, user: Any) -> bytes:
    """The .xlsx template of a kind: its data sheets (header row, dropdowns, text and date
    formats), an instructions sheet, and a hidden sheet holding the dropdown values.
    Org dropdowns offer the user's own jurisdiction as suggestions."""
    ctx = ImportContext(user)
    workbook = Workbook()
    workbook.remove(workbook.active)
    data_sheets = [workbook.create_sheet(spec.title) for spec in kind.sheets]
    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET)
    options = workbook.create_sheet(OPTIONS_SHEET)
    options.sheet_state = "hidden"
    option_lists: dict[tuple[str, ...], str] = {}

    def option_range(title: str, values: tuple[str, ...]) -> str:
        if values not in option_lists:
            index = len(option_lists) + 1
            put(options, 1, index, title).font = BOLD
            for offset, value in enumerate(values, start=2):
                put(options, offset, index, value)
            letter = get_column_letter(index)
            option_lists[values] = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        return option_lists[values]

    for worksheet, spec in zip(data_sheets, kind.sheets, strict=True):
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            cell = put(worksheet, 1, index, column.header)
            cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
            cell.font = HEADER_FONT
            cell.alignment = Alignment(horizontal="center", vertical="center")
            cell.comment = Comment(_column_help(column, ctx), "监督平台", width=300, height=120)
            dimension = worksheet.column_dimensions[letter]
            dimension.width = column.width
            if column.is_text:
                dimension.number_format = "@"
            elif column.is_date:
                dimension.number_format = "yyyy-mm-dd"
            cells = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
            if column.choices:
                validation = DataValidation(
                    type="list",
                    formula1=option_range(column.header, column.choices),
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="请从下拉列表选择",
                    error=f"“{column.header}”只能填写下拉列表中的值",
                )
            elif column.org_dropdown and (org_refs := tuple(ctx.orgs.reference_names())):
                # Suggestions only: a region code or 上级/名称 typed by hand is also fine.
                validation = DataValidation(
                    type="list",
                    formula1=option_range("单位", org_refs),
                    allow_blank=True,
                    showErrorMessage=False,
                )
            else:
                continue
            validation.add(cells)
            worksheet.add_data_validation(validation)
        worksheet.freeze_panes = "A2"
        worksheet.row_dimensions[1].height = 22
    _write_instructions(instructions, kind, ctx)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _domain_hint(ctx: ImportContext) -> str:
    return "现有领域：" + ("、".join(t.name for t in ctx.domains.values()) or "（尚未设置）")


def _column_help(column: Column, ctx: ImportContext) -> str:
    parts = ["必填" if column.required else "可不填"]
    if column.help:
        parts.append(column.help)
    if column.parse is domain_tags:
        parts.append(_domain_hint(ctx))
    return "；".join(parts)


def _write_instructions(sheet: Any, kind: ImportKind, ctx: ImportContext) -> None:
    limit = _megabytes(settings.JIANDU_MAX_UPLOAD_BYTES)
    data_titles = "、".join(f"“{spec.title}”" for spec in kind.sheets)
    general = (
        f"在{data_titles}工作表中从第2行起每行填写一条记录；不要修改第1行表头。",
        "深红色表头为必填列，深蓝色表头可不填；把鼠标停在表头上可看到填写要求。",
        "带下拉箭头的列请从下拉列表中选择。日期写成YYYY-MM-DD（如2020-03-02）。",
        "身份证号码列已设为文本格式：从其他表格复制时请“只粘贴数值”，避免号码变成科学计数法。",
        "上传后系统先检查整个文件：只要有一处错误，整个文件都不导入，并列出每个错误所在的行和列；"
        "全部正确后一次性导入。",
        f"网页上传的每个文件最多{MAX_ROWS}行数据，大小不超过{limit}；更大的名册请拆分后分批上传。",
        *kind.notes,
    )
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 8
    sheet.column_dimensions["C"].width = 70
    sheet.column_dimensions["D"].width = 24
    put(sheet, 1, 1, f"{kind.label}导入模板 填写说明").font = TITLE_FONT
    row = 3
    for number, line in enumerate(general, start=1):
        put(sheet, row, 1, f"{number}. {line}")
        row += 1
    for spec in kind.sheets:
        row += 1
        title = f"“{spec.title}”工作表" + ("（没有内容时可留空）" if spec.optional else "")
        put(sheet, row, 1, title).font = BOLD
        row += 1
        for index, header in enumerate(("列名", "必填", "填写要求", "示例"), start=1):
            cell = put(sheet, row, index, header)
            cell.font = HEADER_FONT
            cell.fill = OPTIONAL_FILL
        for column in spec.columns:
            row += 1
            help_text = column.help
            if column.parse is domain_tags:
                help_text = f"{help_text}；{_domain_hint(ctx)}"
            values = (column.header, "是" if column.required else "", help_text, column.example)
            for index, value in enumerate(values, start=1):
                cell = put(sheet, row, index, value)
                cell.alignment = WRAP
                if index == 4:
                    cell.number_format = "@"
        row += 1
