"""The layout every official document of the platform shares (GB/T 9704-2012,
党政机关公文格式): A4 with the standard margins, the 版头 in red with the 文号 and the red
separator line, the title in 2号 小标宋, the body in 3号 仿宋_GB2312 at a fixed 28-point
line pitch, first-level headings in 黑体, the signature and 成文日期 on the right, page
numbers “— 1 —”. Every Chinese run carries its East Asian font (``w:eastAsia``) as well as
the Latin one, so Word and WPS show the intended typefaces.

The helpers work on python-docx objects and import nothing from the platform's apps, so
the 多色榜 通报, the 工作预警通知书 and the documents of :mod:`jiandu.documents.renderers`
all come out of the same code.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable, Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

# --------------------------------------------------------------------------- typography

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"

SIZE_TITLE = 22  # 二号
SIZE_SUBTITLE = 18  # 小二
SIZE_BODY = 16  # 三号
SIZE_PAGE_NUMBER = 14  # 四号
SIZE_NOTE = 12  # 小四
SIZE_TABLE = 10.5  # 五号
LINE_PITCH = 28  # fixed line spacing of the body, in points

RED_HEADER = "E60012"  # the red of a 版头 and its separator line

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (for 一、二、 headings and 前三名)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    text = ("" if tens == 1 else _DIGITS[tens]) + "十" if tens else ""
    return text + (_DIGITS[ones] if ones else "")


def chinese_date(day: dt.date) -> str:
    """``2019年10月8日`` (GB/T 9704-2012 writes the 成文日期 in Arabic numerals)."""
    return f"{day.year}年{day.month}月{day.day}日"


# --------------------------------------------------------------------------- docx helpers


def insert_before(parent, child, successors: Sequence[str]) -> None:
    """Insert ``child`` where the OOXML schema wants it (Word rejects out-of-order XML)."""
    parent.insert_element_before(child, *successors)


def set_fonts(rpr, east_asia: str, latin: str = LATIN_FONT) -> None:
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def style_run(
    run,
    *,
    font: str,
    size: float,
    bold: bool = False,
    colour: str | None = None,
) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    set_fonts(run._element.get_or_add_rPr(), font)


def paragraph(
    container,
    text: str = "",
    *,
    font: str = BODY_FONT,
    size: float = SIZE_BODY,
    bold: bool = False,
    colour: str | None = None,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: float = 2,
    exact: float | None = LINE_PITCH,
    before: float = 0,
    after: float = 0,
    keep_with_next: bool = False,
):
    """A paragraph of one run; ``indent`` is the first-line indent in characters."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Pt(size * indent) if indent else None
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(exact)
    fmt.keep_with_next = keep_with_next
    fmt.widow_control = True
    if text:
        lines = text.split("\n")
        for i, line in enumerate(lines):
            run = paragraph.add_run(line)
            style_run(run, font=font, size=size, bold=bold, colour=colour)
            if i < len(lines) - 1:
                run.add_break(WD_BREAK.LINE)
    return paragraph


def bottom_rule(paragraph, *, colour: str = RED_HEADER, size_eighths: int = 12) -> None:
    """The red separator line under a 版头 (a bottom border on the paragraph)."""
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size_eighths))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), colour)
    border.append(bottom)
    insert_before(
        ppr,
        border,
        (
            "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
            "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
            "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
            "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
            "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
            "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
        ),
    )  # fmt: skip


def page_setup(section, *, landscape: bool) -> None:
    """A4 with GB/T 9704 margins (portrait); narrower margins for landscape tables."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(25), Mm(22)
        section.left_margin, section.right_margin = Mm(20), Mm(20)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(20)


def page_number_footer(section) -> None:
    """“— 1 —” centred, 4号 宋体, using a PAGE field."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def run(text: str = ""):
        r = paragraph.add_run(text)
        style_run(r, font=TABLE_FONT, size=SIZE_PAGE_NUMBER)
        return r

    def fld_char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run()._r.append(element)

    run("— ")
    fld_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run()._r.append(instr)
    fld_char("separate")
    run("1")
    fld_char("end")
    run(" —")


