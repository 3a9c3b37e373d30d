"""Canonical datasets of the comparison: schemas, reading, normalisation, validation
and a versioned store of normalised Parquet files.

A department's export (CSV in UTF-8 with or without BOM, .xlsx or .parquet) is mapped
onto one of the nine canonical datasets of DATACHECK.md, normalised (NFKC full-width to
half-width, trimmed text, upper-case X in ID numbers) and checked column by column.

Import policy (the project rule is "all-or-nothing OR reported row by row"):

- A problem with the *file* (unknown dataset, missing or duplicate headers, empty file,
  file too large, unreadable) refuses the whole file: ``DatasetError``.
- A *structurally broken row* (a required value empty, an unparseable date, month,
  amount, flag, gender, relation or region code) is rejected and listed with its row
  and column; the other rows are imported. ``strict=True`` (used by ``run_suite``)
  refuses the whole file instead, so a comparison never runs on a partial register.
- A row whose ID number fails the GB 11643 check is *kept* and flagged
  ``id_valid = false``: rule R06 and identity resolution exist to find exactly those.

Beside the text, every ID number column gets an integer key (``id_no`` → ``id_key``)
and the population register a household key (``household_key``): joins over millions
of people compare 8-byte integers, not 18-character text (see ``id_keys``).

Rows are numbered as in the spreadsheet: the header is row 1, the first data row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import json
import os
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from jiandu.core import idnumbers

from .catalog import (
    DATASETS,
    ID_FLAG_NOTE,
    SUFFIXES,
    Column,
    Dataset,
    DatasetError,
    dataset_for,
    guess_mapping,
)

DEFAULT_MAX_BYTES = 1 << 30  # 1 GiB
MAX_LISTED_ERRORS = 1000

MONEY = pa.decimal128(12, 2)


_ARROW_TYPES: dict[str, pa.DataType] = {
    "id": pa.string(),
    "text": pa.string(),
    "date": pa.date32(),
    "month": pa.string(),
    "money": MONEY,
    "bool": pa.bool_(),
    "region": pa.string(),
    "gender": pa.string(),
    "relation": pa.string(),
}


def arrow_type(col: Column) -> pa.DataType:
    """The Arrow type a canonical column is stored as."""
    return _ARROW_TYPES[col.kind]


KEY_COLUMNS = frozenset(key for spec in DATASETS.values() for _, key in spec.keys)
# Parquet key-value metadata set by ``with_keys``: files without it (or with another
# version of the key derivation) are keyed again before a run.
KEYS_METADATA = (b"jiandu.keys", b"1")
ROW_GROUP = 1_000_000

GENDERS = ("男", "女")
RELATIONS = ("配偶", "父母", "子女", "兄弟姐妹", "其他")
_TRUE = {"true", "1", "是", "y", "yes", "t"}
_FALSE = {"false", "0", "否", "n", "no", "f"}

_DATE_SHAPE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_MONTH_SHAPE = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
_MONEY_SHAPE = r"^-?[0-9]{1,10}(\.[0-9]{1,2})?$"
_REGION_SHAPE = r"^([0-9]{6}|[0-9]{9}|[0-9]{12})$"


@dataclass(frozen=True)
class RowError:
    """A rejected (or flagged) value: spreadsheet row, canonical column, message."""

    row: int
    column: str
    message: str

    def as_tuple(self) -> tuple[int, str, str]:
        return (self.row, self.column, self.message)


@dataclass
class Normalised:
    """The outcome of normalising one file."""

    table: pa.Table
    rows_read: int
    errors: list[RowError]
    rows_rejected: int
    warnings: list[RowError] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


@dataclass
class RawTable:
    """A file read as text: header → column of strings, plus spreadsheet row numbers."""

    columns: dict[str, pa.Array]
    row_numbers: pa.Array  # int64, 1-based, header = 1
    rejected: list[RowError]


def check_size(path: Path, *, max_bytes: int | None) -> int:
    """Refuse a file beyond ``max_bytes`` using only its size, before reading it."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DatasetError("文件不存在", file=path.name) from None
    if max_bytes is not None and size > max_bytes:
        raise DatasetError(
            f"文件大小 {_human(size)} 超过上限 {_human(max_bytes)}，未读取", file=path.name
        )
    if size == 0:
        raise DatasetError("文件为空", file=path.name)
    return size


