"""The ``jiandu`` command line.

``jiandu <command> ...`` runs the Django management command of that name, so every batch
job (``demo``, ``import``, ``board``, ``datacheck``, ``audit``, ``tasks``) and the usual
Django ones (``migrate``, ``runserver``, ``createsuperuser``) share one entry point.

Three things are answered without starting Django, so that they answer at once:

* ``jiandu``, ``jiandu -h``/``--help`` and ``jiandu help``: the overview below;
* the pure calculators (``jiandu board rank``, ``jiandu calendar due``,
  ``jiandu inspection draw``), which need no
  database: they run the platform's own rule code on files;
* ``jiandu <command> --help`` for the platform's own commands: their modules import the
  models and services only when they run, so the help is built from settings alone,
  without loading every app's models (``django.setup()``).

Everything else starts Django and imports only what it uses.

With ``--json`` every error is one JSON object on stderr,
``{"ok": false, "error": "…", "code": N}``, and the exit status is N (never 0).
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import sys
from collections.abc import Sequence

# (command words) -> module whose ``main(argv) -> int`` runs it without Django.
PURE_COMMANDS: dict[tuple[str, ...], str] = {
    ("board", "rank"): "jiandu.boards.rank_cli",
    ("calendar", "due"): "jiandu.core.calendar_cli",
    ("dossier", "opinion"): "jiandu.dossiers.opinion_cli",
    ("index", "compute"): "jiandu.ecoindex.index_cli",
    ("inspection", "draw"): "jiandu.inspections.draw_cli",
}

# The platform's own Django commands -> the app that holds them, so that their help can
# be answered without ``django.setup()`` (which ``get_commands()`` needs to find them).
# tests/test_cli.py checks this table against Django's command list.
PLATFORM_COMMANDS: dict[str, str] = {
    "audit": "jiandu.core",
    "board": "jiandu.boards",
    "calendar": "jiandu.core",
    "datacheck": "jiandu.datacheck",
    "demo": "jiandu.demo",
    "dossier": "jiandu.dossiers",
    "followup": "jiandu.followup",
    "import": "jiandu.imports",
    "inbox": "jiandu.inbox",
    "index": "jiandu.ecoindex",
    "reconcile": "jiandu.reconciliation",
    "roles": "jiandu.accounts",
    "stats": "jiandu.statcentre",
    "supervision": "jiandu.supervision",
    "tasks": "jiandu.core",
}

# The platform's own commands, for the overview (Django's are listed by ``help --all``).
OVERVIEW: list[tuple[str, str]] = [
    ("demo", "载入演示数据（合成的昆明市，日期相对今天）"),
    ("import", "从 Excel 模板导入组织机构、干部、职务、问题线索、处理结果"),
    ("board", "多色榜：月度结账（close）、按文件计算排名（rank，无需数据库）、列表"),
    ("datacheck", "大数据比对：导入数据、运行规则、生成演示数据"),
    ("index", "政治生态指数：月度结账（close）、按文件计算指数（compute，无需数据库）"),
    ("calendar", "工作日历：计算期限（due，可不用数据库）、导入节假日安排（import）"),
    ("dossier", "政治生态档案：廉政意见（opinion，无需数据库）、预黑预警、统计"),
    ("reconcile", "对账销账：零报告检测（zero-report）、自动对账（match）"),
    ("supervision", "督导：整改警示卡检查（cards）"),
    ("inspection", "巡察：按回避规则抽取巡察组（draw，无需数据库）"),
    ("audit", "审计日志：校验哈希链"),
    ("followup", "实名举报告知反馈：补建缺少的受理告知、结果反馈环节（backfill）"),
    ("roles", "按角色权限表建立或更新角色"),
    ("tasks", "后台任务：独立进程运行（worker）"),
    ("stats", "统计中心：由原始记录重建日汇总（rebuild）、核对日汇总（check）"),
    ("migrate", "建立或升级数据库结构"),
    ("runserver", "开发用 Web 服务器"),
    ("createsuperuser", "建立安装用的超级用户（仅安装时使用）"),
]


def overview() -> str:
    width = max(len(name) for name, _ in OVERVIEW)
    lines = [
        "用法：jiandu <命令> [参数…]",
        "",
        "监督平台的命令：",
        *(f"  {name.ljust(width)}  {text}" for name, text in OVERVIEW),
        "",
        "jiandu <命令> --help 显示该命令的参数；",
        "jiandu help --all 列出全部命令（含 Django 自带的）。",
        "批处理命令都支持 --json：结果和错误都以 JSON 输出。",
    ]
    return "\n".join(lines) + "\n"


def json_error(message: str, code: int) -> int:
    code = code or 1
    print(json.dumps({"ok": False, "error": message, "code": code}, ensure_ascii=False),
          file=sys.stderr)  # fmt: skip
    return code


def _pure_command(args: Sequence[str]) -> tuple[str, list[str]] | None:
    for words, module in PURE_COMMANDS.items():
        if tuple(args[: len(words)]) == words:
            return module, list(args[len(words) :])
    return None


def help_without_setup(args: list[str]) -> bool:
    """Print ``jiandu <command> … --help`` from the command's parser alone.

    Returns False (and the caller starts Django as usual) when the command module cannot
    be loaded before the apps are: then the help comes the ordinary way, only slower.
    """
    app = PLATFORM_COMMANDS.get(args[0]) if args else None
    if app is None or not ({"-h", "--help"} & set(args[1:])) or "--json" in args:
        return False
    from django.core.exceptions import AppRegistryNotReady
    from django.core.management import load_command_class

    try:
        command = load_command_class(app, args[0])
        # As Django runs it: argparse (or the command's own parser, for the commands that
        # hand their arguments on) prints the help that --help follows and exits.
        command.run_from_argv(["jiandu", *args])
    except AppRegistryNotReady:
        return False
    return True


# Django's own commands that run every system check, and so import the whole URL
# configuration (every view and the API) before they start.
CHECKED_COMMANDS = frozenset({"check", "migrate", "runserver"})


def checks_urls_here(args: list[str]) -> bool:
    """Whether this process runs the system checks (and so loads the URLs): not the
    watching parent of ``runserver``'s reloader, which only starts the server process."""
    if args[0] not in CHECKED_COMMANDS:
        return False
    if args[0] == "runserver" and "--noreload" not in args:
        from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

        return os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
    return True


