"""Roles are permission groups. This table is the single definition of what each role
may do; ``jiandu roles sync`` (and migrations of the demo) write it into the database.

Business permissions follow Django's ``app.codename``. The three separated admin roles
(三员分立) hold no business permission at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLE_PETITION = "信访受理"
ROLE_CLUES = "线索管理"
ROLE_TRIAL = "案件审理"
ROLE_STATISTICS = "统计分析"
ROLE_LEADER = "领导查阅"
ROLE_IDENTITY = "举报人身份查阅"
ROLE_DATA = "数据管理"
ROLE_SYSTEM_ADMIN = "系统管理员"
ROLE_SECURITY_ADMIN = "安全管理员"
ROLE_AUDIT_ADMIN = "审计管理员"
ROLE_RECTIFICATION = "整改落实"
ROLE_DOSSIER = "政治生态档案"
ROLE_DOSSIER_APPROVE = "廉政意见审批"
ROLE_INSPECTOR_DOSSIER = "纪检监察干部档案查阅"

_VIEW_BUSINESS = [
    "orgs.view_org",
    "people.view_person",
    "clues.view_petition",
    "clues.view_clue",
    "clues.view_outcome",
    "clues.view_exposurebatch",
]

_RECONCILIATION_VIEW = [
    "reconciliation.view_zeroreportflag",
    "reconciliation.view_reconciliation",
    "reconciliation.view_inquirymeeting",
]

# 督导 campaigns (seed 003): set up, 督导检查 and findings, lists, the 警示卡 check.
_SUPERVISION_CAMPAIGNS = [
    "supervision.view_campaign",
    "supervision.add_campaign",
    "supervision.change_campaign",
    "supervision.add_inspection",
    "supervision.fill_campaign_list",
    "supervision.view_warningcard",
    "supervision.issue_warning_card",
]

# 巡察 rounds (seed 002): set up, team draws with 回避, stage moves.
_INSPECTION_ROUNDS = [
    "inspections.view_inspectionround",
    "inspections.add_inspectionround",
    "inspections.change_inspectionround",
    "inspections.add_teamdraw",
]

# 单元制 checks, 双报告, 提级 and 三本账 (seed 000, 002): the work a role does on its own
# units (the commission plans; the unit's 派驻组 and 镇纪委 run checks; a county keeps and
# reports its 三本账; the handling unit decides on a 提级 suggestion).
_INSPECTION_OFFICE = [
    "inspections.view_supervisionunit",
    "inspections.add_supervisionunit",
    "inspections.change_supervisionunit",
    "inspections.add_specialcheck",
    "inspections.change_specialcheck",
    "inspections.add_roundreport",
    "inspections.add_reportcomment",
    "inspections.view_ledgerrow",
    "inspections.add_ledgerrow",
    "inspections.add_ledgerreport",
]
_INSPECTION_UNIT_WORK = [
    "inspections.view_supervisionunit",
    "inspections.add_specialcheck",
    "inspections.change_specialcheck",
    "inspections.change_escalationsuggestion",
    "inspections.view_ledgerrow",
    "inspections.add_ledgerrow",
    "inspections.add_ledgerreport",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ROLE_PETITION: [
        *_VIEW_BUSINESS,
        "clues.add_petition",
        "clues.change_petition",
        "clues.add_clue",
    ],
    ROLE_CLUES: [
        *_VIEW_BUSINESS,
        # A county sees the rounds that inspect it.
        "inspections.view_inspectionround",
        "clues.add_clue",
        "clues.change_clue",
        "people.add_person",
        "people.change_person",
        "clues.add_exposurebatch",
        "clues.change_exposurebatch",
        "datacheck.view_run",
        "datacheck.verify_hit",
        # A unit on a 多色榜 sees its rows and answers its warnings (签收, 整改报告).
        "boards.view_board",
        "boards.change_boardwarning",
        # 一图一表一指数: sees its units' index; county commissions report for their units.
        "ecoindex.view_indextree",
        "ecoindex.report_index",
        # Official documents with their 文号 (督促整改通知书 …).
        "documents.view_document",
        "documents.add_document",
        "documents.void_document",
        # 整改闭环: the supervising side; a county commission is also a responsible unit
        # when the city supervises it (a 多色榜 warning), hence rectify_problem too.
        "oversight.view_problem",
        "oversight.add_problem",
        "oversight.accept_rectification",
        "oversight.rectify_problem",
        # 主体责任提醒卡: rooms and groups spot-check the leaders they supervise.
        "cards.view_remindercard",
        "cards.spot_check_card",
        *_SUPERVISION_CAMPAIGNS,
        *_INSPECTION_UNIT_WORK,
    ],
    ROLE_TRIAL: [
        *_VIEW_BUSINESS,
        "clues.change_clue",
        "clues.add_outcome",
        "clues.change_outcome",
    ],
    ROLE_STATISTICS: [
        *_VIEW_BUSINESS,
        "boards.view_board",
        "boards.add_board",
        "boards.change_board",
        "boards.close_board",
        "ecoindex.view_indextree",
        "ecoindex.close_index",
        "ecoindex.report_index",
        "documents.view_document",
        "documents.add_document",
        "documents.void_document",
        "documents.view_numberingrule",
        "documents.add_numberingrule",
        "documents.change_numberingrule",
        "oversight.view_problem",
        "oversight.add_problem",
        "oversight.accept_rectification",
        # 零报告 detection, 对账销账 and 质询会 (seeds 002, 003).
        *_RECONCILIATION_VIEW,
        "reconciliation.detect_zeroreport",
        "reconciliation.change_zeroreportrule",
        "reconciliation.change_reconciliation",
        "reconciliation.add_gapaccountability",
        "reconciliation.add_inquirymeeting",
        "reconciliation.change_inquirymeeting",
        # 主体责任提醒卡: drafted, issued and checked for the committee; the lists kept.
        "cards.view_remindercard",
        "cards.issue_reminder_card",
        "cards.spot_check_card",
        "cards.change_listtemplate",
        *_SUPERVISION_CAMPAIGNS,
        *_INSPECTION_ROUNDS,
        *_INSPECTION_OFFICE,
    ],
    ROLE_LEADER: [
        *_VIEW_BUSINESS,
        "boards.view_board",
        "ecoindex.view_indextree",
        "datacheck.view_run",
        "documents.view_document",
        "oversight.view_problem",
        *_RECONCILIATION_VIEW,
        "cards.view_remindercard",
        "supervision.view_campaign",
        "supervision.view_warningcard",
        "inspections.view_inspectionround",
    ],
    ROLE_IDENTITY: [
        "clues.view_reporter_identity",
        "people.view_id_number",
    ],
    ROLE_DATA: [
        "orgs.view_org",
        "datacheck.view_run",
        "datacheck.add_run",
        "datacheck.add_datasetversion",
        "datacheck.verify_hit",
        "people.add_person",
        "orgs.add_org",
        "orgs.change_org",
    ],
    ROLE_SYSTEM_ADMIN: [
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_apitoken",
        "accounts.add_apitoken",
        "accounts.change_apitoken",
        "orgs.view_org",
        "orgs.add_org",
        "orgs.change_org",
        "orgs.view_orglabel",
        "orgs.add_orglabel",
        "orgs.change_orglabel",
        # Reference data of the deadlines: the working-day calendar and the deadline table.
        "core.add_calendarday",
        "core.change_calendarday",
        "core.change_deadlinerule",
    ],
    ROLE_SECURITY_ADMIN: [
        "accounts.view_user",
        "accounts.change_user_roles",
        "accounts.view_signin",
        "accounts.unlock_user",
    ],
    ROLE_AUDIT_ADMIN: ["core.view_auditlog"],
    # Staff of a supervised unit: see their unit's problems, sign, plan and report.
    # 主体责任提醒卡: they also enter their leader's quarterly summary (一季一总结).
    ROLE_RECTIFICATION: [
        "oversight.view_problem",
        "oversight.rectify_problem",
        "cards.view_remindercard",
        "cards.submit_card_summary",
        # 督导: see the campaigns it takes part in, fill its lists, see its 警示卡.
        "supervision.view_campaign",
        "supervision.fill_campaign_list",
        "supervision.view_warningcard",
    ],
}

# 政治生态档案 (seed 001): keep the dossiers, draft and review the 廉政意见 the
# organisation department asks for, issue the 函复; a leader approves; 纪检监察干部's own
# dossiers are a separate permission (like reporter identities).
ROLE_PERMISSIONS[ROLE_DOSSIER] = [
    *_VIEW_BUSINESS,
    "dossiers.view_dossier",
    "dossiers.import_dossier_item",
    "dossiers.record_sanction_detail",
    "dossiers.manage_dossier_tables",
    "dossiers.view_opinionbatch",
    "dossiers.add_opinionbatch",
    "dossiers.review_opinion",
    "documents.view_document",
    "documents.add_document",
]
ROLE_PERMISSIONS[ROLE_DOSSIER_APPROVE] = [
    "dossiers.view_dossier",
    "dossiers.view_opinionbatch",
    "dossiers.approve_opinion",
]
ROLE_PERMISSIONS[ROLE_INSPECTOR_DOSSIER] = ["dossiers.view_inspector_dossier"]

# 巡察 (seed 002): 市委巡察办 (acting for the commission) runs the rounds — 人才库, team
# draws with 回避, stage moves, findings into the 整改闭环 and their acceptance, the
# 进驻通知 and 反馈意见 with their 文号 — and reads the statistics across rounds.
ROLE_INSPECTION = "巡察工作"
ROLE_PERMISSIONS[ROLE_INSPECTION] = [
    *_VIEW_BUSINESS,
    *_INSPECTION_ROUNDS,
    "clues.add_clue",
    "oversight.view_problem",
    "oversight.add_problem",
    "oversight.accept_rectification",
    "documents.view_document",
    "documents.add_document",
]
# 统计中心 and upward returns (统计报表): a county commission prepares and submits its
# return; the city's statistics office consolidates, reopens and submits the city's.
ROLE_RETURNS = "统计填报"
ROLE_PERMISSIONS[ROLE_RETURNS] = ["statcentre.view_statistics", "statcentre.prepare_return"]
ROLE_PERMISSIONS[ROLE_STATISTICS] += [
    "statcentre.view_statistics",
    "statcentre.prepare_return",
    "statcentre.receive_return",
]
ROLE_PERMISSIONS[ROLE_LEADER] += ["statcentre.view_statistics"]

ADMIN_ROLES = frozenset({ROLE_SYSTEM_ADMIN, ROLE_SECURITY_ADMIN, ROLE_AUDIT_ADMIN})

# 呈批 (docs/user-guide/approvals.md): the handling roles see their requests; 室主任 review
# the requests drafted in their office, 分管领导 approve for their commission and set the
# routes.
ROLE_APPROVAL_REVIEW = "呈批审核"
ROLE_APPROVAL_APPROVE = "呈批审批"
for _role in (ROLE_PETITION, ROLE_CLUES, ROLE_TRIAL, ROLE_LEADER):
    ROLE_PERMISSIONS[_role].append("approvals.view_approvalrequest")
ROLE_PERMISSIONS[ROLE_APPROVAL_REVIEW] = [
    *_VIEW_BUSINESS,
    "approvals.view_approvalrequest",
    "approvals.review_request",
]
ROLE_PERMISSIONS[ROLE_APPROVAL_APPROVE] = [
    *_VIEW_BUSINESS,
    "approvals.view_approvalrequest",
    "approvals.approve_request",
    "approvals.manage_route",
]


# --- writing the table into the database (``jiandu roles sync``, the demo) ----------


@dataclass
class RoleSync:
    """What syncing one role did or would do."""

    name: str
    created: bool = False
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.created or bool(self.added or self.removed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "created": self.created,
            "added": self.added,
            "removed": self.removed,
            "pending": self.pending,
            "errors": self.errors,
        }


def _missing_permission_problem(dotted: str) -> tuple[bool, str]:
    """Why a permission of the table is not in the database: (pending, message).

    Pending means the permission may yet arrive: its app defines no models yet, or has
    models not migrated yet (permissions are created by ``migrate``). Anything else is
    an error in the table."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    if "." not in dotted:
        return False, f"“{dotted}”格式错误，应为“应用.权限代码”"
    app_label, _codename = dotted.split(".", 1)
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return False, f"“{dotted}”：应用“{app_label}”不存在"
    models = {m._meta.model_name for m in config.get_models()}
    if not models:
        return True, f"“{dotted}”：应用“{app_label}”尚未定义数据模型，待其上线后再同步"
    migrated = set(ContentType.objects.filter(app_label=app_label).values_list("model", flat=True))
    if models - migrated:
        return True, f"“{dotted}”：应用“{app_label}”有尚未迁移的数据模型，执行 migrate 后再同步"
    return False, f"“{dotted}”：权限不存在"


