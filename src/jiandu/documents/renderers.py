"""The official documents of the rectification loop, in the same GB/T 9704 layout as the
多色榜 通报 (:mod:`jiandu.documents.layout`):

* :func:`render_rectification_notice_docx` — 督促整改通知书 to a problem's responsible unit;
* :func:`render_warning_card_docx` — 整改警示卡 for an overdue or twice-rejected
  rectification, with the level of the 督导 chain that issues it;
* :func:`render_interview_notice_docx` — 约谈通知 to a unit or a person;
* :func:`render_inquiry_minutes_docx` — 质询会纪要: the problems examined and the decision
  on each (交账 / 销账 / 清账); :func:`render_inquiry_agenda_docx` — its agenda (议程);
* :func:`render_reminder_card_docx` — 主体责任提醒卡 of a quarter, with a QR code.

Each is a pure function from a dataclass to the file's bytes: callers (services, the
later 质询会 and 提醒卡 models) gather the data, the renderer neither reads nor writes
anything else. An empty ``number`` prints the blank “〔    〕号” to be completed by hand.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from jiandu.documents.layout import (
    HEADING_FONT,
    SIZE_NOTE,
    SIZE_SUBTITLE,
    TITLE_FONT,
    bottom_rule,
    cell_text,
    chinese_date,
    chinese_number,
    filled,
    heading,
    masthead,
    new_document,
    paragraph,
    qr_png,
    row_properties,
    signature,
    title,
    to_bytes,
    token,
    usable_width_mm,
)

BLANK_NUMBER = "〔    〕号"
_WEEKDAYS = "一二三四五六日"


def _number_line(document, *, header: str, number: str) -> None:
    """The 版头 with the 文号 when there is a header; otherwise the 文号 alone, centred
    under the title."""
    if header:
        masthead(document, header=header, document_number=number or BLANK_NUMBER)


def _number_under_title(document, *, header: str, number: str) -> None:
    if not header:
        paragraph(
            document, number or BLANK_NUMBER, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, after=6
        )


def _recipient(document, name: str) -> None:
    paragraph(document, name.rstrip("：:") + "：", indent=0)


def _numbered(document, items: Sequence[str]) -> None:
    for i, text in enumerate(items, start=1):
        paragraph(document, f"{chinese_number(i)}、{text}")


def _copy_to(document, copy_to: str) -> None:
    if copy_to:
        paragraph(document, "", indent=0)
        p = paragraph(document, f"抄送：{copy_to}。", size=14, indent=1)
        bottom_rule(p, colour="000000", size_eighths=6)


def chinese_datetime(moment: dt.datetime) -> str:
    """``2026年10月9日（星期五）上午9:30``."""
    half = "上午" if moment.hour < 12 else "下午"
    hour = moment.hour if moment.hour <= 12 else moment.hour - 12
    weekday = _WEEKDAYS[moment.weekday()]
    return f"{chinese_date(moment.date())}（星期{weekday}）{half}{hour}:{moment.minute:02d}"


# --------------------------------------------------------------------------- 督促整改通知书


@dataclass(frozen=True)
class NoticeProblem:
    """One problem as a notice states it."""

    description: str
    found_on: dt.date
    source: str = ""
    category: str = ""
    reference: str = ""  # the problem's number in the platform


@dataclass(frozen=True)
class RectificationNotice:
    """A 督促整改通知书 to the responsible unit of one or more problems. ``due_on`` is the
    deadline on the working-day calendar and ``period`` how it was counted (“30日”,
    “15个工作日”); ``submit`` lists what the unit must hand in."""

    number: str
    issuer: str
    recipient: str
    date: dt.date
    problems: Sequence[NoticeProblem]
    due_on: dt.date
    period: str = ""
    submit: Sequence[str] = (
        "整改方案（明确整改措施、责任领导、责任人和完成时限）",
        "整改情况报告",
        "相关佐证材料",
    )
    reply_to: str = ""
    header: str = ""
    copy_to: str = ""


def render_rectification_notice_docx(*, notice: RectificationNotice) -> bytes:
    """One 督促整改通知书 as a .docx file's bytes."""
    if not notice.problems:
        raise ValueError("督促整改通知书至少需要一个问题")
    document = new_document()
    _number_line(document, header=notice.header, number=notice.number)
    title(document, "督促整改通知书")
    _number_under_title(document, header=notice.header, number=notice.number)
    _recipient(document, notice.recipient)
    count = len(notice.problems)
    paragraph(
        document,
        f"经监督检查，发现你单位存在以下{'问题' if count == 1 else f'{count}个问题'}，"
        "现督促你单位限期整改。",
    )
    heading(document, "一、存在的问题")
    for i, problem in enumerate(notice.problems, start=1):
        facts = [f"{chinese_date(problem.found_on)}发现"]
        if problem.source:
            facts.append(f"来源：{problem.source}")
        if problem.category:
            facts.append(f"类别：{problem.category}")
        if problem.reference:
            facts.append(f"编号：{problem.reference}")
        lead = f"（{chinese_number(i)}）" if count > 1 else ""
        paragraph(document, f"{lead}{problem.description.rstrip('。')}。（{'，'.join(facts)}）")
    heading(document, "二、整改要求")
    period = f"（{notice.period}）" if notice.period else ""
    to = notice.reply_to or notice.issuer.split("\n")[0]
    paragraph(
        document,
        f"请你单位高度重视，逐项制定整改措施，于{chinese_date(notice.due_on)}前{period}"
        f"完成整改，并将下列材料报送{to}：",
    )
    for i, item in enumerate(notice.submit, start=1):
        paragraph(document, f"{i}．{item.rstrip('。；;')}。")
    paragraph(
        document,
        "整改期限以工作日历计算，遇法定节假日顺延。逾期未完成整改或整改不到位的，"
        "将发出整改警示卡，并视情节追究相关人员责任。",
    )
    signature(document, issuer=notice.issuer, day=notice.date)
    _copy_to(document, notice.copy_to)
    return to_bytes(document)


