"""The demo's 督导 campaign, calibrated to seed 003 (景县 “一问责八清理”专项行动):

* 10 市直单位 take part, 市财政局 leads; the 四级督导 chain is 市财政局 (牵头责任单位) →
  第一监督检查室 (督导问责组) → 党风政风监督室 (领导小组办公室) → 昆明市纪委监委 (领导小组);
* one 督导问责组 of three people from the registry holds 6 集中督导检查, which find 60
  problems; units report 41 more themselves (自查自纠), 101 on the campaign's 问题清单;
* the rectification figures are the seed's: 立行立改 53, 正在整改 42 (of which 20 await
  acceptance), 待整改 6 (and 已销号 0: the seed reports no other figure);
* 10 限期整改通知 (督促整改通知书 with their 文号), 3 约谈 of unit leaders;
* the units' 任务/工作/责任清单, the 督导检查清单 of each check and a 问责清单;
* a few rectifications of the older checks are overdue: the daily check issues their
  整改警示卡 (one of them to 市委办公室, the ``rectify`` account's unit).

Everything is dated relative to ``today`` (the day after the demo's last day), through
the same services the pages use.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jiandu.oversight.choices import InterviewKind
from jiandu.oversight.choices import RectificationAction as A

CAMPAIGN_NAME = "“一问责八清理”专项行动"
LEAD_UNIT = "市财政局"
UNITS = (
    "市委办公室",
    "市财政局",
    "市民政局",
    "市人力资源和社会保障局",
    "市机关事务管理局",
    "市住房和城乡建设局",
    "市交通运输局",
    "市农业农村局",
    "市教育体育局",
    "市卫生健康委员会",
)
CHAIN = (
    ("牵头责任单位", f"unit:{LEAD_UNIT}"),
    ("督导问责组", "room:1"),
    ("领导小组办公室", "conduct"),
    ("领导小组", "city"),
)
# Seed 003's figures for the campaign's 问题清单.
TARGETS = {"inspections": 6, "inspection_problems": 60, "immediate": 53, "in_progress": 42,
           "pending": 6, "closed": 0, "notices": 10, "interviews": 3}  # fmt: skip

# The six checks: days before today, and what their ten findings are now —
# (立行立改, 已整改待验收, 正在整改, 待整改).
INSPECTIONS = (
    (150, (7, 3, 0, 0)),
    (120, (6, 3, 1, 0)),
    (90, (6, 2, 2, 0)),
    (60, (5, 2, 3, 0)),
    (35, (4, 3, 3, 0)),
    (12, (2, 0, 2, 6)),
)
# Self-reported (自查自纠): 23 立行立改 and 18 正在整改 (reported over the last months).
SELF_IMMEDIATE = 23
SELF_WORKING = 18

# 一问责八清理: what the campaign clears up.
CLEAN_UPS = (
    ("违规发放津贴补贴", "2023年以来以加班费名义发放补贴未清退"),
    ("公务用车违规使用", "公务用车节假日未封存，使用登记不全"),
    ("办公用房超标准", "领导干部办公用房面积超过标准未整改"),
    ("“吃空饷”", "长期不在岗人员仍在册领取工资"),
    ("违规兼职取酬", "干部在企业兼职领取报酬未清理"),
    ("违规收送礼品礼金", "节日期间收受管理服务对象购物卡"),
    ("惠民资金管理", "惠民补贴资金发放台账不全、公示不到位"),
    ("“三公”经费", "公务接待无公函、超标准接待"),
)
TASKS = (
    ("全面清理违规发放津贴补贴", "对2023年以来发放的津贴补贴逐项核对，违规发放的限期清退"),
    ("清理公务用车和办公用房", "逐车逐间登记，超标准的限期腾退"),
    ("清理“吃空饷”和违规兼职取酬", "与人社、财政部门对账，逐人核实"),
)
WORK = (
    ("召开专项行动部署会", "传达方案，明确分管领导和联络员"),
    ("建立自查自纠台账", "每半月更新一次，报牵头单位"),
    ("开展“回头看”", "对已整改问题逐项复核"),
)
DUTIES = (
    ("主要负责人", "履行第一责任人责任，亲自部署、亲自督办"),
    ("分管领导", "对分管领域问题清理负直接责任"),
    ("纪检组织", "对清理情况开展监督，发现问题及时报告"),
)


def _evidence() -> list[Any]:
    from jiandu.oversight.services import Upload

    return [Upload("整改佐证材料.pdf", b"%PDF-1.4 demo evidence", "application/pdf")]


def build_supervision_demo(*, orgs: dict[str, Any], today: dt.date) -> Any:
    """Write the calibrated campaign (see the module) and return it."""
    from django.contrib.auth.models import Group

    from jiandu.accounts.models import User
    from jiandu.accounts.roles import ROLE_RECTIFICATION
    from jiandu.core.audit import audit_record
    from jiandu.core.choices import AuditAction
    from jiandu.oversight.models import ProblemCategory, ProblemSource
    from jiandu.oversight.services import interview_record, problem_create, rectification_move
    from jiandu.people.models import Person
    from jiandu.supervision import services
    from jiandu.supervision.models import ListKind

    stats = User.objects.get(username="stats")
    rectify = User.objects.get(username="rectify")
    units = [orgs[f"unit:{name}"] for name in UNITS]
    lead = orgs[f"unit:{LEAD_UNIT}"]
    campaign = services.campaign_create(
        actor=stats,
        name=CAMPAIGN_NAME,
        kind="special",
        starts_on=today - dt.timedelta(days=160),
        ends_on=today + dt.timedelta(days=40),
        lead_org=lead,
        units=units,
        chain=[services.ChainLevelSpec(name, orgs[key]) for name, key in CHAIN],
        description="坚持问题导向，构建层级式、清单式、多维式督导问责体系，倒逼各单位真查实纠、落实整改。",
    )
    people = list(
        Person.objects.filter(
            registered_org__in=[orgs["city"], orgs["conduct"], orgs["room:1"]]
        ).order_by("pk")[:3]
    ) or list(Person.objects.order_by("pk")[:3])
    team = services.team_create(
        actor=stats, campaign=campaign, name="第一督导问责组", members=people, leader=people[0]
    )
    categories = {c.name: c for c in ProblemCategory.objects.all()}
    category_cycle = [categories["作风建设（四风）"], categories["财务管理"],
                      categories["惠民资金管理"], categories["工作纪律"]]  # fmt: skip

    def settle(problem: Any, state: str, found_on: dt.date) -> None:
        """Bring a fresh problem's rectification to ``state`` on business dates."""
        rect = problem.rectification
        if state in ("submitted", "working"):
            rectification_move(
                actor=staff(problem),
                rectification=rect,
                action=A.PLAN,
                text="制定整改方案：明确责任领导、责任人和完成时限，逐项清理。",
                on_date=min(found_on + dt.timedelta(days=3), today - dt.timedelta(days=1)),
            )
        if state == "submitted":
            rectification_move(
                actor=staff(problem),
                rectification=rect,
                action=A.SUBMIT,
                text="已按方案完成整改，报请验收。",
                files=_evidence(),
                on_date=min(found_on + dt.timedelta(days=20), today - dt.timedelta(days=1)),
            )

    unit_staff: dict[int | None, Any] = {rectify.org_id: rectify}

    def staff(problem: Any) -> Any:
        """A unit's rectification staff: the demo's ``rectify`` account for 市委办公室, an
        unlisted 整改落实 account (no password) for each other unit."""
        if problem.org_id not in unit_staff:
            user = User(
                username=f"rectify-{problem.org_id}",
                full_name=f"{problem.org.name}整改联络员",
                title="整改联络员",
                org=problem.org,
            )
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=ROLE_RECTIFICATION))
            audit_record(
                actor=stats,
                action=AuditAction.CREATE,
                obj=user,
                summary="创建演示账号（整改联络员）",
                changes={"username": user.username, "org": problem.org_id},
            )
            unit_staff[problem.org_id] = user
        return unit_staff[problem.org_id]

    # --- six 集中督导检查 and their sixty findings ---
    n = 0
    open_findings = []
    for number, (days_ago, (immediate, submitted, working, pending)) in enumerate(INSPECTIONS, 1):
        held_on = today - dt.timedelta(days=days_ago)
        checked = [units[(number * 3 + i) % len(units)] for i in range(5)]
        if number == 2:
            checked[0] = orgs["unit:市委办公室"]
        inspection = services.inspection_record(
            actor=stats,
            campaign=campaign,
            held_on=held_on,
            team=team,
            units=list(dict.fromkeys(checked)),
            method="集中督导检查",
            summary=f"第{number}次集中督导检查：查阅工作台账和“5+2”清单，听取汇报，明察暗访。",
        )
        checked = list(inspection.units.order_by("path"))
        states = ["immediate"] * immediate + ["submitted"] * submitted + ["working"] * working
        states += ["pending"] * pending
        for i, state in enumerate(states):
            org = checked[i % len(checked)]
            # 市委办公室's finding at the second check is the one left overdue.
            if number == 2 and state == "working":
                org = orgs["unit:市委办公室"]
            topic, detail = CLEAN_UPS[n % len(CLEAN_UPS)]
            problem = services.inspection_finding_add(
                actor=stats,
                inspection=inspection,
                org=org,
                description=f"{topic}：{detail}",
                category=category_cycle[n % len(category_cycle)],
                immediate_reason="督导检查中当场整改到位" if state == "immediate" else "",
                evidence=_evidence() if state == "immediate" else None,
            )
            settle(problem, state, held_on)
            if state != "immediate":
                open_findings.append(problem)
            n += 1

    # --- 41 problems the units found themselves (自查自纠) ---
    self_check = ProblemSource.objects.get(key="self_check")
    for i in range(SELF_IMMEDIATE + SELF_WORKING):
        org = units[i % len(units)]
        immediate = i < SELF_IMMEDIATE
        found_on = today - dt.timedelta(days=(140 - 5 * i) if immediate else (20 + 4 * (i % 10)))
        topic, detail = CLEAN_UPS[(i + 3) % len(CLEAN_UPS)]
        problem = problem_create(
            actor=stats,
            org=org,
            description=f"自查发现：{topic}，{detail}",
            category=category_cycle[i % len(category_cycle)],
            source=self_check,
            found_on=found_on,
            supervising_org=campaign.owner_org,
            found_by_org=org,
            evidence=_evidence() if immediate else None,
            immediate_reason="自查自纠，已立行立改" if immediate else "",
        )
        services.campaign_problem_link(actor=stats, campaign=campaign, problem=problem)
        if not immediate:
            age = (today - found_on).days
            settle(problem, "submitted" if age >= 30 else "working", found_on)

    # --- 10 限期整改通知, 3 约谈 ---
    for problem in open_findings[:10]:
        services.deadline_notice_issue(actor=stats, problem=problem)
    for problem in [p for p in open_findings if p.rectification.status != "submitted"][:3]:
        interview_record(
            actor=stats,
            kind=InterviewKind.ADMONITION_TALK,
            org=problem.org,
            problem=problem,
            held_on=min(problem.found_on + dt.timedelta(days=40), today - dt.timedelta(days=1)),
            leader="市纪委监委副书记",
            participants=f"{problem.org.name}党组（党委）书记、分管领导",
            minutes="通报督导发现的问题，指出整改进度缓慢，要求限期整改到位并书面报告。",
        )

    # --- the lists ---
    kinds = {k.key: k for k in ListKind.objects.all()}
    for org in units:
        actor = rectify if org.pk == rectify.org_id else stats
        for key, rows in (("tasks", TASKS), ("work", WORK), ("duties", DUTIES)):
            services.list_replace(
                actor=actor,
                campaign=campaign,
                org=org,
                kind=kinds[key],
                rows=[
                    services.EntryRow(
                        item=item, detail=detail, responsible="分管领导", due_on=campaign.ends_on
                    )
                    for item, detail in rows
                ],
                source="演示数据",
            )
    checked_units = {o for i in campaign.inspections.all() for o in i.units.all()}
    for org in sorted(checked_units, key=lambda o: o.path):
        services.list_replace(
            actor=stats,
            campaign=campaign,
            org=org,
            kind=kinds["inspection"],
            rows=[
                services.EntryRow(
                    item=f"{i.method}（{i.held_on:%Y-%m-%d}）",
                    detail=f"发现问题{i.findings.filter(problem__org=org).count()}个",
                    responsible=team.name,
                    due_on=i.held_on,
                )
                for i in campaign.inspections.filter(units=org).order_by("held_on")
            ],
            source="演示数据",
        )
    # --- the daily check: the overdue rectifications get their 警示卡 ---
    cards = services.warning_cards_check(actor=stats, today=today)
    accountable = sorted({c.org_id for c in cards.issued})
    for org_id in accountable[:2]:
        org = next(u for u in units if u.pk == org_id)
        services.list_replace(
            actor=stats,
            campaign=campaign,
            org=org,
            kind=kinds["accountability"],
            rows=[
                services.EntryRow(
                    item="整改逾期、发出整改警示卡",
                    detail="约谈主要负责人，责令限期整改",
                    responsible="领导小组办公室",
                )
            ],
            source="演示数据",
        )
    return campaign


def run_demo_card_check(*, today: dt.date) -> int:
    """The daily 警示卡 check once more at the end of the build, for the demo's "today":
    the mechanisms built after the 督导 demo (the index's warnings) opened problems of
    their own, and overdue ones are owed their cards as in a system in daily use.
    Returns the number of cards issued."""
    from jiandu.accounts.models import User
    from jiandu.supervision import services

    return len(
        services.warning_cards_check(actor=User.objects.get(username="stats"), today=today).issued
    )