def _human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.1f} {unit}" if unit != "B" else f"{size} B"
        value /= 1024
    return f"{size} B"


def _clean_header(raw: object) -> str:
    text = unicodedata.normalize("NFKC", "" if raw is None else str(raw))
    return text.replace("\ufeff", "").strip()


def read_raw(path: Path) -> RawTable:
    """Read a CSV/XLSX/Parquet file as text columns keyed by its (cleaned) headers."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".parquet":
        return _read_parquet_as_text(path)
    raise DatasetError("不支持的文件格式（应为 .csv、.xlsx 或 .parquet）", file=path.name)


def _check_headers(headers: list[str], *, file: str) -> None:
    seen: set[str] = set()
    for header in headers:
        if not header:
            raise DatasetError("表头中有空列名", file=file, row=1)
        if header in seen:
            raise DatasetError("表头重复", file=file, row=1, column=header)
        seen.add(header)


def _read_csv(path: Path) -> RawTable:
    with path.open("rb") as handle:
        first_line = handle.readline()
    try:
        header_line = first_line.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DatasetError("不是 UTF-8 编码的 CSV 文件（请另存为 UTF-8）", file=path.name) from None
    if not header_line.strip():
        raise DatasetError("文件没有表头", file=path.name, row=1)
    headers = [_clean_header(h) for h in next(csv.reader([header_line]))]
    _check_headers(headers, file=path.name)
    names = [f"c{i}" for i in range(len(headers))]
    bad_rows: list[tuple[int | None, int, int]] = []

    def on_invalid(row: Any) -> str:
        bad_rows.append((row.number, row.expected_columns, row.actual_columns))
        return "skip"

    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                use_threads=False,
                encoding="utf8",
                block_size=1 << 24,
                skip_rows=1,
                column_names=names,
            ),
            parse_options=pacsv.ParseOptions(
                invalid_row_handler=on_invalid, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid as exc:
        raise DatasetError(f"无法读取 CSV：{exc}", file=path.name) from None
    skipped = sorted(n for n, _, _ in bad_rows if n is not None)
    rejected = [
        RowError(
            row=n,
            column="",
            message=f"列数不符（应为{expected}列，实际{actual}列）",
        )
        for n, expected, actual in bad_rows
        if n is not None and actual > 1
    ]
    row_numbers = _surviving_row_numbers(table.num_rows, skipped)
    columns = {h: table.column(i).combine_chunks() for i, h in enumerate(headers)}
    # Blank lines (all values empty) are not rows of the register: drop them quietly.
    blank = None
    for values in columns.values():
        empty = pc.equal(pc.utf8_trim_whitespace(values), "")
        blank = empty if blank is None else pc.and_(blank, empty)
    if blank is not None and pc.any(blank).as_py():
        keep = pc.invert(blank)
        columns = {h: v.filter(keep) for h, v in columns.items()}
        row_numbers = row_numbers.filter(keep)
    return RawTable(columns=columns, row_numbers=row_numbers, rejected=rejected)


def _surviving_row_numbers(count: int, skipped: list[int]) -> pa.Array:
    """Row numbers of the rows kept when the rows ``skipped`` were dropped by the reader."""
    import numpy as np

    total = count + len(skipped)
    numbers = np.arange(2, total + 2, dtype=np.int64)
    if skipped:
        numbers = numbers[~np.isin(numbers, np.asarray(skipped, dtype=np.int64))]
    return pa.array(numbers[:count])


def _cell_text(value: object, *, column: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def _read_xlsx(path: Path) -> RawTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise DatasetError(f"无法读取 Excel 文件：{exc}", file=path.name) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None or all(v is None for v in header_row):
            raise DatasetError("文件为空（没有表头）", file=path.name, row=1)
        width = len(header_row)
        while width and header_row[width - 1] is None:
            width -= 1
        headers = [_clean_header(h) for h in header_row[:width]]
        _check_headers(headers, file=path.name)
        values: list[list[str | None]] = [[] for _ in headers]
        numbers: list[int] = []
        rejected: list[RowError] = []
        for number, row in enumerate(rows, start=2):
            cells = list(row[:width]) + [None] * (width - len(row))
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
                continue
            precision_lost = [
                headers[i]
                for i, v in enumerate(cells)
                if isinstance(v, int | float) and not isinstance(v, bool) and abs(v) >= 1e15
            ]
            if precision_lost:
                rejected.append(
                    RowError(
                        row=number,
                        column=precision_lost[0],
                        message="长号码被 Excel 存为数字，精度已丢失（请将该列设为文本后重新导出）",
                    )
                )
                continue
            numbers.append(number)
            for i, v in enumerate(cells):
                values[i].append(_cell_text(v, column=headers[i]))
    finally:
        workbook.close()
    columns = {h: pa.array(values[i], pa.string()) for i, h in enumerate(headers)}
    return RawTable(columns=columns, row_numbers=pa.array(numbers, pa.int64()), rejected=rejected)


def _read_parquet_as_text(path: Path) -> RawTable:
    try:
        table = pq.read_table(path)
    except Exception as exc:
        raise DatasetError(f"无法读取 Parquet 文件：{exc}", file=path.name) from None
    headers = [_clean_header(h) for h in table.column_names]
    _check_headers(headers, file=path.name)
    columns = {}
    for header, column in zip(headers, table.columns, strict=True):
        columns[header] = _as_text(column.combine_chunks())
    numbers = pa.array(range(2, table.num_rows + 2), pa.int64())
    return RawTable(columns=columns, row_numbers=numbers, rejected=[])


def _as_text(array: pa.Array) -> pa.Array:
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return array.cast(pa.string())
    if pa.types.is_date(array.type) or pa.types.is_timestamp(array.type):
        return pc.strftime(array.cast(pa.timestamp("s")), format="%Y-%m-%d")
    if pa.types.is_boolean(array.type):
        return pc.if_else(array, "true", "false")
    return array.cast(pa.string())


def canonical_parquet_ok(path: Path, dataset: Dataset) -> bool:
    """True if a Parquet file can be used as it is (the generator's and the store's
    files): ``canonical_columns_ok`` and ``keyed``."""
    return canonical_columns_ok(path, dataset) and keyed(path, dataset)


def keyed(path: Path, dataset: Dataset) -> bool:
    """True if the file has the integer key columns written by ``with_keys`` (its
    metadata carries ``KEYS_METADATA``)."""
    schema = pq.read_schema(path)
    name, version = KEYS_METADATA
    if (schema.metadata or {}).get(name) != version:
        return False
    return all(
        key in schema.names and schema.field(key).type == pa.int64() for _, key in dataset.keys
    )


def canonical_columns_ok(path: Path, dataset: Dataset) -> bool:
    """True if a Parquet file has every canonical column with its canonical type."""
    schema = pq.read_schema(path)
    for col in dataset.columns:
        if col.name not in schema.names:
            if col.required:
                return False
            continue
        actual = schema.field(col.name).type
        expected = arrow_type(col)
        if col.kind == "money":
            if not pa.types.is_decimal(actual) or actual.scale != 2:
                return False
        elif pa.types.is_large_string(actual) and pa.types.is_string(expected):
            continue
        elif actual != expected:
            return False
    return True


def required_nulls(path: Path, dataset: Dataset) -> list[str]:
    """Required columns of a canonical Parquet file that contain NULLs (from statistics)."""
    meta = pq.ParquetFile(path).metadata
    names = [meta.schema.column(i).name for i in range(meta.num_columns)]
    bad = []
    for col in dataset.columns:
        if not col.required or col.name not in names:
            continue
        index = names.index(col.name)
        for group in range(meta.num_row_groups):
            stats = meta.row_group(group).column(index).statistics
            if stats is None or not stats.has_null_count or stats.null_count:
                bad.append(col.name)
                break
    return bad


# ------------------------------------------------------------------- normalisation


def _text(array: pa.Array) -> pa.Array:
    """NFKC (full-width to half-width), trimmed; empty becomes NULL."""
    array = pc.utf8_normalize(array, form="NFKC")
    array = pc.utf8_trim_whitespace(array)
    return pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)


def _ids(array: pa.Array) -> pa.Array:
    array = pc.replace_substring_regex(_text(array), pattern=r"\s+", replacement="")
    return pc.utf8_upper(array)


def _flag_invalid(
    errors: list[RowError],
    rejected: Any,
    bad: pa.Array,
    row_numbers: pa.Array,
    *,
    column: str,
    message: str,
) -> Any:
    import numpy as np

    mask = bad.to_numpy(zero_copy_only=False).astype(bool)
    if mask.any():
        for number in row_numbers.to_numpy()[mask][: MAX_LISTED_ERRORS - len(errors)]:
            errors.append(RowError(row=int(number), column=column, message=message))
        rejected = rejected | mask if rejected is not None else mask
    return rejected if rejected is not None else np.zeros(len(bad), dtype=bool)


def _convert(col: Column, values: pa.Array) -> tuple[pa.Array, pa.Array | None, str]:
    """Typed values, the mask of unparseable non-empty values, and the message for them."""
    if col.kind == "id":
        return _ids(values), None, ""
    if col.kind == "text":
        return _text(values), None, ""
    if col.kind == "date":
        text = _text(values)
        shape_ok = pc.match_substring_regex(text, _DATE_SHAPE)
        stamp = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
        roundtrip = pc.equal(pc.strftime(stamp, format="%Y-%m-%d"), text)
        ok = pc.and_kleene(shape_ok, pc.fill_null(roundtrip, False))
        typed = pc.if_else(ok, stamp.cast(pa.date32()), pa.scalar(None, pa.date32()))
        bad = pc.and_(pc.is_valid(text), pc.invert(pc.fill_null(ok, False)))
        return typed, bad, "日期无效（应为 YYYY-MM-DD，且为真实日期）"
    if col.kind == "month":
        text = _text(values)
        ok = pc.fill_null(pc.match_substring_regex(text, _MONTH_SHAPE), False)
        bad = pc.and_(pc.is_valid(text), pc.invert(ok))
        return pc.if_else(ok, text, pa.scalar(None, pa.string())), bad, "月份无效（应为 YYYY-MM）"
    if col.kind == "money":
        text = pc.replace_substring(_text(values), pattern="¥", replacement="")
        ok = pc.fill_null(pc.match_substring_regex(text, _MONEY_SHAPE), False)
        safe = pc.if_else(ok, text, "0")
        typed = pc.if_else(ok, pc.cast(safe, MONEY), pa.scalar(None, MONEY))
        bad = pc.and_(pc.is_valid(text), pc.invert(ok))
        return typed, bad, "金额无效（应为以元为单位、最多两位小数的数字）"
    if col.kind == "bool":
        text = pc.utf8_lower(_text(values))
        is_true = pc.is_in(text, value_set=pa.array(sorted(_TRUE)))
        is_false = pc.is_in(text, value_set=pa.array(sorted(_FALSE)))
        typed = pc.if_else(is_true, True, pc.if_else(is_false, False, pa.scalar(None, pa.bool_())))
        bad = pc.and_(pc.is_valid(text), pc.invert(pc.or_(is_true, is_false)))
        return typed, bad, "应为 true/false（或 是/否）"
    if col.kind == "region":
        text = _text(values)
        ok = pc.fill_null(pc.match_substring_regex(text, _REGION_SHAPE), False)
        bad = pc.and_(pc.is_valid(text), pc.invert(ok))
        typed = pc.if_else(ok, text, pa.scalar(None, pa.string()))
        return typed, bad, "行政区划代码应为6、9或12位数字"
    if col.kind in ("gender", "relation"):
        allowed = GENDERS if col.kind == "gender" else RELATIONS
        text = _text(values)
        ok = pc.fill_null(pc.is_in(text, value_set=pa.array(allowed)), False)
        bad = pc.and_(pc.is_valid(text), pc.invert(ok))
        typed = pc.if_else(ok, text, pa.scalar(None, pa.string()))
        return typed, bad, f"应为{'/'.join(allowed)}之一"
    raise AssertionError(col.kind)


def pinyin_of(names: Iterable[str | None]) -> list[str | None]:
    """Toneless pinyin of each name, syllables separated by spaces (王丽 → "wang li")."""
    from pypinyin import Style, lazy_pinyin

    cache: dict[str, str] = {}
    out: list[str | None] = []
    for name in names:
        if name is None:
            out.append(None)
            continue
        value = cache.get(name)
        if value is None:
            value = " ".join(lazy_pinyin(name, style=Style.NORMAL, errors="ignore"))
            cache[name] = value
        out.append(value)
    return out


def _pinyin_column(names: pa.Array) -> pa.Array:
    unique = pc.unique(names)
    mapped = pa.array(pinyin_of(unique.to_pylist()), pa.string())
    return pc.take(mapped, pc.index_in(names, value_set=unique))


def _id_flags(ids: pa.Array) -> pa.Array:
    """GB 11643 validity, computed by the same Ibis expression the rules use."""
    import ibis

    from .idcheck import id_is_valid

    table = ibis.memtable(pa.table({"id_no": ids}))
    result = table.select(ok=id_is_valid(table.id_no)).to_pyarrow()
    return result.column("ok").combine_chunks()


def normalise(
    dataset: str | Dataset,
    raw: RawTable,
    *,
    mapping: Mapping[str, str] | None = None,
    source: str = "",
    guess: bool = False,
) -> Normalised:
    """Map headers, normalise and check every value; return the kept rows.

    ``mapping`` is {header in the file: canonical column}; unmapped headers that equal a
    canonical column name are taken as they are, other headers are ignored — unless
    ``guess``: then a header that clearly means a canonical column (its Chinese label
    公民身份号码, or 身份证号, 发放金额 … as the web upload proposes) is taken for it.
    """
    spec = dataset if isinstance(dataset, Dataset) else dataset_for(dataset)
    mapping = dict(mapping or {})
    cleaned_mapping = {_clean_header(k): v for k, v in mapping.items()}
    if guess:
        unmapped = [h for h in raw.columns if h not in cleaned_mapping]
        claimed = set(cleaned_mapping.values())
        for header, target in guess_mapping(unmapped, spec).items():
            if target not in claimed:
                cleaned_mapping[header] = target
    for target in cleaned_mapping.values():
        if target not in spec.column_names:
            raise DatasetError(f"映射的目标列 {target} 不是数据集 {spec.name} 的列", file=source)
    by_canonical: dict[str, pa.Array] = {}
    for header, values in raw.columns.items():
        column = cleaned_mapping.get(header, header if header in spec.column_names else None)
        if column is None:
            continue
        if column in by_canonical:
            raise DatasetError("多个表头映射到同一列", file=source, row=1, column=column)
        by_canonical[column] = values
    missing = [c.name for c in spec.columns if c.required and c.name not in by_canonical]
    if missing:
        expected = "、".join(f"{c}（{spec.column(c).label}）" for c in missing)
        raise DatasetError(f"缺少必需的列：{expected}", file=source, row=1, column=missing[0])
    count = len(raw.row_numbers)
    if count == 0 and not raw.rejected:
        raise DatasetError("文件没有数据行", file=source, row=2)

    errors: list[RowError] = list(raw.rejected[:MAX_LISTED_ERRORS])
    rejected_mask = None
    arrays: dict[str, pa.Array] = {}
    for col in spec.columns:
        values = by_canonical.get(col.name)
        if values is None:
            arrays[col.name] = pa.nulls(count, arrow_type(col))
            continue
        typed, bad, message = _convert(col, values)
        if bad is not None:
            rejected_mask = _flag_invalid(
                errors, rejected_mask, bad, raw.row_numbers, column=col.name, message=message
            )
        if col.required:
            rejected_mask = _flag_invalid(
                errors,
                rejected_mask,
                pc.is_null(_text(values)),
                raw.row_numbers,
                column=col.name,
                message=f"必填项为空（{col.label}）",
            )
        arrays[col.name] = typed

    table = pa.table(arrays)
    row_numbers = raw.row_numbers
    if rejected_mask is not None and rejected_mask.any():
        keep = pa.array(~rejected_mask)
        table = table.filter(keep)
        row_numbers = row_numbers.filter(keep)
    rows_rejected = int(rejected_mask.sum()) if rejected_mask is not None else 0
    rows_rejected += len(raw.rejected)
    errors.sort(key=lambda e: (e.row, e.column))

    warnings: list[RowError] = []
    if spec.id_column:
        ids = table.column(spec.id_column).combine_chunks()
        flags = _id_flags(ids)
        table = table.append_column("id_valid", flags)
        invalid_positions = pc.indices_nonzero(pc.invert(flags)).to_pylist()
        for position in invalid_positions[:MAX_LISTED_ERRORS]:
            number = ids[position].as_py()
            try:
                idnumbers.parse(number)
                reason = "身份证号码无效"
            except idnumbers.IdNumberError as exc:
                reason = str(exc)
            warnings.append(
                RowError(
                    row=int(row_numbers[position].as_py()),
                    column=spec.id_column,
                    message=f"{reason}（{ID_FLAG_NOTE}）",
                )
            )
    if "name" in spec.column_names:
        table = table.append_column("name_pinyin", _pinyin_column(table.column("name")))
    if spec.name == "persons":
        table = _with_id_facts(table)
    table = with_keys(table, spec)
    table = table.append_column("source_row", row_numbers.cast(pa.int64()))
    return Normalised(
        table=table,
        rows_read=count + len(raw.rejected),
        errors=errors,
        rows_rejected=rows_rejected,
        warnings=warnings,
    )


_STANDARD_ID = r"^[0-9]{17}[0-9X]$"
_BLANK_ID = "000000000000000000"


def id_keys(ids: pa.Array | pa.ChunkedArray) -> pa.Array:
    """An integer per ID number such that equal keys mean equal numbers.

    A number in the standard form (17 digits and a check character, valid or not) maps
    exactly: the 17 digits times 11 plus the check character (X = 10), 0 ≤ key < 1.1e18.
    Any other text maps to a negative number taken from its BLAKE2b digest (63 bits), so
    it can never equal a standard number's key; two different malformed numbers share a
    key with probability about n²/2⁶⁴ for n distinct malformed numbers. NULL stays NULL.
    Joins on the person read these 8-byte keys instead of 18-character text.
    """
    import hashlib

    if isinstance(ids, pa.ChunkedArray):
        ids = ids.combine_chunks()
    ids = ids.cast(pa.string())
    standard = pc.fill_null(pc.match_substring_regex(ids, _STANDARD_ID), False)
    safe = pc.if_else(standard, ids, _BLANK_ID)
    body = pc.cast(pc.utf8_slice_codeunits(safe, 0, 17), pa.int64())
    last = pc.utf8_slice_codeunits(safe, 17, 18)
    check = pc.cast(pc.if_else(pc.equal(last, "X"), "10", last), pa.int64())
    keys = pc.add(pc.multiply(body, 11), check)
    odd = pc.and_(pc.invert(standard), pc.is_valid(ids))
    if pc.any(odd).as_py():
        texts = pc.unique(pc.filter(ids, odd))
        digests = [
            -1 - (int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest()) >> 1)
            for t in texts.to_pylist()
        ]
        hashed = pc.take(pa.array(digests, pa.int64()), pc.index_in(ids, value_set=texts))
        keys = pc.if_else(standard, keys, hashed)
    return pc.if_else(pc.is_valid(ids), keys, pa.scalar(None, pa.int64()))


def household_keys(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The household number as an integer code, exact within one file (first seen = 0);
    households are only ever compared within the population register."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return pc.dictionary_encode(values).indices.cast(pa.int64())


def with_keys(table: pa.Table, spec: Dataset) -> pa.Table:
    """``table`` with the integer key columns of ``spec.keys`` (replaced if present),
    marked in its schema metadata (``KEYS_METADATA``) as keyed by this code."""
    for column, key in spec.keys:
        values = table.column(column)
        household = column == spec.household_column
        array = household_keys(values) if household else id_keys(values)
        if key in table.column_names:
            table = table.set_column(table.column_names.index(key), key, array)
        else:
            table = table.append_column(key, array)
    name, version = KEYS_METADATA
    return table.replace_schema_metadata({**(table.schema.metadata or {}), name: version})


def _with_id_facts(table: pa.Table) -> pa.Table:
    """Birth date and gender as written in a valid ID number (NULL when invalid)."""
    ids = table.column("id_no").combine_chunks()
    valid = table.column("id_valid").combine_chunks()
    safe = pc.if_else(valid, ids, "000000190001010010")
    birth = pc.strptime(pc.utf8_slice_codeunits(safe, 6, 14), format="%Y%m%d", unit="s")
    birth = pc.if_else(valid, birth.cast(pa.date32()), pa.scalar(None, pa.date32()))
    digit = pc.cast(pc.utf8_slice_codeunits(safe, 16, 17), pa.int8())
    gender = pc.if_else(pc.equal(pc.bit_wise_and(digit, 1), 1), "男", "女")
    gender = pc.if_else(valid, gender, pa.scalar(None, pa.string()))
    return table.append_column("id_birth_date", birth).append_column("id_gender", gender)


def read_dataset(
    *,
    dataset: str,
    path: Path,
    mapping: Mapping[str, str] | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    guess: bool = False,
) -> Normalised:
    """Size check (before reading), read and normalise one department file
    (``guess``: Chinese and common headers too, see ``normalise``)."""
    spec = dataset_for(dataset)
    path = Path(path)
    check_size(path, max_bytes=max_bytes)
    raw = read_raw(path)
    return normalise(spec, raw, mapping=mapping, source=path.name, guess=guess)


def table_from_rows(*, dataset: str, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """A canonical, typed table from Python rows (tests, demo data, planted cases).

    Dates may be ``date`` objects or ``YYYY-MM-DD`` text, money ``Decimal``, text or
    numbers; absent optional columns are NULL. The integer key columns are added.
    """
    from decimal import Decimal

    spec = dataset_for(dataset)
    rows = list(rows)
    unknown = {k for r in rows for k in r} - set(spec.column_names)
    if unknown:
        raise DatasetError(f"数据集 {dataset} 没有这些列：{'、'.join(sorted(unknown))}")
    arrays = {}
    for col in spec.columns:
        values = [r.get(col.name) for r in rows]
        if col.kind == "money":
            values = [None if v is None else Decimal(str(v)) for v in values]
        elif col.kind == "date":
            values = [dt.date.fromisoformat(v) if isinstance(v, str) else v for v in values]
        arrays[col.name] = pa.array(values, arrow_type(col))
    return with_keys(pa.table(arrays), spec)


# --------------------------------------------------------------------------- writing


def parquet_options(names: Iterable[str]) -> dict[str, Any]:
    """How datasets are written (``pq.write_table``/``ParquetWriter`` keywords): text,
    dates and money ZSTD-compressed with dictionaries; the integer key columns LZ4 and
    plain, because every join decodes them again (R04 on 10 M people: a third faster
    than ZSTD with dictionaries; the key columns came out the same size)."""
    names = list(names)
    return {
        "compression": {n: "lz4" if n in KEY_COLUMNS else "zstd" for n in names},
        "use_dictionary": [n for n in names if n not in KEY_COLUMNS],
    }


def write_parquet(table: pa.Table, path: Path | str) -> None:
    """Write a dataset table in row groups of a million rows (``parquet_options``)."""
    pq.write_table(table, path, row_group_size=ROW_GROUP, **parquet_options(table.column_names))


def write_keyed(batches: pa.RecordBatchReader, spec: Dataset, path: Path | str) -> None:
    """Write ``batches`` of a canonical dataset with its key columns (``with_keys``). The
    household key is a code over the whole register, so the population register is keyed
    as one table; every other dataset batch by batch, in the memory of one batch."""
    if spec.household_column:
        write_parquet(with_keys(batches.read_all(), spec), path)
        return
    schema = with_keys(batches.schema.empty_table(), spec).schema
    with pq.ParquetWriter(path, schema, **parquet_options(schema.names)) as writer:
        for batch in batches:
            writer.write_table(with_keys(pa.Table.from_batches([batch]), spec), ROW_GROUP)


def key_parquet(source: Path, target: Path, spec: Dataset) -> None:
    """Copy a canonical Parquet file that lacks the keys (or the mark) with them added:
    its typed columns are taken as they are, as a keyed canonical file's would be."""
    parquet = pq.ParquetFile(source)
    batches = pa.RecordBatchReader.from_batches(
        parquet.schema_arrow, parquet.iter_batches(batch_size=ROW_GROUP)
    )
    write_keyed(batches, spec, target)


