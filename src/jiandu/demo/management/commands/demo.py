"""``jiandu demo [--seed N] [--scale F] [--year YYYY] [--reset [--yes-really]] [--json]``.

Builds the deterministic demo (a synthetic 昆明市, see :mod:`jiandu.demo`) into an
empty database and prints the demo accounts. The demo lives in the present: last year
is the calibrated year and this year runs on up to yesterday; ``--year`` pins the
calibrated year (an earlier year runs on to 30 April of the year after, reproducibly).
On a database that already holds data it refuses, unless ``--reset``: that flushes
EVERY table (accounts, audit log included) and re-runs the migrations first — allowed
on SQLite, and on other databases only with ``--yes-really`` as well.
"""

from __future__ import annotations

import json
import sys
import time
import unicodedata
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from jiandu.core.management.base import PlatformCommand
from jiandu.demo.accounts import DEMO_PASSWORD, DemoAccount
from jiandu.demo.scale import MAX_SCALE

# The generator and the models are imported in handle(), so that ``--help`` answers
# without loading every app's models (jiandu.cli.help_without_setup).


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def account_table(accounts: list[DemoAccount]) -> str:
    """The accounts as an aligned text table (CJK characters count double)."""
    header = ("账号", "姓名", "单位", "角色", "密码")
    rows = [(a.username, a.full_name, a.org, "、".join(a.roles), a.password) for a in accounts]
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]  # fmt: skip
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(PlatformCommand):
    help = "生成演示数据（合成的昆明市：去年全年及今年截至昨天）并列出演示账号"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2020, help="随机种子（默认2020）")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=f"业务数据规模系数（0–{MAX_SCALE}，默认1；只有1与公开通报数据一致）",
        )
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="校准年份（默认去年：去年全年加今年截至昨天；"
            "更早的年份则截至次年4月30日，数据可复现，测试用）",
        )
        parser.add_argument(
            "--reset", action="store_true", help="先清空数据库（全部数据）并重新迁移"
        )
        parser.add_argument(
            "--yes-really",
            action="store_true",
            help="确认在非SQLite数据库上执行 --reset",
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="数据库中已有数据时不重建，只列出演示账号（make demo 使用）",
        )
        parser.add_argument(
            "--without-extras",
            action="store_true",
            help="不生成多色榜结账和大数据比对演示（测试用）",
        )
        parser.add_argument("--json", action="store_true", help="以JSON输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        from jiandu.demo.build import DemoError, build_demo, database_has_data

        if getattr(settings, "PRODUCTION", False):
            raise CommandError(
                "正式环境（JIANDU_ENV=production）不能生成演示数据：演示账号的密码是公开的。"
            )
        as_json = options["json"]
        started = time.monotonic()
        if database_has_data() and options["keep"] and not options["reset"]:
            self._print_existing_accounts(as_json=as_json)
            return
        if database_has_data():
            if not options["reset"]:
                raise CommandError(
                    "数据库中已有数据，未生成演示数据。"
                    "如确需清空全部数据（含账号和审计日志）后重建，请加 --reset。"
                )
            if connection.vendor != "sqlite" and not options["yes_really"]:
                raise CommandError(
                    f"当前数据库为{connection.vendor}：--reset 将清空其中全部数据，"
                    "请同时加 --yes-really 确认。"
                )
            self._reset()
        # The demo runs ~200,000 queries; logging each one (DEBUG) costs ~10% of the time
        # and all of the memory for nothing. This process ends with the command.
        settings.DEBUG = False
        progress = None if as_json or options["verbosity"] == 0 else self._progress
        from jiandu.core.audit import sealing_without_pauses

        # The demo is written into a database nobody else uses yet: its ~30,000 audit
        # rows are sealed without the pauses that let other writers in between batches.
        with sealing_without_pauses():
            try:
                summary = build_demo(
                    seed=options["seed"],
                    scale=options["scale"],
                    year=options["year"],
                    progress=progress,
                )
            except DemoError as exc:
                raise CommandError(str(exc)) from exc
            extras = {} if options["without_extras"] else self._extras(summary, progress)
        seconds = time.monotonic() - started
        if as_json:
            self.stdout.write(
                json.dumps(
                    {**summary.as_dict(), **extras, "seconds": round(seconds, 1)},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        self.stdout.write(
            f"演示数据已生成（种子{summary.seed}，规模{summary.scale:g}，"
            f"{summary.year}年1月至{summary.last_day:%Y年%-m月%-d日}，用时{seconds:.0f}秒）："
            f"单位{summary.counts['orgs']}个，党员干部{summary.counts['people']}人，"
            f"信访举报{summary.counts['petitions']}件，问题线索{summary.counts['clues']}件，"
            f"处理结果{summary.counts['outcomes']}条，"
            f"通报曝光{summary.counts['exposure_batches']}批。"
        )
        self.stdout.write("")
        self.stdout.write(account_table(summary.accounts))
        self.stdout.write("")
        self.stdout.write(
            f"另有各监督检查室、派驻组、县区的承办和签批账号{len(summary.other_accounts)}个"
            f"（{'、'.join(summary.other_accounts[:4])}…），密码相同。"
        )

    def _extras(self, summary: Any, progress: Any) -> dict[str, Any]:
        """The 多色榜 (built-in boards, closed month by month up to last month, warnings)
        and one completed comparison run for 东川区, as the demo's statistics and data
        users."""
        from jiandu.accounts.models import User
        from jiandu.boards.demo import build_board_demo
        from jiandu.datacheck.demo import build_datacheck_demo

        # The boards belong to the city commission (their units span the whole city); the
        # closes are recorded as done by its machine-level account.
        boards = build_board_demo(
            actor=User.objects.get(username="city"),
            year=summary.year,
            last_day=summary.last_day,
            progress=progress,
        )
        if progress is not None:
            progress(0.5, "大数据比对演示")
        datacheck = build_datacheck_demo(actor=User.objects.get(username="data"))
        return {"boards": boards, "datacheck": datacheck}

    def _print_existing_accounts(self, *, as_json: bool) -> None:
        from jiandu.accounts.models import User
        from jiandu.demo.accounts import account_specs
        from jiandu.demo.orgs import org_specs

        plan = org_specs(2020)
        specs = account_specs(counties=plan.counties, rooms=plan.rooms, groups=plan.groups)
        listed = [spec.username for spec in specs if spec.listed]
        users = {u.username: u for u in User.objects.filter(username__in=listed)}
        accounts = [
            DemoAccount(
                username=name,
                full_name=users[name].full_name,
                org=str(users[name].org or ""),
                roles=tuple(users[name].groups.values_list("name", flat=True)),
                password=DEMO_PASSWORD,
                listed=True,
            )
            for name in listed
            if name in users
        ]
        if as_json:
            self.stdout.write(
                json.dumps(
                    {"kept": True, "accounts": [a.as_dict() for a in accounts]},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        self.stdout.write("数据库中已有数据，沿用现有数据（重建请运行 jiandu demo --reset）。")
        self.stdout.write("")
        self.stdout.write(account_table(accounts))

    def _reset(self) -> None:
        from django.contrib.contenttypes.models import ContentType

        self.stderr.write("清空数据库并重新迁移……")
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        # Content types were deleted and recreated with new ids.
        ContentType.objects.clear_cache()

    def _progress(self, fraction: float, message: str) -> None:
        line = f"[{fraction * 100:5.1f}%] {message}"
        if not sys.stderr.isatty():
            self.stderr.write(line)
            return
        sys.stderr.write(f"\r{line}\033[K" + ("\n" if fraction >= 1.0 else ""))
        sys.stderr.flush()
