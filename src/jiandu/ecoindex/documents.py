"""Documents of the index: the 预警通知书 to a unit classed 黄/橙/红, and the monthly
分析研判 report with its charts, laid out to GB/T 9704-2012 with the shared helpers of
:mod:`jiandu.documents.layout`.

The charts are PNG images drawn with matplotlib (the Agg renderer, imported when a chart
is drawn, never at start-up) with Chinese titles, axis labels and category names in a
CJK font found on the system (Noto Sans CJK, Source Han Sans, WenQuanYi …). Without
one, a chart carries only numbers (its categories numbered 1, 2, …) and the document
says that the names are listed under it; each chart's figures are printed under it
either way.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
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

RGB = {
    "green": (63, 159, 95),
    "yellow": (230, 192, 48),
    "orange": (232, 136, 58),
    "red": (200, 49, 43),
    "blue": (47, 93, 138),
    "gray": (201, 205, 212),
}
COLOUR_NAMES = {"green": "绿", "yellow": "黄", "orange": "橙", "red": "红"}
# CJK fonts in order of preference (matplotlib's family names); failing these, any
# installed family whose name says CJK.
CJK_FONTS = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Noto Sans SC", "Droid Sans Fallback", "Noto Serif CJK SC",
)  # fmt: skip


@functools.cache
def cjk_font() -> str | None:
    """The family name of a CJK font matplotlib can use, or None when there is none."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in names:
            return name
    return next((n for n in sorted(names) if "CJK" in n.upper()), None)


def _hex(colour: str) -> str:
    return "#{:02x}{:02x}{:02x}".format(*RGB.get(colour, RGB["blue"]))


def bar_png(
    values: Sequence[float], colours: Sequence[str], *, labels: Sequence[str] = (),
    title: str = "", ylabel: str = "", top: float | None = None, value_format: str = "{:g}",
    width: int = 1200, height: int = 560,
) -> bytes:  # fmt: skip
    """A bar chart as PNG bytes (``width`` × ``height`` pixels): one bar per value, its
    figure above it, with ``labels`` under the bars and ``title``/``ylabel`` in a CJK
    font; without a CJK font the bars are numbered 1, 2, … and text that is not ASCII is
    left out (the caller lists the names under the chart)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = cjk_font()
    dpi = 200
    figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    # Text properties, passed on as keyword arguments (matplotlib's **kwargs: Any).
    text: dict[str, Any] = {"family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"]}
    n = len(values)
    names = list(labels) if font and len(labels) == n else [str(i) for i in range(1, n + 1)]
    positions = list(range(n))
    bars = axes.bar(
        positions, [max(float(v), 0) for v in values], width=0.6,
        color=[_hex(colours[i] if i < len(colours) else "blue") for i in positions],
    )  # fmt: skip
    axes.bar_label(bars, labels=[value_format.format(v) for v in values], padding=2,
                   fontsize=7, **text)  # fmt: skip
    axes.set_xticks(positions, names, fontsize=7, **text)
    axes.tick_params(axis="y", labelsize=7)
    high = top or max([float(v) for v in values] + [1])
    axes.set_ylim(0, high * 1.15)
    axes.grid(axis="y", color="#edeff3", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if font:
        if title:
            axes.set_title(title, fontsize=9, **text)
        if ylabel:
            axes.set_ylabel(ylabel, fontsize=8, **text)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=dpi, facecolor="white")
    return out.getvalue()


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


def _chart(document: Any, png: bytes, caption: str, names: Sequence[str]) -> None:
    """The chart, its caption with the figures, and — when the chart could not be
    labelled in Chinese — what its numbered bars stand for."""
    document.add_picture(io.BytesIO(png), width=Mm(150))
    _caption(document, caption)
    if cjk_font() is None:
        listed = "；".join(f"{i}为{name}" for i, name in enumerate(names, start=1))
        _caption(document, f"（本机无中文字体，图中以序号标示，名称列于图下：{listed}）")


def _wrap(name: str, width: int = 4) -> str:
    """A long Chinese name on lines of ``width`` characters (under a bar)."""
    return "\n".join(name[i : i + width] for i in range(0, len(name), width))


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
    names = [f"{d['label']}色" for d in report.distribution]
    counts_png = bar_png(
        [d["count"] for d in report.distribution], [d["colour"] for d in report.distribution],
        labels=names, title=f"{report.month_label}各颜色单位数", ylabel="单位数（个）",
    )  # fmt: skip
    figures = "、".join(f"{d['label']} {d['count']}" for d in report.distribution)
    _chart(document, counts_png, f"图1 各颜色单位数（从左至右：{figures}）", names)
    if report.previous_distribution:
        before = "，".join(f"{d['label']}色{d['count']}个" for d in report.previous_distribution)
        paragraph(document, f"上月为：{before}。")
    heading(document, "二、薄弱板块")
    if report.dimensions:
        names = [d["name"] for d in report.dimensions]
        means_png = bar_png(
            [d["mean"] for d in report.dimensions], ["blue"] * len(report.dimensions),
            labels=[_wrap(n) for n in names], title=f"{report.month_label}各板块平均得分",
            ylabel="平均得分（分）", top=100, value_format="{:.2f}",
        )  # fmt: skip
        figures = "、".join(f"{d['name']} {d['mean']:.2f}" for d in report.dimensions)
        _chart(document, means_png, f"图2 各板块平均得分（从左至右：{figures}）", names)
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
