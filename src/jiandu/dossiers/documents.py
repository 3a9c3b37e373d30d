"""The 函复 of a 廉政意见 batch (GB/T 9704 layout, as the 通报) and its .xlsx annex of
every person and unit with their opinion. Pure functions from data to bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from jiandu.core.xlsx import Column, export_rows
from jiandu.documents.layout import (
    chinese_date,
    heading,
    masthead,
    new_document,
    paragraph,
    signature,
    title,
    to_bytes,
)


@dataclass(frozen=True)
class ReplyLine:
    order: int
    name: str
    post: str
    verdict: str
    text: str
    is_unit: bool


@dataclass(frozen=True)
class Reply:
    number: str
    issuer: str
    recipient: str
    request_ref: str
    purpose: str
    as_of: dt.date
    date: dt.date
    lines: Sequence[ReplyLine]


def render_reply_docx(reply: Reply) -> bytes:
    """The 函复: the request, the counts, and each 有影响 line in full; the annex lists all."""
    document = new_document()
    masthead(document, header=reply.issuer, document_number=reply.number)
    title(document, f"关于{reply.purpose}人选党风廉政情况的函复")
    paragraph(document, f"{reply.recipient}：", indent=0)
    people = [line for line in reply.lines if not line.is_unit]
    units = [line for line in reply.lines if line.is_unit]
    ref = f"（{reply.request_ref}）" if reply.request_ref else ""
    paragraph(
        document,
        f"你部来函{ref}收悉。经查阅政治生态档案（截至{chinese_date(reply.as_of)}），"
        f"现将{len(people)}名干部" + (f"、{len(units)}家单位" if units else "")
        + "党风廉政方面的意见函复如下：",
    )  # fmt: skip
    objections = [line for line in reply.lines if line.verdict == "有影响"]
    heading(document, "一、总体情况")
    paragraph(
        document,
        f"共审查{len(people)}人" + (f"、{len(units)}家单位" if units else "")
        + f"，其中{sum(1 for x in objections if not x.is_unit)}人"
        + (f"、{sum(1 for x in objections if x.is_unit)}家单位" if units else "")
        + "提出不同意见；其余未发现影响使用的问题。逐人（单位）意见见附件。",
    )  # fmt: skip
    heading(document, "二、提出不同意见的人员和单位")
    if not objections:
        paragraph(document, "无。")
    for i, line in enumerate(objections, start=1):
        who = f"{line.name}（{line.post}）" if line.post else line.name
        paragraph(document, f"{i}．{who}：{line.text}")
    paragraph(document, "附件：廉政意见明细表", indent=0, before=12)
    signature(document, issuer=reply.issuer, day=reply.date)
    return to_bytes(document)


ANNEX_COLUMNS = [
    Column("序号", lambda r: r.order, 6),
    Column("姓名或单位", lambda r: r.name, 18),
    Column("类别", lambda r: "单位" if r.is_unit else "干部", 8),
    Column("单位及职务", lambda r: r.post, 30),
    Column("意见", lambda r: r.verdict, 10),
    Column("意见内容", lambda r: r.text, 60),
]


def render_annex_xlsx(lines: Sequence[ReplyLine]) -> bytes:
    return export_rows(title="廉政意见明细表", columns=ANNEX_COLUMNS, rows=lines)
