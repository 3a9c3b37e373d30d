"""Where the platform keeps comparison files, under ``settings.JIANDU_DATA_DIR``:

- ``datacheck/store/org-<id>/``: the engine's :class:`DatasetStore` of one org (one
  numbered Parquet file per imported version, never changed);
- ``datacheck/uploads/<token>/``: an uploaded file waiting for its column mapping;
- ``datacheck/runs/run-<id>/input``: the run's input folder, one ``<dataset>.parquet``
  link per dataset version read; ``…/output``: the engine's ``hits.csv`` and
  ``summary.json``.

Reading an uploaded file's headers (and a few sample values) for the mapping step is
done here too, without loading the whole file.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import secrets
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.text import get_valid_filename

from jiandu.datacheck.engine.catalog import SUFFIXES, DatasetError

STAGING_MAX_AGE = dt.timedelta(hours=24)
SAMPLE_ROWS = 3


def data_root() -> Path:
    return Path(settings.JIANDU_DATA_DIR)


def store_root(org_id: int) -> Path:
    return data_root() / "datacheck" / "store" / f"org-{org_id}"


def run_root(run_id: int) -> Path:
    return data_root() / "datacheck" / "runs" / f"run-{run_id}"


def relative_to_root(path: Path) -> str:
    return str(Path(path).resolve().relative_to(data_root().resolve()))


def absolute(relative: str) -> Path:
    return data_root() / relative


# --------------------------------------------------------------------------- staging


@dataclass
class StagedUpload:
    """An uploaded file kept until its columns are mapped and it is imported."""

    token: str
    path: Path
    filename: str
    user_id: int
    dataset: str
    region_code: str
    headers: list[str] = field(default_factory=list)
    samples: list[list[str]] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return self.path.parent


def _staging_root() -> Path:
    return data_root() / "datacheck" / "uploads"


def _clean_header(raw: object) -> str:
    text = unicodedata.normalize("NFKC", "" if raw is None else str(raw))
    return text.replace("\ufeff", "").strip()


def _forget_old_uploads() -> None:
    root = _staging_root()
    if not root.exists():
        return
    limit = dt.datetime.now().timestamp() - STAGING_MAX_AGE.total_seconds()
    for entry in root.iterdir():
        try:
            if entry.is_dir() and entry.stat().st_mtime < limit:
                shutil.rmtree(entry, ignore_errors=True)
        except FileNotFoundError:  # removed by a concurrent request
            continue


def stage_upload(*, uploaded: Any, user_id: int, dataset: str, region_code: str) -> StagedUpload:
    """Keep an uploaded file and read its headers; a file that cannot be read is
    refused at once (DatasetError) and not kept."""
    _forget_old_uploads()
    name = get_valid_filename(Path(uploaded.name or "upload").name) or "upload"
    if Path(name).suffix.lower() not in SUFFIXES:
        raise DatasetError("不支持的文件格式（应为 .csv、.xlsx 或 .parquet）", file=name)
    token = secrets.token_urlsafe(16)
    folder = _staging_root() / token
    folder.mkdir(parents=True)
    path = folder / name
    with path.open("wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    try:
        headers, samples = read_headers(path)
    except DatasetError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    meta = {
        "filename": name,
        "user_id": user_id,
        "dataset": dataset,
        "region_code": region_code,
        "headers": headers,
        "samples": samples,
    }
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return StagedUpload(
        token=token,
        path=path,
        filename=name,
        user_id=user_id,
        dataset=dataset,
        region_code=region_code,
        headers=headers,
        samples=samples,
    )


def staged_upload(token: str) -> StagedUpload | None:
    """The staged upload of ``token`` (None when unknown, expired or malformed)."""
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    folder = _staging_root() / token
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError, ValueError):
        return None
    path = folder / meta["filename"]
    if not path.exists():
        return None
    return StagedUpload(
        token=token,
        path=path,
        filename=meta["filename"],
        user_id=meta["user_id"],
        dataset=meta["dataset"],
        region_code=meta["region_code"],
        headers=meta.get("headers", []),
        samples=meta.get("samples", []),
    )


def discard_upload(staged: StagedUpload) -> None:
    shutil.rmtree(staged.folder, ignore_errors=True)


def read_headers(path: Path) -> tuple[list[str], list[list[str]]]:
    """The file's headers and its first few rows as text, without reading it all."""
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise DatasetError("文件为空", file=path.name)
    if suffix == ".csv":
        headers, rows = _csv_head(path)
    elif suffix == ".xlsx":
        headers, rows = _xlsx_head(path)
    elif suffix == ".parquet":
        headers, rows = _parquet_head(path)
    else:
        raise DatasetError("不支持的文件格式（应为 .csv、.xlsx 或 .parquet）", file=path.name)
    headers = [_clean_header(h) for h in headers]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise DatasetError("文件没有表头", file=path.name, row=1)
    seen: set[str] = set()
    for header in headers:
        if not header:
            raise DatasetError("表头中有空列名", file=path.name, row=1)
        if header in seen:
            raise DatasetError("表头重复", file=path.name, row=1, column=header)
        seen.add(header)
    samples = [[("" if v is None else str(v)) for v in row[: len(headers)]] for row in rows]
    return headers, samples


def _csv_head(path: Path) -> tuple[list[str], list[list[Any]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            headers = next(reader, [])
            rows = [row for _, row in zip(range(SAMPLE_ROWS), reader, strict=False)]
    except UnicodeDecodeError:
        raise DatasetError("不是 UTF-8 编码的 CSV 文件（请另存为 UTF-8）", file=path.name) from None
    except csv.Error as exc:
        raise DatasetError(f"无法读取 CSV：{exc}", file=path.name) from None
    return headers, rows


def _xlsx_head(path: Path) -> tuple[list[str], list[list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise DatasetError(f"无法读取 Excel 文件：{exc}", file=path.name) from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True, max_row=SAMPLE_ROWS + 1)
        header_row = next(rows, None)
        if header_row is None:
            raise DatasetError("文件为空（没有表头）", file=path.name, row=1)
        samples = [[v.isoformat() if isinstance(v, dt.date) else v for v in row] for row in rows]
    finally:
        workbook.close()
    return list(header_row), samples


def _parquet_head(path: Path) -> tuple[list[str], list[list[Any]]]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
        headers = list(parquet.schema_arrow.names)
        rows: list[list[Any]] = []
        for batch in parquet.iter_batches(batch_size=SAMPLE_ROWS):
            rows = [list(r.values()) for r in batch.to_pylist()]
            break
    except Exception as exc:
        raise DatasetError(f"无法读取 Parquet 文件：{exc}", file=path.name) from None
    return headers, rows


# ------------------------------------------------------------------------------ runs


def assemble_run_input(*, run_id: int, files: dict[str, Path]) -> Path:
    """The run's input folder: one ``<dataset>.parquet`` per dataset version read, a
    link to the version's file in the store (a copy where links are not possible)."""
    folder = run_root(run_id) / "input"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for dataset, source in files.items():
        target = folder / f"{dataset}.parquet"
        try:
            os.symlink(Path(source).resolve(), target)
        except OSError:
            shutil.copyfile(source, target)
    return folder


def run_output(run_id: int) -> Path:
    return run_root(run_id) / "output"
