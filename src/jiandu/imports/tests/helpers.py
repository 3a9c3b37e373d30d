"""Building .xlsx files for the import tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook, load_workbook

from jiandu.core import idnumbers
from jiandu.imports.kinds import KINDS
from jiandu.people.services import person_create

ID_1 = idnumbers.make("530102", dt.date(1975, 6, 1), 13)
ID_2 = idnumbers.make("530102", dt.date(1982, 11, 20), 24)
ID_3 = idnumbers.make("530103", dt.date(1990, 1, 5), 35)


def headers(kind: str, sheet: int = 0) -> list[str]:
    return [column.header for column in KINDS[kind].sheets[sheet].columns]


def workbook(sheets: dict[str, list[list[Any]]]) -> bytes:
    """A workbook with one sheet per entry; each entry's first list is the header row."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_file(kind: str, *rows: list[Any]) -> bytes:
    """A single-sheet file of ``kind`` with the template's headers and ``rows``."""
    spec = KINDS[kind].sheets[0]
    return workbook({spec.title: [headers(kind), *rows]})


def fill_template(template: bytes, sheets: dict[str, list[list[Any]]]) -> bytes:
    """Type rows into a downloaded template from row 2 on, as a user would."""
    book = load_workbook(io.BytesIO(template))
    for title, rows in sheets.items():
        sheet = book[title]
        for offset, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                sheet.cell(row=offset, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def register(world, number: str, name: str, org=None):
    return person_create(
        actor=world.users["city"], name=name, id_number=number, registered_org=org or world.county
    )
