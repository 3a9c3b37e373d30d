"""The background task of the index: the monthly close started from the table page.

Registered as ``ecoindex.close`` with :mod:`jiandu.core.tasks`; its progress and result are
on the task page, the result linking to the closed month.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jiandu.core.models import Task
from jiandu.core.tasks import Progress, register
from jiandu.ecoindex.choices import LABEL_BY_COLOUR
from jiandu.ecoindex.close import index_close

CLOSE_TASK = "ecoindex.close"


@register(CLOSE_TASK, label="政治生态指数月度结账")
def run_close(task: Task, progress: Progress) -> dict[str, Any]:
    params = task.params
    outcome = index_close(
        actor=task.created_by,
        month=params["month"],
        reason=params.get("reason", ""),
        progress=progress,
    )
    snap = outcome.snapshot
    colours = "，".join(f"{LABEL_BY_COLOUR[c]}{n}个" for c, n in snap.data["colours"].items() if n)
    missing = "；".join(
        f"{m['department']}：{'、'.join(m['units'][:10])}{'等' if len(m['units']) > 10 else ''}"
        f"（{len(m['units'])}个单位）"
        for m in outcome.missing_reported
    )
    return {
        "月份": snap.month_label,
        "版本": f"第{snap.version}版",
        "指标体系": f"第{snap.tree.version}版",
        "参评单位": snap.data["units"],
        "颜色分布": colours,
        "新发出预警": len(outcome.warnings),
        "复绿": len(outcome.regreened),
        **({"缺报": missing} if missing else {}),
        "url": reverse("ecoindex:table") + f"?month={snap.month}",
    }
