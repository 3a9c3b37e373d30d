"""``jiandu inspection draw``: draw 巡察 teams with 回避 from CSV files, without a database.

Usage::

    jiandu inspection draw --pool POOL.csv --targets TARGETS.csv [--avoid AVOID.csv]
                           [--history HISTORY.csv] --team-size 5 [--skills 财务,审计]
                           [--as-of 2026-10-01] [--cooldown-months 36] [--seed 7] [--json]

Files (UTF-8 with or without BOM, or GB18030 as saved by Excel; a header row first):

* POOL.csv ``person_id,name,home_org,skills,can_lead`` — skills separated by ``;``,
  can_lead ``0`` or ``1``;
* TARGETS.csv ``org_id,name,covers`` — covers: the org ids (``;``-separated) that count
  as this target, i.e. the unit and its subordinate units (the unit itself always counts);
* AVOID.csv ``person_id,org_id`` — relatives and other declared conflicts;
* HISTORY.csv ``person_id,org_id,ended_on`` — earlier inspection stints (``YYYY-MM-DD``).

AVOID and HISTORY rows are matched against every org in a target's covers; a HISTORY row
blocks when ``ended_on`` is after the as-of date minus the cool-down. A person id in
AVOID or HISTORY must be in POOL (a misspelt id would silently drop a 回避).

Exit status: 0 with the teams, ``{"seed": S, "teams": [{"target": org_id, "members":
[{"person_id": …, "role": "组长" | "组员"}]}]}``; 1 when the draw is infeasible,
``{"infeasible": [{"target": org_id, "reason": "…"}]}`` on stdout; 2 for usage errors and
bad rows (the message names the file, row — the header is row 1 — and column). Without
``--seed`` a seed is chosen and printed, so the draw can be repeated.

The rules are those of :mod:`jiandu.inspections.draw`, the code the platform's stored
draws run.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from jiandu.core.cli_messages import usage_message
from jiandu.core.pure_cli import (
    InputError,
    UsageError,
)
from jiandu.core.pure_cli import (
    raise_usage as _raise_usage,
)
from jiandu.inspections.draw import (
    DEFAULT_COOLDOWN_MONTHS,
    LEADER,
    Candidate,
    Conflict,
    DrawInputError,
    DrawRequest,
    DrawResult,
    HistoryEntry,
    Target,
    draw_teams,
)


def _read_rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV with exactly ``columns`` (in any order), with their row numbers."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([f"无法读取文件 {path}：{exc.strerror or exc}"]) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError([f"{path.name}：无法识别文件编码，请保存为 UTF-8"])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError([f"{path.name}：文件是空的，第1行应为表头 {','.join(columns)}"]) from None
    missing = [c for c in columns if c not in header]
    extra = [h for h in header if h not in columns]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"缺少列 {','.join(missing)}")
        if extra:
            parts.append(f"多出列 {','.join(extra)}")
        raise InputError(
            [f"{path.name} 第1行（表头）：{'；'.join(parts)}，应为 {','.join(columns)}"]
        )
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise InputError(
                [f"{path.name} 第{number}行：有{len(values)}个字段，应为{len(header)}个"]
            )
        rows.append((number, {h: v.strip() for h, v in zip(header, values, strict=True)}))
    return rows


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace("；", ";").split(";") if part.strip()]


def _date(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError([f"{where}：日期「{value}」应写作 YYYY-MM-DD"]) from None


def _required(row: dict[str, str], column: str, where: str) -> str:
    if not row[column]:
        raise InputError([f"{where} {column} 列：不能为空"])
    return row[column]


def load_pool(path: Path) -> list[Candidate]:
    pool: list[Candidate] = []
    seen: dict[str, int] = {}
    for number, row in _read_rows(path, ("person_id", "name", "home_org", "skills", "can_lead")):
        where = f"{path.name} 第{number}行"
        pid = _required(row, "person_id", where)
        if pid in seen:
            raise InputError([f"{where} person_id 列：人员编号 {pid} 与第{seen[pid]}行重复"])
        seen[pid] = number
        home = _required(row, "home_org", where)
        if row["can_lead"] not in {"0", "1"}:
            raise InputError([f"{where} can_lead 列：应为 0 或 1，而不是「{row['can_lead']}」"])
        pool.append(
            Candidate(
                pid, row["name"], home, frozenset(_split(row["skills"])), row["can_lead"] == "1"
            )
        )
    return pool


def load_targets(path: Path) -> list[Target]:
    targets: list[Target] = []
    seen: dict[str, int] = {}
    for number, row in _read_rows(path, ("org_id", "name", "covers")):
        where = f"{path.name} 第{number}行"
        org = _required(row, "org_id", where)
        if org in seen:
            raise InputError([f"{where} org_id 列：单位 {org} 与第{seen[org]}行重复"])
        seen[org] = number
        targets.append(Target(org, row["name"], frozenset(_split(row["covers"]))))
    return targets


def _person(row: dict[str, str], where: str, pool_ids: set[str]) -> str:
    pid = _required(row, "person_id", where)
    if pid not in pool_ids:
        raise InputError([f"{where} person_id 列：人员编号 {pid} 不在人才库（POOL）中"])
    return pid


def load_avoid(path: Path, pool_ids: set[str]) -> list[Conflict]:
    rows = []
    for number, row in _read_rows(path, ("person_id", "org_id")):
        where = f"{path.name} 第{number}行"
        rows.append(Conflict(_person(row, where, pool_ids), _required(row, "org_id", where)))
    return rows


def load_history(path: Path, pool_ids: set[str]) -> list[HistoryEntry]:
    rows = []
    for number, row in _read_rows(path, ("person_id", "org_id", "ended_on")):
        where = f"{path.name} 第{number}行"
        pid = _person(row, where, pool_ids)
        org = _required(row, "org_id", where)
        ended = _date(_required(row, "ended_on", where), f"{where} ended_on 列")
        rows.append(HistoryEntry(pid, org, ended))
    return rows


def parse_skills(value: str | None) -> list[str]:
    if not value:
        return []
    text = value.replace("，", ",").replace("；", ",").replace(";", ",")
    skills: list[str] = []
    for part in text.split(","):
        if part.strip() and part.strip() not in skills:
            skills.append(part.strip())
    return skills


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jiandu inspection draw",
        description="按回避规则从人才库为被巡察单位抽取巡察组（无需数据库）",
    )
    parser.add_argument("--pool", type=Path, required=True, help="人才库 POOL.csv")
    parser.add_argument("--targets", type=Path, required=True, help="被巡察单位 TARGETS.csv")
    parser.add_argument("--avoid", type=Path, help="亲属等申报回避 AVOID.csv")
    parser.add_argument("--history", type=Path, help="以往巡察经历 HISTORY.csv")
    parser.add_argument("--team-size", type=int, required=True, help="每组人数（含组长）")
    parser.add_argument("--skills", help="每组必须具备的专长，逗号分隔，如 财务,审计")
    parser.add_argument("--as-of", help="抽取日期 YYYY-MM-DD，默认今天")
    parser.add_argument(
        "--cooldown-months", type=int, default=DEFAULT_COOLDOWN_MONTHS, help="冷却期（月），默认36"
    )
    parser.add_argument("--seed", type=int, help="随机种子；不给时自动选取并在结果中给出")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    return parser


def request_from_files(args: argparse.Namespace) -> DrawRequest:
    if args.team_size < 1:
        raise UsageError("--team-size：每组人数至少为1")
    if args.cooldown_months < 0:
        raise UsageError("--cooldown-months：冷却期月数不能为负")
    as_of = date.today()
    if args.as_of:
        try:
            as_of = date.fromisoformat(args.as_of)
        except ValueError:
            raise UsageError(f"--as-of：日期「{args.as_of}」应写作 YYYY-MM-DD") from None
    pool = load_pool(args.pool)
    ids = {p.person_id for p in pool}
    targets = load_targets(args.targets)
    avoid = load_avoid(args.avoid, ids) if args.avoid else []
    history = load_history(args.history, ids) if args.history else []
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 10**6)
    return DrawRequest(
        candidates=pool,
        targets=targets,
        team_size=args.team_size,
        seed=seed,
        as_of=as_of,
        required_skills=parse_skills(args.skills),
        conflicts=avoid,
        history=history,
        cooldown_months=args.cooldown_months,
    )


def format_result(request: DrawRequest, result: DrawResult) -> str:
    names = {p.person_id: p.name or p.person_id for p in request.candidates}
    target_names = {t.org_id: t.name or t.org_id for t in request.targets}
    if not result.ok:
        lines = ["无法为以下单位组队："]
        lines += [f"  {target_names[r.target]}：{r.reason}" for r in result.infeasible]
        return "\n".join(lines) + "\n"
    lines = [f"随机种子：{result.seed}"]
    for team in result.teams:
        leader = [names[m.person_id] for m in team.members if m.role == LEADER]
        others = [names[m.person_id] for m in team.members if m.role != LEADER]
        lines.append(f"  {target_names[team.target]}：组长 {leader[0]}；组员 {'、'.join(others)}")
    return "\n".join(lines) + "\n"


def _error(err: TextIO, lines: Sequence[str], code: int, as_json: bool) -> int:
    if as_json:
        body = {"ok": False, "error": "；".join(lines), "errors": list(lines), "code": code}
        err.write(json.dumps(body, ensure_ascii=False) + "\n")
    else:
        for line in lines:
            print(f"错误：{line}", file=err)
    return code


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run ``jiandu inspection draw``; exit 0 (teams), 1 (infeasible), 2 (usage, bad rows)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    arguments = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in arguments
    parser = build_parser()
    if as_json:
        parser.error = _raise_usage  # type: ignore[method-assign,assignment]
    try:
        args = parser.parse_args(arguments)
        request = request_from_files(args)
        result = draw_teams(request)
    except UsageError as exc:
        return _error(err, [usage_message(str(exc))], 2, as_json)
    except SystemExit as exc:
        return int(exc.code or 0)
    except InputError as exc:
        return _error(err, exc.lines, 2, as_json)
    except DrawInputError as exc:
        return _error(err, [str(exc)], 2, as_json)
    if as_json:
        json.dump(result.to_dict(), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(format_result(request, result))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
