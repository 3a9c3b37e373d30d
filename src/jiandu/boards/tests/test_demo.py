"""The demo step: both built-in boards closed for every month of the year, producing
snapshots and warnings from the case records, and the managers' 签发 of each month's
notices and 通报 but the last month's; running it again adds nothing."""

from jiandu.boards.demo import build_board_demo
from jiandu.boards.models import BoardSnapshot, BoardWarning
from jiandu.boards.selectors import bulletin_issued, warning_notice_issued
from jiandu.documents.choices import DocumentType
from jiandu.documents.models import Document

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
    # Every warning's notice and every month's 通报 issued, in month order, but December's.
    board = bw.counties_board
    assert all(warning_notice_issued(warning=w) for w in BoardWarning.objects.all())
    assert [bool(bulletin_issued(board=board, month=f"2020-{m:02d}")) for m in range(1, 13)] == [
        True
    ] * 11 + [False]
    bulletins = Document.objects.filter(document_type=DocumentType.BULLETIN).order_by("sequence")
    assert [d.issued_on.month for d in bulletins] == list(range(2, 13))  # closed the next month
    assert summary["documents"] == Document.objects.count()
    again = build_board_demo(actor=bw.users["city"], year=2020)
    assert again["snapshots"] == 0
    assert BoardSnapshot.objects.count() == 24
    assert Document.objects.count() == summary["documents"]
