"""Excel import of registry data: the framework the import kinds are built from.

A kind (see :mod:`jiandu.imports.kinds`) is a list of sheets; a sheet is a list of
columns; a column has its Chinese header, a key, whether it must be filled in, and a
parser that turns the cell into a value or raises :class:`CellError` with a message for
the person who filled in the sheet. The same specs produce the downloadable template
(header row, dropdowns for enumerations, an instructions sheet) and read the upload.

Reading never writes. :func:`jiandu.imports.services.import_file` reads and checks the
whole file first and, only when no cell is wrong, writes every row through the existing
service functions in one transaction (``ImportKind.write`` with a :class:`Writer`), or —
for the kinds whose files run to tens of thousands of rows — builds every record first
(``ImportKind.prepare``), writes them ahead where nobody sees them (``ImportKind.stage``)
and publishes them in that transaction (ADR 0010).
References are resolved within the actor's jurisdiction only: orgs through
``orgs.selectors.org_list``, people through ``person_find_by_id_number``, clues through
``clues.selectors.clue_list``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import translation

from jiandu.clues import lifecycle
from jiandu.clues.models import Clue, DomainTag
from jiandu.clues.selectors import clue_list
from jiandu.core import idnumbers
from jiandu.core.audit import StagedWrite
from jiandu.core.text import strip_invisible
from jiandu.orgs.models import Org
from jiandu.orgs.selectors import org_list
from jiandu.people.models import Person
from jiandu.people.selectors import person_find_by_id_number

# Rows a single uploaded file may hold. Every row goes through the audited service
# functions (about 20 ms a row on SQLite), all within one request, which has to finish
# well inside the server's timeout; the command line allows more (MAX_ROWS_COMMAND_LINE).
MAX_ROWS = 2000
MAX_ROWS_COMMAND_LINE = 100_000
# How many times the upload limit the unpacked contents of an .xlsx may be.
EXPANSION_LIMIT = 10
# Data rows of the template that carry dropdowns and cell formats.
TEMPLATE_ROWS = 1000
INSTRUCTIONS_SHEET = "填写说明"
OPTIONS_SHEET = "选项"


# --- results and errors ---------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be used; the message says why, in words for the filler."""


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded file. ``row`` is the row number Excel shows (the
    header is row 1); ``row`` None and ``column`` empty mean the whole file or sheet."""

    sheet: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ParsedRow:
    """A data row whose filled-in cells parsed: ``values`` by column key (an empty
    optional cell gives None; a cell that failed to parse is absent)."""

    sheet: str
    number: int
    values: dict[str, Any]

    def has(self, *keys: str) -> bool:
        return all(self.values.get(key) not in (None, "", []) for key in keys)


# --- cell parsers -----------------------------------------------------------------------

Parser = Callable[[Any, "ImportContext"], Any]


def squeeze(text: str) -> str:
    """Matching key: full-width to half-width, no spaces (labels, headers, names)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def cell_text(value: Any) -> str:
    """The cell as text: numbers without a trailing ``.0``, dates as YYYY-MM-DD, no
    invisible characters (``core.text``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return strip_invisible(str(value)).strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(max_length: int) -> Parser:
    def parse(value: Any, ctx: ImportContext) -> str:
        result = cell_text(value)
        if len(result) > max_length:
            raise CellError(f"不能超过{max_length}个字，实际为{len(result)}个字")
        return result

    return parse


def choice_labels(choices: type[models.Choices], exclude: Iterable[Any] = ()) -> list[str]:
    """Chinese labels of a choices class, in its order (what the dropdown offers)."""
    skip = set(exclude)
    with translation.override("zh-hans"):
        return [str(label) for value, label in choices.choices if value not in skip]


def enum(choices: type[models.Choices], exclude: Iterable[Any] = ()) -> Parser:
    """A value chosen by its Chinese label (full-width/half-width and spaces ignored)."""
    skip = set(exclude)
    with translation.override("zh-hans"):
        by_label = {squeeze(str(label)): value for value, label in choices.choices}
    by_label = {k: v for k, v in by_label.items() if v not in skip}
    allowed = "、".join(choice_labels(choices, exclude))

    def parse(value: Any, ctx: ImportContext) -> Any:
        raw = cell_text(value)
        try:
            return by_label[squeeze(raw)]
        except KeyError:
            raise CellError(f"“{raw}”不是可选值，应为以下之一：{allowed}") from None

    return parse


def yes_no(value: Any, ctx: ImportContext) -> bool:
    raw = squeeze(cell_text(value))
    if raw in {"是", "Y", "y", "TRUE", "True", "true", "1"}:
        return True
    if raw in {"否", "N", "n", "FALSE", "False", "false", "0"}:
        return False
    raise CellError(f"应填“是”或“否”，实际为“{cell_text(value)}”")


_DATE_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def date_value(value: Any, ctx: ImportContext) -> dt.date:
    """A date cell, a ``YYYY-MM-DD`` text (``/``, ``.`` and ``年月日`` also read), an
    8-digit number such as 20200302, or an Excel date serial."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 19000101 <= value <= 29991231:
            try:
                return dt.datetime.strptime(str(int(value)), "%Y%m%d").date()
            except ValueError:
                pass
        elif 1 <= value < 2958466:
            from openpyxl.utils.datetime import from_excel  # only for serial-number dates

            converted = from_excel(value)
            if isinstance(converted, dt.datetime):
                return converted.date()
        raise CellError(f"日期格式应为YYYY-MM-DD（如2020-03-02），实际为“{cell_text(value)}”")
    raw = squeeze(cell_text(value))
    match = _DATE_TEXT.match(raw)
    if match is None and re.fullmatch(r"\d{8}", raw):
        match = re.match(r"^(\d{4})(\d{2})(\d{2})$", raw)
    if match is None:
        raise CellError(f"日期格式应为YYYY-MM-DD（如2020-03-02），实际为“{cell_text(value)}”")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(f"“{cell_text(value)}”不是有效日期") from None


