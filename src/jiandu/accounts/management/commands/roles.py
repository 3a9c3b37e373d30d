"""``jiandu roles sync [--json]``: write the role table (``accounts.roles``) into the
permission groups.

Idempotent: a second run changes nothing and reports every role as unchanged. Permissions
of apps that have no models yet are listed as pending; any other unknown permission is
an error (exit code 1) and then nothing is written.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError

from jiandu.accounts.roles import RoleSync, sync_role_groups
from jiandu.core.management.base import PlatformCommand


def _state(result: RoleSync) -> str:
    if result.errors:
        return "错误"
    if result.created:
        return "新建"
    return "已更新" if result.changed else "无变化"


class Command(PlatformCommand):
    help = "角色管理：sync 按角色权限表创建或更新权限组"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sync = sub.add_parser("sync", help="按 accounts/roles.py 的角色权限表同步权限组")
        sync.add_argument("--json", action="store_true", help="以JSON输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        results = sync_role_groups(actor=None)
        errors = [e for r in results for e in r.errors]
        pending = [p for r in results for p in r.pending]
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "ok": not errors,
                        "written": not errors,
                        "roles": [r.as_dict() | {"state": _state(r)} for r in results],
                        "pending": sorted(set(pending)),
                        "errors": errors,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            for r in results:
                changes = []
                if r.added:
                    changes.append(f"增加{len(r.added)}项")
                if r.removed:
                    changes.append(f"移除{len(r.removed)}项")
                detail = f"（{'，'.join(changes)}）" if changes else ""
                waiting = f"，待定{len(r.pending)}项" if r.pending else ""
                self.stdout.write(f"{r.name}：{_state(r)}{detail}{waiting}")
            for message in sorted(set(pending)):
                self.stdout.write(f"待定：{message}")
        if errors:
            raise CommandError(
                "角色权限表中有未知权限，未写入任何变更：" + "；".join(errors), returncode=1
            )
