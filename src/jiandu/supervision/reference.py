"""Reference data of the 督导 campaigns: the "5+2" list kinds (seed 003) and the deadline
table's row for the 整改警示卡 escalation period. Installed by the app's data migration
(with the historical models) and again after a flush (``core.reference``); only what is
missing is added, later changes are made as data (archived, never deleted)."""

from __future__ import annotations

from typing import Any

# key, name, backing, filled_by, item column, detail column
LIST_KINDS = [
    ("tasks", "任务清单", "entries", "unit", "任务", "目标要求"),
    ("work", "工作清单", "entries", "unit", "工作事项", "措施和进度安排"),
    ("duties", "责任清单", "entries", "unit", "责任事项", "责任内容"),
    ("problems", "问题清单", "problems", "unit", "问题", "问题描述"),
    ("rectifications", "整改清单", "rectifications", "unit", "整改事项", "整改措施"),
    ("inspection", "督导检查清单", "entries", "supervisor", "检查事项", "检查情况"),
    ("accountability", "问责清单", "entries", "supervisor", "问责事项", "问责情况"),
]


def install_reference_data(apps: Any) -> None:
    ListKind = apps.get_model("supervision", "ListKind")
    DeadlineRule = apps.get_model("core", "DeadlineRule")
    for order, (key, name, backing, filled_by, item, detail) in enumerate(LIST_KINDS):
        ListKind.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "backing": backing,
                "filled_by": filled_by,
                "item_label": item,
                "detail_label": detail,
                "sort_order": order,
            },
        )
    if not DeadlineRule.objects.filter(
        step="supervision.warning_escalation", archived_at__isnull=True
    ).exists():
        DeadlineRule.objects.create(
            step="supervision.warning_escalation",
            label="整改警示卡提级",
            period_kind="workdays",
            length=10,
            basis="逾期整改每再超过10个工作日，整改警示卡提高一级督导层级发出",
        )
