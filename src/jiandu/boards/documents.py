"""Documents of the 多色榜: the monthly 通报, the 工作预警通知书 and the board workbook.

* :func:`render_bulletin_docx` — the monthly 通报 (情况通报) of a commission: 版头, 文号,
  title, 主送, the headline totals (“全市纪检监察机关共受理扶贫领域问题线索69个，处置办结
  68个；……”), a section per board summing up the month and the cumulative period, the
  warnings issued, the work requirements, signature and date; then, as 附件 on landscape
  pages, each board of the month and its cumulative composite ranking as tables with
  red/blue/white cells and yellow-marked units.
* :func:`render_warning_notice_docx` — one 工作预警通知书 to one unit: 文号, recipient,
  the facts (months, composite scores and ranks), what the unit must do and by when,
  issuing organ and date.
* :func:`render_board_xlsx` — the board as a workbook, one sheet per period, with
  coloured fills, frozen header, a legend, and the warnings.

Layout follows GB/T 9704-2012 (党政机关公文格式) through the shared helpers of
:mod:`jiandu.documents.layout`, as every official document of the platform does.

The functions take plain data (the ranking dataclasses plus display names and texts)
and return the file's bytes; they neither read nor write anything else.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from jiandu.boards.ranking import (
    DEFAULT_YELLOW_LABEL,
    BoardResult,
    BottomList,
    Colour,
    Indicator,
    LastPlace,
    PeriodKind,
    PeriodResult,
    RankingBasis,
    UnitResult,
    WarningFinding,
    WarningKind,
    last_place,
)
from jiandu.core.xlsx import put
from jiandu.documents.layout import (
    HEADING_FONT,
    SIZE_BODY,
    SIZE_NOTE,
    SIZE_SUBTITLE,
    chinese_date,
    chinese_number,
)
from jiandu.documents.layout import bottom_rule as _bottom_rule
from jiandu.documents.layout import cell_text as _cell_text
from jiandu.documents.layout import heading as _heading
from jiandu.documents.layout import masthead as _masthead
from jiandu.documents.layout import new_document as _new_document
from jiandu.documents.layout import page_setup as _page_setup
from jiandu.documents.layout import paragraph as _paragraph
from jiandu.documents.layout import row_properties as _row_properties
from jiandu.documents.layout import shade as _shade
from jiandu.documents.layout import signature as _signature
from jiandu.documents.layout import title as _title
from jiandu.documents.layout import to_bytes as _to_bytes
from jiandu.documents.layout import usable_width_mm as _usable_width_mm

# The typography, the docx helpers and the GB/T 9704 page are shared by every official
# document (jiandu.documents.layout); what follows is the 多色榜's own content.


# Cell fills of the board; text on red and blue is white so that it stays legible.
FILLS = {Colour.RED: "E8382F", Colour.BLUE: "2E75B6", Colour.WHITE: "FFFFFF"}
TEXT_ON_FILL = {Colour.RED: "FFFFFF", Colour.BLUE: "FFFFFF", Colour.WHITE: "000000"}
YELLOW_FILL = "FFFF00"

DEFAULT_WARNING_ACTIONS = {
    WarningKind.CONSECUTIVE_LAST: "按照规定，向其发出工作预警通知书",
    WarningKind.QUARTER_LAST: "按照规定，由纪委监委领导直接约谈该单位（部门）负责人",
    WarningKind.CUMULATIVE_BOTTOM: "按照规定，对该单位（部门）主要负责人进行约谈",
}


def headline_totals(*, lead: str, groups: Sequence[Sequence[tuple[str, object, str]]]) -> str:
    """The headline totals sentence of a 通报.

    ``groups`` are clauses separated by “；”, each a list of (what, number, measure)
    items separated by “，”::

        headline_totals(lead="全市纪检监察机关共", groups=[
            [("受理扶贫领域问题线索", 69, "个"), ("处置办结", 68, "个")],
            [("处理", 73, "人")], [("批评教育", 47, "人")]])
        → "全市纪检监察机关共受理扶贫领域问题线索69个，处置办结68个；处理73人；批评教育47人。"
    """
    clauses = ["，".join(f"{what}{number}{measure}" for what, number, measure in g) for g in groups]
    return lead + "；".join(c for c in clauses if c) + "。"


# --------------------------------------------------------------------------- input data


@dataclass(frozen=True)
class BoardSection:
    """One board as it appears in a document.

    ``title`` names what is ranked, e.g. “县区扶贫领域监督执纪问责工作情况”;
    ``unit_names`` maps the ranking's unit keys to display names; ``warnings`` are
    the findings issued on this board; ``month`` the month shown (default: the last);
    ``lasts`` who is last in a period (by period key) as the close decided it —
    without it, it is decided by the spec's rule without a previous period;
    ``bottom`` the bottom-K list of the cumulative period as the close cut it (its note
    says why a list is short).
    """

    title: str
    result: BoardResult
    unit_names: Mapping[str, str] = field(default_factory=dict)
    warnings: Sequence[WarningFinding] = ()
    month: str | None = None
    lasts: Mapping[str, LastPlace] = field(default_factory=dict)
    bottom: BottomList | None = None

    def last(self, period: PeriodResult) -> LastPlace:
        found = self.lasts.get(period.key)
        return found if found is not None else last_place(period, spec=self.result.spec)

    def name(self, unit: str) -> str:
        return self.unit_names.get(unit, unit)

    @property
    def month_period(self) -> PeriodResult:
        if self.month is None:
            return self.result.latest_month
        return self.result.period(self.month)

    @property
    def yellow_note(self) -> str:
        labels = list(dict.fromkeys(self.result.spec.yellow_units.values()))
        if not labels:
            return ""
        if labels == [DEFAULT_YELLOW_LABEL]:
            return "黄色为特别标注的单位"
        return f"黄色为{'和'.join(labels)}"


@dataclass(frozen=True)
class Bulletin:
    """A monthly 通报 on the boards.

    ``header`` is the 版头 (the issuing organ's name printed in red, one line per
    organ); ``issuer`` the signature; ``headline`` the totals paragraph (see
    :func:`headline_totals`); ``paragraphs`` further body text after it;
    ``requirements`` the 工作要求, one paragraph each.
    """

    title: str
    issuer: str
    date: dt.date
    headline: str
    boards: Sequence[BoardSection]
    header: str = ""
    document_number: str = ""
    recipients: str = ""
    paragraphs: Sequence[str] = ()
    requirements: Sequence[str] = ()
    warning_actions: Mapping[WarningKind, str] = field(default_factory=dict)


@dataclass(frozen=True)
class WarningNotice:
    """A 工作预警通知书 to one unit, based on one warning finding.

    ``recipient`` is the unit's display name; ``document_number`` fills the 文号 (left
    as a blank “〔    〕号” to be completed by hand when empty); ``source`` names the
    board the ranking comes from; ``reply_by`` / ``reply_to`` say when and to whom the
    written rectification report is due; ``requirements`` replace the standard ones.
    """

    finding: WarningFinding
    recipient: str
    issuer: str
    date: dt.date
    header: str = ""
    document_number: str = ""
    source: str = "多色榜"
    reply_by: dt.date | None = None
    reply_to: str = ""
    requirements: Sequence[str] = ()
    copy_to: str = ""


def _column_heading(indicator: Indicator, by_points: bool) -> str:
    if by_points:
        return f"{indicator.name}\n（得分）"
    if indicator.display_unit:
        return f"{indicator.name}\n（{indicator.display_unit}）"
    return indicator.name


def _board_table(document, *, board: BoardSection, period: PeriodResult) -> None:
    """The board of one period: 排名, 单位, one coloured cell per indicator, 综合得分."""
    spec = board.result.spec
    indicators = spec.indicators
    by_points = period.basis is RankingBasis.POINTS
    headers = ["排名", "单位", *(_column_heading(i, by_points) for i in indicators), "综合\n得分"]
    width = _usable_width_mm(document.sections[-1])
    longest = max((len(board.name(r.unit)) for r in period.rows), default=4)
    rank_w, score_w = 12.0, 15.0
    unit_w = min(48.0, max(24.0, longest * 4.0 + 5))
    ind_w = max(14.0, (width - rank_w - score_w - unit_w) / max(1, len(indicators)))
    widths = [rank_w, unit_w, *([ind_w] * len(indicators)), score_w]

    table = document.add_table(rows=1 + len(period.rows), cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, w in zip(table.columns, widths, strict=True):
        column.width = Mm(w)

    header_row = table.rows[0]
    _row_properties(header_row, header=True)
    for cell, text, w in zip(header_row.cells, headers, widths, strict=True):
        cell.width = Mm(w)
        _shade(cell, "D9D9D9")
        _cell_text(cell, text, font=HEADING_FONT)

    for row, line in zip(table.rows[1:], period.rows, strict=True):
        _row_properties(row, header=False)
        cells = row.cells
        for cell, w in zip(cells, widths, strict=True):
            cell.width = Mm(w)
        _cell_text(cells[0], str(line.overall_rank))
        _cell_text(cells[1], board.name(line.unit))
        _cell_text(cells[-1], str(line.composite), bold=True)
        if line.yellow:
            for cell in (cells[0], cells[1], cells[-1]):
                _shade(cell, YELLOW_FILL)
        for cell, result in zip(cells[2:-1], line.cells, strict=True):
            text = str(result.points) if by_points else result.display
            if result.missing_as_zero:
                text += "*"
            if result.colour is None:
                _cell_text(cell, text)
            else:
                _shade(cell, FILLS[result.colour])
                _cell_text(cell, text, colour=TEXT_ON_FILL[result.colour], bold=True)


def _legend_text(board: BoardSection, period: PeriodResult) -> str:
    spec = board.result.spec
    parts = []
    if period.basis is RankingBasis.POINTS:
        parts.append(
            f"累计得分为{period.label}各月单项得分之和，综合得分为各月综合得分之和，"
            "分数越高排名越靠前"
        )
    else:
        parts.append(spec.colours.describe())
        if board.yellow_note:
            parts.append(board.yellow_note)
        parts.append("综合得分为各单项得分之和，分数越高，工作成效越显著，排名越靠前")
        if period.kind is PeriodKind.CUMULATIVE and len(period.months) > 1:
            parts.append(f"累计数据为{period.label}各月数据之和")
    if any(i.is_compound for i in spec.indicators):
        names = "、".join(i.name for i in spec.indicators if i.is_compound)
        parts.append(f"{names}按前一项排名，相同时比较后一项")
    if any(i.direction.value == "lower" for i in spec.indicators):
        names = "、".join(i.name for i in spec.indicators if i.direction.value == "lower")
        parts.append(f"{names}数值越低排名越靠前")
    if period.missing_as_zero:
        parts.append("标*的数据未报送，按0计")
    return "说明：" + "；".join(parts) + "。"


def _leaders(period: PeriodResult, board: BoardSection, top_n: int) -> str:
    tops = [r for r in period.rows if r.overall_rank <= top_n]
    found = board.last(period)
    if found.all_equal:
        return "各单位综合得分相同"

    def named(rows: Sequence[UnitResult]) -> str:
        return "、".join(f"{board.name(r.unit)}（{r.composite}分）" for r in rows)

    text = f"综合得分排名前{chinese_number(top_n)}的是{named(tops)}"
    if not found.units:
        lowest = min(r.composite for r in period.rows)
        return text + f"；末位并列{found.remaining}个单位（最低{lowest}分）"
    bottom = [r for r in period.rows if r.unit in found.units]
    return text + f"；排名末位的是{named(bottom)}"


def render_bulletin_docx(*, bulletin: Bulletin) -> bytes:
    """The monthly 通报 as a .docx file's bytes."""
    document = _new_document()
    if bulletin.header or bulletin.document_number:
        _masthead(document, header=bulletin.header, document_number=bulletin.document_number)
    _title(document, bulletin.title)
    if bulletin.recipients:
        _paragraph(document, bulletin.recipients.rstrip("：:") + "：", indent=0)
    _paragraph(document, bulletin.headline)
    for text in bulletin.paragraphs:
        _paragraph(document, text)

    attachments: list[tuple[str, BoardSection, PeriodResult]] = []
    heading_number = 0
    for board in bulletin.boards:
        heading_number += 1
        month = board.month_period
        cumulative = board.result.cumulative
        top_n = board.result.spec.colours.top_n
        _heading(document, f"{chinese_number(heading_number)}、{board.title}")
        first = len(attachments) + 1
        attachments.append((f"{month.label}{board.title}多色榜", board, month))
        text = f"{month.label}，{_leaders(month, board, top_n)}。"
        if len(cumulative.months) > 1:
            attachments.append((f"{cumulative.label}{board.title}综合排名", board, cumulative))
            text += f"{cumulative.label}累计，{_leaders(cumulative, board, top_n)}。"
            text += f"具体情况见附件{first}、附件{first + 1}。"
        else:
            text += f"具体情况见附件{first}。"
        _paragraph(document, text)

    heading_number += 1
    _heading(document, f"{chinese_number(heading_number)}、预警情况")
    actions = {**DEFAULT_WARNING_ACTIONS, **bulletin.warning_actions}
    warned = False
    notes: list[str] = []
    for board in bulletin.boards:
        for finding in board.warnings:
            warned = True
            sentence = finding.describe(unit_name=board.name(finding.unit))
            _paragraph(document, f"{sentence}，{actions[finding.kind]}。")
        if board.bottom is not None:
            cumulative = board.result.cumulative
            if note := board.bottom.note(cumulative.label, board.result.spec):
                notes.append(f"{board.title}{note}。")
    if not warned:
        _paragraph(document, "本期没有单位触发预警。")
    for note in notes:
        _paragraph(document, note)

    if bulletin.requirements:
        heading_number += 1
        _heading(document, f"{chinese_number(heading_number)}、工作要求")
        for text in bulletin.requirements:
            _paragraph(document, text)

    if attachments:
        _paragraph(document, "", indent=0)
        for i, (name, _, _) in enumerate(attachments, start=1):
            label = f"{i}．{name}" if len(attachments) > 1 else name
            p = _paragraph(document, ("附件：" if i == 1 else "") + label)
            # GB/T 9704: “附件” two characters in; a wrapped name lines up with the first
            # character of the name above (after “附件：” and the number “1．”).
            hang = 5 + (1.5 if len(attachments) > 1 else 0)
            start = 2 if i == 1 else 5
            p.paragraph_format.left_indent = Pt(SIZE_BODY * hang)
            p.paragraph_format.first_line_indent = Pt(SIZE_BODY * (start - hang))
    _signature(document, issuer=bulletin.issuer, day=bulletin.date)

    for i, (name, board, period) in enumerate(attachments, start=1):
        section = document.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(section, landscape=True)
        _paragraph(
            document, f"附件{i}" if len(attachments) > 1 else "附件", font=HEADING_FONT, indent=0
        )
        _title(document, name, size=SIZE_SUBTITLE)
        _board_table(document, board=board, period=period)
        _paragraph(
            document,
            _legend_text(board, period),
            size=SIZE_NOTE,
            indent=0,
            exact=None,
            before=6,
        )
    return _to_bytes(document)


