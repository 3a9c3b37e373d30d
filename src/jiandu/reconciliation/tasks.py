"""The 零报告 detection as a background task (the page starts it; the command line runs
the same service directly)."""

from __future__ import annotations

from typing import Any

from jiandu.core.models import Task
from jiandu.core.tasks import Progress, register

ZERO_REPORT_TASK = "reconciliation.zero_report"


def describe_detection(result: dict[str, Any]) -> list[tuple[str, Any]]:
    """The detection's result (the record ``jiandu reconcile`` prints with ``--json``) as
    the task page shows it."""
    created = result.get("created", [])
    return [
        ("检测期间", result.get("period_label", "")),
        ("检测规则", result.get("rule", "")),
        ("检测单位", f"{result.get('units_checked', 0)}个"),
        ("新标记", f"{result.get('flags_created', 0)}个"),
        ("此前已标记", f"{result.get('flags_existing', 0)}个"),
        *([("新标记单位", "、".join(f.get("org", "") for f in created))] if created else []),
    ]


@register(ZERO_REPORT_TASK, label="零报告检测", describe=describe_detection)
def zero_report_task(task: Task, progress: Progress) -> dict[str, Any]:
    """Params: ``period`` (2026Q3 …) and optionally ``within`` (an org id). Runs as the
    user who started it, within their jurisdiction."""
    from jiandu.orgs.models import Org
    from jiandu.reconciliation.periods import period_parse
    from jiandu.reconciliation.services import zero_report_detect

    period = period_parse(task.params["period"])
    within = Org.objects.filter(pk=task.params.get("within")).first()
    progress(0.1, f"检测{period.label}")
    result = zero_report_detect(actor=task.created_by, period=period, within=within)
    return result.as_dict()
