"""``jiandu dossier …``: the 政治生态档案 from the command line.

* ``jiandu dossier opinion …`` is the pure calculator (no database; ``jiandu.cli``
  answers it before Django starts: see ``jiandu.dossiers.opinion_cli``);
* ``jiandu dossier warnings --user USERNAME [--date YYYY-MM-DD] [--json]``: the people a
  预黑预警 rule flags in that user's jurisdiction, with the evidence and the bodies that
  supervise them;
* ``jiandu dossier stats --user USERNAME [--json]``: 廉政意见 per year (batches, people,
  units, objections).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from jiandu.core.management.base import PlatformCommand


class Command(PlatformCommand):
    help = "政治生态档案：预黑预警名单（warnings）、廉政意见年度统计（stats）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        warnings = sub.add_parser("warnings", help="预黑预警名单（含依据和监督单位）")
        warnings.add_argument("--user", required=True, help="以该用户运行（其管辖范围）")
        warnings.add_argument("--date", default="", help="截至日期（默认今天），如 2026-06-30")
        warnings.add_argument("--json", action="store_true", help="以 JSON 输出")
        stats = sub.add_parser("stats", help="廉政意见年度统计")
        stats.add_argument("--user", required=True, help="以该用户运行（其管辖范围）")
        stats.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        from jiandu.core.audit import audit_record
        from jiandu.core.choices import AuditAction
        from jiandu.dossiers import selectors

        actor = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"用户“{options['user']}”不存在或已停用")
        if options["subcommand"] == "stats":
            if not actor.has_perm("dossiers.view_opinionbatch"):
                raise CommandError(f"用户“{actor.username}”没有查阅廉政意见的权限")
            rows = selectors.batch_statistics(user=actor)
            if options["json"]:
                self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
                return
            for r in rows:
                self.stdout.write(
                    f"{r['year']}年：{r['batches']}批次{r['people']}人、{r['units']}家单位，"
                    f"对{r['people_objections']}人、{r['unit_objections']}家单位提出不同意见"
                )
            return
        if not actor.has_perm("dossiers.view_dossier"):
            raise CommandError(f"用户“{actor.username}”没有查阅政治生态档案的权限")
        as_of = timezone.localdate()
        if options["date"]:
            try:
                as_of = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"日期“{options['date']}”格式错误，应为 YYYY-MM-DD") from None
        flags = selectors.pre_black_flags(user=actor, as_of=as_of)
        audit_record(actor=actor, action=AuditAction.VIEW_PROTECTED,
                     object_type="dossiers.warnings",
                     summary=f"命令行查阅预黑预警名单（{len(flags)}人）",
                     changes={"as_of": as_of})  # fmt: skip
        data = [
            {"person": f.person.name, "supervisors": [o.name for o in f.supervisors],
             "warnings": f.warnings}
            for f in flags
        ]  # fmt: skip
        if options["json"]:
            self.stdout.write(json.dumps({"as_of": as_of.isoformat(), "flags": data},
                                         ensure_ascii=False, indent=2))  # fmt: skip
            return
        self.stdout.write(f"截至{as_of}，预黑预警{len(data)}人")
        for row in data:
            self.stdout.write(f"  {row['person']}（{'、'.join(row['supervisors']) or '未设置'}）："
                              + "；".join(row["warnings"]))  # fmt: skip
