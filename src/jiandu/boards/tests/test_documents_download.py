"""Downloads: the month's 通报 (.docx) with its totals and both boards, the board
workbook (.xlsx) coloured as the page, a 工作预警通知书 per warning — each audited."""

import io

from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from jiandu.boards.documents import FILLS
from jiandu.boards.ranking import Colour
from jiandu.boards.services import board_close
from jiandu.core.models import AuditLog

from .conftest import populate


def _close_all(bw):
    populate(bw)
    outcome = None
    for board in (bw.counties_board, bw.stationed_board):
        for month in ("2020-01", "2020-02", "2020-03"):
            result = board_close(actor=bw.users["city"], board=board, month=month)
            if board == bw.counties_board:
                outcome = result
    return outcome


def _text(document):
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_bulletin_has_totals_both_boards_and_the_unit_names(bw, client):
    _close_all(bw)
    client.force_login(bw.users["city"])
    response = client.post(reverse("boards:bulletin_docx", args=[bw.counties_board.pk, "2020-03"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    text = _text(document)
    assert "关于2020年3月全市扶贫领域监督执纪问责工作情况的通报" in text
    # the totals of the month and of 1—3月, from the statistics over the whole city
    assert "2020年3月，全市纪检监察机关共受理扶贫领域问题线索" in text
    # populate(): 26 扶贫 clues in the six units plus one in 红云街道
    assert "2020年1—3月，全市纪检监察机关共受理扶贫领域问题线索27个" in text
    for name in (
        "五华区纪委监委",
        "东川区纪委监委",
        "禄劝县纪委监委",
        "派驻第一纪检监察组",
        "第一监督检查室",
    ):
        assert name in text
    # four attachments: each board's month and its 1—3月 ranking
    assert len(document.tables) == 4
    assert AuditLog.objects.filter(action="export", object_type="boards.board").exists()


def test_board_workbook_is_filled_and_coloured(bw, client):
    outcome = _close_all(bw)
    client.force_login(bw.users["city"])
    url = reverse("boards:board_xlsx", args=[bw.counties_board.pk, outcome.snapshot.pk])
    workbook = load_workbook(io.BytesIO(client.get(url).content))
    assert workbook.sheetnames[:2] == ["2020年3月", "2020年1—3月累计"]
    sheet = workbook["2020年3月"]
    names = {sheet.cell(row=r, column=2).value for r in range(4, 7)}
    assert names == {"五华区纪委监委", "东川区纪委监委", "禄劝县纪委监委"}
    fills = {
        sheet.cell(row=r, column=c).fill.fgColor.rgb[-6:] for r in range(4, 7) for c in range(4, 20)
    }
    assert FILLS[Colour.RED] in fills and FILLS[Colour.BLUE] in fills
    assert AuditLog.objects.filter(
        action="export", object_type="boards.boardsnapshot", object_id=str(outcome.snapshot.pk)
    ).exists()


def test_warning_notice_is_addressed_to_the_unit(bw, client):
    for month in (1, 2):
        for org in (bw.world.county, bw.dongchuan):
            bw.receive(org, month, 1)
        outcome = board_close(
            actor=bw.users["city"], board=bw.counties_board, month=f"2020-{month:02d}"
        )
    (warning,) = outcome.warnings
    client.force_login(bw.users["city"])
    response = client.post(reverse("boards:warning_notice", args=[warning.pk]))
    text = _text(Document(io.BytesIO(response.content)))
    assert "工作预警通知书" in text
    assert "禄劝县纪委监委：" in text
    assert "综合排名连续2个月位列末位" in text
    assert AuditLog.objects.filter(action="export", object_type="boards.boardwarning").exists()
