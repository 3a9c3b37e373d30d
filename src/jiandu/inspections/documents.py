"""The round's official documents in the GB/T 9704 layout of the documents app, numbered
(文号) through :func:`jiandu.documents.services.document_issue`: the 巡察进驻通知 to a
target, and the 巡察反馈意见 listing the problems found there. Renderers are pure: data
in, .docx bytes out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from docx.enum.text import WD_ALIGN_PARAGRAPH

from jiandu.documents.layout import (
    chinese_date,
    heading,
    new_document,
    paragraph,
    signature,
    title,
    to_bytes,
)


@dataclass(frozen=True)
class EntryNotice:
    number: str
    issuer: str
    recipient: str
    round_name: str
    starts_on: dt.date
    ends_on: dt.date
    leader: str
    members: Sequence[str]
    focus_items: Sequence[str]
    date: dt.date


def render_entry_notice_docx(*, notice: EntryNotice) -> bytes:
    document = new_document()
    paragraph(document, notice.number or "〔    〕号", align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
    title(document, "巡察进驻通知")
    paragraph(document, f"{notice.recipient}：", indent=0)
    paragraph(
        document,
        f"根据工作安排，{notice.round_name}巡察组定于{chinese_date(notice.starts_on)}进驻你单位开展巡察，"
        f"至{chinese_date(notice.ends_on)}结束。现将有关事项通知如下：",
    )
    heading(document, "一、巡察组组成")
    paragraph(document, f"组长：{notice.leader}；组员：{'、'.join(notice.members) or '无'}。")
    if notice.focus_items:
        heading(document, "二、巡察重点")
        for i, item in enumerate(notice.focus_items, start=1):
            paragraph(document, f"{i}．{item}。")
    heading(document, "三、配合要求" if notice.focus_items else "二、配合要求")
    paragraph(document, "请你单位做好配合工作，如实提供有关资料，不得阻挠、干扰巡察工作。")
    signature(document, issuer=notice.issuer, day=notice.date)
    return to_bytes(document)


@dataclass(frozen=True)
class FeedbackProblem:
    number: str
    focus_item: str
    description: str


@dataclass(frozen=True)
class FeedbackOpinion:
    number: str
    issuer: str
    recipient: str
    round_name: str
    problems: Sequence[FeedbackProblem]
    due_days: int
    date: dt.date


def render_feedback_docx(*, opinion: FeedbackOpinion) -> bytes:
    document = new_document()
    paragraph(document, opinion.number or "〔    〕号", align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
    title(document, "巡察反馈意见")
    paragraph(document, f"{opinion.recipient}：", indent=0)
    paragraph(
        document,
        f"{opinion.round_name}巡察组对你单位进行了巡察。现将巡察发现的"
        f"{len(opinion.problems)}个问题反馈如下：",
    )
    for i, p in enumerate(opinion.problems, start=1):
        where = f"（{p.focus_item}）" if p.focus_item else ""
        paragraph(document, f"{i}．{p.description.rstrip('。')}{where}。问题编号：{p.number}。")
    paragraph(
        document,
        f"请你单位认真对照反馈的问题，逐条制定整改措施，在{opinion.due_days}日内将整改方案报送，"
        "整改情况在整改闭环中逐项报告，接受监督验收。",
    )
    signature(document, issuer=opinion.issuer, day=opinion.date)
    return to_bytes(document)