def money(value: Any, ctx: ImportContext) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        raw = squeeze(cell_text(value)).replace(",", "").removesuffix("元")
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise CellError(f"应为金额（元），如1234.50，实际为“{cell_text(value)}”") from None
    if not amount.is_finite():
        raise CellError(f"应为金额（元），如1234.50，实际为“{cell_text(value)}”")
    if amount < 0:
        raise CellError("金额不能为负数")
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError("金额最多保留两位小数（元、角、分）")
    return amount.quantize(Decimal("0.01"))


def _id_text(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Excel keeps 15 significant digits: an 18-digit number typed into a number
        # cell has already lost its last digits, so it cannot be trusted.
        raise CellError(
            "身份证号码被存成了数字，Excel会丢失末尾几位；请把该列设为“文本”格式后重新填写"
        )
    return cell_text(value)


def id_number(value: Any, ctx: ImportContext) -> str:
    try:
        return idnumbers.parse(_id_text(value)).number
    except idnumbers.IdNumberError as exc:
        raise CellError(str(exc)) from None


def person_by_id(value: Any, ctx: ImportContext) -> Person:
    return ctx.person(id_number(value, ctx))


def split_list(raw: str) -> list[str]:
    """Items of a list cell, separated by commas (either width), 、 or semicolons."""
    return [item.strip() for item in re.split(r"[,，、;；\n]+", raw) if item.strip()]


def people_by_ids(value: Any, ctx: ImportContext) -> list[Person]:
    people: list[Person] = []
    for item in split_list(_id_text(value)):
        try:
            number = idnumbers.parse(item).number
        except idnumbers.IdNumberError as exc:
            raise CellError(f"“{idnumbers.mask(item)}”：{exc}") from None
        person = ctx.person(number)
        if person not in people:
            people.append(person)
    return people


def names(max_length: int) -> Parser:
    def parse(value: Any, ctx: ImportContext) -> list[str]:
        items = list(dict.fromkeys(split_list(cell_text(value))))
        for item in items:
            if len(item) > max_length:
                raise CellError(f"“{item}”超过{max_length}个字")
        return items

    return parse


def domain_tags(value: Any, ctx: ImportContext) -> list[DomainTag]:
    tags = []
    for item in split_list(cell_text(value)):
        tag = ctx.domains.get(squeeze(item))
        if tag is None:
            allowed = "、".join(t.name for t in ctx.domains.values()) or "（系统中尚未设置领域）"
            raise CellError(f"领域“{item}”不存在，可选：{allowed}")
        if tag not in tags:
            tags.append(tag)
    return tags


def org_ref(value: Any, ctx: ImportContext) -> OrgNode:
    return ctx.orgs.resolve(cell_text(value))


def region_code(value: Any, ctx: ImportContext) -> str:
    raw = squeeze(cell_text(value))
    if not re.fullmatch(r"\d{6}|\d{9}|\d{12}", raw):
        raise CellError(f"应为6位（县）、9位（乡镇）或12位（村）数字，实际为“{cell_text(value)}”")
    return raw


def clue_by_number(value: Any, ctx: ImportContext) -> Clue:
    return ctx.clue(squeeze(cell_text(value)).upper())


# --- the org directory ----------------------------------------------------------------


@dataclass(eq=False)
class OrgNode:
    """An org a file may refer to: an existing one within the actor's jurisdiction, or
    one that an earlier row of the file creates (``org`` is set once it is written)."""

    name: str
    region_code: str
    parent: OrgNode | None
    org: Org | None = None
    row: int | None = None

    @property
    def label(self) -> str:
        return f"{self.parent.name}/{self.name}" if self.parent else self.name


class OrgDirectory:
    """Resolves the org references of a file: an exact name, ``上级单位/名称`` when a
    name is shared, or a region code; only orgs within the actor's jurisdiction (and
    orgs created by earlier rows of the same file) are found."""

    def __init__(self, user: Any) -> None:
        orgs = list(org_list(user=user).only("pk", "name", "region_code", "parent_id", "path"))
        nodes = {
            o.pk: OrgNode(name=o.name, region_code=o.region_code, parent=None, org=o) for o in orgs
        }
        for o in orgs:
            nodes[o.pk].parent = nodes.get(o.parent_id) if o.parent_id else None
        self.nodes: list[OrgNode] = []
        self._by_name: dict[str, list[OrgNode]] = {}
        self._by_code: dict[str, list[OrgNode]] = {}
        for node in nodes.values():
            self._index(node)

    def _index(self, node: OrgNode) -> None:
        self.nodes.append(node)
        self._by_name.setdefault(squeeze(node.name), []).append(node)
        if node.region_code:
            self._by_code.setdefault(node.region_code, []).append(node)

    def add(self, *, name: str, region_code: str, parent: OrgNode | None, row: int) -> OrgNode:
        node = OrgNode(name=name, region_code=region_code, parent=parent, row=row)
        self._index(node)
        return node

    def children_named(self, parent: OrgNode, name: str) -> list[OrgNode]:
        return [n for n in self._by_name.get(squeeze(name), []) if n.parent is parent]

    def reference_names(self) -> list[str]:
        """What a template's org dropdown offers: each org by the shortest unambiguous
        reference (its name, or 上级/名称 when the name is shared)."""
        refs = []
        for node in self.nodes:
            shared = len(self._by_name[squeeze(node.name)]) > 1
            refs.append(node.label if shared else node.name)
        return sorted(set(refs))

    def resolve(self, ref: str) -> OrgNode:
        key = squeeze(ref)
        if re.fullmatch(r"\d{6}|\d{9}|\d{12}", key):
            candidates = self._by_code.get(key, [])
        elif "/" in key:
            parts = [p for p in key.split("/") if p]
            candidates = [
                n for n in self._by_name.get(parts[-1], []) if self._ancestors_are(n, parts[:-1])
            ]
        else:
            candidates = self._by_name.get(key, [])
        if not candidates:
            raise CellError(f"单位“{ref}”不存在或不在您的管辖范围内")
        if len(candidates) > 1:
            labels = "、".join(n.label for n in candidates[:5])
            raise CellError(
                f"“{ref}”对应{len(candidates)}个单位（{labels}），"
                "请写成“上级单位/单位名称”或填写行政区划代码"
            )
        return candidates[0]

    @staticmethod
    def _ancestors_are(node: OrgNode, names: list[str]) -> bool:
        current = node.parent
        for name in reversed(names):
            if current is None or squeeze(current.name) != name:
                return False
            current = current.parent
        return True


# --- context: what parsers look up ------------------------------------------------------


class ImportContext:
    """Look-ups for one file, always within the actor's jurisdiction, cached per file."""

    def __init__(self, actor: Any, *, filename: str = "", sha256: str = "") -> None:
        self.actor = actor
        # The uploaded file, for kinds that keep where each row came from.
        self.filename = filename
        self.sha256 = sha256
        self._people: dict[str, Person] = {}
        self._clues: dict[str, Clue] = {}

    @cached_property
    def orgs(self) -> OrgDirectory:
        return OrgDirectory(self.actor)

    @cached_property
    def domains(self) -> dict[str, DomainTag]:
        return {squeeze(t.name): t for t in DomainTag.objects.filter(archived_at__isnull=True)}

    def person(self, number: str) -> Person:
        if number not in self._people:
            person = person_find_by_id_number(user=self.actor, id_number=number)
            if person is None or person.is_archived:
                raise CellError(
                    f"身份证号码为{idnumbers.mask(number)}的人员未登记或不在您的管辖范围内，"
                    "请先导入人员名册"
                )
            self._people[number] = person
        return self._people[number]

    def clue(self, number: str) -> Clue:
        if number not in self._clues:
            clue = clue_list(user=self.actor).filter(number=number).first()
            if clue is None:
                raise CellError(f"线索编号“{number}”不存在或不在您的管辖范围内")
            self._clues[number] = clue
        return self._clues[number]


# --- specs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a sheet. ``choices`` fill the dropdown (strict: other values are
    refused by Excel); ``org_dropdown`` offers the actor's orgs as suggestions."""

    header: str
    key: str
    parse: Parser
    required: bool = False
    help: str = ""
    example: str = ""
    choices: tuple[str, ...] = ()
    org_dropdown: bool = False
    is_date: bool = False
    is_text: bool = False
    width: int = 16


