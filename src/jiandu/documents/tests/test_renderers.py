"""The documents of the rectification loop, re-opened with python-docx: the 文号, the
recipient, the dates and the items are where the reader expects them, in the shared
GB/T 9704 layout."""

import datetime as dt
import io
import struct
import zlib

import pytest
import qrcode
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from jiandu.boards import documents as board_documents
from jiandu.documents import layout
from jiandu.documents.renderers import (
    InquiryItem,
    InquiryMinutes,
    InterviewNotice,
    LedgerDecision,
    NoticeProblem,
    RectificationNotice,
    ReminderCard,
    WarningCard,
    render_inquiry_minutes_docx,
    render_interview_notice_docx,
    render_rectification_notice_docx,
    render_reminder_card_docx,
    render_warning_card_docx,
)

DAY = dt.date(2026, 9, 28)


def _open(data: bytes):
    return Document(io.BytesIO(data))


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _paragraph_with(document, text: str):
    return next(p for p in document.paragraphs if text in p.text)


def test_the_boards_documents_use_the_shared_layout():
    assert board_documents._paragraph is layout.paragraph
    assert board_documents._masthead is layout.masthead
    assert board_documents._new_document is layout.new_document


def test_rectification_notice_states_problem_deadline_and_what_to_submit():
    notice = RectificationNotice(
        number="昆纪改〔2026〕7号",
        issuer="昆明市纪委监委",
        header="昆明市纪委监委",
        recipient="市财政局",
        date=DAY,
        problems=[
            NoticeProblem(
                description="惠民资金发放台账不全",
                found_on=dt.date(2026, 9, 1),
                source="督导检查",
                category="惠民资金管理",
                reference="WT20260000012",
            )
        ],
        due_on=dt.date(2026, 10, 9),
        period="8个工作日",
    )
    document = _open(render_rectification_notice_docx(notice=notice))
    text = _text(document)
    assert document.paragraphs[0].text == "昆明市纪委监委"  # the red 版头
    assert "昆纪改〔2026〕7号" in [p.text for p in document.paragraphs]
    assert "督促整改通知书" in text
    assert "市财政局：" in [p.text for p in document.paragraphs]
    assert "惠民资金发放台账不全。（2026年9月1日发现，来源：督导检查，类别：惠民资金管理" in text
    assert "于2026年10月9日前（8个工作日）完成整改，并将下列材料报送昆明市纪委监委" in text
    for item in ("1．整改方案", "2．整改情况报告。", "3．相关佐证材料。"):
        assert item in text
    assert document.paragraphs[-1].text == "2026年9月28日"
    assert document.paragraphs[-2].text == "昆明市纪委监委"
    section = document.sections[0]
    assert round(section.page_width / Mm(1)) == 210 and round(section.top_margin / Mm(1)) == 37


def test_rectification_notice_without_number_prints_the_blank_and_needs_a_problem():
    notice = RectificationNotice(
        number="",
        issuer="五华区纪委监委",
        recipient="红云街道",
        date=DAY,
        problems=[NoticeProblem("未落实“三重一大”", dt.date(2026, 9, 2))],
        due_on=dt.date(2026, 10, 30),
    )
    text = _text(_open(render_rectification_notice_docx(notice=notice)))
    assert "〔    〕号" in text
    with pytest.raises(ValueError, match="至少需要一个问题"):
        render_rectification_notice_docx(
            notice=RectificationNotice(
                number="",
                issuer="x",
                recipient="y",
                date=DAY,
                problems=[],
                due_on=DAY,
            )
        )


