"""``jiandu calendar due|import|years``: the working-day calendar from the command line.

``due`` is the calculator of :mod:`jiandu.core.calendar_cli` (with ``--calendar FILE``
it is answered without Django by the ``jiandu`` entry point); ``import`` replaces the
holidays of the years a file lists (all or nothing, errors by row); ``years`` lists the
years loaded.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO, cast

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from jiandu.core import calendar_cli
from jiandu.core.management.base import PlatformCommand
from jiandu.core.workdays import CalendarError, WorkCalendar


class Command(PlatformCommand):
    help = "工作日历：计算期限（due）、导入节假日安排（import）、列出已载入的年份（years）"

    def run_from_argv(self, argv: list[str]) -> None:
        # ``due`` has its own parser and exit codes (shared with the calculator).
        if len(argv) > 2 and argv[2] == "due":
            sys.exit(calendar_cli.main(argv[3:]))
        super().run_from_argv(argv)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="计算到期日（见 jiandu calendar due --help）")
        due.add_argument("due_args", nargs="*", help="见 jiandu calendar due --help")
        imp = sub.add_parser("import", help="从 CSV 导入节假日安排（覆盖文件中各年份）")
        imp.add_argument("file", type=Path, help="CSV 文件（表头 date,kind；kind 为 休 或 班）")
        imp.add_argument("--actor", required=True, help="操作人账号（写入审计日志）")
        imp.add_argument("--json", action="store_true", help="以 JSON 输出")
        years = sub.add_parser("years", help="列出已载入节假日安排的年份")
        years.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "due":
            code = calendar_cli.main(
                options["due_args"],
                stdout=cast(TextIO, self.stdout),
                stderr=cast(TextIO, self.stderr),
            )
            if code:
                raise CommandError("计算失败", returncode=code)
        elif action == "import":
            self._import(options)
        else:
            # Imported here: ``--help`` answers without loading the models (jiandu.cli).
            from jiandu.core.deadlines import calendar_years

            loaded = calendar_years()
            if options["json"]:
                self.stdout.write(json.dumps({"years": loaded}))
            else:
                self.stdout.write("已载入：" + ("、".join(f"{y}年" for y in loaded) or "无"))

    def _import(self, options: dict[str, Any]) -> None:
        from django.contrib.auth import get_user_model

        from jiandu.core.deadlines import calendar_import

        actor = get_user_model().objects.filter(username=options["actor"]).first()
        if actor is None:
            raise CommandError(f"账号“{options['actor']}”不存在")
        try:
            parsed = WorkCalendar.read_csv(options["file"])
        except CalendarError as exc:
            raise CommandError("；".join(exc.lines)) from exc
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc.strerror or exc}") from exc
        rows = [(d.isoformat(), "休") for d in sorted(parsed.rest)]
        rows += [(d.isoformat(), "班") for d in sorted(parsed.work)]
        try:
            result = calendar_import(actor=actor, rows=rows, source=str(options["file"]))
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        body = {
            "years": result.years,
            "rest_days": result.rest_days,
            "work_days": result.work_days,
            "replaced": result.removed,
        }
        if options["json"]:
            self.stdout.write(json.dumps(body, ensure_ascii=False))
        else:
            self.stdout.write(
                f"已导入{'、'.join(f'{y}年' for y in result.years)}工作日历："
                f"休息日{result.rest_days}天，调休上班{result.work_days}天"
            )