def enum_column(
    header: str,
    key: str,
    choices: type[models.Choices],
    *,
    required: bool = False,
    help: str = "",
    example: str = "",
    exclude: Iterable[Any] = (),
    width: int = 16,
) -> Column:
    exclude = tuple(exclude)
    labels = tuple(choice_labels(choices, exclude))
    return Column(
        header,
        key,
        enum(choices, exclude),
        required=required,
        help=(help + "；" if help else "") + "从下拉列表选择：" + "、".join(labels),
        example=example or labels[0],
        choices=labels,
        width=width,
    )


def date_column(header: str, key: str, *, required: bool = False, help: str = "") -> Column:
    return Column(
        header,
        key,
        date_value,
        required=required,
        help=(help + "；" if help else "") + "格式YYYY-MM-DD，如2020-03-02",
        example="2020-03-02",
        is_date=True,
        width=14,
    )


def org_column(header: str, key: str, *, required: bool = True, help: str = "") -> Column:
    return Column(
        header,
        key,
        org_ref,
        required=required,
        help=(help + "；" if help else "")
        + "填写单位全称；重名时写成“上级单位/单位名称”，也可填写行政区划代码；须在您的管辖范围内",
        example="五华区纪委监委",
        org_dropdown=True,
        width=24,
    )


@dataclass(frozen=True)
class SheetSpec:
    title: str
    columns: tuple[Column, ...]
    optional: bool = False  # a workbook may leave this sheet out or empty

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def header(self, key: str) -> str:
        return self.column(key).header


