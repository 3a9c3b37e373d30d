"""Reference data of the loop: problem sources and categories, and the deadline table's
row for a rectification. Later changes are made on the pages (and archived, not
deleted); this migration only adds what is missing."""

from django.db import migrations

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


def forwards(apps, schema_editor):
    ProblemSource = apps.get_model("oversight", "ProblemSource")
    ProblemCategory = apps.get_model("oversight", "ProblemCategory")
    DeadlineRule = apps.get_model("core", "DeadlineRule")
    for order, (key, name, self_found, months) in enumerate(SOURCES):
        ProblemSource.objects.get_or_create(
            key=key,
            defaults={"name": name, "is_self_found": self_found,
                      "follow_up_months": months, "sort_order": order},
        )
    for order, name in enumerate(CATEGORIES):
        ProblemCategory.objects.get_or_create(name=name, defaults={"sort_order": order})
    if not DeadlineRule.objects.filter(step="oversight.rectification",
                                       archived_at__isnull=True).exists():
        DeadlineRule.objects.create(
            step="oversight.rectification",
            label="问题整改",
            period_kind="days",
            length=30,
            basis="限期整改通知：自发现之日起30日内整改到位",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_initial"),
        ("core", "0004_calendar_and_deadline_table"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
