"""``jiandu board close|rank|list|install-builtins``: the 多色榜 from the command line.

* ``jiandu board close --board KEY --month 2020-09 [--missing-as-zero] [--reason TEXT]
  [--user USERNAME] [--json]`` — the monthly close (same service as the page);
* ``jiandu board rank --spec SPEC.json --values VALUES.csv [--json]`` — the calculator
  on files, without a database (see :mod:`jiandu.boards.rank_cli`);
* ``jiandu board list [--json]`` — the boards and their latest closed month;
* ``jiandu board install-builtins [--owner ORG_ID] [--json]`` — the built-in indicator
  library and the two seed boards.

Errors are printed in Chinese and exit with 1.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from jiandu.boards import rank_cli, ranking
from jiandu.core.management.base import PlatformCommand

# The models and services are imported where they are used, so that ``--help`` answers
# without loading every app's models (jiandu.cli.help_without_setup).


class Command(PlatformCommand):
    help = (
        "多色榜：结账（close）、按文件计算（rank）、列出多色榜（list）、"
        "安装内置多色榜（install-builtins）"
    )

    def run_from_argv(self, argv: list[str]) -> None:
        # ``rank`` is the file calculator with its own parser and exit codes.
        if len(argv) > 2 and argv[2] == "rank":
            sys.exit(rank_cli.main(argv[3:]))
        super().run_from_argv(argv)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        close = sub.add_parser("close", help="结账：生成当月及累计多色榜快照并发出预警")
        close.add_argument("--board", required=True, help="多色榜代码（如 poverty-counties）")
        close.add_argument("--month", required=True, help="结账月份，如 2020-09")
        close.add_argument(
            "--missing-as-zero", action="store_true", help="缺报的填报数据按0计（快照中注明）"
        )
        close.add_argument("--reason", default="", help="重新计算的原因（该月已结账时必填）")
        close.add_argument(
            "--user", default="", help="以该用户结账（须有结账权限且主管单位在其管辖范围内）"
        )
        close.add_argument("--json", action="store_true", help="以 JSON 输出")
        rank = sub.add_parser("rank", help="按规则文件和数据 CSV 计算多色榜（不读写数据库）")
        rank.add_argument("rank_args", nargs="*", help="见 jiandu board rank --help")
        listing = sub.add_parser("list", help="列出多色榜")
        listing.add_argument("--json", action="store_true", help="以 JSON 输出")
        install = sub.add_parser("install-builtins", help="安装内置指标库和两个内置多色榜")
        install.add_argument(
            "--owner", type=int, default=None, help="主管单位编号（默认：唯一的顶级纪委监委）"
        )
        install.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options["subcommand"]
        if subcommand == "rank":
            # The wrapped streams: OutputWrapper.write ends every call with a newline, which
            # breaks print(..., file=) and json.dump. The stubs type OutputWrapper's
            # attributes through __getattr__ (a Callable), so _out is not a TextIO to them.
            code = rank_cli.main(
                options["rank_args"],
                stdout=self.stdout._out,  # type: ignore[arg-type]
                stderr=self.stderr._out,  # type: ignore[arg-type]
            )
            if code:
                raise CommandError("计算未完成", returncode=code)
            return
        handler = {
            "close": self._close,
            "list": self._list,
            "install-builtins": self._install,
        }[subcommand]
        handler(options)

    def _emit(self, options: dict[str, Any], data: Any, text: str) -> None:
        if options.get("json"):
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            self.stdout.write(text)

    def _close(self, options: dict[str, Any]) -> None:
        from django.contrib.auth import get_user_model

        from jiandu.boards.models import Board
        from jiandu.boards.services import board_close

        board = Board.objects.filter(key=options["board"]).first()
        if board is None:
            keys = "、".join(Board.objects.order_by("pk").values_list("key", flat=True))
            raise CommandError(f"多色榜“{options['board']}”不存在（现有：{keys or '无'}）")
        actor = None
        if options["user"]:
            actor = (
                get_user_model().objects.filter(username=options["user"], is_active=True).first()
            )
            if actor is None:
                raise CommandError(f"用户“{options['user']}”不存在或已停用")
            from jiandu.boards.selectors import board_access

            access = board_access(user=actor, board=board)
            if not actor.has_perm("boards.close_board") or access is None or not access.full:
                raise CommandError(f"用户“{actor.username}”没有该多色榜的结账权限")
        try:
            outcome = board_close(
                actor=actor,
                board=board,
                month=options["month"],
                missing_as_zero=options["missing_as_zero"],
                reason=options["reason"],
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        data = outcome.as_dict()
        snapshot = outcome.snapshot
        lines = [
            f"已结账：{board.title} {snapshot.month_label}（第{snapshot.version}版，"
            f"{data['units']}个参评单位）",
        ]
        if data["missing_as_zero"]:
            lines.append(f"缺报数据按0计：{len(data['missing_as_zero'])}项")
        for warning in data["warnings"]:
            lines.append(f"预警：{warning['description']}")
        for note in data["notes"]:
            lines.append(note)
        if not data["warnings"]:
            lines.append("本次结账没有新发出的预警")
        self._emit(options, data, "\n".join(lines))

    def _list(self, options: dict[str, Any]) -> None:
        from jiandu.boards.models import Board, BoardSnapshot

        rows: list[dict[str, Any]] = []
        for board in Board.objects.select_related("owner_org").order_by("pk"):
            latest = (
                BoardSnapshot.objects.filter(board=board)
                .order_by("-month", "-version")
                .values_list("month", "version")
                .first()
            )
            rows.append(
                {
                    "key": board.key,
                    "title": board.title,
                    "owner_org": board.owner_org.name,
                    "archived": board.archived_at is not None,
                    "latest_month": latest[0] if latest else None,
                    "latest_version": latest[1] if latest else None,
                }
            )
        text = "\n".join(
            f"{r['key']}\t{r['title']}\t{r['owner_org']}\t"
            + (
                f"最近结账：{ranking.month_label(r['latest_month'])}（第{r['latest_version']}版）"
                if r["latest_month"]
                else "尚未结账"
            )
            + ("\t已停用" if r["archived"] else "")
            for r in rows
        )
        self._emit(
            options,
            rows,
            text or "没有多色榜。可运行 jiandu board install-builtins 安装内置多色榜。",
        )

    def _install(self, options: dict[str, Any]) -> None:
        from jiandu.boards.services import board_install_builtins, default_owner
        from jiandu.orgs.models import Org

        if options["owner"] is not None:
            owner = Org.objects.filter(pk=options["owner"]).first()
            if owner is None:
                raise CommandError(f"单位编号{options['owner']}不存在")
        else:
            owner = default_owner()
            if owner is None:
                raise CommandError("找不到唯一的顶级纪委监委，请用 --owner 指定主管单位编号")
        boards = board_install_builtins(actor=None, owner=owner)
        data = [{"key": b.key, "title": b.title, "owner_org": owner.name} for b in boards]
        self._emit(
            options,
            data,
            "\n".join(f"{b['key']}\t{b['title']}（主管单位：{owner.name}）" for b in data),
        )
