"""``jiandu datacheck``: run rules, list them, import a file, generate demo data.

    jiandu datacheck run --data DIR --out DIR [--rules R01,R03] [--backend duckdb|spark]
                         [--spark-master URL] [--params JSON] [--json]
    jiandu datacheck rules [--json]
    jiandu datacheck import --dataset NAME --file F --store DIR [--mapping JSON] [--json]
    jiandu datacheck generate --out DIR [--persons N] [--seed S] [--payments N]
                              [--format parquet|csv]

``main(argv)`` returns the exit status: 0 on success, 1 when the data is refused (the
message names file, row and column), 2 for a usage error. With ``--json`` an error is a
JSON object on stderr: ``{"ok": false, "error": "…", "code": 1}`` (``code`` = the exit
status).

Files may use the canonical English column names or the Chinese headers the web upload
recognises (公民身份号码, 身份证号, 发放金额 …: ``catalog.SYNONYMS``); ``--mapping`` names
the others. The engine (Ibis, DuckDB, PyArrow) is imported by the sub-command that needs
it, so ``--help`` and ``rules`` answer at once.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from .catalog import (
    DATASETS,
    GENERATOR_MIN_PERSONS,
    ID_FLAG_NOTE,
    RULE_SPECS,
    DatasetError,
    RuleError,
    list_rules,
)

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jiandu datacheck", description="大数据比对")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    datasets = "、".join(DATASETS)
    run = sub.add_parser("run", help="执行比对规则")
    run.add_argument(
        "--data",
        required=True,
        help=f"数据目录：每个数据集一个文件 <数据集>.csv/.xlsx/.parquet（{datasets}），"
        "表头可用英文列名或中文列名",
    )
    run.add_argument("--out", required=True, help="结果目录（hits.csv、summary.json）")
    run.add_argument(
        "--rules", help=f"规则代码，逗号分隔，如 R01,R03（默认全部：{'、'.join(RULE_SPECS)}）"
    )
    run.add_argument("--backend", default="duckdb", help="计算后端：duckdb（默认）或 spark")
    run.add_argument("--spark-master", help="Spark master，如 local[2] 或 spark://host:7077")
    run.add_argument("--params", help='规则参数 JSON，如 {"R01": {"grace_months": 1}}')
    run.add_argument("--max-file-mb", type=int, default=1024, help="单个文件大小上限（MB）")
    run.add_argument("--json", action="store_true", help="输出机器可读的 JSON")

    rules = sub.add_parser("rules", help="列出规则及参数")
    rules.add_argument("--json", action="store_true", help="输出机器可读的 JSON")

    imp = sub.add_parser("import", help="导入一个部门数据文件到数据仓")
    imp.add_argument("--dataset", required=True, help=f"数据集：{datasets}")
    imp.add_argument(
        "--file", required=True, help="部门数据文件（.csv/.xlsx/.parquet，表头英文或中文）"
    )
    imp.add_argument("--store", required=True, help="数据仓目录（每次导入增加一个版本）")
    imp.add_argument(
        "--mapping",
        help='列名映射 JSON：{"原表头": "标准列名"}；中文列名和常见表头（身份证号、发放金额…）'
        "无需映射",
    )
    imp.add_argument("--strict", action="store_true", help="任何一行有误即整个文件不导入")
    imp.add_argument("--json", action="store_true", help="输出机器可读的 JSON")

    gen = sub.add_parser("generate", help="生成可复现的模拟数据（含预置疑点与 truth.csv）")
    gen.add_argument("--out", required=True, help="输出目录")
    gen.add_argument(
        "--persons",
        type=int,
        default=5000,
        help=f"户籍人口数（至少 {GENERATOR_MIN_PERSONS}，默认 5000）",
    )
    gen.add_argument("--seed", type=int, default=1, help="随机种子：同一种子生成同样数据（默认 1）")
    gen.add_argument("--payments", type=int, help="资金发放记录数（默认按人口数推算）")
    gen.add_argument("--anomalies", type=int, help="每条规则预置的疑点数（默认按人口数推算）")
    gen.add_argument(
        "--format",
        choices=("parquet", "csv"),
        default="parquet",
        help="文件格式：parquet（默认）或 csv",
    )
    gen.add_argument("--json", action="store_true", help="输出机器可读的 JSON")
    return parser


def _load_json(text: str | None, *, what: str) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _UsageError(f"{what}不是合法的 JSON：{exc.msg}（第{exc.colno}个字符）") from None


def _print_json(data: Any, out: TextIO) -> None:
    out.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _cmd_run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .runner import run_suite

    rules = [c.strip().upper() for c in args.rules.split(",") if c.strip()] if args.rules else None
    params = _load_json(args.params, what="--params ")
    if params is not None and not isinstance(params, dict):
        raise _UsageError('--params 应为对象，如 {"R01": {"grace_months": 1}}')
    options: dict[str, Any] = {}
    if args.spark_master:
        if args.backend not in ("spark", "pyspark"):
            raise _UsageError("--spark-master 只能与 --backend spark 一起使用")
        options["master"] = args.spark_master

    def progress(fraction: float, message: str) -> None:
        if not args.json:
            err.write(f"[{fraction * 100:5.1f}%] {message}\n")

    summary = run_suite(
        data_dir=args.data,
        out_dir=args.out,
        rules=rules,
        backend=args.backend,
        params=params,
        progress=progress,
        backend_options=options,
        max_file_bytes=args.max_file_mb * 1024 * 1024,
    )
    if args.json:
        _print_json(summary, out)
    else:
        out.write(f"结果已写入 {summary['out_dir']}（共 {summary['total_hits']} 条疑点）\n")
        for code, info in summary["rules"].items():
            out.write(f"  {code} {info['name']}：{info['hits']} 条，{info['seconds']:.2f} 秒\n")
    return EXIT_OK


def _cmd_rules(args: argparse.Namespace, out: TextIO) -> int:
    rules = list_rules()
    if args.json:
        _print_json(rules, out)
        return EXIT_OK
    for rule in rules:
        out.write(f"{rule['code']} {rule['name']}：{rule['description']}\n")
        out.write(f"    数据集：{'、'.join(rule['datasets'])}\n")
        for p in rule["parameters"]:
            default = json.dumps(p["default"], ensure_ascii=False)
            out.write(f"    参数 {p['name']} = {default}  {p['help']}\n")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from .datasets import DatasetStore

    mapping = _load_json(args.mapping, what="--mapping ")
    if mapping is not None and not isinstance(mapping, dict):
        raise _UsageError('--mapping 应为对象，如 {"身份证号": "id_no"}')
    report = DatasetStore(args.store).import_file(
        dataset=args.dataset, path=args.file, mapping=mapping, strict=args.strict, guess=True
    )
    if args.json:
        _print_json(report.as_dict(), out)
    else:
        out.write(
            f"已导入 {args.dataset} 第 {report.version} 版：读取 {report.rows_read} 行，"
            f"导入 {report.rows_imported} 行，拒绝 {report.rows_rejected} 行\n"
        )
        for row, column, message in report.errors[:50]:
            out.write(f"  第{row}行 列 {column or '-'}：{message}\n")
        if report.warnings:
            out.write(f"  另有 {len(report.warnings)} 行身份证号码未通过校验（{ID_FLAG_NOTE}）\n")
    return EXIT_OK


def _cmd_generate(args: argparse.Namespace, out: TextIO) -> int:
    from .generator import generate

    if args.persons < GENERATOR_MIN_PERSONS:
        raise _UsageError(f"--persons 至少为 {GENERATOR_MIN_PERSONS}（收到 {args.persons}）")
    report = generate(
        out_dir=args.out,
        persons=args.persons,
        seed=args.seed,
        payments=args.payments,
        anomalies_per_rule=args.anomalies,
        fmt=args.format,
    )
    data = {
        "out_dir": str(report.out_dir),
        "rows": report.rows,
        "truth": report.truth,
        "horizon": list(report.horizon),
        "seconds": round(report.seconds, 2),
    }
    if args.json:
        _print_json(data, out)
    else:
        counts = "，".join(f"{k} {v}" for k, v in report.rows.items())
        out.write(f"已生成 {report.out_dir}：{counts}；预置疑点 {report.truth} 条（truth.csv）\n")
    return EXIT_OK


def main(
    argv: list[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Entry point of ``jiandu datacheck``; returns the exit status."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "datacheck":
        argv = argv[1:]
    as_json = "--json" in argv

    def fail(message: str, status: int) -> int:
        if as_json:
            answer = {"ok": False, "error": message, "code": status}
            err.write(json.dumps(answer, ensure_ascii=False) + "\n")
        else:
            prefix = "用法错误" if status == EXIT_USAGE else "错误"
            err.write(f"{prefix}：{message}\n")
        return status

    try:
        args = _parser().parse_args(argv)
        if args.command == "run":
            return _cmd_run(args, out, err)
        if args.command == "rules":
            return _cmd_rules(args, out)
        if args.command == "import":
            return _cmd_import(args, out)
        return _cmd_generate(args, out)
    except _UsageError as exc:
        return fail(str(exc), EXIT_USAGE)
    except (DatasetError, RuleError, ValueError) as exc:
        return fail(str(exc), EXIT_DATA)
    except Exception as exc:
        from .backends import BackendError

        if isinstance(exc, BackendError):
            return fail(str(exc), EXIT_DATA)
        raise


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
