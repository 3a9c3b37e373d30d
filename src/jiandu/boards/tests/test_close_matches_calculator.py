"""The close ranks each period once on its totals; the result is exactly what the
calculator's ``rank_board`` gives for the same figures — on summed values and on summed
points, with a figure missing and counted as 0."""

import io

import pytest
from openpyxl import Workbook

from jiandu.boards import compute, ranking
from jiandu.boards.reported import reported_import
from jiandu.boards.selectors import snapshot_result
from jiandu.boards.services import board_close, board_update, indicator_create

from .conftest import populate


def _upload(bw, board, month, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{ranking.month_label(month)}填报"
    sheet.append(["单位", "自查问题（个）"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = reported_import(
        actor=bw.users["city"], board=board, month=month, filename="x.xlsx", data=buffer.getvalue()
    )
    assert result.ok


def _reference(board, month):
    """rank_board over every month's figures counted afresh."""
    columns = compute.board_columns(board)
    units = compute.board_units(board)
    months = compute.year_months(month)
    figures = compute.MonthFigures(
        computed={
            m: compute.computed_month_values(columns=columns, units=units, month=m) for m in months
        },
        reported=compute.reported_values(board=board, columns=columns, units=units, months=months),
    )
    spec = compute.board_spec(board=board, columns=columns, units=units, months=months)
    return ranking.rank_board(
        spec=spec,
        observations=figures.observations(columns=columns, months=months),
        missing="zero",
    )


@pytest.mark.parametrize("mode", ["sum_values", "sum_points"])
def test_the_close_equals_rank_board(bw, mode):
    populate(bw)
    self_found = indicator_create(
        actor=bw.users["city"], key="self_found", name="自查问题", unit="个", source="reported"
    )
    board = bw.counties_board
    columns = [(r.indicator, r.label) for r in board.board_indicators.order_by("position")]
    board = board_update(
        actor=bw.users["city"],
        board=board,
        indicators=[*columns, (self_found, "")],
        cumulative_mode=mode,
    )
    _upload(
        bw, board, "2020-01", [("五华区纪委监委", 2), ("东川区纪委监委", 4), ("禄劝县纪委监委", 1)]
    )
    _upload(bw, board, "2020-03", [("五华区纪委监委", 3), ("禄劝县纪委监委", 5)])  # 东川 missing
    for month in ("2020-01", "2020-02", "2020-03"):
        snapshot = board_close(
            actor=bw.users["city"], board=board, month=month, missing_as_zero=True
        ).snapshot
    reference = _reference(board, "2020-03")
    frozen = snapshot_result(snapshot)
    spec = reference.spec
    assert frozen.latest_month.to_dict(spec=spec) == reference.latest_month.to_dict(spec=spec)
    assert frozen.cumulative.to_dict(spec=spec) == reference.cumulative.to_dict(spec=spec)
    quarter = reference.cumulative  # January to March is the first quarter
    assert snapshot.data["quarter"] == quarter.to_dict(spec=spec)
    flagged = [m for m in reference.cumulative.missing_as_zero if m.indicator == "self_found"]
    assert {(m.unit, m.month) for m in flagged} == {
        (str(bw.world.county.pk), "2020-02"),
        (str(bw.dongchuan.pk), "2020-02"),
        (str(bw.luquan.pk), "2020-02"),
        (str(bw.dongchuan.pk), "2020-03"),
    }