def sync_role_groups(*, actor: Any = None) -> list[RoleSync]:
    """Create or update one permission group per role so that it holds exactly the
    permissions of ``ROLE_PERMISSIONS``. Idempotent; each changed group is audited.

    Permissions of apps that define no models yet are reported as pending and skipped.
    Any other unknown permission is an error, and then nothing is written at all."""
    from django.contrib.auth.models import Group, Permission
    from django.db import transaction

    from jiandu.core.audit import audit_record
    from jiandu.core.choices import AuditAction

    known = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    results: list[RoleSync] = []
    wanted: dict[str, set[int]] = {}
    for name, dotted_names in ROLE_PERMISSIONS.items():
        result = RoleSync(name=name)
        wanted[name] = set()
        for dotted in dotted_names:
            if dotted in known:
                wanted[name].add(known[dotted])
                continue
            pending, message = _missing_permission_problem(dotted)
            (result.pending if pending else result.errors).append(message)
        results.append(result)
    if any(r.errors for r in results):
        return results
    names = {pk: dotted for dotted, pk in known.items()}
    with transaction.atomic():
        for result in results:
            group, result.created = Group.objects.get_or_create(name=result.name)
            current = set(group.permissions.values_list("pk", flat=True))
            result.added = sorted(names[pk] for pk in wanted[result.name] - current)
            result.removed = sorted(names[pk] for pk in current - wanted[result.name])
            if result.added or result.removed:
                group.permissions.set(wanted[result.name])
            if result.changed:
                audit_record(
                    actor=actor,
                    action=AuditAction.PERMISSION,
                    obj=group,
                    summary=f"{'新建' if result.created else '更新'}角色“{result.name}”",
                    changes={"added": result.added, "removed": result.removed},
                )
    return results
