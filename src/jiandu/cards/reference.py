"""The reference data of the cards: the 主体责任清单 and the 八小时以外 负面清单 (seed 001)
as list templates, and the deadline table's row for the quarterly summary.

:func:`install_reference_data` adds what is missing and changes nothing that exists
(later changes are made on the pages, as new versions). The data migration calls it
with the historical models; the demo and tests call it after a flush.

The 负面清单 has 15 items (seed 001: 以县处级干部为重点，划定15项负面清单). The seed
names some of them — 参与邪教组织、封建迷信活动, 违规操办婚丧嫁娶事宜, 组织或参与赌博、
吸毒、色情等活动, 违反社会公德、家庭美德 — and says the list follows the 六项纪律 with
attention to the 社交圈、生活圈、休闲圈; items 1–7 below are those, items 8–15 are
written from the 六项纪律 in the same spirit (the seed does not print them). A
commission adapts the list on the page; it is data, not code.
"""

from __future__ import annotations

from typing import Any

RESPONSIBILITY_KEY = "responsibility"
NEGATIVE_KEY = "after_hours_negative"
SUMMARY_STEP = "cards.summary"

RESPONSIBILITY_ITEMS = (
    "专题研究部署本单位（本地区）党风廉政建设工作，将主体责任分解到班子成员和下级党组织",
    "对分管领域干部和下级党组织主要负责人开展廉政谈话、提醒谈话，抓早抓小",
    "抓好巡察、审计和监督检查发现问题的整改落实，做到件件有着落",
    "持续纠治“四风”，整治文山会海和督查检查考核过多问题",
    "解决群众反映强烈的突出问题，加强惠民资金和脱贫攻坚领域干部作风建设",
    "管好分管领域干部“八小时以外”的社交圈、生活圈、休闲圈，对照负面清单开展提醒",
)

NEGATIVE_ITEMS = (
    "参与邪教组织或者封建迷信活动",
    "违规操办婚丧喜庆事宜，借机敛财",
    "组织或者参与赌博活动",
    "吸食毒品或者参与吸毒活动",
    "参与色情、嫖娼等违法活动",
    "违反社会公德，在公共场所言行失范",
    "违反家庭美德，不履行赡养、抚养义务或者有家庭暴力行为",
    "违规接受可能影响公正执行公务的宴请，或者出入私人会所",
    "违规收受礼品、礼金、消费卡和有价证券",
    "违规从事营利活动，参与涉矿等经营性活动",
    "违规借用管理和服务对象的钱款、住房、车辆",
    "与不法分子、黑恶势力交往，或者充当“保护伞”",
    "违规参加老乡会、校友会、战友会，搞团团伙伙",
    "用公款或者借公务之名旅游、健身、高消费娱乐",
    "不按规定到居住社区（小区）党组织报到、亮明身份、接受群众监督",
)

TEMPLATES = (
    (
        RESPONSIBILITY_KEY,
        "党风廉政建设主体责任清单",
        "responsibility",
        "提醒卡的默认事项：一季一提醒、一季一总结。",
        RESPONSIBILITY_ITEMS,
    ),
    (
        NEGATIVE_KEY,
        "党员干部“八小时以外”负面清单",
        "negative",
        "以县处级干部为重点，对照“六项纪律”，关注社交圈、生活圈、休闲圈（15项）。",
        NEGATIVE_ITEMS,
    ),
)


def install_reference_data(apps: Any = None) -> None:
    """Add the list templates and the summary deadline rule where missing (idempotent).
    ``apps`` is a migration's app registry; without it the current models are used."""
    if apps is None:
        from django.apps import apps as current_apps

        apps = current_apps
    ListTemplate = apps.get_model("cards", "ListTemplate")
    ListTemplateItem = apps.get_model("cards", "ListTemplateItem")
    DeadlineRule = apps.get_model("core", "DeadlineRule")
    for key, name, kind, description, items in TEMPLATES:
        if ListTemplate.objects.filter(key=key).exists():
            continue
        template = ListTemplate.objects.create(
            key=key, version=1, name=name, kind=kind, description=description
        )
        ListTemplateItem.objects.bulk_create(
            ListTemplateItem(template=template, order=i, text=text)
            for i, text in enumerate(items, start=1)
        )
    if not DeadlineRule.objects.filter(step=SUMMARY_STEP, archived_at__isnull=True).exists():
        DeadlineRule.objects.create(
            step=SUMMARY_STEP,
            label="提醒卡季度履责小结",
            period_kind="workdays",
            length=5,
            basis="一季一总结：季度结束后5个工作日内逐项报送履责情况小结",
        )
