"""Demo accounts: the people who log in to try the system, and the staff of each unit
who "entered" the demo's 2020.

All demo accounts share one password, :data:`DEMO_PASSWORD` (``Jiandu@2020demo``, which
passes the password validators). It is hashed once and the hash is reused, so creating
sixty accounts does not cost sixty slow key derivations.

The accounts people log in with (printed by ``jiandu demo``):

============  ===========================  =================================
账号          单位                          角色
============  ===========================  =================================
stats         党风政风监督室                  统计分析, 政治生态档案
petition      信访室                         信访受理, 举报人身份查阅
casemgmt      案件监督管理室                  线索管理
room1         第一监督检查室                  线索管理
trial         案件审理室                      案件审理
group1        派驻第一纪检监察组               线索管理, 案件审理
wuhua         五华区纪委监委                  线索管理, 信访受理, 案件审理, 统计填报
dongchuan     东川区纪委监委                  线索管理, 信访受理, 案件审理, 统计填报
leader        昆明市纪委监委                  领导查阅, 廉政意见审批, 呈批审批
data          昆明市纪委监委                  数据管理
sysadmin      昆明市纪委监委                  系统管理员
secadmin      昆明市纪委监委                  安全管理员
auditor       昆明市纪委监委                  审计管理员
rectify       市委办公室                      整改落实
xuncha        市委巡察办                      巡察工作
room1head     第一监督检查室                  呈批审核
casemgmthead  案件监督管理室                  呈批审核
group1head    派驻第一纪检监察组               呈批审核
petitionhead  信访室                          呈批审核
wuhualeader   五华区纪委监委                  呈批审批
============  ===========================  =================================

Besides these, every other 监督检查室, 派驻组 and county commission has a staff account
(``room2`` … ``group30``, ``panlong`` … ``anning``) and a signer of its 呈批 (``room2head``
… ``group30head``, ``panlongleader`` … ``anningleader``), and the commission a ``city`` account
(交办 of petitions, 提级 and 直查直办 at city level, the city's 通报曝光). With the accounts
above they are the actors of the demo's records: ``petition`` registers the city's
petitions, ``trial`` records the outcomes of the rooms' and groups' clues, ``data``
imported the cadre register.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from jiandu.accounts import roles as r

DEMO_PASSWORD = "Jiandu@2020demo"

# County region code → account name of its staff (五华区's is the documented ``wuhua``).
COUNTY_ACCOUNTS = {
    "530102": "wuhua",
    "530103": "panlong",
    "530111": "guandu",
    "530112": "xishan",
    "530113": "dongchuan",
    "530114": "chenggong",
    "530122": "jinning",
    "530124": "fumin",
    "530125": "yiliang",
    "530126": "shilin",
    "530127": "songming",
    "530128": "luquan",
    "530129": "xundian",
    "530181": "anning",
}


@dataclass(frozen=True)
class AccountSpec:
    username: str
    org: str  # org key
    roles: tuple[str, ...]
    title: str
    listed: bool = True  # shown in the demo's account table
    is_staff: bool = False
    actor_key: str = ""  # the key the case plan uses for this account's work


@dataclass(frozen=True)
class DemoAccount:
    """A created account, as printed for the person trying the demo."""

    username: str
    full_name: str
    org: str
    roles: tuple[str, ...]
    password: str
    listed: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "full_name": self.full_name,
            "org": self.org,
            "roles": list(self.roles),
            "password": self.password,
        }


def account_specs(*, counties: list[str], rooms: list[str], groups: list[str]) -> list[AccountSpec]:
    unit_roles = (r.ROLE_CLUES, r.ROLE_TRIAL)
    county_roles = (r.ROLE_CLUES, r.ROLE_PETITION, r.ROLE_TRIAL, r.ROLE_RETURNS)
    specs = [
        AccountSpec("stats", "conduct", (r.ROLE_STATISTICS, r.ROLE_DOSSIER), "党风政风监督室干部"),
        AccountSpec("petition", "petition", (r.ROLE_PETITION, r.ROLE_IDENTITY), "信访室干部",
                    actor_key="petition"),
        AccountSpec("casemgmt", "case_management", (r.ROLE_CLUES,), "案件监督管理室干部"),
        AccountSpec("room1", "room:1", (r.ROLE_CLUES,), "第一监督检查室干部", actor_key="room:1"),
        AccountSpec("trial", "trial", (r.ROLE_TRIAL,), "案件审理室干部", actor_key="trial"),
        AccountSpec("group1", "group:1", unit_roles, "派驻第一纪检监察组干部",
                    actor_key="group:1"),
        AccountSpec("wuhua", "county:530102", county_roles, "五华区纪委监委干部",
                    actor_key="county:530102"),
        # 东川区: on the 脱贫摘帽县 board, and the county of the comparison demo's data.
        AccountSpec("dongchuan", "county:530113", county_roles, "东川区纪委监委干部",
                    actor_key="county:530113"),
        AccountSpec("leader", "city", (r.ROLE_LEADER, r.ROLE_DOSSIER_APPROVE,
                                       r.ROLE_APPROVAL_APPROVE), "市纪委监委领导"),
        AccountSpec("data", "city", (r.ROLE_DATA,), "数据管理员", actor_key="data"),
        AccountSpec("sysadmin", "city", (r.ROLE_SYSTEM_ADMIN,), "系统管理员"),
        AccountSpec("secadmin", "city", (r.ROLE_SECURITY_ADMIN,), "安全管理员"),
        AccountSpec("auditor", "city", (r.ROLE_AUDIT_ADMIN,), "审计管理员"),
        AccountSpec("city", "city", (r.ROLE_PETITION, *unit_roles), "市纪委监委机关干部",
                    listed=False, actor_key="city"),
    ]  # fmt: skip
    # Staff of a supervised unit (派驻第一纪检监察组 supervises it): the responsible side
    # of the rectification loop.
    specs.append(
        AccountSpec("rectify", "unit:市委办公室", (r.ROLE_RECTIFICATION,), "市委办公室干部")
    )
    # 市委巡察办 (acting for the commission): the 巡察 rounds, draws, findings, statistics.
    specs.append(AccountSpec("xuncha", "inspection", (r.ROLE_INSPECTION,), "市委巡察办干部"))
    for n, key in enumerate(rooms, start=1):
        if n > 1:
            specs.append(AccountSpec(f"room{n}", key, unit_roles, "监督检查室干部", False,
                                     actor_key=key))  # fmt: skip
    for n, key in enumerate(groups, start=1):
        if n > 1:
            specs.append(AccountSpec(f"group{n}", key, unit_roles, "派驻纪检监察组干部", False,
                                     actor_key=key))  # fmt: skip
    # 呈批: the 室主任 of 第一监督检查室 reviews its requests (the city ``leader`` approves
    # as 分管领导); each county's 分管领导 approves the county's (docs/user-guide/approvals.md).
    specs.append(AccountSpec("room1head", "room:1", (r.ROLE_APPROVAL_REVIEW,),
                             "第一监督检查室主任"))  # fmt: skip
    # The 室主任 of 案件监督管理室: reviews the 提级查办 / 直查直办 its staff (``casemgmt``)
    # draft, which go along the drafter's office's route (clues.decisions.clue_request_org).
    specs.append(AccountSpec("casemgmthead", "case_management", (r.ROLE_APPROVAL_REVIEW,),
                             "案件监督管理室主任"))  # fmt: skip
    # The 组长 of 派驻第一纪检监察组: a 派驻组's requests go along its commission's route,
    # whose 室主任审核 is, for a group, its 组长's review (then the city ``leader``).
    specs.append(AccountSpec("group1head", "group:1", (r.ROLE_APPROVAL_REVIEW,),
                             "派驻第一纪检监察组组长"))  # fmt: skip
    # The 室主任 of 信访室: reviews the 分办 (交办, 转办, 转为问题线索, 存档了结) its staff
    # (``petition``) draft on the city's petitions, then the city ``leader`` approves.
    specs.append(AccountSpec("petitionhead", "petition", (r.ROLE_APPROVAL_REVIEW,),
                             "信访室主任"))  # fmt: skip
    specs.append(AccountSpec("wuhualeader", "county:530102", (r.ROLE_APPROVAL_APPROVE,),
                             "五华区纪委监委分管领导"))  # fmt: skip
    # Every other 监督检查室 and 派驻组 has its 室主任 / 组长 too, so that a request of any
    # office can be signed (docs/user-guide/approvals.md#审批流程与签批人).
    for n, key in enumerate(rooms, start=1):
        if n > 1:
            specs.append(AccountSpec(f"room{n}head", key, (r.ROLE_APPROVAL_REVIEW,),
                                     "监督检查室主任", False))  # fmt: skip
    for n, key in enumerate(groups, start=1):
        if n > 1:
            specs.append(AccountSpec(f"group{n}head", key, (r.ROLE_APPROVAL_REVIEW,),
                                     "派驻纪检监察组组长", False))  # fmt: skip
    for key in counties:
        name = COUNTY_ACCOUNTS[key.split(":")[1]]
        if name != "wuhua":
            specs.append(AccountSpec(f"{name}leader", key, (r.ROLE_APPROVAL_APPROVE,),
                                     "县区纪委监委分管领导", False))  # fmt: skip
    for key in counties:
        username = COUNTY_ACCOUNTS[key.split(":")[1]]
        if username not in ("wuhua", "dongchuan"):
            specs.append(AccountSpec(username, key, county_roles, "县区纪委监委干部", False,
                                     actor_key=key))  # fmt: skip
    return specs


def create_accounts(
    *, seed: int, actor: Any, orgs: dict[str, Any], specs: list[AccountSpec]
) -> tuple[list[DemoAccount], dict[str, Any]]:
    """Sync the role groups, create the accounts (one audit row each); return the
    accounts and the users by plan actor key."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.contrib.auth.password_validation import validate_password

    from jiandu.accounts.models import User
    from jiandu.core.audit import audit_record
    from jiandu.core.choices import AuditAction
    from jiandu.demo.texts import person_name

    results = r.sync_role_groups(actor=actor)
    errors = [e for result in results for e in result.errors]
    if errors:
        raise RuntimeError("角色权限表有误：" + "；".join(errors))
    groups = {g.name: g for g in Group.objects.filter(name__in=list(r.ROLE_PERMISSIONS))}
    rng = random.Random(f"{seed}:accounts")
    hashed = make_password(DEMO_PASSWORD)
    accounts: list[DemoAccount] = []
    actors: dict[str, Any] = {}
    for spec in specs:
        user = User(
            username=spec.username,
            full_name=person_name(rng, rng.choice("男女")),
            title=spec.title,
            org=orgs[spec.org],
            is_staff=spec.is_staff,
        )
        validate_password(DEMO_PASSWORD, user)
        user.password = hashed
        user.full_clean(exclude=["password"])
        user.save()
        user.groups.set([groups[name] for name in spec.roles])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=user,
            summary="创建演示账号",
            changes={
                "username": user.username,
                "org": user.org_id,
                "roles": list(spec.roles),
                "is_staff": spec.is_staff,
            },
        )
        accounts.append(
            DemoAccount(
                username=user.username,
                full_name=user.full_name,
                org=orgs[spec.org].name,
                roles=spec.roles,
                password=DEMO_PASSWORD,
                listed=spec.listed,
            )
        )
        if spec.actor_key:
            actors[spec.actor_key] = user
    return accounts, actors
