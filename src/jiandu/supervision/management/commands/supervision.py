"""``jiandu supervision cards --user USERNAME [--date YYYY-MM-DD] [--json]``: the daily
整改警示卡 check (the same service as the page and the task), run as a named user over
that user's jurisdiction. The cards' 文号 are signed in the register by that user.

Errors are printed in Chinese and exit with 1.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from jiandu.core.management.base import PlatformCommand


class Command(PlatformCommand):
    help = "督导：整改警示卡检查（cards）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        cards = sub.add_parser("cards", help="对逾期、两次验收未通过的整改发出整改警示卡")
        cards.add_argument("--user", required=True, help="以该用户运行（须有警示卡检查权限）")
        cards.add_argument("--date", default="", help="检查日期（默认今天），如 2026-06-30")
        cards.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here: the check writes .docx cards, and `jiandu --help` should not load
        # the document writer.
        from jiandu.supervision.services import warning_cards_check

        actor = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"用户“{options['user']}”不存在或已停用")
        if not actor.has_perm("supervision.issue_warning_card"):
            raise CommandError(f"用户“{actor.username}”没有整改警示卡检查权限")
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"日期“{options['date']}”格式错误，应为 YYYY-MM-DD") from None
        result = warning_cards_check(actor=actor, today=today)
        data: dict[str, Any] = {
            "ok": True,
            "checked": result.checked,
            "issued": [
                {
                    "number": c.document.number,
                    "unit": c.org.name,
                    "reason": c.get_reason_display(),
                    "level": c.level_name,
                }
                for c in result.issued
            ],
        }
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"检查整改{result.checked}项，新发整改警示卡{len(result.issued)}张")
        for card in data["issued"]:
            self.stdout.write(
                f"  {card['number']} {card['unit']} {card['reason']}（{card['level']}）"
            )
