"""``jiandu dossier opinion``: the 廉政意见 for every person in a file of records.

Usage::

    jiandu dossier opinion --as-of 2026-06-30 --purpose 提拔任用 --records RECORDS.csv --json
                           [--award-year 2026]

RECORDS.csv has the header ``id_no,kind,category,decided_on,lifted_on,period_months,status``
(``lifted_on``, ``period_months`` and ``status`` may be left empty or left out), one record
a row:

* ``kind`` ``party`` (党纪处分) with ``category`` 警告 / 严重警告 / 撤销党内职务 /
  留党察看 / 开除党籍; ``period_months`` only for 留党察看, 12 or 24;
* ``kind`` ``government`` (政务处分) with 警告 / 记过 / 记大过 / 降级 / 撤职 / 开除;
* for both, ``lifted_on`` is the date of an early lift (解除), after ``decided_on``;
  ``status`` is empty, or ``annulled`` (撤销: the record counts for nothing);
* ``kind`` ``clue`` with the disposal stage 谈话函询 / 初步核实 / 暂存待查 / 予以了结 /
  立案审查 in ``category``, ``decided_on`` the disposal date and ``status`` ``open`` or
  ``closed``; for a clue ``lifted_on`` may give the date it was closed (a close after the
  as-of date leaves it open as of then).

A person with no record but a row (any kind) is listed; every ID number in the file gets
one entry. The answer::

    {"as_of": "2026-06-30", "purpose": "提拔任用", "award_year": 2026,
     "people": [{"id_no": "…", "in_effect": [{"category", "kind", "from", "until"}],
                 "open_matters": [{"category", "decided_on"}],
                 "eligible_for_award": true, "opinion": "有影响" | "无影响",
                 "text": "…"}]}

``until`` is the last day in effect (``null``: no end). The rules are those of
:mod:`jiandu.dossiers.periods`, the code the platform drafts its opinions with.

Errors name the CSV row (the header is row 1); exit status 1 for errors in the file,
2 for usage errors; with ``--json`` an error is one JSON object on stderr.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from jiandu.core import idnumbers
from jiandu.core.cli_messages import usage_message
from jiandu.core.pure_cli import (
    InputError,
    UsageError,
)
from jiandu.core.pure_cli import (
    json_error as _json_error,
)
from jiandu.core.pure_cli import (
    raise_usage as _raise_usage,
)
from jiandu.core.pure_cli import (
    read_text as _read_text,
)
from jiandu.dossiers.periods import (
    PURPOSES,
    ClueMatter,
    Opinion,
    RecordError,
    Sanction,
    SanctionKind,
    check_clue,
    check_sanction,
    draft_opinion,
)

COLUMNS = ("id_no", "kind", "category", "decided_on", "lifted_on", "period_months", "status")
REQUIRED = ("id_no", "kind", "category", "decided_on")
KINDS = ("party", "government", "clue")
SANCTION_STATUSES = ("", "annulled")
CLUE_STATUSES = ("open", "closed")


def _date(text: str, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RecordError(f"“{column}”列的“{text}”不是有效日期（应为 YYYY-MM-DD）") from None


def parse_row(cells: dict[str, str]) -> tuple[str, Sanction | ClueMatter]:
    """One CSV row to (ID number, record); raises RecordError saying what is wrong."""
    raw_id = cells["id_no"]
    try:
        id_no = idnumbers.parse(raw_id).number
    except idnumbers.IdNumberError as exc:
        raise RecordError(f"“id_no”列：{exc}") from None
    kind = cells["kind"].lower()
    if kind not in KINDS:
        raise RecordError(f"“kind”列的“{cells['kind']}”无效（应为 party、government 或 clue）")
    category = cells["category"]
    if not category:
        raise RecordError("“category”列为空")
    if not cells["decided_on"]:
        raise RecordError("“decided_on”列为空")
    decided = _date(cells["decided_on"], "decided_on")
    lifted = _date(cells["lifted_on"], "lifted_on") if cells["lifted_on"] else None
    status = cells["status"].lower()
    period_text = cells["period_months"]
    if kind == "clue":
        if period_text:
            raise RecordError("只有留党察看填写期限（period_months），问题线索不应填写")
        if status not in CLUE_STATUSES:
            raise RecordError(f"问题线索的“status”应为 open 或 closed（实际为“{cells['status']}”）")
        if lifted is not None and status != "closed":
            raise RecordError("问题线索填写了办结日期（lifted_on），status 应为 closed")
        clue = ClueMatter(
            stage=category, decided_on=decided, closed=status == "closed", closed_on=lifted
        )
        check_clue(clue)
        return id_no, clue
    if status not in SANCTION_STATUSES:
        raise RecordError(f"处分的“status”应为空或 annulled（实际为“{cells['status']}”）")
    period = None
    if period_text:
        try:
            period = int(period_text)
        except ValueError:
            raise RecordError(f"“period_months”列的“{period_text}”不是整数") from None
    sanction = Sanction(
        kind=SanctionKind(kind),
        category=category,
        decided_on=decided,
        period_months=period,
        lifted_on=lifted,
        annulled=status == "annulled",
    )
    check_sanction(sanction)
    return id_no, sanction


def load_records(path: Path) -> dict[str, tuple[list[Sanction], list[ClueMatter]]]:
    """Read RECORDS.csv: per ID number (in file order), its sanctions and clues."""
    name = path.name
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError([f"{name}：文件为空，第1行应为表头 {','.join(COLUMNS)}"]) from None
    positions: dict[str, int] = {}
    problems: list[str] = []
    for index, raw in enumerate(header):
        column = unicodedata.normalize("NFKC", raw).strip().lower()
        if column not in COLUMNS:
            expected = ",".join(COLUMNS)
            problems.append(f"{name} 第1行第{index + 1}列：不认识的列“{raw}”（应为 {expected}）")
        elif column in positions:
            problems.append(f"{name} 第1行：列“{column}”重复")
        else:
            positions[column] = index
    absent = [c for c in REQUIRED if c not in positions]
    if absent:
        problems.append(f"{name} 第1行：缺少列 {','.join(absent)}")
    if problems:
        raise InputError(problems)
    people: dict[str, tuple[list[Sanction], list[ClueMatter]]] = {}
    for line_number, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            problems.append(f"{name} 第{line_number}行：有{len(record)}个字段，比表头多")
            continue
        cells = {
            c: (
                unicodedata.normalize("NFKC", record[positions[c]]).strip()
                if c in positions and positions[c] < len(record)
                else ""
            )
            for c in COLUMNS
        }
        try:
            id_no, item = parse_row(cells)
        except RecordError as exc:
            problems.append(f"{name} 第{line_number}行：{exc}")
            continue
        sanctions, clues = people.setdefault(id_no, ([], []))
        if isinstance(item, ClueMatter):
            clues.append(item)
        else:
            sanctions.append(item)
    if problems:
        raise InputError(problems)
    if not people:
        raise InputError([f"{name}：除表头外没有数据行"])
    return people


def opinion_json(id_no: str, opinion: Opinion) -> dict:
    return {
        "id_no": id_no,
        "in_effect": [
            {
                "category": p.sanction.category,
                "kind": p.sanction.kind.value,
                "from": p.start.isoformat(),
                "until": None if p.until is None else p.until.isoformat(),
            }
            for p in opinion.in_effect
        ],
        "open_matters": [
            {"category": c.stage, "decided_on": c.decided_on.isoformat()}
            for c in opinion.open_matters
        ],
        "eligible_for_award": opinion.eligible_for_award,
        "opinion": opinion.verdict,
        "text": opinion.text(),
    }


def compute(*, records: Path, as_of: dt.date, purpose: str, award_year: int | None = None) -> dict:
    people = load_records(records)
    results = []
    for id_no, (sanctions, clues) in people.items():
        opinion = draft_opinion(
            sanctions=sanctions, clues=clues, as_of=as_of, purpose=purpose, award_year=award_year
        )
        results.append(opinion_json(id_no, opinion))
    return {
        "as_of": as_of.isoformat(),
        "purpose": purpose,
        "award_year": as_of.year if award_year is None else award_year,
        "people": results,
    }


def format_text(result: dict) -> str:
    lines = [
        f"廉政意见（截至{result['as_of']}，用途：{result['purpose']}，"
        f"评先评优年度：{result['award_year']}）"
    ]
    for person in result["people"]:
        lines.append(f"{idnumbers.mask(person['id_no'])}  {person['opinion']}  {person['text']}")
    return "\n".join(lines) + "\n"


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效日期（应为 YYYY-MM-DD）") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jiandu dossier opinion",
        description="按影响期规则，起草文件中每个身份证号码的廉政意见（无需数据库）。",
    )
    parser.add_argument(
        "--as-of",
        dest="as_of",
        required=True,
        type=_iso_date,
        help="截至日期 YYYY-MM-DD（此后的决定、解除和线索不计）",
    )
    parser.add_argument("--purpose", required=True, choices=PURPOSES, help="用途")
    parser.add_argument(
        "--records",
        required=True,
        type=Path,
        help="记录 CSV（列：id_no,kind,category,decided_on,lifted_on,period_months,status）",
    )
    parser.add_argument(
        "--award-year", dest="award_year", type=int, help="评先评优的年度（默认为截至日期所在年度）"
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    return parser  # fmt: skip


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    arguments = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in arguments
    parser = build_parser()
    if as_json:
        parser.error = _raise_usage  # type: ignore[method-assign,assignment]
    try:
        args = parser.parse_args(arguments)
    except UsageError as exc:
        return _json_error(err, [usage_message(str(exc))], 2)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        result = compute(
            records=args.records, as_of=args.as_of, purpose=args.purpose,
            award_year=args.award_year,
        )  # fmt: skip
    except InputError as exc:
        if as_json:
            return _json_error(err, exc.lines, 1)
        for line in exc.lines:
            print(f"错误：{line}", file=err)
        return 1
    if as_json:
        out.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(format_text(result))
    return 0
