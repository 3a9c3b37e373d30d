"""A department's monthly .xlsx: the template lists the user's units and the department's
indicators; an upload is stored all or nothing, every problem named by row and column;
the latest upload counts; the page serves both."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jiandu.accounts import roles as r
from jiandu.ecoindex.close import gather_values, index_close, participants, tree_for_month
from jiandu.ecoindex.models import IndexUpload, IndexValue
from jiandu.ecoindex.reported import reported_import, reported_template
from jiandu.testing import make_user

pytestmark = pytest.mark.django_db


def fill(data: bytes, rows: dict[str, list]) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    for row in range(2, sheet.max_row + 1):
        name = sheet.cell(row=row, column=1).value
        for col, value in enumerate(rows.get(name, []), start=2):
            sheet.cell(row=row, column=col, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_template_import_and_latest_upload_counts(world):
    city = world.users["city"]
    data = reported_template(actor=city, month="2026-09", department="信访局")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in sheet[1]][:2] == ["单位", "信访事项按期办结率（%）"]
    names = [sheet.cell(row=i, column=1).value for i in range(2, sheet.max_row + 1)]
    assert set(names) >= {"市财政局", "市民政局", "红云街道"}

    bad = fill(data, {"市财政局": ["abc"], "市民政局": [-1], "红云街道": [95.123]})
    result = reported_import(actor=city, month="2026-09", department="信访局",
                             filename="bad.xlsx", data=bad)  # fmt: skip
    assert not result.ok and IndexUpload.objects.count() == 0
    problems = {(e.row, e.column): e.message for e in result.errors}
    column = "信访事项按期办结率（%）"
    assert "不小于0的数字" in problems[(names.index("市财政局") + 2, column)]
    assert "不能为负数" in problems[(names.index("市民政局") + 2, column)]
    assert "最多保留两位小数" in problems[(names.index("红云街道") + 2, column)]

    good = fill(data, {"市财政局": [100], "市民政局": [80], "红云街道": [90]})
    result = reported_import(actor=city, month="2026-09", department="信访局",
                             filename="good.xlsx", data=good)  # fmt: skip
    assert result.ok and result.upload.rows == 3
    again = fill(data, {"市财政局": [100], "市民政局": [60], "红云街道": [90]})
    assert reported_import(actor=city, month="2026-09", department="信访局",
                           filename="again.xlsx", data=again).ok  # fmt: skip
    assert IndexValue.objects.filter(org=world.unit_b, leaf="petition_ontime_rate").count() == 2
    tree = tree_for_month("2026-09")
    leaves = [n for n in tree.nodes.all() if n.method]
    values = gather_values(tree=tree, leaves=leaves, month="2026-09",
                           org_ids=[o.pk for o in participants(tree)])  # fmt: skip
    assert values[world.unit_b.pk]["petition_ontime_rate"] == 60  # the latest upload
    outcome = index_close(actor=city, month="2026-09")
    departments = {m["department"] for m in outcome.missing_reported}
    assert "信访局" not in departments and "组织部" in departments


def test_county_reports_only_its_units_and_the_page(world):
    county = make_user("county-stats", world.county, r.ROLE_CLUES)
    data = reported_template(actor=county, month="2026-09", department="信访局")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [sheet.cell(row=i, column=1).value for i in range(2, sheet.max_row + 1)] == ["红云街道"]
    workbook = load_workbook(io.BytesIO(data))
    workbook.worksheets[0].cell(row=3, column=1, value="市财政局")
    workbook.worksheets[0].cell(row=3, column=2, value=100)
    workbook.worksheets[0].cell(row=2, column=2, value=100)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = reported_import(actor=county, month="2026-09", department="信访局",
                             filename="x.xlsx", data=buffer.getvalue())  # fmt: skip
    assert not result.ok
    assert any("您无权填报“市财政局”的数据" in e.message for e in result.errors)

    client = Client()
    client.force_login(county)
    page = client.get(reverse("ecoindex:reported") + "?month=2026-09")
    assert "信访局" in page.content.decode()
    url = reverse("ecoindex:reported_template") + "?month=2026-09&department=信访局"
    assert client.get(url)["Content-Type"].startswith("application/vnd.openxmlformats")
    filled = fill(data, {"红云街道": [88]})
    response = client.post(reverse("ecoindex:reported") + "?month=2026-09", {
        "month": "2026-09", "department": "信访局",
        "file": SimpleUploadedFile("f.xlsx", filled),
    })  # fmt: skip
    assert response.status_code == 200 and "已导入1行" in response.content.decode()
    assert IndexValue.objects.get(org=world.township).value == 88