def write_parquet_atomic(table: pa.Table, path: Path) -> None:
    """Write to a temporary file in the same folder, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write_parquet(table, temp)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_json_atomic(data: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2, default=str)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------- store


@dataclass(frozen=True)
class DatasetVersion:
    """One imported version of a dataset in a store."""

    dataset: str
    version: int
    path: Path
    rows: int
    rows_rejected: int
    source: str
    imported_at: str


@dataclass
class ImportReport:
    """What an import did: rows read and rejected, the listed errors, the new version."""

    dataset: str
    rows_read: int
    rows_rejected: int
    errors: list[tuple[int, str, str]]
    version: int | None
    path: Path | None
    warnings: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def rows_imported(self) -> int:
        return self.rows_read - self.rows_rejected

    def as_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "rows_read": self.rows_read,
            "rows_rejected": self.rows_rejected,
            "rows_imported": self.rows_imported,
            "version": self.version,
            "path": str(self.path) if self.path else None,
            "errors": [{"row": r, "column": c, "message": m} for r, c, m in self.errors],
            "warnings": [{"row": r, "column": c, "message": m} for r, c, m in self.warnings],
        }


class DatasetStore:
    """A folder of normalised Parquet files, one numbered version per import.

    Layout: ``<root>/<dataset>/v0001.parquet`` and ``<root>/manifest.json`` listing the
    versions. Files and the manifest are written atomically under a lock, so a reader
    never sees a half-written version and concurrent imports do not lose one another.
    """

    MANIFEST = "manifest.json"

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _manifest(self) -> dict[str, Any]:
        path = self.root / self.MANIFEST
        if not path.exists():
            return {"datasets": {}}
        return json.loads(path.read_text(encoding="utf-8"))

    def versions(self, dataset: str) -> list[DatasetVersion]:
        dataset_for(dataset)
        entries = self._manifest()["datasets"].get(dataset, [])
        return [
            DatasetVersion(
                dataset=dataset,
                version=e["version"],
                path=self.root / e["file"],
                rows=e["rows"],
                rows_rejected=e["rows_rejected"],
                source=e["source"],
                imported_at=e["imported_at"],
            )
            for e in entries
        ]

    def latest(self, dataset: str) -> DatasetVersion | None:
        versions = self.versions(dataset)
        return versions[-1] if versions else None

    def import_file(
        self,
        *,
        dataset: str,
        path: str | os.PathLike[str],
        mapping: Mapping[str, str] | None = None,
        max_bytes: int | None = DEFAULT_MAX_BYTES,
        strict: bool = False,
        guess: bool = False,
    ) -> ImportReport:
        """Normalise ``path`` as ``dataset`` and store it as a new version.

        Rows with structural errors are rejected and listed (``strict=True`` refuses the
        whole file instead, creating no version). File-level problems raise
        ``DatasetError``. Nothing is stored when no row survives.
        """
        path = Path(path)
        result = read_dataset(
            dataset=dataset, path=path, mapping=mapping, max_bytes=max_bytes, guess=guess
        )
        errors = [e.as_tuple() for e in result.errors]
        warnings = [w.as_tuple() for w in result.warnings]
        if strict and result.rows_rejected:
            first = result.errors[0]
            raise DatasetError(first.message, file=path.name, row=first.row, column=first.column)
        if result.table.num_rows == 0:
            reason = result.errors[0] if result.errors else None
            raise DatasetError(
                f"没有可导入的数据行（{reason.message if reason else '全部被拒绝'}）",
                file=path.name,
                row=reason.row if reason else None,
                column=reason.column if reason else None,
            )
        self.root.mkdir(parents=True, exist_ok=True)
        with _locked(self.root / ".lock"):
            manifest = self._manifest()
            entries = manifest["datasets"].setdefault(dataset, [])
            version = (entries[-1]["version"] + 1) if entries else 1
            relative = f"{dataset}/v{version:04d}.parquet"
            target = self.root / relative
            write_parquet_atomic(result.table, target)
            entries.append(
                {
                    "version": version,
                    "file": relative,
                    "rows": result.table.num_rows,
                    "rows_rejected": result.rows_rejected,
                    "source": path.name,
                    "imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                }
            )
            write_json_atomic(manifest, self.root / self.MANIFEST)
        return ImportReport(
            dataset=dataset,
            rows_read=result.rows_read,
            rows_rejected=result.rows_rejected,
            errors=errors,
            version=version,
            path=target,
            warnings=warnings,
        )


class _locked:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        self.handle = self.path.open("a+")
        fcntl.flock(self.handle, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def find_dataset_file(folder: Path, dataset: str) -> Path | None:
    """``<dataset>.parquet|.csv|.xlsx`` in ``folder``; two of them is an error."""
    found = [folder / f"{dataset}{s}" for s in SUFFIXES if (folder / f"{dataset}{s}").exists()]
    if len(found) > 1:
        names = "、".join(p.name for p in found)
        raise DatasetError(
            f"数据集 {dataset} 有多个文件：{names}（只保留一个）", file=found[0].name
        )
    return found[0] if found else None


def looks_like_dataset_files(folder: Path) -> list[str]:
    names = []
    for entry in sorted(folder.iterdir()):
        if entry.suffix.lower() in SUFFIXES and entry.stem in DATASETS:
            names.append(entry.stem)
    return names
