"""Roles are permission groups. This table is the single definition of what each role
may do; ``jiandu roles sync`` (and migrations of the demo) write it into the database.

Business permissions follow Django's ``app.codename``. The three separated admin roles
(三员分立) hold no business permission at all.
"""

from __future__ import annotations

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

_VIEW_BUSINESS = [
    "orgs.view_org",
    "people.view_person",
    "clues.view_petition",
    "clues.view_clue",
    "clues.view_outcome",
    "clues.view_exposurebatch",
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
        "clues.add_clue",
        "clues.change_clue",
        "people.add_person",
        "people.change_person",
        "clues.add_exposurebatch",
        "clues.change_exposurebatch",
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
    ],
    ROLE_LEADER: [*_VIEW_BUSINESS, "boards.view_board", "datacheck.view_run"],
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
    ],
    ROLE_SECURITY_ADMIN: [
        "auth.view_group",
        "auth.change_group",
        "auth.view_permission",
        "accounts.view_user",
        "accounts.change_user_roles",
    ],
    ROLE_AUDIT_ADMIN: ["core.view_auditlog"],
}

ADMIN_ROLES = frozenset({ROLE_SYSTEM_ADMIN, ROLE_SECURITY_ADMIN, ROLE_AUDIT_ADMIN})
