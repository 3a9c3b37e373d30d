"""``jiandu audit verify|seal|checkpoint|recover-head``: the audit log's hash chain.

- ``verify [--json] [--checkpoints DIR]``: seal what is committed, then check the chain;
  prints ok with the rows checked and the last sequence and hash, or the first broken
  sequence and why; exit code 1 when broken (so a scheduled check can alert).
- ``seal``: link committed rows into the chain now (the task worker does it too).
- ``checkpoint --dir DIR``: append a signed (sequence, hash, time) checkpoint to
  DIR/checkpoints.jsonl, a place outside the database (docs/operations.md).
- ``recover-head [--checkpoints DIR]``: rebuild a lost chain head from the verified rows.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandError

from jiandu.core.management.base import PlatformCommand

if TYPE_CHECKING:
    from jiandu.core.audit import ChainReport


class Command(PlatformCommand):
    help = "审计日志：verify 校验哈希链；seal 入链；checkpoint 写检查点；recover-head 重建链头"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="校验审计日志哈希链")
        verify.add_argument("--json", action="store_true", help="以JSON输出结果")
        verify.add_argument("--checkpoints", metavar="DIR", help="同时核对该目录中的签名检查点")
        sub.add_parser("seal", help="把已提交的审计记录链入哈希链")
        checkpoint = sub.add_parser("checkpoint", help="把当前链头写成签名检查点")
        checkpoint.add_argument("--dir", required=True, metavar="DIR", help="检查点目录")
        recover = sub.add_parser("recover-head", help="链头记录丢失后，按已校验的记录重建")
        recover.add_argument("--checkpoints", metavar="DIR", help="重建前核对的检查点目录")

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here: ``--help`` answers without loading the models (jiandu.cli).
        from jiandu.core.audit import (
            AuditKeyError,
            audit_checkpoint,
            audit_discard_abandoned,
            audit_head_recover,
            audit_seal,
            audit_verify,
        )

        action = options["action"]
        try:
            if action == "seal":
                result = audit_seal()
                if result.head_missing:
                    raise CommandError(
                        "审计链头记录缺失，未入链；请先运行 jiandu audit recover-head", returncode=1
                    )
                self.stdout.write(f"已入链{result.sealed}条记录，最后序号{result.last_sequence}。")
                discarded = audit_discard_abandoned()
                if discarded:
                    self.stdout.write(f"已清除{discarded}个未发布即中断的任务暂存的审计行。")
            elif action == "checkpoint":
                try:
                    point = audit_checkpoint(directory=Path(options["dir"]))
                except (ValueError, OSError) as exc:
                    raise CommandError(str(exc), returncode=1) from exc
                self.stdout.write(
                    f"检查点已写入：序号{point.sequence}，哈希{point.hash}，时间{point.at}"
                )
            elif action == "recover-head":
                directory = options["checkpoints"]
                try:
                    report = audit_head_recover(
                        actor_name=os.environ.get("USER", ""),
                        checkpoint_dir=Path(directory) if directory else None,
                    )
                except ValueError as exc:
                    raise CommandError(str(exc), returncode=1) from exc
                self._report(report, as_json=False)
            else:
                directory = options["checkpoints"]
                report = audit_verify(checkpoint_dir=Path(directory) if directory else None)
                self._report(report, as_json=options["json"])
        except AuditKeyError as exc:
            raise CommandError(str(exc), returncode=1) from exc

    def _report(self, report: ChainReport, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        elif report.ok:
            self.stdout.write(
                f"审计日志完整：已校验{report.rows_checked}条记录，"
                f"最后序号{report.last_sequence}，哈希{report.last_hash}。"
            )
            if report.checkpoints_checked:
                self.stdout.write(f"与{report.checkpoints_checked}个检查点一致。")
            if report.unsealed_rows:
                self.stdout.write(
                    f"另有{report.unsealed_rows}条记录尚未入链"
                    f"（最早的已等待{report.oldest_unsealed_seconds}秒）。"
                )
        if not report.ok:
            message = (
                f"审计日志哈希链断裂：序号{report.first_broken_sequence}，{report.reason}"
                f"（此前{report.rows_checked}条记录校验通过）"
            )
            if not as_json:
                self.stdout.write(message)
            raise CommandError(message, returncode=1)
