"""The daily reminder job on the task layer: ``inbox.remind`` (params: ``date``,
optional, YYYY-MM-DD). Started by ``jiandu inbox remind`` (cron, once a day) or
submitted with :func:`jiandu.core.tasks.task_submit`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jiandu.core.models import Task
from jiandu.core.tasks import Progress, register
from jiandu.inbox.choices import MessageKind
from jiandu.inbox.services import reminders_run

REMIND_TASK = "inbox.remind"


def describe_remind(result: dict[str, Any]) -> list[tuple[str, Any]]:
    """The reminder job's result (the record ``jiandu inbox remind --json`` prints) as
    the task page shows it."""
    delivery = result.get("delivery", {})
    return [
        ("提醒日期", result.get("date", "")),
        ("新增站内消息", f"{result.get('total', 0)}条"),
        *(
            (str(MessageKind(kind).label), f"{count}条")
            for kind, count in result.get("written", {}).items()
        ),
        ("发送成功", f"{delivery.get('delivered', 0)}条"),
        ("发送失败", f"{delivery.get('failed', 0)}条"),
        ("计算用时", f"{result.get('seconds', 0)}秒"),
    ]


@register(REMIND_TASK, label="期限提醒", describe=describe_remind)
def run_remind(task: Task, progress: Progress) -> dict[str, Any]:
    raw = (task.params or {}).get("date")
    on_date = dt.date.fromisoformat(raw) if raw else None
    progress(0.1, "正在计算期限提醒")
    result = reminders_run(actor=task.created_by, on_date=on_date)
    progress(1.0, f"新增站内消息{result['total']}条")
    return result
