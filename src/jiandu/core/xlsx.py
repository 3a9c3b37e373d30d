"""Excel files the platform writes: list exports (openpyxl write-only mode, so a large
export streams rows instead of building the workbook in memory) and the cells of every
other workbook (board workbooks, import templates).

Every cell value goes through :func:`put` / :func:`set_cell`: text that a spreadsheet
would read as a formula (beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) is written as a text cell with Excel's quote prefix, never as a formula — a clue
titled ``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0`` comes out as the words typed, and stays
text when someone edits the cell. Numbers and dates keep their types."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

# openpyxl (with numpy and Pillow behind it, about 0.25 s) is imported by the functions
# that write a workbook, not with this module: every page and API module that offers an
# export imports this one, and most processes never write a workbook. The media type of
# the files is in jiandu.core.contenttypes.

# What a spreadsheet takes as the start of a formula (or a DDE call) when it reads text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    width: int = 16


def cell_value(value: Any) -> Any:
    """A Python value as a cell holds it: datetimes without a zone, booleans as 是/否,
    other objects as their text."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal | int | float | dt.date | str):
        return value
    return str(value)


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def set_cell(cell: Cell, value: Any) -> Cell:
    """Put ``value`` into ``cell``; formula-like text stays text (see the module). None
    leaves the cell empty."""
    if value is not None:
        value = cell_value(value)
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """``sheet.cell(row, column, value)`` through :func:`set_cell`."""
    return set_cell(sheet.cell(row=row, column=column), value)


def style_header(cell: Any) -> Any:
    """The platform's header cell: white bold text on the dark red fill."""
    from openpyxl.styles import Font, PatternFill

    cell.fill = PatternFill("solid", fgColor="8B1A1A")
    cell.font = Font(bold=True, color="FFFFFF")
    return cell


def _streamed(sheet: Any, value: Any) -> Any:
    # A plain value where it is safe: a cell object per value would slow large exports.
    from openpyxl.cell import WriteOnlyCell

    value = cell_value(value)
    return set_cell(WriteOnlyCell(sheet), value) if looks_like_formula(value) else value


def export_rows(*, title: str, columns: list[Column], rows: Iterable[Any]) -> bytes:
    """One sheet: a header row (shaded, frozen) and one row per item."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, column in enumerate(columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = style_header(set_cell(WriteOnlyCell(sheet), column.header))
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_streamed(sheet, column.value(row)) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