# --------------------------------------------------------------------------- warning notice

DEFAULT_REQUIREMENTS = (
    "高度重视预警事项，及时召开专题会议，对照多色榜各项指标逐项分析排名靠后的原因，"
    "深刻查找监督执纪问责工作中存在的问题和不足。",
    "针对查找出的问题制定整改措施，明确责任领导、责任人和完成时限，"
    "切实压实主体责任和监督责任，推动工作成效有实质性提升。",
    "加强日常统计和工作调度，做到问题线索应受尽受、应处尽处，确保各项数据真实、准确、及时报送。",
)


def _notice_facts(notice: WarningNotice) -> str:
    finding = notice.finding
    details = "；".join(e.describe() for e in finding.evidence)
    return (
        f"根据{notice.source}，{finding.describe(unit_name='你单位')}（{details}）。"
        "按照有关规定，现向你单位发出工作预警。"
    )


def render_warning_notice_docx(*, notice: WarningNotice) -> bytes:
    """One 工作预警通知书 as a .docx file's bytes."""
    document = _new_document()
    number = notice.document_number or "〔    〕号"
    if notice.header:
        _masthead(document, header=notice.header, document_number=number)
    _title(document, "工作预警通知书")
    if not notice.header:
        _paragraph(document, number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, after=6)
    _paragraph(document, notice.recipient.rstrip("：:") + "：", indent=0)
    _paragraph(document, _notice_facts(notice))
    _paragraph(document, "请你单位认真对照检查，切实加以整改，并做好以下工作：")
    requirements = list(notice.requirements or DEFAULT_REQUIREMENTS)
    if notice.reply_by:
        to = notice.reply_to or notice.issuer.split("\n")[0]
        requirements.append(f"于{chinese_date(notice.reply_by)}前将整改情况书面报送{to}。")
    for i, text in enumerate(requirements, start=1):
        _paragraph(document, f"{chinese_number(i)}、{text}")
    _paragraph(
        document,
        "如整改不力、综合排名仍位列末位的，将按照有关规定约谈单位主要负责人，"
        "并视情节严肃追责问责。",
    )
    _signature(document, issuer=notice.issuer, day=notice.date)
    if notice.copy_to:
        _paragraph(document, "", indent=0)
        p = _paragraph(document, f"抄送：{notice.copy_to}。", size=14, indent=1)
        _bottom_rule(p, colour="000000", size_eighths=6)
    return _to_bytes(document)


