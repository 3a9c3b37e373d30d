"""``jiandu audit verify [--json]``: check the audit log's hash chain.

Prints ok and the number of rows checked, or the first broken sequence and why; the exit
code is 1 when the chain is broken (so a scheduled check can alert).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jiandu.core.audit import audit_verify


class Command(BaseCommand):
    help = "审计日志：verify 校验审计日志哈希链是否完整"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="校验审计日志哈希链")
        verify.add_argument("--json", action="store_true", help="以JSON输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        elif report.ok:
            self.stdout.write(f"审计日志完整：已校验{report.rows_checked}条记录。")
        if not report.ok:
            message = (
                f"审计日志哈希链断裂：序号{report.first_broken_sequence}，{report.reason}"
                f"（此前{report.rows_checked}条记录校验通过）"
            )
            if not options["json"]:
                self.stdout.write(message)
            raise CommandError(message, returncode=1)
