"""How fast the ``jiandu`` command answers: this tree against an earlier revision, in
one run, on the same machine and virtualenv.

Each command runs ``--repeat`` times (default 10) in a fresh interpreter; the median wall
time is reported. Two modes:

* ``bytecode``: modules come from their compiled ``__pycache__`` (as after ``make
  install``, which compiles at install time);
* ``no bytecode``: ``PYTHONDONTWRITEBYTECODE=1`` with an empty ``PYTHONPYCACHEPREFIX``,
  so every module is compiled again on every start (the worst case, e.g. a read-only
  install without compiled files).

The baseline is a git revision (default ``d4c98c5``, the last one before the command
line was made lazy) checked out into a temporary worktree and run with the same
interpreter. Usage::

    .venv/bin/python bench/cli_startup.py [--repeat 10] [--baseline REV]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BASELINE = "d4c98c5"


def board_files(folder: Path, *, units: int = 40, months: int = 12) -> tuple[Path, Path]:
    """A 40-unit board: five indicators over a year."""
    indicators = [
        {"key": "accepted", "name": "受理问题线索", "unit": "件"},
        {"key": "closed", "name": "处置办结", "unit": "件"},
        {"key": "sanctioned", "name": "党纪政务处分", "unit": "人"},
        {"key": "exposed", "name": "通报曝光", "unit": "起"},
        {"key": "overdue", "name": "超期未办结", "unit": "件", "direction": "lower"},
    ]
    month_keys = [f"2025-{m:02d}" for m in range(1, months + 1)]
    spec = folder / "spec.json"
    spec.write_text(
        json.dumps({"title": "启动测试", "months": month_keys, "indicators": indicators}),
        encoding="utf-8",
    )
    values = folder / "values.csv"
    with values.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit", "month", "indicator", "value"])
        for u in range(units):
            for m, month in enumerate(month_keys):
                for i, indicator in enumerate(indicators):
                    writer.writerow(
                        [f"单位{u:02d}", month, indicator["key"], (u * 7 + m * 3 + i) % 11]
                    )
    return spec, values


def commands(spec: Path, values: Path) -> dict[str, list[str]]:
    return {
        "jiandu --help": ["--help"],
        "jiandu board rank（40个单位）": [
            "board",
            "rank",
            "--spec",
            str(spec),
            "--values",
            str(values),
        ],
        "jiandu audit --help": ["audit", "--help"],
        "jiandu import --help": ["import", "--help"],
    }


def time_command(src: Path, args: list[str], *, repeat: int, bytecode: bool) -> float:
    code = "import sys; from jiandu.cli import main; main(sys.argv[1:])"
    env = {**os.environ, "PYTHONPATH": str(src), "DJANGO_SETTINGS_MODULE": "jiandu.settings"}
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as cache:
            run_env = dict(env)
            if not bytecode:
                run_env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONPYCACHEPREFIX=cache)
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", code, *args],
                env=run_env,
                cwd=src.parent,
                capture_output=True,
                check=False,
            )
            times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args)} 失败（{src}）：{done.stderr.decode()[-500:]}")
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description="jiandu 命令启动时间：本版本与早先版本对比")
    parser.add_argument("--repeat", type=int, default=10, help="每条命令运行次数（取中位数）")
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="对比的 git 版本")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        spec, values = board_files(folder)
        baseline = folder / "baseline"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(baseline),
             options.baseline],
            check=True,
        )  # fmt: skip
        try:
            trees = {"本版本": ROOT / "src", f"{options.baseline}": baseline / "src"}
            print(
                f"中位数，{options.repeat} 次，{os.cpu_count()} 核；load {os.getloadavg()[0]:.2f}"
            )
            print(f"{'命令':<34}{'模式':<10}{'本版本':>10}{'早先版本':>10}{'倍数':>8}")
            for label, args in commands(spec, values).items():
                for bytecode in (True, False):
                    ours, before = (
                        time_command(src, args, repeat=options.repeat, bytecode=bytecode)
                        for src in trees.values()
                    )
                    mode = "字节码" if bytecode else "无字节码"
                    print(
                        f"{label:<34}{mode:<10}{ours:>9.2f}s{before:>9.2f}s{before / ours:>7.1f}×",
                        flush=True,
                    )
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(baseline)],
                check=False,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
