"""``jiandu calendar due``: a deadline on the working-day calendar, from the command line.

Usage::

    jiandu calendar due --calendar CAL.csv --from 2026-09-28 --workdays 5 --json
    jiandu calendar due --calendar CAL.csv --from 2026-09-01 --days 30
    jiandu calendar due --from 2026-04-30 --months 1          # the calendar in the database

CAL.csv has the header ``date,kind`` (or ``日期,类型``) and one row per date that departs
from the week: ``2026-10-01,休`` (a holiday) or ``2026-10-10,班`` (a weekend worked). The
rules are those of :mod:`jiandu.core.workdays` (the same code the platform runs). The
answer is ``{"due": "YYYY-MM-DD"}``; when the period reaches a year the calendar has no
dates for, it is computed on weekends alone and the answer adds ``"warnings"``.

With ``--calendar`` no database is used. Exit status: 0, 1 for errors in the file (each
naming its row), 2 for usage errors; with ``--json`` errors are one JSON object on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from jiandu.core.cli_messages import usage_message
from jiandu.core.workdays import CalendarError, PeriodKind, WorkCalendar, due_date


class UsageError(Exception):
    pass


def _raise_usage(message: str) -> NoReturn:
    raise UsageError(message)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效日期（应为 YYYY-MM-DD）") from exc


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from exc
    if value < 1:
        raise argparse.ArgumentTypeError(f"期限长度应不小于1（收到 {value}）")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jiandu calendar due",
        description="按工作日历计算期限：N个工作日、N日或N个月后的到期日（起算日不计入）。",
    )
    parser.add_argument(
        "--calendar",
        type=Path,
        help="工作日历 CSV（表头 date,kind；kind 为 休 或 班）；不给出时使用数据库中的日历",
    )
    parser.add_argument(
        "--from", dest="start", required=True, type=_date, help="起算日期 YYYY-MM-DD（当日不计入）"
    )
    length = parser.add_mutually_exclusive_group(required=True)
    length.add_argument("--workdays", type=_positive, help="N个工作日（N≥1）")
    length.add_argument("--days", type=_positive, help="N日（自然日，到期日遇休息日顺延，N≥1）")
    length.add_argument(
        "--months",
        type=_positive,
        help="N个月（到期月对应日，无对应日为月末；N≥1）",
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    return parser


def _stored_calendar() -> WorkCalendar:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    django.setup()
    from jiandu.core.deadlines import work_calendar

    return work_calendar()


def _error(err: TextIO, lines: Sequence[str], code: int, *, as_json: bool) -> int:
    if as_json:
        body = {"ok": False, "error": "；".join(lines), "errors": list(lines), "code": code}
        err.write(json.dumps(body, ensure_ascii=False) + "\n")
    else:
        for line in lines:
            err.write(f"错误：{line}\n")
    return code


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run ``jiandu calendar due`` with ``argv`` (the arguments after ``due``)."""
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
        return _error(err, [usage_message(str(exc))], 2, as_json=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    kind, n = next(
        (PeriodKind(k), getattr(args, k))
        for k in ("workdays", "days", "months")
        if getattr(args, k) is not None
    )
    try:
        calendar = WorkCalendar.read_csv(args.calendar) if args.calendar else _stored_calendar()
    except CalendarError as exc:
        return _error(err, exc.lines, 1, as_json=as_json)
    except OSError as exc:
        return _error(err, [f"无法读取日历文件：{exc.strerror or exc}"], 1, as_json=as_json)
    due = due_date(calendar, args.start, kind, n)
    body: dict[str, object] = {"due": due.due.isoformat()}
    if due.warning:
        body["warnings"] = [due.warning]
    if args.json:
        out.write(json.dumps(body, ensure_ascii=False) + "\n")
    else:
        out.write(f"{args.start.isoformat()} 起 {n}{kind.label}，到期日 {due.due.isoformat()}\n")
        if due.warning:
            out.write(f"注意：{due.warning}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
