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


# Per process: (active, superuser, permission set) -> the entries it shows as
# (section, label, url). A function of the permissions alone (which the backend keeps
# under the access stamp), so a role or permission change shows on the next page.
_nav_entries: dict[tuple[bool, bool, frozenset[str]], tuple[tuple[str, str, str], ...]] = {}
# Per process: (entries, active url) -> the sidebar's HTML.
_nav_html: dict[tuple[tuple[tuple[str, str, str], ...], str], str] = {}


def _entries(user: Any) -> tuple[tuple[str, str, str], ...]:
    from jiandu.core.access import remember

    key = (bool(user.is_active), bool(user.is_superuser), frozenset(user.get_all_permissions()))
    found = _nav_entries.get(key)
    if found is None:
        shown = []
        for section, label, url_name, perm in NAV_ITEMS:
            needed = (perm,) if isinstance(perm, str) else perm or ()
            if needed and not any(user.has_perm(p) for p in needed):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            shown.append((section, label, url))
        # Sections in the order of their first entry, entries grouped under them.
        order = list(dict.fromkeys(s for s, _, _ in shown))
        found = tuple(sorted(shown, key=lambda e: order.index(e[0])))
        remember(_nav_entries, key, found)
    return found


def _active_url(entries: tuple[tuple[str, str, str], ...], path: str) -> str:
    """Only the longest matching entry is active (登记信访件 inside 信访举报 lights one)."""
    matching = [u for _, _, u in entries if path == u or (u != "/" and path.startswith(u))]
    return max(matching, key=len) if matching else ""


def _sections(entries: tuple[tuple[str, str, str], ...], active: str) -> list[dict[str, Any]]:
    sections: dict[str, list[dict[str, Any]]] = {}
    done = False
    for section, label, url in entries:
        on = not done and url == active
        done = done or on
        sections.setdefault(section, []).append({"label": label, "url": url, "active": on})
    return [{"title": t, "items": items} for t, items in sections.items()]


def _html(entries: tuple[tuple[str, str, str], ...], active: str) -> str:
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    from jiandu.core.access import remember

    html = _nav_html.get((entries, active))
    if html is None:
        link = '<li><a class="nav-link" href="{}">{}</a></li>'
        current = '<li><a class="nav-link is-active" href="{}" aria-current="page">{}</a></li>'
        parts = [
            format_html(
                '<div class="nav-section"><h2 class="nav-title">{}</h2><ul class="nav-list">{}'
                "</ul></div>",
                section["title"],
                mark_safe(
                    "".join(
                        format_html(current if i["active"] else link, i["url"], i["label"])
                        for i in section["items"]
                    )
                ),
            )
            for section in _sections(entries, active)
        ]
        html = remember(_nav_html, (entries, active), mark_safe("\n".join(parts)))
    return html


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav_html``: the sidebar (base.html); ``nav_sections``: the same entries as data
    (the workbench lists them). Both lazy, built from the per-process entries."""
    from django.utils.functional import SimpleLazyObject

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": [], "nav_html": ""}
    path = request.path

    def entries_and_active() -> tuple[tuple[tuple[str, str, str], ...], str]:
        entries = _entries(user)
        return entries, _active_url(entries, path)

    return {
        "nav_sections": SimpleLazyObject(lambda: _sections(*entries_and_active())),
        "nav_html": SimpleLazyObject(lambda: _html(*entries_and_active())),
    }


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
