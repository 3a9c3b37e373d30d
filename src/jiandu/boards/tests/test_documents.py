"""The 通报, the 工作预警通知书 and the board workbook, re-opened and inspected."""

import datetime as dt
import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import load_workbook

from jiandu.boards.documents import (
    FILLS,
    YELLOW_FILL,
    BoardSection,
    Bulletin,
    WarningNotice,
    chinese_number,
    headline_totals,
    render_board_xlsx,
    render_bulletin_docx,
    render_warning_notice_docx,
)
from jiandu.boards.ranking import (
    BoardSpec,
    BottomList,
    Colour,
    Observation,
    consecutive_last,
    rank_board,
)

UNITS = {
    "dongchuan": "东川区纪委监委",
    "jinning": "晋宁区纪委监委",
    "fumin": "富民县纪委监委",
    "yiliang": "宜良县纪委监委",
    "songming": "嵩明县纪委监委",
}
# (accepted, handled, batches, persons) per month; 嵩明 is last in both months.
FIGURES = {
    "dongchuan": [(12, 11, 2, 3), (9, 9, 1, 2)],
    "jinning": [(8, 8, 1, 1), (11, 10, 2, 4)],
    "fumin": [(10, 9, 1, 2), (7, 7, 1, 1)],
    "yiliang": [(9, 9, 0, 0), (8, 8, 1, 3)],
    "songming": [(3, 2, 0, 0), (2, 1, 0, 0)],
}
MONTHS = ["2019-08", "2019-09"]


def make_board(mode="sum_values", missing="error", drop=()):
    spec = BoardSpec.from_dict(
        {
            "months": MONTHS,
            "indicators": [
                {"key": "accepted", "name": "受理问题线索", "unit": "件"},
                {"key": "handled", "name": "处置问题线索", "unit": "件"},
                {
                    "key": "exposure",
                    "name": "通报曝光",
                    "components": [
                        {"key": "batches", "name": "批次", "unit": "批次"},
                        {"key": "persons", "name": "人次", "unit": "人次"},
                    ],
                },
            ],
            "units": list(FIGURES),
            "cumulative_mode": mode,
            "yellow_units": {"dongchuan": "脱贫摘帽县", "fumin": "脱贫摘帽县"},
        }
    )
    observations = []
    for unit, months in FIGURES.items():
        for month, (a, h, b, p) in zip(MONTHS, months, strict=True):
            observations += [
                Observation(unit=unit, month=month, indicator="accepted", value=a),
                Observation(unit=unit, month=month, indicator="handled", value=h),
                Observation(
                    unit=unit, month=month, indicator="exposure", component="batches", value=b
                ),
                Observation(
                    unit=unit, month=month, indicator="exposure", component="persons", value=p
                ),
            ]
    observations = [o for o in observations if (o.unit, o.month, o.indicator) not in drop]
    result = rank_board(spec=spec, observations=observations, missing=missing)
    warnings = consecutive_last(periods=result.months, latest_only=True)
    return BoardSection(
        title="县区扶贫领域监督执纪问责工作情况",
        result=result,
        unit_names=UNITS,
        warnings=warnings,
    )


def make_bulletin(board):
    return Bulletin(
        title="关于2019年9月全市扶贫领域监督执纪问责工作情况的通报",
        header="中共昆明市纪律检查委员会\n昆明市监察委员会",
        document_number="昆纪通〔2019〕12号",
        recipients="各县（市）区纪委监委，市纪委监委各派驻机构、各监督检查室",
        headline=headline_totals(
            lead="全市纪检监察机关共",
            groups=[
                [("受理扶贫领域问题线索", 69, "个"), ("处置办结", 68, "个")],
                [("处理", 73, "人")],
                [("批评教育", 47, "人")],
            ],
        ),
        boards=[board],
        requirements=["各级纪检监察机关要对照多色榜查找差距，抓两头、促中间。"],
        issuer="中共昆明市纪委 昆明市监委",
        date=dt.date(2019, 10, 8),
    )


