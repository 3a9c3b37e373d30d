"""``jiandu inbox remind [--date D] [--json]``: the daily reminder job (T−3, T−1 and
overdue reminders, then delivery), run now as a task of the task layer; ``jiandu inbox
deliver`` retries pending deliveries alone. Cron runs ``remind`` once a day."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from jiandu.core.choices import TaskStatus
from jiandu.core.management.base import PlatformCommand

# The models, services and tasks are imported in handle(), so that ``--help`` answers
# without loading every app's models (jiandu.cli.help_without_setup).

KIND_LABELS = {"due_in_3": "3个工作日内到期", "due_in_1": "1个工作日内到期", "overdue": "已超期"}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date：“{text}”不是有效日期（应为 YYYY-MM-DD）") from None


class Command(PlatformCommand):
    help = "站内消息：计算期限提醒（remind，每日一次）、补发未发送的消息（deliver）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="计算到期前3个、1个工作日和超期提醒，并发送")
        remind.add_argument("--date", help="按哪一天计算（YYYY-MM-DD，默认今天）")
        remind.add_argument("--user", help="操作人账号（写入审计日志和任务记录；默认系统）")
        remind.add_argument("--json", action="store_true", help="以 JSON 输出")
        deliver = sub.add_parser("deliver", help="补发尚未发送成功的消息")
        deliver.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.contrib.auth import get_user_model

        from jiandu.core.models import Task
        from jiandu.core.tasks import task_run
        from jiandu.inbox.services import messages_deliver
        from jiandu.inbox.tasks import REMIND_TASK

        if options["action"] == "deliver":
            result = messages_deliver()
            if options["json"]:
                self.stdout.write(json.dumps({"ok": True, **result}, ensure_ascii=False))
            else:
                self.stdout.write(f"发送成功{result['delivered']}条，失败{result['failed']}条")
            return
        on_date = _date(options["date"]) if options.get("date") else None
        actor = None
        if options.get("user"):
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"账号“{options['user']}”不存在")
        # A task row (visible with ``jiandu tasks list``) run here and now, whatever the
        # task mode: cron waits for the job to end and reads its exit status.
        task = Task.objects.create(
            kind=REMIND_TASK,
            params={"date": on_date.isoformat()} if on_date else {},
            created_by=actor,
            org=getattr(actor, "org", None),
        )
        task = task_run(task.pk)
        if task.status != TaskStatus.SUCCEEDED:
            raise CommandError(f"期限提醒失败（任务{task.pk}）：{task.error.splitlines()[0]}")
        result = task.result
        if options["json"]:
            self.stdout.write(
                json.dumps({"ok": True, "task": task.pk, **result}, ensure_ascii=False)
            )
            return
        counts = "，".join(f"{KIND_LABELS[k]}{v}条" for k, v in result["written"].items())
        delivery = result["delivery"]
        self.stdout.write(
            f"{result['date']} 期限提醒：新增站内消息{result['total']}条（{counts}），"
            f"用时{result['seconds']}秒；发送成功{delivery['delivered']}条，"
            f"失败{delivery['failed']}条"
        )
