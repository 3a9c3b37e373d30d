"""How fast the ``jiandu`` command answers: this tree against an earlier revision, in
one run, on the same machine and virtualenv.

Each command runs ``--repeat`` times (default 10) in a fresh interpreter; the median wall
time is reported. Two modes:

* ``bytecode``: modules come from their compiled ``__pycache__`` (as after ``make
  install``, which compiles at install time);
* ``no bytecode``: ``PYTHONDONTWRITEBYTECODE=1`` with an empty ``PYTHONPYCACHEPREFIX``,
  so every module is compiled again on every start (the worst case, e.g. a read-only
  install without compiled files);
* ``as installed``: each tree as its own install leaves it, where
  ``PYTHONDONTWRITEBYTECODE`` is set (the environment the start-up complaint came from).
  The baseline's ``make install`` (``uv pip sync``, which compiles nothing unless asked)
  left no bytecode for the libraries or the project, so every start compiled them again,
  the standard library excepted (it has its own); the baseline runs with bytecode
  ignored under site-packages and its ``src`` (``IGNORE_INSTALLED_BYTECODE``). This
  tree's install compiles both (``--compile-bytecode``, ``compileall src``): it runs as
  in ``bytecode``.

The baseline is a git revision (default ``d4c98c5``, the last one before the command
line was made lazy) checked out into a temporary worktree and run with the same
interpreter.

Besides ``--help`` and the pure calculator, the rows include commands that do work on a
database (``audit verify``, ``board list``): each tree gets its own empty SQLite database
(``JIANDU_VAR_DIR`` in the temporary folder), migrated by that tree before anything is
timed; ``migrate`` runs on it with nothing left to apply (it still runs Django's system
checks, as ``runserver`` does), and a web process is timed from importing
``jiandu.wsgi`` to a loaded URL configuration. Two more rows split their start-up:
``django.setup()`` with the command list alone, and ``jiandu check`` (the same start plus
Django's whole system-check suite, which every management command runs first unless it
says otherwise).

The rows headed 启动 time a command's start-up alone: the process ends the moment the
command's own work begins (Django enters the command, or anything starts importing the URL
configuration, whichever is first), so ``check``'s start-up stops before it checks
anything. The 上限 row runs Django with only its own and the other libraries' apps (none
of the platform's) against the baseline's start-up of ``check``: the most any start-up of
a Django command could gain, whatever the platform did.

Each row shows the median wall time and the median CPU time of the process (user +
system, from ``getrusage``), which a busy machine disturbs far less. Usage::

    .venv/bin/python bench/cli_startup.py [--repeat 10] [--baseline REV] [--only TEXT]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
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


# The start-up alone, as every command that needs the database pays it.
SETUP_CODE = (
    "import django; django.setup(); from django.core.management import get_commands; get_commands()"
)
CLI_CODE = "import sys; from jiandu.cli import main; main(sys.argv[1:])"
# A web process: the WSGI application (and, where the tree has it, its warm-up), then the
# whole URL configuration, as before its first request is answered.
WSGI_CODE = "import jiandu.wsgi; from django.urls import get_resolver; get_resolver().url_patterns"
# A command's start-up alone: the process ends the moment the command's own work begins,
# that is when Django enters the command (``BaseCommand.execute``, before any system check
# it runs) or when anything starts importing the URL configuration, whichever comes first.
# So ``check``'s start-up stops before it checks anything, and a web process's once its
# application object exists and the URLs start to load (with or without a warm-up).
UNTIL_WORK = (
    "import os, sys\n"
    "def _stop(*_a, **_k):\n"
    "    os._exit(0)\n"
    "class _UrlsStop:\n"
    "    @staticmethod\n"
    "    def find_spec(name, path=None, target=None):\n"
    "        if name == 'jiandu.urls':\n"
    "            _stop()\n"
    "sys.meta_path.insert(0, _UrlsStop)\n"
    "from django.core.management.base import BaseCommand\n"
    "BaseCommand.execute = _stop\n"
)
STARTUP_CLI_CODE = UNTIL_WORK + CLI_CODE
STARTUP_WSGI_CODE = UNTIL_WORK + "import jiandu.wsgi"
# The baseline as its install left it (see the module docstring): bytecode under
# site-packages and the tree's own source is not looked for, so those modules are compiled
# from source on every start; the standard library keeps its compiled files. Raising
# NotImplementedError is how ``cache_from_source`` tells importlib a file has no bytecode
# (as under ``sys.implementation.cache_tag = None``): it compiles and writes nothing.
IGNORE_INSTALLED_BYTECODE = (
    "import os, site\n"
    "import importlib._bootstrap_external as _bootstrap\n"
    "_installed = tuple(site.getsitepackages()) + (os.environ['PYTHONPATH'],)\n"
    "_cache_from_source = _bootstrap.cache_from_source\n"
    "def _no_installed_bytecode(path, *args, **kwargs):\n"
    "    if path.startswith(_installed):\n"
    "        raise NotImplementedError\n"
    "    return _cache_from_source(path, *args, **kwargs)\n"
    "_bootstrap.cache_from_source = _no_installed_bytecode\n"
)

# The floor under any start-up: Django with its own apps and the other libraries' apps the
# platform installs, and none of the platform's (no model, no choices, no app ready()).
FLOOR_CODE = (
    "from django.conf import settings\n"
    "settings.configure(INSTALLED_APPS=['django.contrib.auth', 'django.contrib.contenttypes',"
    " 'django.contrib.sessions', 'django.contrib.messages', 'django.contrib.staticfiles',"
    " 'django.contrib.humanize', 'django_htmx', 'axes'],"
    " DATABASES={'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}})\n"
    + SETUP_CODE
)


# Rows whose two columns run different code: label -> the code this tree runs instead.
# The floor row sets Django alone against the baseline's start-up of ``check``: their ratio
# is the most any start-up of a Django command could gain, whatever the platform did.
OURS_INSTEAD = {"上限：只有 Django（对 d4c98c5 的 check 启动）": FLOOR_CODE}


def commands(spec: Path, values: Path) -> dict[str, tuple[str, list[str]]]:
    """Label -> (code run by ``python -c``, its arguments)."""
    return {
        "jiandu --help": (CLI_CODE, ["--help"]),
        "jiandu board rank（40个单位）": (
            CLI_CODE,
            ["board", "rank", "--spec", str(spec), "--values", str(values)],
        ),
        "jiandu audit --help": (CLI_CODE, ["audit", "--help"]),
        "jiandu import --help": (CLI_CODE, ["import", "--help"]),
        "django.setup()+命令表": (SETUP_CODE, []),
        "jiandu check（全部系统检查）": (CLI_CODE, ["check"]),
        "jiandu audit verify --json": (CLI_CODE, ["audit", "verify", "--json"]),
        "jiandu board list --json": (CLI_CODE, ["board", "list", "--json"]),
        "jiandu migrate（无待执行迁移）": (CLI_CODE, ["migrate", "--no-input", "-v", "0"]),
        "web 进程启动（含全部 URL）": (WSGI_CODE, []),
        "启动：jiandu check": (STARTUP_CLI_CODE, ["check"]),
        "启动：jiandu migrate": (STARTUP_CLI_CODE, ["migrate", "--no-input", "-v", "0"]),
        "启动：jiandu runserver": (STARTUP_CLI_CODE, ["runserver", "--noreload"]),
        "启动：web 进程（到应用就绪）": (STARTUP_WSGI_CODE, []),
        "上限：只有 Django（对 d4c98c5 的 check 启动）": (STARTUP_CLI_CODE, ["check"]),
    }


def needs_database(args: list[str]) -> bool:
    return "--json" in args or "migrate" in args


def tree_env(src: Path, var_dir: Path) -> dict[str, str]:
    # The mode decides about bytecode, not the caller's environment.
    unset = {"DATABASE_URL", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        PYTHONPATH=str(src),
        DJANGO_SETTINGS_MODULE="jiandu.settings",
        JIANDU_VAR_DIR=str(var_dir),
    )
    return env


def migrate(src: Path, var_dir: Path) -> None:
    """The tree's own empty database, built before anything is timed."""
    done = subprocess.run(
        [sys.executable, "-c", CLI_CODE, "migrate", "--no-input", "-v", "0"],
        env=tree_env(src, var_dir),
        cwd=src.parent,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"migrate 失败（{src}）：{done.stderr.decode()[-500:]}")