def fill_of(cell):
    shd = cell._tc.tcPr.find(qn("w:shd"))
    return None if shd is None else shd.get(qn("w:fill"))


def text_of(document):
    return "\n".join(p.text for p in document.paragraphs)


def test_headline_totals_and_numbers():
    text = headline_totals(
        lead="全市纪检监察机关共",
        groups=[[("受理扶贫领域问题线索", 69, "个"), ("处置办结", 68, "个")], [("处理", 73, "人")]],
    )
    assert text == "全市纪检监察机关共受理扶贫领域问题线索69个，处置办结68个；处理73人。"
    assert [chinese_number(n) for n in (1, 3, 10, 12, 20, 25)] == [
        "一",
        "三",
        "十",
        "十二",
        "二十",
        "二十五",
    ]


def test_bulletin_text():
    board = make_board()
    document = Document(io.BytesIO(render_bulletin_docx(bulletin=make_bulletin(board))))
    text = text_of(document)
    assert "中共昆明市纪律检查委员会" in text
    assert "昆纪通〔2019〕12号" in text
    assert "关于2019年9月全市扶贫领域监督执纪问责工作情况的通报" in text
    assert (
        "全市纪检监察机关共受理扶贫领域问题线索69个，处置办结68个；处理73人；批评教育47人。" in text
    )
    assert "一、县区扶贫领域监督执纪问责工作情况" in text
    assert "排名末位的是嵩明县纪委监委" in text
    assert "二、预警情况" in text
    assert (
        "嵩明县纪委监委2019年8月、9月综合排名连续2个月位列末位，按照规定，向其发出工作预警通知书。"
        in text
    )
    assert "三、工作要求" in text
    assert "附件：1．2019年9月县区扶贫领域监督执纪问责工作情况多色榜" in text
    assert "2．2019年8—9月县区扶贫领域监督执纪问责工作情况综合排名" in text
    assert "2019年10月8日" in text
    assert "黄色为脱贫摘帽县" in text


def test_bulletin_tables_carry_the_colours():
    board = make_board()
    document = Document(io.BytesIO(render_bulletin_docx(bulletin=make_bulletin(board))))
    assert len(document.tables) == 2
    for table, period in zip(
        document.tables, [board.month_period, board.result.cumulative], strict=True
    ):
        header = [c.text for c in table.rows[0].cells]
        assert header == [
            "排名",
            "单位",
            "受理问题线索\n（件）",
            "处置问题线索\n（件）",
            "通报曝光\n（批次/人次）",
            "综合\n得分",
        ]
        trpr = table.rows[0]._tr.trPr
        assert trpr.find(qn("w:tblHeader")) is not None
        assert len(table.rows) == 1 + len(period.rows)
        for row, line in zip(table.rows[1:], period.rows, strict=True):
            cells = row.cells
            assert cells[0].text == str(line.overall_rank)
            assert cells[1].text == UNITS[line.unit]
            assert cells[-1].text == str(line.composite)
            for cell, result in zip(cells[2:-1], line.cells, strict=True):
                assert cell.text == result.display
                assert fill_of(cell) == FILLS[result.colour]
            expected_yellow = YELLOW_FILL if line.yellow else None
            assert fill_of(cells[1]) == expected_yellow
    september = document.tables[0]
    songming = next(r for r in september.rows if r.cells[1].text == "嵩明县纪委监委")
    assert [fill_of(c) for c in songming.cells[2:-1]] == [FILLS[Colour.WHITE]] * 3
    assert fill_of(songming.cells[2]) == "FFFFFF"
    jinning = next(r for r in september.rows if r.cells[1].text == "晋宁区纪委监委")
    assert fill_of(jinning.cells[2]) == FILLS[Colour.RED]
    assert jinning.cells[4].text == "2/4"


