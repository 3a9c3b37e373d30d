"""Reference data of the 巡察 rounds: the 菜单式 menu of focus items (seed 002). Only what
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


def install_reference_data(apps: Any) -> None:
    FocusItem = apps.get_model("inspections", "FocusItem")
    for order, (key, name) in enumerate(FOCUS_ITEMS):
        FocusItem.objects.get_or_create(key=key, defaults={"name": name, "sort_order": order})
