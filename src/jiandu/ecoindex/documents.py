"""Documents of the index: the 预警通知书 to a unit classed 黄/橙/红, and the monthly
分析研判 report with its charts, laid out to GB/T 9704-2012 with the shared helpers of
:mod:`jiandu.documents.layout`.

The charts are PNG images drawn here (bars on a white ground, written with zlib as the QR
code of the layout module is): the virtual environment has no plotting or imaging
library, so the charts carry no text; each one's figures are printed under it.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from jiandu.documents.layout import (
    chinese_number,
    heading,
    masthead,
    new_document,
    paragraph,
    signature,
    title,
    to_bytes,
)

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RGB = {
    "green": (63, 159, 95),
    "yellow": (230, 192, 48),
    "orange": (232, 136, 58),
    "red": (200, 49, 43),
    "blue": (47, 93, 138),
    "gray": (201, 205, 212),
}
COLOUR_NAMES = {"green": "绿", "yellow": "黄", "orange": "橙", "red": "红"}


def bar_png(
    values: Sequence[float], colours: Sequence[str], *, width: int = 640, height: int = 240,
    top: float | None = None,
) -> bytes:  # fmt: skip
    """A bar chart as PNG bytes: one bar per value, on a baseline with light grid lines at
    each quarter of ``top`` (default: the largest value)."""
    top = top or max([*values, 1])
    n = max(len(values), 1)
    margin = 16
    slot = (width - 2 * margin) / n
    bar = max(2, int(slot * 0.6))
    pixels = [[(255, 255, 255)] * width for _ in range(height)]
    plot_h = height - 2 * margin
    for q in range(1, 5):
        y = height - margin - int(plot_h * q / 4)
        for x in range(margin, width - margin):
            pixels[y][x] = (237, 239, 243)
    for i, value in enumerate(values):
        h = int(plot_h * max(value, 0) / top)
        x0 = margin + int(slot * i + (slot - bar) / 2)
        colour = RGB.get(colours[i] if i < len(colours) else "blue", RGB["blue"])
        for y in range(height - margin - h, height - margin):
            row = pixels[y]
            for x in range(x0, min(x0 + bar, width)):
                row[x] = colour
    for x in range(margin, width - margin):
        pixels[height - margin][x] = (134, 144, 156)
    raw = bytearray()
    for row in pixels:
        raw += b"\x00" + bytes(c for px in row for c in px)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 6))
        + chunk(b"IEND", b"")
    )


@dataclass
class WarningNotice:
    number: str
    unit: str
    month_label: str
    index: str
    colour: str  # green|yellow|orange|red
    rank: int | None
    units: int
    pulled_down: list[dict[str, Any]]
    issuer: str
    date: dt.date
    reply_by: dt.date | None = None
    header: str = ""


def render_warning_notice(notice: WarningNotice) -> bytes:
    """The 政治生态预警通知书 to one unit."""
    document = new_document()
    colour = COLOUR_NAMES.get(notice.colour, notice.colour)
    if notice.header:
        masthead(document, header=notice.header, document_number=notice.number)
    title(document, "政治生态预警通知书")
    if not notice.header:
        paragraph(document, notice.number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, after=6)
    paragraph(document, f"{notice.unit}：", indent=0)
    rank = f"，在{notice.units}个参评单位中列第{notice.rank}名" if notice.rank else ""
    paragraph(
        document,
        f"根据政治生态监测评估（“一图一表一指数”）{notice.month_label}结果，你单位政治生态"
        f"指数为{notice.index}{rank}，被纳入{colour}色管理。请分析原因，抓好整改。",
    )
    if notice.pulled_down:
        paragraph(document, "拉低你单位指数的主要板块和指标如下：")
        for i, dim in enumerate(notice.pulled_down, start=1):
            leaves = "、".join(f"{leaf['name']}（{leaf['score']:.2f}分）" for leaf in dim["leaves"])
            text = f"{chinese_number(i)}、{dim['name']}得分{dim['score']:.2f}"
            paragraph(document, text + (f"，其中{leaves}。" if leaves else "。"))
    paragraph(document, "请你单位做好以下工作：")
    requirements = [
        "召开专题会议，对照上述板块和指标逐项分析原因，查找问题根源；",
        "制定整改方案，明确责任领导、责任人和完成时限，在整改闭环中签收并提交方案；",
        "举一反三，完善制度，防止问题反弹。",
    ]
    if notice.reply_by:
        day = notice.reply_by
        requirements.append(f"于{day.year}年{day.month}月{day.day}日前报送整改情况。")
    for i, text in enumerate(requirements, start=1):
        paragraph(document, f"（{chinese_number(i)}）{text}")
    paragraph(
        document,
        "你单位连续评估为绿色后，将按“评估—净化—评估”机制解除预警（复绿）；"
        "整改不力、颜色继续加深的，将约谈单位主要负责人。",
    )
    signature(document, issuer=notice.issuer, day=notice.date)
    return to_bytes(document)


def _caption(document: Any, text: str) -> None:
    paragraph(document, text, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, size=12)


def _movers(rows: Sequence[dict[str, Any]]) -> str:
    return "；".join(f"{r['unit']}（{r['change']:+.2f}，现为{r['index']}）" for r in rows)


@dataclass
class Analysis:
    month_label: str
    issuer: str
    date: dt.date
    distribution: list[dict[str, Any]]  # [{"colour", "label", "count"}]
    previous_distribution: list[dict[str, Any]] | None
    dimensions: list[dict[str, Any]]  # [{"name", "mean"}] weakest first
    risers: list[dict[str, Any]]  # [{"unit", "change", "index"}]
    fallers: list[dict[str, Any]]
    warned: list[dict[str, Any]]  # [{"unit", "colour", "number", "index"}]
    regreened: list[dict[str, Any]]  # [{"unit", "months"}]
    units: int
    missing: list[dict[str, Any]] = field(default_factory=list)


def render_analysis(report: Analysis) -> bytes:
    """The monthly 政治生态分析研判报告."""
    document = new_document()
    title(document, f"{report.month_label}政治生态分析研判报告")
    counts = "，".join(f"{d['label']}色{d['count']}个" for d in report.distribution)
    paragraph(
        document,
        f"{report.month_label}，对{report.units}个单位开展政治生态监测评估，评估结果为：{counts}。",
    )
    heading(document, "一、总体分布")
    counts_png = bar_png(
        [d["count"] for d in report.distribution], [d["colour"] for d in report.distribution]
    )
    document.add_picture(io.BytesIO(counts_png), width=Mm(150))
    figures = "、".join(f"{d['label']} {d['count']}" for d in report.distribution)
    _caption(document, f"图1 各颜色单位数（从左至右：{figures}）")
    if report.previous_distribution:
        before = "，".join(f"{d['label']}色{d['count']}个" for d in report.previous_distribution)
        paragraph(document, f"上月为：{before}。")
    heading(document, "二、薄弱板块")
    if report.dimensions:
        means_png = bar_png(
            [d["mean"] for d in report.dimensions], ["blue"] * len(report.dimensions), top=100
        )
        document.add_picture(io.BytesIO(means_png), width=Mm(150))
        figures = "、".join(f"{d['name']} {d['mean']:.2f}" for d in report.dimensions)
        _caption(document, f"图2 各板块平均得分（从左至右：{figures}）")
        weakest = "、".join(d["name"] for d in report.dimensions[:2])
        paragraph(document, f"平均得分最低的板块是{weakest}，应作为下一步监督的重点。")
    heading(document, "三、变化较大的单位")
    if report.risers:
        paragraph(document, "指数上升较多的：" + _movers(report.risers) + "。")
    if report.fallers:
        paragraph(document, "指数下降较多的：" + _movers(report.fallers) + "。")
    if not report.risers and not report.fallers:
        paragraph(document, "本月无可比较的上月结果。")
    heading(document, "四、预警和复绿")
    if report.warned:
        items = "；".join(
            f"{w['unit']}（{COLOUR_NAMES.get(w['colour'], w['colour'])}色，{w['index']}，"
            f"{w['number']}）"
            for w in report.warned
        )
        paragraph(document, f"本月新纳入预警管理{len(report.warned)}个单位：{items}。")
    else:
        paragraph(document, "本月没有新纳入预警管理的单位。")
    if report.regreened:
        items = "；".join(f"{r['unit']}（{r['months']}连续为绿色）" for r in report.regreened)
        paragraph(document, f"本月实现“复绿”{len(report.regreened)}个单位：{items}。")
    else:
        paragraph(document, "本月没有实现“复绿”的单位。")
    if report.missing:
        heading(document, "五、数据填报")
        for m in report.missing:
            more = "等" if len(m["units"]) > 20 else ""
            paragraph(document, f"{m['department']}未填报：{'、'.join(m['units'][:20])}{more}。")
    signature(document, issuer=report.issuer, day=report.date)
    return to_bytes(document)
