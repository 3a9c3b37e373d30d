"""The background task of 大数据比对: one comparison run.

Registered as ``datacheck.run`` with :mod:`jiandu.core.tasks`; the task page
(``core:task_detail``) and the run page show its progress, and its result links to the
run's results.
"""

from __future__ import annotations

from typing import Any

from jiandu.core.models import Task
from jiandu.core.tasks import Progress, register
from jiandu.datacheck.models import Run
from jiandu.datacheck.services import RUN_TASK, run_execute


@register(RUN_TASK, label="大数据比对")
def run_comparison(task: Task, progress: Progress) -> dict[str, Any]:
    run = Run.objects.select_related("created_by").get(pk=task.params["run_id"])
    return run_execute(run=run, progress=progress)