def test_warning_card_is_a_card_with_level_reason_and_deadline():
    card = WarningCard(
        number="昆纪警〔2026〕2号",
        issuer="督导问责组",
        recipient="市民政局",
        date=DAY,
        problem="低保对象动态管理不到位",
        reference="WT20260000003",
        due_on=dt.date(2026, 9, 15),
        status="正在整改",
        reason="超过整改期限13日未完成整改；整改验收2次未通过",
        level="督导问责组（第二级）",
        rejections=2,
        respond_by=dt.date(2026, 10, 9),
    )
    document = _open(render_warning_card_docx(card=card))
    assert "整改警示卡" in [p.text for p in document.paragraphs]
    assert "昆纪警〔2026〕2号" in [p.text for p in document.paragraphs]
    (table,) = document.tables
    rows = {row.cells[0].text: row.cells[1].text for row in table.rows}
    assert rows["责任单位"] == "市民政局"
    assert rows["问题"] == "低保对象动态管理不到位（编号：WT20260000003）"
    assert rows["整改期限"] == "2026年9月15日"
    assert rows["警示事由"] == "超过整改期限13日未完成整改；整改验收2次未通过"
    assert rows["验收不通过"] == "2次"
    assert rows["警示层级"] == "督导问责组（第二级）"
    assert rows["整改反馈时限"] == "2026年10月9日前"
    assert document.paragraphs[-1].text == "2026年9月28日"


def test_interview_notice_names_time_place_and_interviewer():
    notice = InterviewNotice(
        number="昆纪约〔2026〕1号",
        issuer="昆明市纪委监委",
        recipient="禄劝县纪委监委",
        date=DAY,
        at=dt.datetime(2026, 10, 9, 14, 30),
        place="市纪委监委三楼会议室",
        interviewer="市纪委副书记张某某",
        attendee="你单位主要负责人李某某",
        reason="你单位2026年第三季度扶贫领域监督执纪问责工作综合排名位列末位",
        bring=["整改方案", "工作情况说明"],
        contact="王某，0871-1234567",
    )
    document = _open(render_interview_notice_docx(notice=notice))
    text = _text(document)
    assert "昆纪约〔2026〕1号" in text and "约谈通知" in text
    assert "禄劝县纪委监委：" in [p.text for p in document.paragraphs]
    assert "一、约谈时间：2026年10月9日（星期五）下午2:30。" in text
    assert "二、约谈地点：市纪委监委三楼会议室。" in text
    assert "三、约谈人：市纪委副书记张某某。" in text
    assert "四、被约谈人：你单位主要负责人李某某。" in text
    assert "五、请携带以下材料：整改方案；工作情况说明。" in text
    assert "联系人及电话：王某，0871-1234567" in text


def test_inquiry_minutes_list_each_problem_with_its_decision_and_the_counts():
    minutes = InquiryMinutes(
        number="昆纪纪要〔2026〕4号",
        issuer="昆明市纪委监委",
        meeting="2026年第三季度问题整改质询会",
        held_on=dt.date(2026, 9, 25),
        place="市纪委监委会议室",
        chair="市纪委书记",
        attendees=["市财政局", "市民政局"],
        items=[
            InquiryItem("市财政局", "惠民资金台账不全", LedgerDecision.CLOSE, "已验收"),
            InquiryItem("市民政局", "低保动态管理不到位", LedgerDecision.HAND_OVER, "限期30日"),
            InquiryItem("市民政局", "违规发放补贴", LedgerDecision.CLEAR, "已移送"),
            InquiryItem("市财政局", "公车管理不规范", LedgerDecision.CLOSE),
        ],
        date=DAY,
        requirements=["交账事项按期整改到位"],
    )
    document = _open(render_inquiry_minutes_docx(minutes=minutes))
    text = _text(document)
    assert "2026年第三季度问题整改质询会纪要" in text and "昆纪纪要〔2026〕4号" in text
    assert "2026年9月25日，市纪委书记在市纪委监委会议室主持召开" in text
    assert "会议对4个问题作出决定：交账1项，销账2项，清账1项。" in text
    (table,) = document.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "单位", "问题", "决定", "说明"]
    assert rows[2] == ["2", "市民政局", "低保动态管理不到位", "交账", "限期30日"]
    assert [r[3] for r in rows[1:]] == ["销账", "交账", "清账", "销账"]
    assert "一、交账事项按期整改到位" in text


def _png_pixels(data: bytes) -> tuple[int, bytes]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width = struct.unpack(">I", body[:4])[0]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, zlib.decompress(idat)


