"""``jiandu tasks worker|run|list``: the background task layer from the command line."""

from __future__ import annotations

import json
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jiandu.core.audit import audit_seal_quietly
from jiandu.core.models import Task
from jiandu.core.tasks import task_claim_next, task_run


class Command(BaseCommand):
    help = "后台任务：worker 持续执行排队任务；run 执行一个任务；list 列出最近任务"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        worker = sub.add_parser("worker", help="持续执行排队中的任务")
        worker.add_argument("--once", action="store_true", help="队列空时退出")
        worker.add_argument("--poll", type=float, default=2.0, help="轮询间隔（秒）")
        run = sub.add_parser("run", help="执行指定任务")
        run.add_argument("task_id", type=int)
        run.add_argument("--json", action="store_true")
        listing = sub.add_parser("list", help="最近的任务")
        listing.add_argument("--limit", type=int, default=20)
        listing.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
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

    def _worker(self, *, once: bool, poll: float) -> None:
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            task_id = task_claim_next()
            if task_id is None:
                # Idle: link any audit rows a crashed process committed but never
                # sealed, so every row joins the chain within one poll interval.
                audit_seal_quietly()
                if once:
                    return
                time.sleep(poll)
                continue
            task = task_run(task_id)
            self.stdout.write(f"任务{task.pk}（{task.kind}）：{task.get_status_display()}")

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
