"""``jiandu board rank``: draw a 多色榜 from a spec file and a CSV of figures.

Usage::

    jiandu board rank --spec SPEC.json --values VALUES.csv [--json] [--missing error|zero]
                      [--bottom K]

SPEC.json is a :class:`~jiandu.boards.ranking.BoardSpec` as JSON::

    {
      "title": "县区扶贫领域监督执纪问责工作情况",
      "months": ["2019-07", "2019-08", "2019-09"],
      "indicators": [
        {"key": "accepted", "name": "受理问题线索", "unit": "件", "direction": "higher"},
        {"key": "exposure", "name": "通报曝光", "unit": "批次/人次",
         "components": [{"key": "batches", "name": "批次"}, {"key": "persons", "name": "人次"}]}
      ],
      "colours": {"red_points": 5, "blue_points": 3, "white_points": 1, "top_n": 3},
      "cumulative_mode": "sum_values",
      "units": ["五华区", "盘龙区"],
      "yellow_units": {"东川区": "脱贫摘帽县"},
      "last_place": {"tie_breakers": ["accepted", "previous_rank"], "max_tied": 1}
    }

Only ``months`` and ``indicators`` are required. ``direction`` is ``higher`` (default)
or ``lower``; ``cumulative_mode`` is ``sum_values`` (default) or ``sum_points``;
``units`` (participants, in display order) defaults to every unit in the CSV;
``yellow_units`` is an object ``{unit: label}`` or a plain list of units.
``last_place`` says who is last when units tie at the bottom (see
:class:`~jiandu.boards.ranking.LastPlaceRule`): ``tie_breakers`` lists indicators (key
or name) and ``previous_rank`` (the overall rank in the month before), compared in
order; when more than ``max_tied`` (default 1) units are still tied, nobody is last.
The output names each period's last unit (months only: the previous month is known to
the calculator, the period before the cumulative one is not).

``--bottom K`` lists the bottom K of the cumulative period (e.g. the 集体诫勉谈话 list)
by the rule the platform's close applies (:func:`~jiandu.boards.ranking.bottom_list`):
units tied at the K-th place from the bottom are told apart by the same tie-breakers;
units still tied across the cut are not listed, and the output says why.

VALUES.csv has exactly the columns ``unit, month, indicator, value`` (the Chinese
headers ``单位, 月份, 指标, 数值`` are accepted too), one figure per row. The
indicator is written by key or by Chinese name. **A component of a compound indicator
is written in the indicator column as** ``indicator.component`` (``exposure.batches``,
or ``通报曝光.批次``); there is no separate component column, so every row has the
same four fields. Months are ``2019-09`` (``2019-9``, ``201909`` and ``2019年9月`` are
read too). The file may be UTF-8 (with or without BOM) or GB18030 as saved by Excel.

Errors name the CSV row (counting the header as row 1) and column, and the command
exits with 1; usage errors exit with 2. With ``--missing zero`` a missing figure
counts as 0 and the output says which ones were.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from jiandu.boards.ranking import (
    BoardError,
    BoardResult,
    BoardSpec,
    BottomList,
    LastPlace,
    MissingPolicy,
    MissingValuesError,
    Observation,
    PeriodResult,
    RankingBasis,
    SpecError,
    ValueInputError,
    bottom_list,
    describe_missing,
    last_place,
    rank_board,
)
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

COLUMNS = ("unit", "month", "indicator", "value")
COLUMN_ALIASES = {"单位": "unit", "月份": "month", "指标": "indicator", "数值": "value"}
# Which CSV column carries each field of an observation (the component sits in "indicator").
FIELD_COLUMN = {
    "unit": "unit",
    "month": "month",
    "indicator": "indicator",
    "component": "indicator",
    "value": "value",
}


def load_spec(path: Path) -> BoardSpec:
    """Read and check SPEC.json."""
    text = _read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [f"{path.name}：不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）"]
        ) from None
    try:
        return BoardSpec.from_dict(data)
    except SpecError as exc:
        raise InputError([f"{path.name}：{p}" for p in exc.problems]) from None


def load_values(path: Path) -> tuple[list[Observation], list[int]]:
    """Read VALUES.csv into observations, with the CSV row number of each."""
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    name = path.name
    try:
        header = next(reader)
    except StopIteration:
        raise InputError([f"{name}：文件为空，第1行应为表头 {','.join(COLUMNS)}"]) from None
    positions: dict[str, int] = {}
    problems: list[str] = []
    for index, raw in enumerate(header):
        heading = unicodedata.normalize("NFKC", raw).strip()
        column = COLUMN_ALIASES.get(heading, heading.lower())
        if column not in COLUMNS:
            problems.append(
                f"{name} 第1行第{index + 1}列：不认识的列“{raw}”（应为 {','.join(COLUMNS)}；"
                "复合指标的分项写在 indicator 列，如 exposure.batches）"
            )
        elif column in positions:
            problems.append(f"{name} 第1行：列“{column}”重复")
        else:
            positions[column] = index
    absent = [c for c in COLUMNS if c not in positions]
    if absent:
        problems.append(f"{name} 第1行：缺少列 {','.join(absent)}")
    if problems:
        raise InputError(problems)

    observations: list[Observation] = []
    rows: list[int] = []
    for line_number, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            problems.append(
                f"{name} 第{line_number}行：有{len(record)}个字段，比表头多"
                f"（表头只有{len(header)}列）"
            )
            continue

        def cell(column: str, record: list[str] = record) -> str:
            index = positions[column]
            return record[index].strip() if index < len(record) else ""

        indicator, _, component = cell("indicator").partition(".")
        observations.append(
            Observation(
                unit=cell("unit"),
                month=cell("month"),
                indicator=indicator.strip(),
                component=component.strip() or None,
                value=cell("value"),
            )
        )
        rows.append(line_number)
    if problems:
        raise InputError(problems)
    if not observations:
        raise InputError([f"{name}：除表头外没有数据行"])
    return observations, rows


def rank_files(
    *, spec_path: Path, values_path: Path, missing: MissingPolicy | str = MissingPolicy.ERROR
) -> BoardResult:
    """Load both files and draw the board; raises :class:`InputError` naming rows/columns."""
    spec = load_spec(spec_path)
    observations, rows = load_values(values_path)
    name = values_path.name
    try:
        return rank_board(spec=spec, observations=observations, missing=missing)
    except ValueInputError as exc:
        lines = []
        for p in exc.problems:
            line = f"{name} 第{rows[p.index]}行，“{FIELD_COLUMN[p.field]}”列：{p.message}"
            if p.other_index is not None:
                line += f"（与第{rows[p.other_index]}行重复）"
            lines.append(line)
        raise InputError(lines) from None
    except MissingValuesError as exc:
        text = describe_missing(exc.missing, spec=spec)
        raise InputError(
            [f"{name}：{text}", "如确认缺少的数据应按0计，请加上 --missing zero"]
        ) from None
    except BoardError as exc:
        raise InputError([f"{name}：{exc}"]) from None


# --------------------------------------------------------------------------- text output


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    space = " " * max(0, width - _width(text))
    return space + text if right else text + space


def _cell_text(cell_display: str, rank: int, colour_label: str | None, points: int) -> str:
    if colour_label is None:
        return f"{cell_display} ({rank}) 计{points}"
    return f"{cell_display} ({rank}) {colour_label}{points}"


def period_lasts(result: BoardResult) -> dict[str, LastPlace]:
    """Who is last in each period by the spec's rule; a month's previous period is the
    month before it on the board (none for the first month and the cumulative period)."""
    lasts: dict[str, LastPlace] = {}
    before = None
    for period in result.months:
        previous = {r.unit: r.overall_rank for r in before.rows} if before is not None else None
        lasts[period.key] = last_place(period, spec=result.spec, previous=previous)
        before = period
    lasts[result.cumulative.key] = last_place(result.cumulative, spec=result.spec)
    return lasts


def describe_last(found: LastPlace) -> str:
    """“末位：丙（…）”, or why nobody is last."""
    if found.all_equal:
        return "末位：各单位综合得分相同，无末位"
    if not found.units:
        return f"末位：末位并列{found.remaining}个单位，不确定末位"
    text = f"末位：{'、'.join(found.units)}"
    return text + (f"（{found.tie_break}）" if found.tie_break else "")


def describe_bottom(bottom: BottomList, *, label: str, spec: BoardSpec) -> str:
    """“后3名：丙、乙、甲（甲：…依次比较…后列入后3名）”, or why the list is short."""
    if note := bottom.note(label, spec):
        return note
    text = f"{label}后{bottom.k}名：{'、'.join(bottom.units)}"
    decided = "、".join(bottom.places)
    return text + (f"（{decided}：{bottom.tie_break}）" if bottom.places else "")


def format_period(result: BoardResult, period: PeriodResult, last: LastPlace | None = None) -> str:
    """One period as an aligned text table."""
    spec = result.spec
    if period.basis is RankingBasis.POINTS:
        basis = "按各月得分累加排名"
    elif len(period.months) > 1:
        basis = "按各月数值累加排名"
    else:
        basis = "按当月数值排名"
    headers = ["排名", "单位", "标注", *(i.heading for i in spec.indicators), "综合得分"]
    table = [headers]
    for row in period.rows:
        table.append(
            [
                str(row.overall_rank),
                row.unit,
                row.yellow or "",
                *(
                    _cell_text(c.display, c.rank, c.colour.label if c.colour else None, c.points)
                    + ("*" if c.missing_as_zero else "")
                    for c in row.cells
                ),
                str(row.composite),
            ]
        )
    widths = [max(_width(r[i]) for r in table) for i in range(len(headers))]
    numeric = {0, len(headers) - 1}
    lines = [f"【{period.label}】{basis}"]
    for r in table:
        cells = [_pad(text, widths[i], right=i in numeric) for i, text in enumerate(r)]
        lines.append("  ".join(cells).rstrip())
    if period.missing_as_zero:
        lines.append("* 缺少的数据已按0计。" + describe_missing(period.missing_as_zero, spec=spec))
    if last is not None:
        lines.append(describe_last(last))
    return "\n".join(lines)


def format_result(result: BoardResult, *, bottom: BottomList | None = None) -> str:
    """The whole board (each month, then the cumulative period) as readable text; with
    ``bottom``, the bottom-K list of the cumulative period after it."""
    spec = result.spec
    lines = []
    if spec.title:
        lines.append(spec.title)
    lines.append(
        f"计分规则：{spec.colours.describe()}。累计：{spec.cumulative_mode.label}。"
        f"缺少数据：{result.missing_policy.label}。"
    )
    lines.append(f"末位：{spec.last_place.describe(spec)}。")
    lines.append("单元格：数值 (单项名次) 颜色及得分")
    lasts = period_lasts(result)
    for period in result.periods:
        lines.append("")
        lines.append(format_period(result, period, lasts[period.key]))
    if bottom is not None:
        lines.append(describe_bottom(bottom, label=result.cumulative.label, spec=spec))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- entry point


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jiandu board rank",
        description="按多色榜规则计算各单位各月及累计的单项名次、颜色、得分和综合排名。",
    )
    parser.add_argument("--spec", required=True, type=Path, help="多色榜规则 JSON 文件")
    parser.add_argument(
        "--values", required=True, type=Path, help="数据 CSV（列：unit, month, indicator, value）"
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.add_argument(
        "--missing",
        choices=[p.value for p in MissingPolicy],
        default=MissingPolicy.ERROR.value,
        help="缺少数据时：error 报错（默认），zero 按0计并注明",
    )
    parser.add_argument(
        "--bottom",
        type=int,
        metavar="K",
        help="另列累计期间后K名的名单（如集体诫勉谈话名单，K≥1）：分界处并列的按末位比较项"
        "依次比较，仍并列的均不列入并说明原因",
    )
    return parser


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run ``jiandu board rank`` with ``argv`` (the arguments after ``rank``).

    Exit status 0, 1 for errors in the files, 2 for usage errors; with ``--json`` an
    error is one JSON object on stderr (``{"ok": false, "error": …, "code": …}``)."""
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
    if args.bottom is not None and args.bottom < 1:
        message = "--bottom：后几名的名数应至少为1"
        if as_json:
            return _json_error(err, [message], 2)
        print(f"错误：{message}", file=err)
        return 2
    try:
        result = rank_files(spec_path=args.spec, values_path=args.values, missing=args.missing)
    except InputError as exc:
        if as_json:
            return _json_error(err, exc.lines, 1)
        for line in exc.lines:
            print(f"错误：{line}", file=err)
        return 1
    bottom = (
        bottom_list(result.cumulative, k=args.bottom, spec=result.spec)
        if args.bottom is not None
        else None
    )
    if args.json:
        data = result.to_dict()
        data["last"] = {key: found.to_dict() for key, found in period_lasts(result).items()}
        if bottom is not None:
            data["bottom"] = bottom.to_dict() | {
                "note": bottom.note(result.cumulative.label, result.spec)
            }
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(format_result(result, bottom=bottom))
    return 0


if __name__ == "__main__":
    sys.exit(main())