# --------------------------------------------------------------------------- 整改警示卡


@dataclass(frozen=True)
class WarningCard:
    """A printable 整改警示卡 for a rectification that is overdue or failed acceptance
    twice. ``level`` names who issues it on the 督导 chain (牵头单位 → 督导问责组 →
    领导小组办公室 → 领导小组); ``reason`` why (“逾期未完成整改” …)."""

    number: str
    issuer: str
    recipient: str
    date: dt.date
    problem: str
    due_on: dt.date
    status: str
    reason: str
    level: str
    reference: str = ""
    rejections: int = 0
    respond_by: dt.date | None = None
    requirement: str = (
        "请你单位主要负责人亲自过问，立即组织整改，逐项销号；再次逾期或整改不到位的，"
        "将提级督导并依规依纪追究责任。"
    )


def render_warning_card_docx(*, card: WarningCard) -> bytes:
    """One 整改警示卡 as a .docx file's bytes: a bordered card on one page (filled into
    the template of its dates and rows: the same file as rendering it anew)."""
    names: tuple[str, ...] = ("number", "issuer", "recipient", "problem", "reference")
    names += ("status", "reason", "level", "requirement")
    texts = {name: getattr(card, name) for name in names if getattr(card, name) != ""}
    key = (
        "warning_card",
        card.date,
        card.due_on,
        card.rejections,
        card.respond_by,
        tuple(sorted(texts)),
    )

    def render(t: dict[str, str]) -> bytes:
        changes: dict[str, Any] = dict(t)
        return _render_warning_card(replace(card, **changes))

    return filled(key, render, texts)


def _render_warning_card(card: WarningCard) -> bytes:
    document = new_document()
    title(document, "整改警示卡")
    paragraph(
        document,
        card.number or BLANK_NUMBER,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=0,
        after=6,
    )
    rows: list[tuple[str, str]] = [
        ("责任单位", card.recipient),
        ("问题", card.problem + (f"（编号：{card.reference}）" if card.reference else "")),
        ("整改期限", chinese_date(card.due_on)),
        ("整改现状", card.status),
        ("警示事由", card.reason),
    ]
    if card.rejections:
        rows.append(("验收不通过", f"{card.rejections}次"))
    rows.append(("警示层级", card.level))
    if card.respond_by:
        rows.append(("整改反馈时限", f"{chinese_date(card.respond_by)}前"))
    rows.append(("整改要求", card.requirement))
    width = usable_width_mm(document.sections[-1])
    widths = (32.0, width - 32.0)
    table = document.add_table(rows=len(rows), cols=2)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row_properties(row, header=False)
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = Mm(w)
        cell_text(row.cells[0], label, font=HEADING_FONT, size=14)
        cell_text(row.cells[1], value, size=14)
        row.cells[1].paragraphs[0].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    signature(document, issuer=card.issuer, day=card.date)
    return to_bytes(document)


