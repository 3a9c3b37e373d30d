"""Reported indicators: the .xlsx template per board and month, its all-or-nothing import
with row-level errors, and what a close does when a unit has not reported."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from jiandu.boards import selectors
from jiandu.boards.models import Indicator, ReportedUpload, ReportedValue
from jiandu.boards.reported import reported_import, reported_template
from jiandu.boards.services import (
    MissingReportedValues,
    board_close,
    board_update,
    indicator_create,
)


@pytest.fixture
def board(bw):
    """The county board plus a reported indicator (自查问题) as its last column."""
    reported = indicator_create(
        actor=bw.users["city"],
        key="self_found",
        name="自查问题",
        unit="个",
        source="reported",
    )
    board = bw.counties_board
    columns = [(row.indicator, row.label) for row in board.board_indicators.order_by("position")]
    return board_update(actor=bw.users["city"], board=board, indicators=[*columns, (reported, "")])


def _filled(rows, month="2020年1月"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{month}填报"
    sheet.append(["单位", "自查问题（个）"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_template_lists_the_units_the_user_may_report_for(bw, board):
    data = reported_template(actor=bw.users["city"], board=board, month="2020-01")
    sheet = load_workbook(io.BytesIO(data))["2020年1月填报"]
    assert [c.value for c in sheet[1]][:2] == ["单位", "自查问题（个）"]
    units = {sheet.cell(row=r, column=1).value for r in range(2, 6)}
    assert units == {"五华区纪委监委", "东川区纪委监委", "禄劝县纪委监委", None}
    county_only = reported_template(actor=bw.users["county"], board=board, month="2020-01")
    sheet = load_workbook(io.BytesIO(county_only))["2020年1月填报"]
    assert sheet.cell(row=2, column=1).value == "五华区纪委监委"
    assert sheet.cell(row=3, column=1).value is None


def test_a_file_with_any_bad_row_is_refused_whole_naming_row_and_column(bw, board):
    data = _filled(
        [
            ("五华区纪委监委", 3),
            ("东川区纪委监委", "三个"),
            ("禄劝县纪委监委", -1),
            ("不存在的县", 2),
            ("五华区纪委监委", 4),
        ]
    )
    result = reported_import(
        actor=bw.users["city"], board=board, month="2020-01", filename="一月.xlsx", data=data
    )
    assert not result.ok
    problems = [(e.row, e.column, e.message) for e in result.errors]
    assert (3, "自查问题（个）", "应为不小于0的数字，实际为“三个”") in problems
    assert (4, "自查问题（个）", "不能为负数，实际为-1") in problems
    assert (5, "单位", "“不存在的县”不是本榜的参评单位") in problems
    assert (6, "单位", "“五华区纪委监委”重复（与第2行重复）") in problems
    assert not ReportedUpload.objects.exists()
    assert not ReportedValue.objects.exists()


def test_a_template_of_another_month_and_other_units_rows_are_refused(bw, board):
    wrong_month = reported_import(
        actor=bw.users["city"],
        board=board,
        month="2020-02",
        filename="一月.xlsx",
        data=_filled([("五华区纪委监委", 1)]),
    )
    assert "文件是2020年1月的填报模板，与所选月份2020年2月不一致" in wrong_month.errors[0].message
    other_unit = reported_import(
        actor=bw.users["county"],
        board=board,
        month="2020-01",
        filename="一月.xlsx",
        data=_filled([("五华区纪委监委", 1), ("东川区纪委监委", 2)]),
    )
    assert [(e.row, e.message) for e in other_unit.errors] == [
        (3, "您无权填报“东川区纪委监委”的数据（不在您的管辖范围内）")
    ]
    assert not ReportedValue.objects.exists()


def test_missing_figures_stop_the_close_naming_the_units(bw, board):
    ok = reported_import(
        actor=bw.users["city"],
        board=board,
        month="2020-01",
        filename="一月.xlsx",
        data=_filled([("五华区纪委监委", 3), ("东川区纪委监委", 5)]),
    )
    assert ok.ok and ok.rows == 2
    with pytest.raises(MissingReportedValues) as refused:
        board_close(actor=bw.users["city"], board=board, month="2020-01")
    assert refused.value.units == ["禄劝县纪委监委"]
    assert "禄劝县纪委监委（2020年1月：自查问题）" in refused.value.messages[0]
    assert not board.snapshots.exists()


def test_missing_as_zero_is_recorded_in_the_snapshot_and_the_drilldown(bw, board):
    reported_import(
        actor=bw.users["city"],
        board=board,
        month="2020-01",
        filename="一月.xlsx",
        data=_filled([("五华区纪委监委", 3), ("东川区纪委监委", 5)]),
    )
    snapshot = board_close(
        actor=bw.users["city"], board=board, month="2020-01", missing_as_zero=True
    ).snapshot
    assert snapshot.missing_as_zero
    luquan = str(bw.luquan.pk)
    assert snapshot.data["missing_as_zero"] == [
        {"unit": luquan, "month": "2020-01", "indicator": "self_found", "component": None}
    ]
    january = snapshot.data["result"]["months"][0]
    cells = {r["unit"]: r["cells"]["self_found"] for r in january["units"]}
    assert cells[luquan]["missing_as_zero"] and cells[luquan]["value"] == 0
    assert cells[str(bw.dongchuan.pk)]["colour"] == "red"

    access = selectors.board_get(user=bw.users["city"], pk=board.pk)
    for unit, expected in (
        (str(bw.dongchuan.pk), ("5", "一月.xlsx", 3)),
        (luquan, ("0", "", None)),
    ):
        drill = selectors.cell_records(
            user=bw.users["city"],
            access=access,
            snapshot=snapshot,
            period="month",
            unit_key=unit,
            indicator_key="self_found",
        )
        (row,) = drill.reported
        assert (row.value, row.file_name, row.row_number) == expected
    assert Indicator.objects.get(key="self_found").is_reported


def test_upload_page_shows_the_error_table(bw, board, client):
    client.force_login(bw.users["city"])
    url = reverse("boards:reported", args=[board.pk])
    data = _filled([("五华区纪委监委", "x")])
    upload = io.BytesIO(data)
    upload.name = "一月.xlsx"
    response = client.post(url, {"month": "2020-01", "file": upload})
    html = response.content.decode()
    assert response.status_code == 422
    assert "“一月.xlsx”未导入：发现1处问题" in html
    assert html.count('class="import-error"') == 1
    template = client.get(
        reverse("boards:reported_template", args=[board.pk]), {"month": "2020-01"}
    )
    assert template.status_code == 200
    assert load_workbook(io.BytesIO(template.content))["2020年1月填报"]["A2"].value