def _run_once(src: Path, env: dict[str, str], code: str, args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one fresh interpreter."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=src.parent,
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} 失败（{src}）：{done.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


MODES = {"bytecode": "字节码", "none": "无字节码", "installed": "按安装"}


def time_command(
    src: Path,
    var_dir: Path,
    code: str,
    args: list[str],
    *,
    repeat: int,
    mode: str,
    baseline: bool = False,
) -> tuple[float, float]:
    """Median wall and median CPU seconds over ``repeat`` runs in ``mode`` (``MODES``)."""
    env = tree_env(src, var_dir)
    if mode == "installed" and baseline:
        code = IGNORE_INSTALLED_BYTECODE + code
    elif mode != "none":
        _run_once(src, env, code, args)  # writes any missing __pycache__; not timed
    walls, cpus = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as cache:
            run_env = dict(env)
            if mode == "none":
                run_env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONPYCACHEPREFIX=cache)
            elif mode == "installed":
                run_env.update(PYTHONDONTWRITEBYTECODE="1")
            wall, cpu = _run_once(src, run_env, code, args)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description="jiandu 命令启动时间：本版本与早先版本对比")
    parser.add_argument("--repeat", type=int, default=10, help="每条命令运行次数（取中位数）")
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="对比的 git 版本")
    parser.add_argument("--only", default="", help="只测名称含此文字的命令（默认全部）")
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
            trees = {
                ROOT / "src": folder / "var-ours",
                baseline / "src": folder / "var-baseline",
            }
            rows = {k: v for k, v in commands(spec, values).items() if options.only in k}
            if any(needs_database(args) for _, args in rows.values()):
                for src, var_dir in trees.items():
                    migrate(src, var_dir)
            print(
                f"中位数，{options.repeat} 次，{os.cpu_count()} 核；"
                f"开始时 load {os.getloadavg()[0]:.2f}；墙钟（CPU 时间 = 用户态 + 内核态）"
            )
            print(f"{'命令':<30}{'模式':<8}{'本版本':>16}{options.baseline:>18}{'倍数':>14}")
            for label, (code, args) in rows.items():
                for mode, mode_label in MODES.items():
                    codes = (OURS_INSTEAD.get(label, code), code)
                    (ours, ours_cpu), (before, before_cpu) = (
                        time_command(
                            src, var_dir, tree_code, args, repeat=options.repeat, mode=mode,
                            baseline=src != ROOT / "src",
                        )
                        for (src, var_dir), tree_code in zip(trees.items(), codes, strict=True)
                    )  # fmt: skip
                    print(
                        f"{label:<30}{mode_label:<8}"
                        f"{ours:>7.2f}s ({ours_cpu:.2f}s)"
                        f"{before:>9.2f}s ({before_cpu:.2f}s)"
                        f"{before / ours:>7.1f}× ({before_cpu / ours_cpu:.1f}×)",
                        flush=True,
                    )
            print(f"结束时 load {os.getloadavg()[0]:.2f}")
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(baseline)],
                check=False,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