# --------------------------------------------------------------------------- 约谈通知


@dataclass(frozen=True)
class InterviewNotice:
    """A 约谈通知 to a unit (and the person to attend): when, where, who interviews, why,
    and what to bring."""

    number: str
    issuer: str
    recipient: str
    date: dt.date
    at: dt.datetime
    place: str
    interviewer: str  # the interviewing leader, with title: “市纪委副书记 张某某”
    reason: str
    attendee: str = ""  # who must attend: “你单位主要负责人 李某某”
    bring: Sequence[str] = ()
    contact: str = ""
    header: str = ""
    copy_to: str = ""


def render_interview_notice_docx(*, notice: InterviewNotice) -> bytes:
    """One 约谈通知 as a .docx file's bytes."""
    document = new_document()
    _number_line(document, header=notice.header, number=notice.number)
    title(document, "约谈通知")
    _number_under_title(document, header=notice.header, number=notice.number)
    _recipient(document, notice.recipient)
    who = notice.attendee or "你单位主要负责人"
    paragraph(
        document,
        f"{notice.reason.rstrip('。')}。根据有关规定，决定由{notice.interviewer}对{who}进行约谈。"
        "现将有关事项通知如下：",
    )
    items = [
        f"约谈时间：{chinese_datetime(notice.at)}。",
        f"约谈地点：{notice.place}。",
        f"约谈人：{notice.interviewer}。",
        f"被约谈人：{who}。",
    ]
    if notice.bring:
        items.append("请携带以下材料：" + "；".join(b.rstrip("。；;") for b in notice.bring) + "。")
    items.append("被约谈人应按时参加，不得委托他人代替；确有特殊情况不能参加的，应提前书面说明。")
    _numbered(document, items)
    if notice.contact:
        paragraph(document, f"联系人及电话：{notice.contact}")
    signature(document, issuer=notice.issuer, day=notice.date)
    _copy_to(document, notice.copy_to)
    return to_bytes(document)


# --------------------------------------------------------------------------- 质询会纪要


class LedgerDecision(enum.StrEnum):
    """The decision a 质询会 takes on each problem (seed 002: 对账、交账、销账、清账)."""

    HAND_OVER = "交账"  # the unit accounts for the problem and takes on its rectification
    CLOSE = "销账"  # rectified and verified: struck off the ledger
    CLEAR = "清账"  # settled by accountability or transfer: the account is cleared


@dataclass(frozen=True)
class InquiryItem:
    """One problem examined at a 质询会 and the decision taken on it."""

    unit: str
    problem: str
    decision: LedgerDecision
    note: str = ""


@dataclass(frozen=True)
class InquiryMinutes:
    """The minutes (纪要) of a 质询会."""

    number: str
    issuer: str
    meeting: str  # “2026年第三季度问题整改质询会”
    held_on: dt.date
    place: str
    chair: str
    attendees: Sequence[str]
    items: Sequence[InquiryItem]
    date: dt.date
    requirements: Sequence[str] = ()
    header: str = ""
    copy_to: str = ""

    def count(self, decision: LedgerDecision) -> int:
        return sum(1 for item in self.items if item.decision is decision)


