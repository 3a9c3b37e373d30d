"""Reference data of the 巡察 rounds: the 菜单式 menu of focus items (seed 002), the 提级
rule table and the 优先办理 row of the deadline table. Only what
is missing is added; later changes are made as data (archived, never deleted)."""

from __future__ import annotations

from typing import Any

FOCUS_ITEMS = [
    ("duty", "落实全面从严治党主体责任"),
    ("poverty", "脱贫攻坚和乡村振兴政策落实"),
    ("village_assets", "村集体“三资”管理"),
    ("funds", "惠民惠农资金管理使用"),
    ("projects", "工程项目建设"),
    ("appointments", "选人用人和基层组织建设"),
    ("conduct", "作风建设（四风）"),
    ("rectification", "以往巡察和审计发现问题整改"),
]


# Kinds of 专项检查 of the 单元制 units (seed 000).
CHECK_TOPICS = [
    ("poverty", "扶贫"),
    ("holidays", "节假日"),
    ("liquor", "高档烟酒"),
    ("funds", "惠民惠农资金"),
    ("village_assets", "村集体“三资”"),
    ("projects", "工程项目"),
]

# 提级 rule table (seed 002): key, label, kind, domain tag code.
ESCALATION_RULES = [
    ("village_committee", "被反映人是村（社区）两委成员", "village_committee", ""),
    ("poverty", "问题属脱贫攻坚（扶贫）领域", "domain", "poverty"),
]
# 优先办理: clues transferred by a round get their own, shorter row of the deadline table.
PRIORITY_STEP = "inspections.clue_priority"
PRIORITY_RULE = (PRIORITY_STEP, "巡察移交线索优先办理", "days", 15,
                 "巡察移交的问题线索优先办理：受理之日起15日内提出处置意见")  # fmt: skip


def install_reference_data(apps: Any) -> None:
    FocusItem = apps.get_model("inspections", "FocusItem")
    for order, (key, name) in enumerate(FOCUS_ITEMS):
        FocusItem.objects.get_or_create(key=key, defaults={"name": name, "sort_order": order})
    try:  # migrations before 0006 have no CheckTopic yet
        CheckTopic = apps.get_model("inspections", "CheckTopic")
    except LookupError:
        CheckTopic = None
    for order, (key, name) in enumerate(CHECK_TOPICS if CheckTopic else []):
        CheckTopic.objects.get_or_create(key=key, defaults={"name": name, "sort_order": order})
    EscalationRule = apps.get_model("inspections", "EscalationRule")
    for order, (key, label, kind, domain) in enumerate(ESCALATION_RULES):
        EscalationRule.objects.get_or_create(
            key=key,
            defaults={"label": label, "kind": kind, "domain_code": domain, "sort_order": order},
        )
    DeadlineRule = apps.get_model("core", "DeadlineRule")
    step, label, kind, length, basis = PRIORITY_RULE
    if not DeadlineRule.objects.filter(step=step, archived_at__isnull=True).exists():
        DeadlineRule.objects.create(
            step=step, label=label, period_kind=kind, length=length, basis=basis
        )
