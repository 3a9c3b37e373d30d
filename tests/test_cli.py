"""The ``jiandu`` entry point: the overview and the pure calculators answer without
Django, ``--json`` turns every error into one JSON object, every option has help text,
and the task worker says what it does."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from jiandu.cli import PLATFORM_COMMANDS, main

ROOT = Path(__file__).resolve().parents[1]
OUR_COMMANDS = ["demo", "import", "board", "datacheck", "audit", "roles", "tasks", "reconcile"]
OUR_COMMANDS += ["dossier"]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in a fresh interpreter, as a user runs it."""
    code = "import sys; from jiandu.cli import main; main(sys.argv[1:])"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


def loaded_modules(*args: str) -> set[str]:
    """The modules a command has imported by the time it finishes."""
    code = (
        "import sys, json\n"
        "from jiandu.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.__stderr__.write('MODULES=' + json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    marker = done.stderr.rsplit("MODULES=", 1)[1]
    return set(json.loads(marker))


@pytest.mark.parametrize("args", [[], ["--help"], ["-h"], ["help"]])
def test_overview_names_the_commands_without_starting_django(args):
    modules = loaded_modules(*args)
    assert "django" not in modules
    done = run_cli(*args)
    assert done.returncode == 0
    for name in OUR_COMMANDS:
        assert f"  {name} " in done.stdout


def test_board_rank_runs_without_django_or_the_comparison_engine(tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text(
        json.dumps({"months": ["2026-01"], "indicators": [{"key": "a", "name": "受理"}]}),
        encoding="utf-8",
    )
    values = tmp_path / "values.csv"
    values.write_text("unit,month,indicator,value\n甲,2026-01,a,3\n乙,2026-01,a,1\n", "utf-8")
    args = ["board", "rank", "--spec", str(spec), "--values", str(values), "--json"]
    modules = loaded_modules(*args)
    assert not {"django", "ibis", "pandas", "duckdb", "pyarrow"} & modules
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["months"]


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["board", "rank", "--json"], 2, "缺少必需的参数"),
        (["board", "rank", "--spec", "/nonexistent.json", "--values", "/x.csv", "--json"], 1, ""),
        (["audit", "verify", "--json", "--bogus"], 2, "无法识别的参数：--bogus"),
        (["no-such-command", "--json"], 2, "未知命令"),
    ],
)
def test_json_errors_are_one_json_object_on_stderr(args, code, words):
    done = run_cli(*args)
    assert done.returncode == code
    assert done.stdout == ""
    body = json.loads(done.stderr)
    assert body["ok"] is False
    assert body["code"] == code
    assert words in body["error"]
    assert body["error"]


@pytest.mark.django_db
def test_command_error_with_json_is_json(capsys, monkeypatch):
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as stop:
        main(["board", "close", "--board", "无此榜", "--month", "2020-09", "--json"])
    assert stop.value.code == 1
    body = json.loads(capsys.readouterr().err)
    assert body["ok"] is False and body["code"] == 1
    assert "内部错误" not in body["error"]


def _actions(parser: argparse.ArgumentParser, path: str):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _actions(sub, f"{path} {name}")
        elif not isinstance(action, argparse._HelpAction):
            yield path, action


@pytest.mark.django_db
@pytest.mark.parametrize("name", OUR_COMMANDS)
def test_every_option_has_help_text(name):
    from django.core.management import get_commands, load_command_class

    command = load_command_class(get_commands()[name], name)
    parser = command.create_parser("jiandu", name)
    django_own = {
        "version",
        "verbosity",
        "settings",
        "pythonpath",
        "traceback",
        "no_color",
        "force_color",
        "skip_checks",
    }
    missing = [
        f"{path} {'/'.join(action.option_strings) or action.dest}"
        for path, action in _actions(parser, f"jiandu {name}")
        if action.dest not in django_own
        and action.dest != "args"
        and not (action.help and action.help != argparse.SUPPRESS)
    ]
    assert missing == []


@pytest.mark.django_db
def test_worker_logs_start_each_task_and_stop(world):
    import io

    from django.core.management import call_command

    from jiandu.core import tasks
    from jiandu.core.models import Task

    @tasks.register("test.echo")
    def echo(task, progress):
        return {"echo": task.params["word"]}

    try:
        Task.objects.create(kind="test.echo", params={"word": "一"})
        Task.objects.create(kind="test.echo", params={"word": "二"})
        out = io.StringIO()
        call_command("tasks", "worker", "--once", "--poll", "0", stdout=out)
    finally:
        tasks._REGISTRY.pop("test.echo")
    lines = out.getvalue().splitlines()
    assert "后台任务进程启动" in lines[0]
    assert sum("开始任务" in line for line in lines) == 2
    assert sum("成功" in line or "完成" in line for line in lines if "用时" in line) == 2
    assert "共执行 2 个任务" in lines[-1]


