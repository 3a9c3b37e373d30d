"""Navigation entries shown to the current user (only what their roles allow)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

# (section, label, url name, required permission(s): any one of them suffices)
NAV_ITEMS: list[tuple[str, str, str, str | tuple[str, ...] | None]] = [
    ("工作台", "我的工作台", "core:workbench", None),
    ("信访举报", "信访举报", "clues:petition_list", "clues.view_petition"),
    ("信访举报", "登记信访件", "clues:petition_create", "clues.add_petition"),
    ("问题线索", "问题线索", "clues:clue_list", "clues.view_clue"),
    ("问题线索", "通报曝光", "clues:exposure_list", "clues.view_exposurebatch"),
    ("多色榜", "多色榜", "boards:board_list", "boards.view_board"),
    ("多色榜", "预警通知", "boards:warning_list", "boards.view_board"),
    ("政治生态", "一图一表一指数", "ecoindex:map", "ecoindex.view_indextree"),
    ("政治生态", "预警与复绿", "ecoindex:warning_list", "ecoindex.view_indextree"),
    ("整改闭环", "问题整改", "oversight:problem_list", "oversight.view_problem"),
    ("整改闭环", "登记问题", "oversight:problem_create", "oversight.add_problem"),
    ("整改闭环", "整改统计", "oversight:problem_counts", "oversight.view_problem"),
    ("整改闭环", "回头看", "oversight:follow_up_list", "oversight.view_problem"),
    ("整改闭环", "约谈记录", "oversight:interview_list", "oversight.view_problem"),
    ("对账销账", "零报告", "reconciliation:flag_list", "reconciliation.view_zeroreportflag"),
    ("对账销账", "对账台账", "reconciliation:ledger", "reconciliation.view_reconciliation"),
    ("对账销账", "质询会", "reconciliation:inquiry_list", "reconciliation.view_inquirymeeting"),
    ("提醒卡", "主体责任提醒卡", "cards:card_list", "cards.view_remindercard"),
    ("提醒卡", "印发提醒卡", "cards:card_issue_batch", "cards.issue_reminder_card"),
    ("提醒卡", "提醒卡统计", "cards:stats", "cards.view_remindercard"),
    ("提醒卡", "清单模板", "cards:template_list", "cards.view_remindercard"),
    ("整改闭环", "督导", "supervision:campaign_list", "supervision.view_campaign"),
    ("整改闭环", "整改警示卡", "supervision:card_list", "supervision.view_warningcard"),
    ("政治生态档案", "政治生态档案", "dossiers:search", "dossiers.view_dossier"),
    ("政治生态档案", "廉政意见", "dossiers:batch_list", "dossiers.view_opinionbatch"),
    ("整改闭环", "巡察", "inspections:round_list", "inspections.view_inspectionround"),
    ("整改闭环", "巡察统计", "inspections:statistics", "inspections.view_inspectionround"),
    ("整改闭环", "单元制监督", "inspections:unit_list", "inspections.view_supervisionunit"),
    ("整改闭环", "三本账", "inspections:ledger_list", "inspections.view_ledgerrow"),
    ("统计中心", "统计中心", "statcentre:index", "statcentre.view_statistics"),
    (
        "统计中心",
        "统计报表",
        "statcentre:return_list",
        ("statcentre.prepare_return", "statcentre.receive_return"),
    ),
    ("大数据比对", "比对任务", "datacheck:run_list", "datacheck.view_run"),
    ("大数据比对", "比对疑点", "datacheck:hit_list", "datacheck.view_run"),
    ("大数据比对", "数据集", "datacheck:dataset_list", "datacheck.view_run"),
    ("公文", "文号登记", "documents:register", "documents.view_document"),
    ("基础信息", "组织机构", "orgs:org_tree", "orgs.view_org"),
    ("基础信息", "党员干部", "people:person_list", "people.view_person"),
    (
        "基础信息",
        "数据导入",
        "imports:index",
        (
            "orgs.add_org",
            "people.add_person",
            "clues.add_clue",
            "clues.add_outcome",
            "dossiers.import_dossier_item",
        ),
    ),
    ("系统管理", "审计日志", "core:audit_list", "core.view_auditlog"),
    (
        "系统管理",
        "工作日历",
        "oversight:calendar",
        ("core.change_calendarday", "oversight.view_problem", "clues.view_clue"),
    ),
    (
        "系统管理",
        "期限表",
        "oversight:deadlines",
        ("core.change_deadlinerule", "oversight.view_problem", "clues.view_clue"),
    ),
    ("系统管理", "用户管理", "accounts:user_list", "accounts.change_user"),
    ("安全管理", "角色分配", "accounts:role_list", "accounts.change_user_roles"),
    ("安全管理", "账号锁定", "accounts:lockout_list", "accounts.view_signin"),
    ("安全管理", "登录记录", "accounts:signin_list", "accounts.view_signin"),
    ("信访举报", "实名举报告知反馈", "followup:feedback_list", "clues.view_petition"),
    ("信访举报", "三名统计", "followup:index", "clues.view_petition"),
    ("问题线索", "处分执行", "followup:execution_list", "clues.view_outcome"),
    ("问题线索", "回访教育", "followup:visit_list", "clues.view_outcome"),
    ("问题线索", "澄清正名", "followup:clarification_list", "clues.view_clue"),
    ("问题线索", "严查诬名", "followup:false_accusation_list", "clues.view_clue"),
    ("问题线索", "呈批", "approvals:request_list", "approvals.view_approvalrequest"),
    ("问题线索", "线索大起底", "sweeps:sweep_list", "clues.view_clue"),
    ("问题线索", "集体排查", "sweeps:review_list", "clues.view_clue"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": []}
    sections: dict[str, list[dict[str, Any]]] = {}
    path = request.path
    for section, label, url_name, perm in NAV_ITEMS:
        needed = (perm,) if isinstance(perm, str) else perm or ()
        if needed and not any(user.has_perm(p) for p in needed):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        sections.setdefault(section, []).append({"label": label, "url": url, "active": False})
    # Only the longest matching entry is active (登记信访件 inside 信访举报 lights one).
    items = [item for entries in sections.values() for item in entries]
    matching = [
        i for i in items if path == i["url"] or (i["url"] != "/" and path.startswith(i["url"]))
    ]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_sections": [{"title": t, "items": entries} for t, entries in sections.items()]}


def calendar_warning(request: HttpRequest) -> dict[str, Any]:
    """The years (current and next) whose holidays are not loaded, for the banner over
    deadlines. Lazy: read only by the templates that show it."""
    from django.utils import timezone
    from django.utils.functional import SimpleLazyObject

    def missing() -> list[int]:
        from jiandu.core.deadlines import calendar_years

        year = timezone.localdate().year
        loaded = set(calendar_years())
        return [y for y in (year, year + 1) if y not in loaded]

    return {"calendar_missing_years": SimpleLazyObject(missing)}