def render_inquiry_minutes_docx(*, minutes: InquiryMinutes) -> bytes:
    """The minutes of one 质询会 as a .docx file's bytes."""
    document = new_document()
    _number_line(document, header=minutes.header, number=minutes.number)
    title(document, f"{minutes.meeting}纪要")
    _number_under_title(document, header=minutes.header, number=minutes.number)
    heading(document, "一、会议基本情况")
    paragraph(
        document,
        f"{chinese_date(minutes.held_on)}，{minutes.chair}在{minutes.place}主持召开"
        f"{minutes.meeting}，对{len(minutes.items)}个问题逐一对账质询。"
        f"参加人员：{'、'.join(minutes.attendees)}。",
    )
    heading(document, "二、质询事项及决定")
    counts = "，".join(
        f"{decision.value}{minutes.count(decision)}项"
        for decision in LedgerDecision
        if minutes.count(decision)
    )
    paragraph(document, f"会议对{len(minutes.items)}个问题作出决定：{counts or '无'}。")
    headers = ("序号", "单位", "问题", "决定", "说明")
    width = usable_width_mm(document.sections[-1])
    widths = (12.0, 30.0, width - 12.0 - 30.0 - 16.0 - 40.0, 16.0, 40.0)
    table = document.add_table(rows=1 + len(minutes.items), cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    row_properties(table.rows[0], header=True)
    for cell, text, w in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = Mm(w)
        cell_text(cell, text, font=HEADING_FONT)
    for i, (row, item) in enumerate(zip(table.rows[1:], minutes.items, strict=True), start=1):
        row_properties(row, header=False)
        values = (str(i), item.unit, item.problem, item.decision.value, item.note)
        for cell, text, w in zip(row.cells, values, widths, strict=True):
            cell.width = Mm(w)
            cell_text(cell, text)
    if minutes.requirements:
        heading(document, "三、会议要求")
        _numbered(document, minutes.requirements)
    signature(document, issuer=minutes.issuer, day=minutes.date)
    _copy_to(document, minutes.copy_to)
    return to_bytes(document)


@dataclass(frozen=True)
class InquiryAgendaItem:
    """One problem on a 质询会's agenda, with its platform number and where its
    rectification stands."""

    problem: str
    reference: str = ""
    status: str = ""


@dataclass(frozen=True)
class InquiryAgenda:
    """The agenda (议程) of a 质询会: when and where, who chairs and attends, the unit
    questioned and the problems to be checked one by one (对账)."""

    issuer: str
    meeting: str
    held_on: dt.date
    place: str
    chair: str
    unit: str
    attendees: Sequence[str]
    items: Sequence[InquiryAgendaItem]
    date: dt.date


def render_inquiry_agenda_docx(*, agenda: InquiryAgenda) -> bytes:
    """The agenda of one 质询会 as a .docx file's bytes (same layout as the minutes)."""
    if not agenda.items:
        raise ValueError("质询会议程至少需要一个问题")
    document = new_document()
    title(document, f"{agenda.meeting}议程")
    heading(document, "一、会议时间和地点")
    paragraph(document, f"时间：{chinese_date(agenda.held_on)}。地点：{agenda.place}。")
    heading(document, "二、主持人和参加人员")
    paragraph(document, f"主持人：{agenda.chair}。")
    paragraph(document, f"参加人员：{'、'.join(agenda.attendees) or '另行通知'}。")
    paragraph(document, f"被质询单位：{agenda.unit}。")
    heading(document, "三、会议议程")
    _numbered(
        document,
        [
            f"{agenda.unit}汇报问题整改和问题线索办理情况；",
            f"逐项对账质询（{len(agenda.items)}个问题，见下表）；",
            "逐项作出交账、销账、清账决定；",
            "主持人提出工作要求。",
        ],
    )
    headers = ("序号", "问题", "编号", "整改状态")
    width = usable_width_mm(document.sections[-1])
    widths = (12.0, width - 12.0 - 36.0 - 30.0, 36.0, 30.0)
    table = document.add_table(rows=1 + len(agenda.items), cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    row_properties(table.rows[0], header=True)
    for cell, text, w in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = Mm(w)
        cell_text(cell, text, font=HEADING_FONT)
    for i, (row, item) in enumerate(zip(table.rows[1:], agenda.items, strict=True), start=1):
        row_properties(row, header=False)
        values = (str(i), item.problem, item.reference, item.status)
        for cell, text, w in zip(row.cells, values, widths, strict=True):
            cell.width = Mm(w)
            cell_text(cell, text)
    signature(document, issuer=agenda.issuer, day=agenda.date)
    return to_bytes(document)


# --------------------------------------------------------------------------- 主体责任提醒卡


@dataclass(frozen=True)
class ReminderCard:
    """A quarterly 主体责任提醒卡 (seed 001), issued in the name of a party committee to a
    named leader, with the leader's 主体责任清单 items for the quarter and a QR code that
    opens the card's page (``url``) after login."""

    organ: str  # the party committee in whose name the card is issued
    leader_name: str
    leader_title: str
    year: int
    quarter: int
    items: Sequence[str]
    url: str
    date: dt.date
    number: str = ""
    summary_due: dt.date | None = None
    notes: Sequence[str] = field(default_factory=tuple)


def render_reminder_card_docx(*, card: ReminderCard) -> bytes:
    """One 主体责任提醒卡 as a .docx file's bytes (filled into the template of its
    quarter, date and number of items: the same file as rendering it anew)."""
    texts = {
        "organ": card.organ,
        "leader_name": card.leader_name,
        "leader_title": card.leader_title,
        "url": card.url,
        **{f"item{i}": text for i, text in enumerate(card.items)},
    }
    if card.number:
        texts["number"] = card.number
    key = (
        "reminder_card",
        card.year,
        card.quarter,
        card.date,
        card.summary_due,
        len(card.items),
        # The notes (a committee's 负面清单, the same on each of its cards) are part of
        # the template, not filled: their heading ends with a colon (no safe text).
        tuple(card.notes),
        bool(card.number),
    )

    def render(t: dict[str, str]) -> bytes:
        return _render_reminder_card(
            replace(
                card,
                organ=t["organ"],
                leader_name=t["leader_name"],
                leader_title=t["leader_title"],
                url=t["url"],
                items=[t[f"item{i}"] for i in range(len(card.items))],
                number=t.get("number", ""),
            )
        )

    return filled(key, render, texts, blobs=lambda: {qr_png(token("url")): qr_png(card.url)})


def _render_reminder_card(card: ReminderCard) -> bytes:
    if not 1 <= card.quarter <= 4:
        raise ValueError(f"季度应为1至4，收到{card.quarter}")
    if not card.items:
        raise ValueError("提醒卡至少需要一项主体责任清单事项")
    document = new_document()
    paragraph(
        document,
        card.organ,
        font=TITLE_FONT,
        size=SIZE_SUBTITLE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=0,
    )
    quarter = f"{card.year}年第{chinese_number(card.quarter)}季度"
    title(document, f"{quarter}党风廉政建设主体责任提醒卡")
    if card.number:
        paragraph(document, card.number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, after=6)
    _recipient(document, f"{card.leader_title}{card.leader_name}同志")
    paragraph(
        document,
        f"根据党风廉政建设主体责任清单，现将{quarter}需要您履行的主体责任事项提示如下，"
        "请对照落实：",
    )
    _numbered(document, card.items)
    due = card.summary_due or _quarter_summary_due(card.year, card.quarter)
    paragraph(
        document,
        f"请于{chinese_date(due)}前逐项报送本季度履责情况小结。对落实主体责任不力的，"
        "将视情进行提醒谈话、诫勉谈话直至问责。",
    )
    for note in card.notes:
        paragraph(document, note)
    picture = paragraph(document, "", align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, exact=None)
    picture.add_run().add_picture(io.BytesIO(qr_png(card.url)), width=Mm(30))
    paragraph(
        document,
        "扫描二维码，登录后查看本提醒卡并填报履责情况",
        size=SIZE_NOTE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=0,
        exact=None,
    )
    paragraph(
        document,
        card.url,
        size=SIZE_NOTE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=0,
        exact=None,
    )
    signature(document, issuer=card.organ, day=card.date)
    return to_bytes(document)


def _quarter_summary_due(year: int, quarter: int) -> dt.date:
    """The 5th of the month after the quarter (一季一总结)."""
    month = quarter * 3 + 1
    if month > 12:
        return dt.date(year + 1, 1, 5)
    return dt.date(year, month, 5)


__all__ = [
    "BLANK_NUMBER",
    "InquiryAgenda",
    "InquiryAgendaItem",
    "InquiryItem",
    "InquiryMinutes",
    "InterviewNotice",
    "LedgerDecision",
    "NoticeProblem",
    "RectificationNotice",
    "ReminderCard",
    "WarningCard",
    "render_inquiry_agenda_docx",
    "render_inquiry_minutes_docx",
    "render_interview_notice_docx",
    "render_rectification_notice_docx",
    "render_reminder_card_docx",
    "render_warning_card_docx",
]