class Writer:
    """Runs the service calls of one import and turns a refusal into a row error.

    Each call runs in its own savepoint so that the remaining rows are still tried (and
    all their problems reported); the caller rolls the whole file back if any failed."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.errors: list[RowError] = []
        self.created: Counter[str] = Counter()
        self.references: dict[str, str] = {}
        # What ``ImportKind.prepare`` built before the write transaction, for ``write``.
        self.prepared: Any = None
        # Rows ``ImportKind.stage`` wrote ahead of the write transaction, which ``write``
        # publishes (set by ``import_file``; discarded when the import ends).
        self.staged: StagedWrite | None = None

    def call(
        self,
        row: ParsedRow,
        fields: dict[str, str],
        service: Callable[..., Any],
        **kwargs: Any,
    ) -> Any:
        """``fields`` maps the service's field names to this sheet's column headers."""
        try:
            with transaction.atomic():
                return service(actor=self.actor, **kwargs)
        except ValidationError as exc:
            self.refusal(row, fields, exc)
        except (lifecycle.TransitionError, IntegrityError) as exc:
            self.error(row, "", str(exc))
        return None

    def refusal(self, row: ParsedRow, fields: dict[str, str], exc: ValidationError) -> None:
        """A service's ValidationError as row errors, each under its column."""
        for name, messages in _validation_items(exc):
            for message in messages:
                self.error(row, fields.get(name, ""), message)

    def error(self, row: ParsedRow, column: str, message: str) -> None:
        self.errors.append(RowError(row.sheet, row.number, column, message))


