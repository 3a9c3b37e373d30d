"""``jiandu followup backfill [--dry-run] [--user U] [--json]``: create the real-name
feedback steps that petitions registered before the follow-up records (or loaded around
the registry's saves) lack — 受理告知 for every real-name petition, 结果反馈 for the
closed ones. Idempotent: a second run finds nothing; ``--dry-run`` only counts."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from jiandu.core.management.base import PlatformCommand


class Command(PlatformCommand):
    help = "实名举报告知反馈：补建缺少的受理告知、结果反馈环节（backfill）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        backfill = sub.add_parser(
            "backfill", help="为缺少告知反馈环节的实名举报补建受理告知、结果反馈（可重复运行）"
        )
        backfill.add_argument("--dry-run", action="store_true", help="只统计，不写入")
        backfill.add_argument("--user", help="操作人账号（写入审计日志；默认系统）")
        backfill.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        from jiandu.followup.services import feedback_backfill

        actor = None
        if options.get("user"):
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"账号“{options['user']}”不存在")
        result = feedback_backfill(actor=actor, dry_run=options["dry_run"])
        if options["json"]:
            payload = {"ok": True, "dry_run": result.dry_run, "acceptance": result.acceptance,
                       "result": result.result, "total": result.total}  # fmt: skip
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        verb = "应补建" if result.dry_run else "已补建"
        self.stdout.write(
            f"{verb}受理告知{result.acceptance}个、结果反馈{result.result}个，共{result.total}个"
            + ("（试运行，未写入）" if result.dry_run else "")
        )
