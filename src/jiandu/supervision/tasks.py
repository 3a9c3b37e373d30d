"""The background task of the 整改警示卡 check, registered as ``supervision.warning_cards``
with :mod:`jiandu.core.tasks`: the daily job (or a user on the 警示卡 page) submits it;
it runs as the user who started it, over that user's jurisdiction."""

from __future__ import annotations

from typing import Any

from jiandu.core.models import Task
from jiandu.core.tasks import Progress, register

CARDS_TASK = "supervision.warning_cards"


@register(CARDS_TASK, label="整改警示卡检查")
def run_cards_check(task: Task, progress: Progress) -> dict[str, Any]:
    from jiandu.supervision.services import warning_cards_check

    progress(0.1, "正在检查逾期和验收未通过的整改")
    result = warning_cards_check(actor=task.created_by)
    progress(1.0, "检查完成")
    return {
        "检查整改": result.checked,
        "新发警示卡": len(result.issued),
        "文号": "、".join(c.document.number for c in result.issued[:20]),
    }
