"""The demo step: both built-in boards closed for every month of the year, producing
snapshots and warnings from the case records; running it again adds nothing."""

from jiandu.boards.demo import build_board_demo
from jiandu.boards.models import BoardSnapshot, BoardWarning

from .conftest import populate


def test_build_board_demo_closes_twelve_months_of_both_boards(bw):
    populate(bw)
    summary = build_board_demo(actor=bw.users["city"], year=2020)
    assert summary["snapshots"] == 24
    assert [b["key"] for b in summary["boards"]] == ["poverty-stationed", "poverty-counties"]
    assert BoardSnapshot.objects.filter(month="2020-12").count() == 2
    assert summary["warnings"] == BoardWarning.objects.count() > 0
    # April to December have no records: every unit ties, nobody is singled out then
    assert not BoardWarning.objects.filter(month__gte="2020-05").exists()
    again = build_board_demo(actor=bw.users["city"], year=2020)
    assert again["snapshots"] == 0
    assert BoardSnapshot.objects.count() == 24