def test_bulletin_fonts_and_page_setup():
    document = Document(io.BytesIO(render_bulletin_docx(bulletin=make_bulletin(make_board()))))
    first = document.sections[0]
    assert (round(first.page_width / Mm(1)), round(first.page_height / Mm(1))) == (210, 297)
    attachment = document.sections[-1]
    assert (round(attachment.page_width / Mm(1)), round(attachment.page_height / Mm(1))) == (
        297,
        210,
    )
    fonts = {}
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            rfonts = run._element.rPr.rFonts
            fonts.setdefault(
                paragraph.text, (rfonts.get(qn("w:eastAsia")), rfonts.get(qn("w:ascii")))
            )
    assert fonts["关于2019年9月全市扶贫领域监督执纪问责工作情况的通报"] == (
        "方正小标宋简体",
        "Times New Roman",
    )
    assert fonts["一、县区扶贫领域监督执纪问责工作情况"][0] == "黑体"
    headline = next(t for t in fonts if t.startswith("全市纪检监察机关共"))
    assert fonts[headline] == ("仿宋_GB2312", "Times New Roman")
    cell_run = document.tables[0].rows[1].cells[1].paragraphs[0].runs[0]
    assert cell_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    footer = first.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer


def test_bulletin_without_warnings_and_with_points_and_missing():
    board = make_board(mode="sum_points", missing="zero", drop={("yiliang", "2019-09", "handled")})
    board = BoardSection(title=board.title, result=board.result, unit_names=UNITS)
    document = Document(io.BytesIO(render_bulletin_docx(bulletin=make_bulletin(board))))
    text = text_of(document)
    assert "本期没有单位触发预警。" in text
    assert "标*的数据未报送，按0计" in text
    assert "累计得分为2019年8—9月各月单项得分之和" in text
    september, cumulative = document.tables
    yiliang = next(r for r in september.rows if r.cells[1].text == "宜良县纪委监委")
    assert yiliang.cells[3].text == "0*"
    assert cumulative.rows[0].cells[2].text == "受理问题线索\n（得分）"
    line = board.result.cumulative.rows[0]
    assert cumulative.rows[1].cells[2].text == str(line.cells[0].points)
    assert fill_of(cumulative.rows[1].cells[2]) is None


def test_warning_notice():
    board = make_board()
    finding = board.warnings[0]
    notice = WarningNotice(
        finding=finding,
        recipient="嵩明县纪委监委",
        issuer="中共昆明市纪律检查委员会\n昆明市监察委员会",
        header="中共昆明市纪律检查委员会\n昆明市监察委员会",
        document_number="昆纪预〔2019〕3号",
        source="全市扶贫领域监督执纪问责工作“多色榜”",
        date=dt.date(2019, 10, 10),
        reply_by=dt.date(2019, 10, 31),
        reply_to="市纪委监委党风政风监督室",
        copy_to="市纪委监委第三监督检查室",
    )
    document = Document(io.BytesIO(render_warning_notice_docx(notice=notice)))
    text = text_of(document)
    assert "工作预警通知书" in text
    assert "昆纪预〔2019〕3号" in text
    assert "嵩明县纪委监委：" in text
    assert "你单位2019年8月、9月综合排名连续2个月位列末位" in text
    assert "2019年8月综合得分" in text and "综合排名第5位（共5个单位）" in text
    assert "一、高度重视预警事项" in text
    assert "四、于2019年10月31日前将整改情况书面报送市纪委监委党风政风监督室。" in text
    assert "2019年10月10日" in text
    assert "抄送：市纪委监委第三监督检查室。" in text
    title = next(p for p in document.paragraphs if p.text == "工作预警通知书")
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"


def test_warning_notice_number_placeholder_and_own_requirements():
    finding = make_board().warnings[0]
    notice = WarningNotice(
        finding=finding,
        recipient="嵩明县纪委监委",
        issuer="中共昆明市纪委",
        date=dt.date(2019, 10, 10),
        requirements=["立即整改。"],
    )
    text = text_of(Document(io.BytesIO(render_warning_notice_docx(notice=notice))))
    assert "〔    〕号" in text
    assert "一、立即整改。" in text
    assert "二、" not in text


