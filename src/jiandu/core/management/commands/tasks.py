"""``jiandu tasks worker|run|list``: the background task layer from the command line."""

from __future__ import annotations

import json
import os
import signal
import time
from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandError
from django.utils import timezone

from jiandu.core.management.base import PlatformCommand

if TYPE_CHECKING:
    from jiandu.core.models import Task


class Command(PlatformCommand):
    help = "后台任务：worker 持续执行排队任务；run 执行一个任务；list 列出最近任务"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        worker = sub.add_parser("worker", help="持续执行排队中的任务")
        worker.add_argument("--once", action="store_true", help="队列空时退出")
        worker.add_argument("--poll", type=float, default=2.0, help="轮询间隔（秒）")
        run = sub.add_parser("run", help="执行指定任务")
        run.add_argument("task_id", type=int, help="任务编号（jiandu tasks list 可查）")
        run.add_argument("--json", action="store_true", help="以 JSON 输出")
        listing = sub.add_parser("list", help="最近的任务")
        listing.add_argument("--limit", type=int, default=20, help="列出的条数（默认 20）")
        listing.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here: ``--help`` answers without loading the models (jiandu.cli).
        from jiandu.core.models import Task
        from jiandu.core.tasks import task_run

        action = options["action"]
        if action == "worker":
            self._worker(once=options["once"], poll=options["poll"])
        elif action == "run":
            if not Task.objects.filter(pk=options["task_id"]).exists():
                raise CommandError(f"任务{options['task_id']}不存在")
            task = task_run(options["task_id"])
            self._print([task], as_json=options["json"])
        else:
            tasks = list(Task.objects.order_by("-created_at")[: options["limit"]])
            self._print(tasks, as_json=options["json"])

    def _log(self, message: str) -> None:
        """One timestamped line, flushed at once (the worker's output is usually a log
        file or a journal, where buffered lines would appear only at exit)."""
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
        self.stdout.write(f"{stamp} {message}")
        self.stdout.flush()

    def _worker(self, *, once: bool, poll: float) -> None:
        from jiandu.core.audit import audit_discard_abandoned_quietly, audit_seal_quietly
        from jiandu.core.tasks import task_claim_next, task_run
        from jiandu.core.warmup import warm_up

        # Like a web worker: the URL configuration (which building a message's link
        # loads) is imported once at start, not in the middle of the first task.
        warm_up()
        stopping = False

        def stop(signum: int, _frame: Any) -> None:
            nonlocal stopping
            stopping = True
            self._log(f"收到信号 {signal.Signals(signum).name}，完成当前任务后停止")

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self._log(
            f"后台任务进程启动（进程号 {os.getpid()}，轮询间隔 {poll:g} 秒"
            f"{'，队列空时退出' if once else ''}）"
        )
        done = 0
        while not stopping:
            task_id = task_claim_next()
            if task_id is None:
                # Idle: link any audit rows a crashed process committed but never
                # sealed, so every row joins the chain within one poll interval.
                audit_seal_quietly()
                audit_discard_abandoned_quietly()
                if once:
                    break
                time.sleep(poll)
                continue
            started = time.monotonic()
            self._log(f"开始任务{task_id}")
            task = task_run(task_id)
            done += 1
            outcome = task.get_status_display()
            if task.error:
                outcome += f"：{task.error.splitlines()[0]}"
            self._log(
                f"任务{task.pk}（{task.kind}）{outcome}，用时 {time.monotonic() - started:.1f} 秒"
            )
        self._log(f"后台任务进程停止，本次共执行 {done} 个任务")

    def _print(self, tasks: list[Task], *, as_json: bool) -> None:
        rows = [
            {
                "id": t.pk,
                "kind": t.kind,
                "status": t.status,
                "progress": t.progress,
                "message": t.message,
                "result": t.result,
                "error": t.error.splitlines()[0] if t.error else "",
            }
            for t in tasks
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(
                f"{row['id']:>6}  {row['kind']:<24} {row['status']:<10} "
                f"{row['progress'] * 100:5.1f}%  {row['message'] or row['error']}"
            )
