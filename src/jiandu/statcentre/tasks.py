"""The background task of the statistics centre: rebuilding the daily aggregate
(ADR 0016) from the raw records, e.g. after a bulk load that bypassed the services.

Registered as ``statcentre.rebuild`` with :mod:`jiandu.core.tasks`; ``params``:
``org_ids`` (list, optional), ``start`` / ``end`` (ISO dates, optional).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jiandu.core.models import Task
from jiandu.core.tasks import Progress, register
from jiandu.statcentre.services import aggregate_rebuild

REBUILD_TASK = "statcentre.rebuild"


@register(REBUILD_TASK, label="统计汇总重算")
def run_rebuild(task: Task, progress: Progress) -> dict[str, Any]:
    params = task.params
    start = dt.date.fromisoformat(params["start"]) if params.get("start") else None
    end = dt.date.fromisoformat(params["end"]) if params.get("end") else None
    progress(0.1, "正在由原始记录重算统计日汇总")
    result = aggregate_rebuild(
        actor=task.created_by, org_ids=params.get("org_ids"), start=start, end=end
    )
    progress(1.0, "重算完成")
    return {"日汇总行数": result.daily_rows, "月、年汇总行数": result.monthly_rows}