def test_board_workbook():
    board = make_board()
    workbook = load_workbook(io.BytesIO(render_board_xlsx(board=board)))
    assert workbook.sheetnames == ["2019年8月", "2019年9月", "2019年8—9月累计", "预警"]
    sheet = workbook["2019年9月"]
    assert sheet.freeze_panes == "D4"
    assert sheet["A1"].value == "2019年9月县区扶贫领域监督执纪问责工作情况多色榜"
    assert [sheet.cell(row=2, column=c).value for c in (1, 2, 3, 4, 7, 10, 14)] == [
        "排名",
        "单位",
        "标注",
        "受理问题线索（件）",
        "处置问题线索（件）",
        "通报曝光（批次/人次）",
        "综合得分",
    ]
    assert [sheet.cell(row=3, column=c).value for c in range(10, 14)] == [
        "批次",
        "人次",
        "名次",
        "得分",
    ]
    period = board.month_period
    for row_number, line in enumerate(period.rows, start=4):
        assert sheet.cell(row=row_number, column=2).value == UNITS[line.unit]
        assert sheet.cell(row=row_number, column=14).value == line.composite
        yellow = sheet.cell(row=row_number, column=2).fill.fgColor.rgb
        assert (yellow == "00" + YELLOW_FILL) == bool(line.yellow)
        assert sheet.cell(row=row_number, column=3).value == (line.yellow or None)
        columns = [(4, 5, 6), (7, 8, 9), (10, 12, 13)]
        for (value_col, rank_col, points_col), cell in zip(columns, line.cells, strict=True):
            assert sheet.cell(row=row_number, column=value_col).value == int(cell.value[0])
            assert sheet.cell(row=row_number, column=rank_col).value == cell.rank
            assert sheet.cell(row=row_number, column=points_col).value == cell.points
            fill = sheet.cell(row=row_number, column=value_col).fill.fgColor.rgb
            assert fill == "00" + FILLS[cell.colour]
    legend = [sheet.cell(row=r, column=2).value for r in range(1, sheet.max_row + 1)]
    assert "单项排名前3名，计5分" in legend
    assert "黄色为脱贫摘帽县（标注，不影响得分）" in legend
    assert sheet.column_dimensions["B"].width >= 16
    warnings = workbook["预警"]
    assert warnings["B2"].value == "嵩明县纪委监委"
    assert warnings["C2"].value == "嵩明县纪委监委2019年8月、9月综合排名连续2个月位列末位"


@pytest.mark.parametrize("mode", ["sum_values", "sum_points"])
def test_board_workbook_cumulative_sheet(mode):
    board = make_board(mode=mode)
    workbook = load_workbook(io.BytesIO(render_board_xlsx(board=board)))
    sheet = workbook["2019年8—9月累计"]
    top = board.result.cumulative.rows[0]
    assert sheet["B4"].value == UNITS[top.unit]
    headers = [c.value for c in sheet[2]]
    composite_column = headers.index("综合得分") + 1
    assert sheet.cell(row=4, column=composite_column).value == top.composite
    if mode == "sum_points":
        assert sheet["D3"].value == "累计数值"
        assert sheet["F4"].value == top.cells[0].points
        assert sheet["D4"].fill.fgColor.rgb in (None, "00000000")
    else:
        assert sheet["D4"].fill.fgColor.rgb == "00" + FILLS[top.cells[0].colour]


def test_bulletin_says_why_a_bottom_k_list_is_short():
    board = make_board()
    cumulative = board.result.cumulative
    lowest = cumulative.rows[-1].composite
    bottom = BottomList(
        units=(), k=1, participants=len(cumulative.rows), tied=2, tied_place=4, composite=lowest
    )
    board = BoardSection(title=board.title, result=board.result, unit_names=UNITS, bottom=bottom)
    text = text_of(Document(io.BytesIO(render_bulletin_docx(bulletin=make_bulletin(board)))))
    assert "本期没有单位触发预警。" in text
    assert (
        f"县区扶贫领域监督执纪问责工作情况2019年8—9月后1名：倒数第1名处有2个单位综合得分同为"
        f"{lowest}分、并列第4位，无法确定谁在名单内，均不列入，名单为空。"
    ) in text