def setup_django(*, urls: bool = False) -> None:
    """``django.setup()`` with the cyclic garbage collector off meanwhile.

    Django's start-up builds long-lived objects (every model class and its fields, some
    120,000 tracked objects) and little garbage; the collector, run over them again and
    again meanwhile (120-odd times), costs about a sixth of the start-up. Afterwards the
    start-up's objects are frozen (``gc.freeze``), so the command's own collections do
    not walk them again, and the collector is on as usual. With ``urls`` the URL
    configuration is loaded the same way (for the commands that check it): it too is
    made of long-lived objects, the API's pydantic models above all.
    """
    import django
    from django.apps import apps

    if apps.ready:  # already set up (a caller in the same process, the tests)
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        django.setup()
        if urls:
            from django.urls import get_resolver

            get_resolver().url_patterns  # noqa: B018 - imports every urls, views and api module
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def run_django_json(args: list[str]) -> int:
    """Run a management command the way ``execute_from_command_line`` does, except that
    every error (usage, ``CommandError``, anything unexpected) becomes a JSON object."""
    from django.core.management import get_commands, load_command_class
    from django.core.management.base import CommandError
    from django.db import connections

    from jiandu.core.cli_messages import usage_message

    name = args[0]
    try:
        setup_django()
        app = get_commands().get(name)
        if app is None:
            return json_error(f"未知命令：{name}（jiandu help 列出全部命令）", 2)
        command = load_command_class(app, name)
        # Usage errors raise CommandError instead of printing argparse's text.
        # A private flag of BaseCommand, left out of the stubs.
        command._called_from_command_line = False  # type: ignore[attr-defined]
        parser = command.create_parser("jiandu", name)
        try:
            options = parser.parse_args(args[1:])
        except CommandError as exc:
            return json_error(usage_message(str(exc)), 2)
        values = vars(options)
        positional = values.pop("args", ())
        command.execute(*positional, **values)
        return 0
    except CommandError as exc:
        return json_error(str(exc), exc.returncode)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
        return code if code == 0 else json_error(str(exc.code or "命令失败"), code)
    except KeyboardInterrupt:
        return json_error("已中断", 130)
    except Exception as exc:  # the contract: JSON, whatever went wrong
        return json_error(f"内部错误：{type(exc).__name__}: {exc}", 1)
    finally:
        connections.close_all()


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"} or args == ["help"]:
        sys.stdout.write(overview())
        return
    pure = _pure_command(args)
    if pure is not None:
        module, rest = pure
        sys.exit(importlib.import_module(module).main(rest))

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    if help_without_setup(args):
        return
    if args == ["help", "--all"]:
        args = ["help"]
    if "--json" in args and not args[0].startswith("-") and args[0] != "help":
        sys.exit(run_django_json(args))
    from django.core.management import execute_from_command_line

    if (args[0] in PLATFORM_COMMANDS or args[0] in CHECKED_COMMANDS) and not any(
        a.startswith(("--settings", "--pythonpath")) for a in args
    ):
        # Django's command runner finds it done.
        setup_django(urls=checks_urls_here(args))
    execute_from_command_line(["jiandu", *args])


if __name__ == "__main__":
    main()
