"""``jiandu index compute``: the political-ecology index from a spec file and a CSV of values.

Usage::

    jiandu index compute --spec SPEC.json --values VALUES.csv [--json]

SPEC.json::

    {
      "months": ["2026-09", "2026-10"],
      "missing": "reweight",
      "bands": [{"colour": "绿", "min": 85}, {"colour": "黄", "min": 70},
                {"colour": "橙", "min": 60}, {"colour": "红"}],
      "regreen_months": 2,
      "tree": {"key": "index", "name": "政治生态指数", "children": [
        {"key": "clean", "name": "公职人员清廉度", "weight": 1, "children": [
          {"key": "cases", "name": "立案数", "weight": 2, "method": "deduction",
           "points": 10, "floor": 0},
          {"key": "petitions", "name": "信访举报件数", "weight": 1, "method": "minmax",
           "direction": "lower"},
          {"key": "rectified", "name": "整改完成率", "weight": 1, "method": "thresholds",
           "breakpoints": [[0, 0], [60, 60], [100, 100]]}]}]}
    }

Only ``months`` and ``tree`` are required (``missing`` defaults to ``reweight``, ``bands``
to 绿 85 / 黄 70 / 橙 60 / 红, ``regreen_months`` to 2; a band without ``min`` — only
the last — takes every index below the others). The root's ``weight`` is ignored.

VALUES.csv has the columns ``unit, month, indicator, value`` (or ``单位, 月份, 指标,
数值``); the indicator is a leaf's key or name. The units of every month are all units
that appear anywhere in the file. Errors name the CSV row (the header is row 1) or the
spec key, exit status 1; usage errors exit with 2.

The computation is :func:`jiandu.ecoindex.calc.compute_months`, the code the monthly close
runs.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

from jiandu.boards.ranking.formats import parse_month, to_decimal
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
from jiandu.ecoindex.calc import (
    IndexSpec,
    MonthScores,
    SpecError,
    compute_months,
    parse_spec,
    value_problem,
)

COLUMNS = ("unit", "month", "indicator", "value")
COLUMN_ALIASES = {"单位": "unit", "月份": "month", "指标": "indicator", "数值": "value"}


def load_spec(path: Path) -> IndexSpec:
    text = _read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [f"{path.name}：不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）"]
        ) from None
    try:
        return parse_spec(data)
    except SpecError as exc:
        raise InputError([f"{path.name} {p}" for p in exc.problems]) from None


Values = dict[str, dict[str, dict[str, Decimal]]]


def load_values(path: Path, spec: IndexSpec) -> tuple[Values, list[str]]:
    """month → unit → leaf key → value, and the units in order of first appearance."""
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
                f"{name} 第1行第{index + 1}列：不认识的列“{raw}”（应为 {','.join(COLUMNS)}）"
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

    leaves = spec.rules.leaf_map()
    by_name = {leaf.name: leaf for leaf in leaves.values()}
    months = set(spec.months)
    values: Values = {}
    seen: dict[tuple[str, str, str], int] = {}
    units: list[str] = []
    unit_set: set[str] = set()
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        at = f"{name} 第{line}行"
        if len(record) > len(header):
            problems.append(f"{at}：有{len(record)}个字段，比表头多")
            continue

        def cell(column: str, record: list[str] = record) -> str:
            index = positions[column]
            return (
                unicodedata.normalize("NFKC", record[index]).strip() if index < len(record) else ""
            )

        unit = cell("unit")
        if not unit:
            problems.append(f"{at}，“unit”列：单位为空")
            continue
        if unit not in unit_set:
            unit_set.add(unit)
            units.append(unit)
        try:
            month = parse_month(cell("month"))
        except ValueError as exc:
            problems.append(f"{at}，“month”列：{exc}")
            continue
        if month not in months:
            problems.append(f"{at}，“month”列：{month} 不在规则文件的 months 中")
            continue
        written = cell("indicator")
        leaf = leaves.get(written) or by_name.get(written)
        if leaf is None:
            problems.append(
                f"{at}，“indicator”列：未知指标“{written}”（应为叶子指标的 key 或名称）"
            )
            continue
        try:
            value = to_decimal(cell("value"))
        except ValueError as exc:
            problems.append(f"{at}，“value”列：{exc}")
            continue
        if (why := value_problem(leaf, value)) is not None:
            problems.append(f"{at}，“value”列：{why}")
            continue
        key = (unit, month, leaf.key)
        if key in seen:
            problems.append(f"{at}：{unit} {month} “{leaf.name}”重复（与第{seen[key]}行重复）")
            continue
        seen[key] = line
        values.setdefault(month, {}).setdefault(unit, {})[leaf.key] = value
    if problems:
        raise InputError(problems)
    if not units:
        raise InputError([f"{name}：除表头外没有数据行"])
    return values, units


def compute_files(*, spec_path: Path, values_path: Path) -> list[MonthScores]:
    spec = load_spec(spec_path)
    values, units = load_values(values_path, spec)
    return compute_months(spec, values, units)


def _format_number(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def format_text(months: Sequence[MonthScores]) -> str:
    lines: list[str] = []
    for scores in months:
        lines.append(f"【{scores.month}】")
        lines.append("名次  单位  指数  颜色  复绿")
        for u in scores.units:
            lines.append(
                f"{u.rank if u.rank is not None else '—'}  {u.unit}  {_format_number(u.index)}  "
                f"{u.colour or '—'}  {'是' if u.regreened else ''}".rstrip()
            )
        lines.append("")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jiandu index compute",
        description="按政治生态指数规则计算各单位各月的节点得分、指数、颜色、名次和复绿。",
    )
    parser.add_argument("--spec", required=True, type=Path, help="指标树与规则 JSON 文件")
    parser.add_argument(
        "--values", required=True, type=Path, help="数据 CSV（列：unit, month, indicator, value）"
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: SupportsWrite[str] | None = None,
    stderr: SupportsWrite[str] | None = None,
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
        months = compute_files(spec_path=args.spec, values_path=args.values)
    except InputError as exc:
        if as_json:
            return _json_error(err, exc.lines, 1)
        for line in exc.lines:
            print(f"错误：{line}", file=err)
        return 1
    if args.json:
        json.dump({"months": [m.to_dict() for m in months]}, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(format_text(months))
    return 0


if __name__ == "__main__":
    sys.exit(main())