def test_calendar_due_with_a_file_runs_without_django():
    holidays = ROOT / "src" / "jiandu" / "core" / "data" / "holidays" / "2026.csv"
    args = [
        "calendar",
        "due",
        "--calendar",
        str(holidays),
        "--from",
        "2026-09-28",
        "--workdays",
        "5",
        "--json",
    ]
    assert "django" not in loaded_modules(*args)
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"due": "2026-10-10"}
    bad = run_cli(
        "calendar",
        "due",
        "--calendar",
        str(holidays),
        "--from",
        "2026-09-28",
        "--workdays",
        "0",
        "--json",
    )
    assert bad.returncode == 2 and "不小于1" in json.loads(bad.stderr)["error"]


@pytest.mark.django_db
def test_platform_command_table_is_djangos_list_of_our_commands():
    from django.core.management import get_commands

    from jiandu.cli import PLATFORM_COMMANDS

    ours = {name: app for name, app in get_commands().items() if app.startswith("jiandu.")}
    assert ours == PLATFORM_COMMANDS


HELP_WITHOUT_SETUP = (
    "import sys, json\n"
    "from django.apps import apps\n"
    "from jiandu.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "except SystemExit:\n"
    "    pass\n"
    "sys.__stderr__.write('READY=' + json.dumps(apps.ready))\n"
)
HELP_AFTER_SETUP = (
    "import sys, django\n"
    "django.setup()\n"
    "from django.core.management import execute_from_command_line\n"
    "execute_from_command_line(['jiandu', *sys.argv[1:]])\n"
)


def _python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            "PYTHONPATH": str(ROOT / "src"),
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "jiandu.settings",
            "COLUMNS": "100",
        },
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        *([name, "--help"] for name in ["audit", "board", "calendar", "datacheck", "demo"]),
        *([name, "--help"] for name in ["dossier", "followup", "import", "inbox", "index"]),
        ["reconcile", "--help"],
        *([name, "--help"] for name in ["roles", "stats", "supervision", "tasks"]),
        ["board", "close", "--help"],
        ["audit", "verify", "-h"],
        ["import", "clues", "--help"],
    ],
    ids=" ".join,
)
def test_platform_command_help_answers_without_loading_the_models(args):
    fast = _python(HELP_WITHOUT_SETUP, *args)
    assert fast.stderr.rsplit("READY=", 1)[1] == "false", fast.stderr
    slow = _python(HELP_AFTER_SETUP, *args)
    assert slow.returncode == 0, slow.stderr
    assert fast.stdout == slow.stdout
    assert "usage: jiandu " in fast.stdout


def test_help_of_a_command_that_needs_the_models_still_answers():
    # A Django command of its own (not in the table) takes the ordinary way.
    done = _python(HELP_WITHOUT_SETUP, "migrate", "--help")
    assert done.stderr.rsplit("READY=", 1)[1] == "true"
    assert "usage: jiandu migrate" in done.stdout


@pytest.mark.parametrize("name", sorted(PLATFORM_COMMANDS))
def test_platform_commands_leave_the_system_checks_to_jiandu_check(name):
    """The whole check suite (URLconf, views, API schemas) is `jiandu check`'s job; the
    operational commands start without it (jiandu.core.management.base)."""
    from django.core.management import load_command_class

    command = load_command_class(PLATFORM_COMMANDS[name], name)
    assert list(command.requires_system_checks) == []
    assert "--skip-checks" not in command.create_parser("jiandu", name).format_help()


@pytest.mark.django_db
@pytest.mark.parametrize("args", [["audit", "verify"], ["audit", "verify", "--json"]])
def test_a_working_command_does_not_run_the_system_checks(args, capsys, monkeypatch):
    from django.core.management.base import BaseCommand
    from django.db import connections

    ran = []
    monkeypatch.setattr(BaseCommand, "check", lambda self, *a, **k: ran.append(k))
    monkeypatch.setattr(connections, "close_all", lambda: None)
    try:
        main(args)
    except SystemExit as stop:
        assert stop.code in (0, None)
    out = capsys.readouterr().out
    assert json.loads(out)["ok"] is True if "--json" in args else "审计日志完整" in out
    assert ran == []


@pytest.mark.parametrize(
    ("args", "run_main", "loads"),
    [
        (["check"], None, True),
        (["migrate", "--no-input"], None, True),
        (["runserver", "--noreload"], None, True),
        (["runserver"], "true", True),  # the reloader's server process
        (["runserver"], None, False),  # the reloader's watching parent
        (["audit", "verify"], None, False),
    ],
)
def test_only_a_process_that_runs_the_checks_loads_the_urls_at_start_up(
    monkeypatch, args, run_main, loads
):
    from jiandu.cli import checks_urls_here

    if run_main is None:
        monkeypatch.delenv("RUN_MAIN", raising=False)
    else:
        monkeypatch.setenv("RUN_MAIN", run_main)
    assert checks_urls_here(args) is loads
