"""A snapshot re-read as the calculator's result keeps every cell under its indicator,
even when the database returns the JSON objects' keys in another order (PostgreSQL's
jsonb sorts them)."""

from jiandu.boards import ranking
from jiandu.boards.models import BoardSnapshot
from jiandu.boards.selectors import snapshot_result
from jiandu.boards.services import board_close

from .conftest import day


def _reversed_keys(value):
    if isinstance(value, dict):
        return {k: _reversed_keys(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reversed_keys(v) for v in value]
    return value


def test_cells_are_read_in_indicator_order(bw):
    bw.receive(bw.world.county, 2, 2)
    bw.exposure(bw.dongchuan, day(2, 12), persons=3)
    snapshot = board_close(
        actor=bw.users["city"], board=bw.counties_board, month="2020-02"
    ).snapshot
    scrambled = BoardSnapshot(board=snapshot.board, month="2020-02", version=1)
    scrambled.data = _reversed_keys(snapshot.data)
    result = snapshot_result(scrambled)
    keys = [i.key for i in result.spec.indicators]
    for row in result.latest_month.rows:
        assert [c.indicator for c in row.cells] == keys
    dongchuan = result.latest_month.row(str(bw.dongchuan.pk))
    assert dongchuan.cell("exposure").display == "1/3"  # 批次/人次, in that order
    county = result.cumulative.row(str(bw.world.county.pk))
    assert county.cells[0].display == "2"


def test_calculator_reads_its_own_output_whatever_the_key_order(bw):
    bw.exposure(bw.dongchuan, day(2, 12), persons=3)
    snapshot = board_close(
        actor=bw.users["city"], board=bw.counties_board, month="2020-02"
    ).snapshot
    result = snapshot_result(snapshot)
    again = ranking.BoardResult.from_dict(_reversed_keys(result.to_dict()))
    assert again == result