def new_document():
    """An empty A4 document whose default text is 3号 仿宋_GB2312, language zh-CN."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(SIZE_BODY)
    rpr = normal.element.get_or_add_rPr()
    set_fonts(rpr, BODY_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    insert_before(rpr, lang, ("w:eastAsianLayout", "w:specVanish", "w:oMath"))
    table_style = document.styles["Table Grid"]
    set_fonts(table_style.element.get_or_add_rPr(), TABLE_FONT)
    section = document.sections[0]
    page_setup(section, landscape=False)
    page_number_footer(section)
    core = document.core_properties
    core.author = ""
    core.last_modified_by = ""
    core.comments = ""
    return document


def masthead(document, *, header: str, document_number: str) -> None:
    """The 版头: organ name(s) in red, the 文号, and the red separator line."""
    for line in header.split("\n"):
        if line.strip():
            paragraph(
                document,
                line.strip(),
                font=TITLE_FONT,
                size=30,
                colour=RED_HEADER,
                align=WD_ALIGN_PARAGRAPH.CENTER,
                indent=0,
                exact=40,
            )
    number = paragraph(
        document,
        document_number,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=0,
        before=18,
        after=4,
    )
    bottom_rule(number)
    paragraph(document, "", indent=0)


def title(document, text: str, *, size: float = SIZE_TITLE) -> None:
    paragraph(
        document,
        text,
        font=TITLE_FONT,
        size=size,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=0,
        exact=size + 13,
        after=LINE_PITCH / 2,
    )


def heading(document, text: str) -> None:
    paragraph(document, text, font=HEADING_FONT, keep_with_next=True)


def signature(document, *, issuer: str, day: dt.date) -> None:
    paragraph(document, "", indent=0)
    for line in [*issuer.split("\n"), chinese_date(day)]:
        p = paragraph(document, line.strip(), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=0)
        p.paragraph_format.right_indent = Pt(SIZE_BODY * 2)


def shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    for old in tcpr.findall(qn("w:shd")):
        tcpr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    insert_before(
        tcpr,
        shd,
        (
            "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
            "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
        ),
    )  # fmt: skip


def row_properties(row, *, header: bool) -> None:
    """Rows never split across pages; header rows repeat on every page."""
    trpr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    insert_before(
        trpr,
        cant_split,
        ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del"),
    )
    if header:
        repeat = OxmlElement("w:tblHeader")
        insert_before(
            trpr, repeat, ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
        )


def cell_text(
    cell,
    text: str,
    *,
    font: str = TABLE_FONT,
    bold: bool = False,
    colour: str | None = None,
    size: float = SIZE_TABLE,
) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent = None
    fmt.space_before = Pt(1)
    fmt.space_after = Pt(1)
    fmt.line_spacing = 1.0
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        style_run(run, font=font, size=size, bold=bold, colour=colour)
        if i < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def usable_width_mm(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / Mm(1)


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@functools.lru_cache(maxsize=256)
def qr_png(text: str, *, box: int = 8, border: int = 4) -> bytes:
    """A QR code of ``text`` as a black-and-white PNG's bytes (``box`` pixels a module).

    The matrix comes from the ``qrcode`` library; the PNG is written here with zlib, so
    no imaging library is needed to put the code into a .docx."""
    import struct
    import zlib

    import qrcode

    code = qrcode.QRCode(border=border, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix) * box
    dark_px, light_px = b"\x00" * box, b"\xff" * box
    rows = bytearray()
    for line in matrix:
        pixels = b"".join(dark_px if dark else light_px for dark in line)
        rows += (b"\x00" + pixels) * box  # filter type 0 per scanline, 8-bit grey

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------- filled templates

# Tokens stand for a text in a template: private-use characters, which no safe text
# (see safe_text) can contain.
_TOKEN_START, _TOKEN_END = "\ue000", "\ue001"
_TEMPLATES_MAX = 64


def token(name: str) -> str:
    return f"{_TOKEN_START}{name}{_TOKEN_END}"


def safe_text(value: object) -> bool:
    """Whether ``value`` can stand in a template for its token: a non-empty one-line
    printable text without surrounding blanks or a trailing colon (the layout helpers
    split lines, turn tabs into tab stops, strip blanks and the colon after a
    recipient; such a text takes the full rendering instead)."""
    return (
        isinstance(value, str)
        and value != ""
        and value.isprintable()
        and value == value.strip()
        and not value.endswith(("：", ":"))
    )


class DocxTemplate:
    """A rendered .docx whose texts are tokens, filled per document: the same document
    as rendering it again with the texts in place of the tokens, without building the
    XML again (python-docx takes tens of milliseconds a document; the demo and a
    quarter's 提醒卡 issue them by the hundred).

    ``fill`` writes the package's parts in their order, the main part with every token
    replaced by its text (XML-escaped), the parts named in ``blobs`` (by their template
    content, e.g. a QR code of the token URL) by their new content."""

    def __init__(self, data: bytes, names: Sequence[str]) -> None:
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as package:
            self.parts = [(info.filename, package.read(info)) for info in package.infolist()]
        # Usable only when every token came through whole (a renderer that cuts or
        # transforms a text would leave pieces of its token).
        xml = dict(self.parts)["word/document.xml"].decode("utf-8")
        for name in names:
            xml = xml.replace(token(name), "")
        self.usable = _TOKEN_START not in xml and _TOKEN_END not in xml

    def fill(self, texts: dict[str, str], *, blobs: dict[bytes, bytes] | None = None) -> bytes:
        import zipfile
        from xml.sax.saxutils import escape

        blobs = blobs or {}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
            for name, blob in self.parts:
                if name == "word/document.xml":
                    xml = blob.decode("utf-8")
                    for key, text in texts.items():
                        xml = xml.replace(token(key), escape(text))
                    blob = xml.encode("utf-8")
                else:
                    blob = blobs.get(blob, blob)
                package.writestr(name, blob)
        return buffer.getvalue()


_templates: dict[tuple, DocxTemplate] = {}


def filled(
    key: tuple,
    render: Callable[[dict[str, str]], bytes],
    texts: dict[str, str],
    *,
    blobs: Callable[[], dict[bytes, bytes]] | None = None,
) -> bytes:
    """The document ``render(texts)`` would give, from the template of ``key``: the
    same rendering with a token for each text, done once per process and shape
    (``key`` holds everything else the rendering depends on), then filled. A text that
    is not :func:`safe_text`, or a template whose tokens did not come through whole,
    takes the full rendering."""
    if not all(safe_text(text) for text in texts.values()):
        return render(texts)
    template = _templates.get(key)
    if template is None:
        if len(_templates) >= _TEMPLATES_MAX:
            _templates.clear()
        template = _templates[key] = DocxTemplate(
            render({name: token(name) for name in texts}), list(texts)
        )
    if not template.usable:
        return render(texts)
    return template.fill(texts, blobs=blobs() if blobs else None)