def test_qr_png_holds_the_qrcode_matrix():
    url = "https://jiandu.example/cards/17/"
    box = 3
    width, raw = _png_pixels(layout.qr_png(url, box=box, border=4))
    code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    assert width == len(matrix) * box
    stride = 1 + width
    for y, line in enumerate(matrix):
        scanline = raw[y * box * stride + 1 : y * box * stride + stride]
        assert [scanline[x * box] == 0 for x in range(len(line))] == line


def test_reminder_card_holds_leader_quarter_items_and_the_qr_code():
    url = "https://jiandu.example/cards/17/"
    card = ReminderCard(
        organ="中共慈利县委员会",
        leader_name="王某某",
        leader_title="县林业局党组书记、局长",
        year=2026,
        quarter=3,
        items=["解决群众反映强烈的问题，加强林业补偿资金管理", "落实“一岗双责”"],
        url=url,
        date=dt.date(2026, 7, 1),
        number="慈委提〔2026〕3号",
    )
    data = render_reminder_card_docx(card=card)
    document = _open(data)
    text = _text(document)
    assert "2026年第三季度党风廉政建设主体责任提醒卡" in text
    assert "县林业局党组书记、局长王某某同志：" in text
    assert "一、解决群众反映强烈的问题，加强林业补偿资金管理" in text
    assert "二、落实“一岗双责”" in text
    assert "请于2026年10月5日前逐项报送本季度履责情况小结" in text
    assert url in text and "慈委提〔2026〕3号" in text
    assert len(document.inline_shapes) == 1
    blip = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip
    image = document.part.related_parts[blip.get(qn("r:embed"))]
    assert image.blob == layout.qr_png(url)
    with pytest.raises(ValueError, match="季度"):
        render_reminder_card_docx(card=ReminderCard(**{**card.__dict__, "quarter": 5}))


def _parts(data: bytes) -> list[tuple[str, bytes]]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [(info.filename, package.read(info)) for info in package.infolist()]


def test_cards_filled_into_a_template_equal_cards_rendered_anew():
    """The 提醒卡 and 警示卡 come from a template per shape, filled with each card's
    texts: every part of the file equals a full rendering's, whatever the texts (XML
    characters escaped; a text the layout would split or strip is rendered in full)."""
    from jiandu.documents import renderers

    base = ReminderCard(
        organ="中共昆明市委",
        leader_name="李某",
        leader_title="市财政局局长",
        year=2026,
        quarter=3,
        items=["落实“一岗双责”", "管好班子带好队伍", "R&D <资金> 管理"],
        url="https://jiandu.example/cards/1/",
        date=dt.date(2026, 7, 5),
        number="昆委提〔2026〕1号",
    )
    variants = [
        base,
        ReminderCard(**{**base.__dict__, "leader_name": "王某某", "url": "https://x.cn/c/22/"}),
        ReminderCard(**{**base.__dict__, "number": "", "notes": ("另附：负面清单",)}),
        ReminderCard(**{**base.__dict__, "items": ["第一项\n第二行", "二"]}),
        ReminderCard(**{**base.__dict__, "leader_title": " 局长 "}),
    ]
    for card in variants:
        assert _parts(render_reminder_card_docx(card=card)) == _parts(
            renderers._render_reminder_card(card)
        ), card
    warning = WarningCard(
        number="昆督警〔2026〕2号",
        issuer="督导问责组",
        recipient="五华区财政局",
        date=DAY,
        problem="“三公”经费超标 & 台账缺失",
        due_on=dt.date(2026, 9, 1),
        status="整改中",
        reason="超过整改期限27日未完成整改",
        level="督导问责组",
        reference="WH-2026-7",
        rejections=2,
        respond_by=dt.date(2026, 10, 3),
    )
    for card in [
        warning,
        WarningCard(**{**warning.__dict__, "recipient": "盘龙区民政局", "number": ""}),
        WarningCard(**{**warning.__dict__, "reference": "", "rejections": 0}),
        WarningCard(**{**warning.__dict__, "issuer": "领导小组\n办公室"}),
    ]:
        assert _parts(render_warning_card_docx(card=card)) == _parts(
            renderers._render_warning_card(card)
        ), card
