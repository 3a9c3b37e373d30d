"""The loop's reference data: problem sources and categories, and the deadline table's
row for a rectification. Later changes are made on the pages (and archived, not
deleted); this only adds what is missing."""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps

SOURCES = [
    # key, name, is_self_found, follow_up_months
    ("supervision", "督导检查", False, 6),
    ("inspection", "巡察", False, 6),
    ("unit_check", "单元制监督检查", False, 6),
    ("board_warning", "多色榜预警", False, 6),
    ("index_warning", "指数预警", False, 6),
    ("self_check", "自查自纠", True, 6),
    ("report", "群众举报", False, 6),
    ("special", "专项治理", False, 6),
    ("assigned", "上级交办", False, 6),
    ("card_check", "提醒卡抽查", False, 6),
    ("dossier", "政治生态档案", False, 6),
    ("follow_up", "回头看", False, 6),
]
CATEGORIES = [
    "主体责任落实",
    "作风建设（四风）",
    "惠民资金管理",
    "工程项目管理",
    "选人用人",
    "财务管理",
    "工作纪律",
    "群众身边腐败和作风问题",
    "其他",
]


def install_reference_data(apps: Any = global_apps) -> None:
    """Add the problem sources, categories and the rectification's deadline rule that
    are missing. ``apps`` is the model registry: a migration's historical one, or the
    running project's."""
    ProblemSource = apps.get_model("oversight", "ProblemSource")
    ProblemCategory = apps.get_model("oversight", "ProblemCategory")
    DeadlineRule = apps.get_model("core", "DeadlineRule")
    for order, (key, name, self_found, months) in enumerate(SOURCES):
        ProblemSource.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "is_self_found": self_found,
                "follow_up_months": months,
                "sort_order": order,
            },
        )
    for order, name in enumerate(CATEGORIES):
        ProblemCategory.objects.get_or_create(name=name, defaults={"sort_order": order})
    if not DeadlineRule.objects.filter(
        step="oversight.rectification", archived_at__isnull=True
    ).exists():
        DeadlineRule.objects.create(
            step="oversight.rectification",
            label="问题整改",
            period_kind="days",
            length=30,
            basis="限期整改通知：自发现之日起30日内整改到位",
        )
