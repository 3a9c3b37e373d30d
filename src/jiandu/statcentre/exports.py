"""A return as .xlsx in its form's layout: title, unit and period, then one line per
row of the form (section headings, figures with their unit), the status last."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from jiandu.core.figures import RatioFigure, figure
from jiandu.core.xlsx import put, style_header
from jiandu.statcentre.compute import percent
from jiandu.statcentre.layouts import layout
from jiandu.statcentre.models import StatReturn
from jiandu.statcentre.services import decode


def return_workbook(ret: StatReturn) -> bytes:
    form = layout(ret.form)
    values = decode(ret.values)
    book = Workbook()
    sheet = book.active
    sheet.title = form.title[:31]
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 18
    sheet.column_dimensions["D"].width = 10
    put(sheet, 1, 1, form.title).font = Font(bold=True, size=14)
    sheet.merge_cells("A1:D1")
    sheet["A1"].alignment = Alignment(horizontal="center")
    put(sheet, 2, 1, f"填报单位：{ret.org.name}")
    sheet.merge_cells("A2:D2")
    put(sheet, 3, 1, f"统计期间：{ret.period_start:%Y年%m月%d日}至{ret.period_end:%Y年%m月%d日}")
    sheet.merge_cells("A3:D3")
    for col, text in enumerate(["序号", "项目", "数值", "单位"], start=1):
        style_header(put(sheet, 4, col, text))
    row, number = 5, 0
    for key in form.rows:
        if key.startswith("#"):
            put(sheet, row, 1, key[1:]).font = Font(bold=True)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        else:
            number += 1
            fig = figure(key)
            put(sheet, row, 1, number)
            put(sheet, row, 2, fig.label)
            if isinstance(fig, RatioFigure):
                share = percent(values.get(fig.numerator), values.get(fig.denominator))
                put(sheet, row, 3, share if share is not None else "—")
            else:
                put(sheet, row, 3, values.get(key))
            put(sheet, row, 4, fig.unit)
        row += 1
    status = ret.get_status_display()
    if ret.submitted_at:
        status += f"（{ret.submitted_at:%Y-%m-%d %H:%M}上报）"
    put(sheet, row + 1, 1, f"状态：{status}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