def _validation_items(exc: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(exc, "error_dict"):
        return [
            ("" if name == NON_FIELD_ERRORS else name, list(messages))
            for name, messages in exc.message_dict.items()
        ]
    return [("", list(exc.messages))]


Rows = dict[str, list[ParsedRow]]


class ImportKind:
    """One kind of import: its sheets, its permission, its cross-row checks and how its
    rows are written. Subclasses fill in the class attributes and ``write``."""

    key: ClassVar[str]
    label: ClassVar[str]
    description: ClassVar[str]
    permission: ClassVar[str]
    sheets: ClassVar[tuple[SheetSpec, ...]]
    notes: ClassVar[tuple[str, ...]] = ()
    # Service field name -> column key, per sheet; used to place service refusals.
    service_fields: ClassVar[dict[str, str]] = {}

    def permitted(self, user: Any) -> bool:
        return bool(user.has_perm(self.permission))

    def row_checks(
        self, sheet: SheetSpec, row: ParsedRow, ctx: ImportContext
    ) -> list[tuple[str, str]]:
        """Checks across the columns of one row: (column key, message) pairs. Called
        for each row in file order, after its cells parsed (failed cells are absent)."""
        return []

    def file_checks(self, rows: Rows, ctx: ImportContext) -> list[RowError]:
        """Checks across rows (duplicates, references between sheets)."""
        return []

    def permission_errors(self, user: Any, rows: Rows) -> list[str]:
        """Further permissions the file's content needs (e.g. closing clues)."""
        return []

    def prepare(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        """Work done before the write transaction opens: building and checking the
        records (``writer.error`` for refusals, ``writer.prepared`` for ``write``). On
        SQLite the write transaction holds the database's only write lock, so whatever
        can be done here keeps other users' writes and logins from waiting."""

    def stage(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        """Still before the write transaction, once ``prepare`` found no problem: write
        the prepared rows into ``writer.staged`` (seen by nobody), for ``write`` to
        publish in one short transaction whatever the number of rows (ADR 0010)."""

    def write(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        raise NotImplementedError

    def fields(self, sheet: SheetSpec) -> dict[str, str]:
        return {
            name: sheet.header(key) for name, key in self.service_fields.items() if _has(sheet, key)
        }


def _has(sheet: SheetSpec, key: str) -> bool:
    return any(c.key == key for c in sheet.columns)


# --- reading an upload -----------------------------------------------------------------


@dataclass
class SheetData:
    spec: SheetSpec
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def check_size(size: int) -> str:
    """The refusal for a file over ``JIANDU_MAX_UPLOAD_BYTES`` (empty when it fits),
    checked before anything is read or parsed."""
    limit = settings.JIANDU_MAX_UPLOAD_BYTES
    if size > limit:
        return f"文件大小为{_megabytes(size)}，超过上限{_megabytes(limit)}，请拆分后分批导入"
    if size == 0:
        return "文件是空的"
    return ""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}MB"


def read_workbook(
    kind: ImportKind, data: bytes, *, max_rows: int = MAX_ROWS
) -> tuple[list[SheetData], list[RowError]]:
    """The data rows of each of the kind's sheets, with the header checked. Only the
    raw cell values: parsing is :func:`parse_rows`."""
    main = kind.sheets[0].title
    not_a_workbook = [
        RowError(
            main,
            None,
            "",
            "无法读取文件：请上传按模板填写的 .xlsx 文件（Excel 2007 及以上格式；"
            ".xls 文件请先另存为 .xlsx）",
        )
    ]
    # An .xlsx is a zip archive: refuse one that would expand far beyond any real
    # register before openpyxl inflates it (the declared sizes bound what zipfile reads).
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return [], not_a_workbook
    if expanded > settings.JIANDU_MAX_UPLOAD_BYTES * EXPANSION_LIMIT:
        return [], [
            RowError(
                main, None, "", f"文件解压后为{_megabytes(expanded)}，内容过大，请拆分后分批导入"
            )
        ]
    try:
        from openpyxl import load_workbook  # imported by the commands that read a file

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # any failure here means the upload is not a readable workbook
        return [], not_a_workbook
    try:
        sheets: list[SheetData] = []
        errors: list[RowError] = []
        titles = {spec.title for spec in kind.sheets}
        for index, spec in enumerate(kind.sheets):
            if spec.title in workbook.sheetnames:
                worksheet = workbook[spec.title]
            elif index == 0:
                # A renamed data sheet: take the first sheet that is not one of ours.
                others = [
                    name
                    for name in workbook.sheetnames
                    if name not in titles | {INSTRUCTIONS_SHEET, OPTIONS_SHEET}
                ]
                if not others:
                    errors.append(RowError(spec.title, None, "", f"文件中没有“{spec.title}”工作表"))
                    continue
                worksheet = workbook[others[0]]
            else:
                sheets.append(SheetData(spec))
                continue
            sheet, sheet_errors = _read_sheet(worksheet, spec, max_rows)
            errors.extend(sheet_errors)
            if sheet is not None:
                sheets.append(sheet)
        return sheets, errors
    finally:
        workbook.close()


def _read_sheet(
    worksheet: Any, spec: SheetSpec, max_rows: int
) -> tuple[SheetData | None, list[RowError]]:
    rows = worksheet.iter_rows(values_only=True)
    header_cells = next(rows, ())
    actual = [cell_text(value) for value in header_cells]
    while actual and not actual[-1]:
        actual.pop()
    if not actual and spec.optional:
        return SheetData(spec), []
    expected = {squeeze(column.header): column for column in spec.columns}
    positions: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, header in enumerate(actual):
        if not header:
            continue
        column = expected.get(squeeze(header))
        if column is None:
            unknown.append(header)
        elif column.key in positions:
            repeated.append(header)
        else:
            positions[column.key] = index
    missing = [column.header for column in spec.columns if column.key not in positions]
    if missing or unknown or repeated:
        details = "；".join(
            part
            for part in (
                "缺少：" + "、".join(missing) if missing else "",
                "多出：" + "、".join(unknown) if unknown else "",
                "重复：" + "、".join(repeated) if repeated else "",
            )
            if part
        )
        message = (
            f"“{spec.title}”工作表的表头与模板不一致（{details}）。"
            f"模板表头为：{'、'.join(c.header for c in spec.columns)}；"
            f"文件表头为：{'、'.join(h or '（空）' for h in actual) or '（空）'}。"
            "请下载最新模板，在第1行保留模板表头后填写。"
        )
        return None, [RowError(spec.title, 1, "", message)]
    data = SheetData(spec)
    for number, values in enumerate(rows, start=2):
        if all(is_blank(value) for value in values):
            continue
        if len(data.rows) >= max_rows:
            return None, [
                RowError(
                    spec.title,
                    None,
                    "",
                    f"“{spec.title}”工作表超过{max_rows}行数据，请拆分为多个文件分批导入",
                )
            ]
        data.rows.append(
            (
                number,
                {
                    key: values[index] if index < len(values) else None
                    for key, index in positions.items()
                },
            )
        )
    return data, []


def parse_rows(
    kind: ImportKind, sheets: list[SheetData], ctx: ImportContext
) -> tuple[Rows, list[RowError]]:
    """Parse every cell, then the kind's row and file checks; collect every problem."""
    rows: Rows = {spec.title: [] for spec in kind.sheets}
    errors: list[RowError] = []
    for sheet in sheets:
        spec = sheet.spec
        for number, raw in sheet.rows:
            values: dict[str, Any] = {}
            for column in spec.columns:
                value = raw.get(column.key)
                if is_blank(value):
                    if column.required:
                        errors.append(RowError(spec.title, number, column.header, "必填，不能为空"))
                    else:
                        values[column.key] = None
                    continue
                try:
                    values[column.key] = column.parse(value, ctx)
                except CellError as exc:
                    errors.append(RowError(spec.title, number, column.header, str(exc)))
            row = ParsedRow(spec.title, number, values)
            for key, message in kind.row_checks(spec, row, ctx):
                errors.append(RowError(spec.title, number, spec.header(key), message))
            rows[spec.title].append(row)
    errors.extend(kind.file_checks(rows, ctx))
    return rows, errors


def sort_errors(kind: ImportKind, errors: list[RowError]) -> list[RowError]:
    """In the order a person reads the file: sheet, row, then column."""
    sheet_order = {spec.title: i for i, spec in enumerate(kind.sheets)}
    column_order = {
        (spec.title, column.header): i
        for spec in kind.sheets
        for i, column in enumerate(spec.columns)
    }
    return sorted(
        errors,
        key=lambda e: (
            sheet_order.get(e.sheet, 0),
            e.row or 0,
            column_order.get((e.sheet, e.column), -1),
        ),
    )
