"""The background task of the 多色榜: a monthly close started from the board page.

Registered as ``boards.close`` with :mod:`jiandu.core.tasks`; its progress and result
are on the task page (``core:task_detail``), the result linking to the closed month.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jiandu.boards import ranking
from jiandu.boards.models import Board
from jiandu.boards.services import board_close
from jiandu.core.models import Task
from jiandu.core.tasks import Progress, register

CLOSE_TASK = "boards.close"


@register(CLOSE_TASK, label="多色榜结账")
def run_close(task: Task, progress: Progress) -> dict[str, Any]:
    params = task.params
    board = Board.objects.get(pk=params["board_id"])
    progress(0.1, f"正在计算{board.title}{ranking.month_label(params['month'])}")
    outcome = board_close(
        actor=task.created_by,
        board=board,
        month=params["month"],
        missing_as_zero=bool(params.get("missing_as_zero")),
        reason=params.get("reason", ""),
    )
    snapshot = outcome.snapshot
    progress(1.0, "结账完成")
    url = reverse("boards:board_detail", args=[board.pk])
    return {
        "多色榜": board.title,
        "月份": snapshot.month_label,
        "版本": f"第{snapshot.version}版",
        "参评单位": len(snapshot.data["units"]),
        "新发出预警": len(outcome.warnings),
        **({"未发末位预警": "；".join(outcome.notes)} if outcome.notes else {}),
        "缺报按0计": len(snapshot.data.get("missing_as_zero", [])),
        "url": f"{url}?month={snapshot.month}&version={snapshot.version}",
    }