# --------------------------------------------------------------------------- xlsx

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_YELLOW = PatternFill("solid", fgColor=YELLOW_FILL)


def _fill(colour: Colour) -> PatternFill:
    return PatternFill("solid", fgColor=FILLS[colour])


def _sheet_name(label: str, used: set[str]) -> str:
    name = "".join(ch for ch in label if ch not in "[]:*?/\\")[:31] or "多色榜"
    base, n = name, 2
    while name in used:
        suffix = f"({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


def _value_columns(indicator: Indicator, by_points: bool) -> list[str]:
    if by_points:
        return ["累计数值", "名次", "得分"]
    if indicator.is_compound:
        return [c.name for c in indicator.components] + ["名次", "得分"]
    unit = f"（{indicator.unit}）" if indicator.unit else ""
    return [f"数值{unit}", "名次", "得分"]


def _write_period_sheet(sheet, *, board: BoardSection, period: PeriodResult) -> None:
    spec = board.result.spec
    by_points = period.basis is RankingBasis.POINTS
    layout = [(i, _value_columns(i, by_points)) for i in spec.indicators]
    total_columns = 3 + sum(len(cols) for _, cols in layout) + 1
    suffix = "综合排名" if period.kind is PeriodKind.CUMULATIVE else "多色榜"
    put(sheet, 1, 1, f"{period.label}{board.title}{suffix}")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=total_columns)
    sheet["A1"].font = Font(name="黑体", size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 28

    def header(row: int, column: int, text: str) -> None:
        cell = put(sheet, row, column, text)
        cell.font = Font(name="黑体", size=10, bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = _CENTRE
        cell.border = _BORDER

    for column, text in ((1, "排名"), (2, "单位"), (3, "标注"), (total_columns, "综合得分")):
        header(2, column, text)
        header(3, column, "")
        sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
    column = 4
    starts = []
    for indicator, cols in layout:
        starts.append(column)
        header(2, column, indicator.heading)
        for offset, text in enumerate(cols):
            if offset:
                header(2, column + offset, "")
            header(3, column + offset, text)
        sheet.merge_cells(
            start_row=2, start_column=column, end_row=2, end_column=column + len(cols) - 1
        )
        column += len(cols)
    sheet.row_dimensions[2].height = 32

    row_number = 4
    for line in period.rows:
        fixed = [line.overall_rank, board.name(line.unit), line.yellow or ""]
        for col, value in enumerate(fixed, start=1):
            cell = put(sheet, row_number, col, value)
            cell.alignment = _CENTRE
            cell.border = _BORDER
            if line.yellow:
                cell.fill = _YELLOW
        for start, (_indicator, cols), result in zip(starts, layout, line.cells, strict=True):
            numbers: list[object]
            if by_points:
                numbers = [result.display]
            else:
                numbers = [float(v) if v != v.to_integral_value() else int(v) for v in result.value]
            numbers += [result.rank, result.points]
            for offset, value in enumerate(numbers[: len(cols)]):
                cell = put(sheet, row_number, start + offset, value)
                cell.alignment = _CENTRE
                cell.border = _BORDER
                if result.colour is not None:
                    cell.fill = _fill(result.colour)
                    cell.font = Font(color=TEXT_ON_FILL[result.colour], bold=offset == 0)
                if result.missing_as_zero and offset == 0:
                    cell.number_format = 'General"*"'
        total = put(sheet, row_number, total_columns, line.composite)
        total.alignment = _CENTRE
        total.border = _BORDER
        total.font = Font(bold=True)
        if line.yellow:
            total.fill = _YELLOW
        row_number += 1

    sheet.freeze_panes = sheet.cell(row=4, column=4)
    sheet.column_dimensions["A"].width = 6
    longest = max((len(board.name(r.unit)) for r in period.rows), default=4)
    sheet.column_dimensions["B"].width = max(12, longest * 2 + 2)
    labels = [r.yellow or "" for r in period.rows]
    sheet.column_dimensions["C"].width = max(8, max((len(t) for t in labels), default=0) * 2 + 2)
    for start, (_indicator, cols) in zip(starts, layout, strict=True):
        for offset, text in enumerate(cols):
            letter = get_column_letter(start + offset)
            sheet.column_dimensions[letter].width = max(7, len(text) * 2 + 2) if offset == 0 else 6
    sheet.column_dimensions[get_column_letter(total_columns)].width = 10

    _write_legend(sheet, row=row_number + 1, board=board, period=period)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "2:3"


def _write_legend(sheet, *, row: int, board: BoardSection, period: PeriodResult) -> None:
    spec = board.result.spec
    colours = spec.colours
    put(sheet, row, 1, "图例").font = Font(bold=True)
    entries: list[tuple[PatternFill | None, str, str]] = []
    if period.basis is RankingBasis.VALUES:
        entries += [
            (_fill(Colour.RED), "红", f"单项排名前{colours.top_n}名，计{colours.red_points}分"),
            (_fill(Colour.BLUE), "蓝", f"单项排名中间，计{colours.blue_points}分"),
            (_fill(Colour.WHITE), "白", f"单项排名最后，计{colours.white_points}分"),
        ]
    else:
        entries.append(
            (None, "", "累计按各月单项得分之和排名，不再着色；综合得分为各月综合得分之和")
        )
    if spec.yellow_units:
        entries.append((_YELLOW, "黄", board.yellow_note + "（标注，不影响得分）"))
    entries.append((None, "", "综合得分为各单项得分之和，分数越高排名越靠前；并列者名次相同"))
    if period.missing_as_zero:
        entries.append((None, "*", "数据未报送，按0计"))
    for offset, (fill, mark, text) in enumerate(entries, start=1):
        sample = put(sheet, row + offset, 1, mark)
        sample.alignment = _CENTRE
        if fill is not None:
            sample.fill = fill
            sample.border = _BORDER
            if fill is not _YELLOW and mark in ("红", "蓝"):
                sample.font = Font(color="FFFFFF", bold=True)
        put(sheet, row + offset, 2, text)


def render_board_xlsx(*, board: BoardSection) -> bytes:
    """The board as an .xlsx file's bytes: a sheet per month, one for the cumulative
    period, and a 预警 sheet when the board carries warnings."""
    workbook = Workbook()
    used: set[str] = set()
    first = True
    for period in board.result.periods:
        label = period.label + ("累计" if period.kind is PeriodKind.CUMULATIVE else "")
        if first:
            sheet = workbook.active
            sheet.title = _sheet_name(label, used)
            first = False
        else:
            sheet = workbook.create_sheet(_sheet_name(label, used))
        _write_period_sheet(sheet, board=board, period=period)
    if board.warnings:
        sheet = workbook.create_sheet(_sheet_name("预警", used))
        headers = ["类型", "单位", "情况", "依据期间"]
        for column, text in enumerate(headers, start=1):
            cell = put(sheet, 1, column, text)
            cell.font = Font(name="黑体", bold=True)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
        for row, finding in enumerate(board.warnings, start=2):
            values = [
                finding.kind.label,
                board.name(finding.unit),
                finding.describe(unit_name=board.name(finding.unit)),
                "、".join(e.label for e in finding.evidence),
            ]
            for column, value in enumerate(values, start=1):
                cell = put(sheet, row, column, value)
                cell.border = _BORDER
                cell.alignment = Alignment(vertical="center", wrap_text=True)
        for letter, width in zip("ABCD", (12, 20, 60, 30), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
