"""The demo's 巡察 and 单元制, calibrated to seeds 002 and 000.

市县统合巡察 (seed 002), run by 市委巡察办 (the ``xuncha`` account, acting for the
commission):

* three rounds at level 市县统合, one per form — 板块式, 联动式, 菜单式 — over 40
  county-level units (县直单位 and 乡镇(街道) of the 14 counties) and 25 村(社区) (of the
  three counties that have them in the demo);
* a 人才库 of 90 市直 cadres (skills, who can lead), a few declared conflicts, and one
  stored, adopted draw per round (the real CP-SAT draw with 回避, seeded);
* 819 problems found, into the 整改闭环 (source 巡察), with rectification states by the
  round's age (older rounds mostly 销号; open ones extended, so none is overdue);
* 185 clues transferred (source 巡察移交, 优先办理 deadlines): 110 about 村(社区), of
  which 61 became 立案审查 (成案率 55.5 %), 75 about county-level units, 12 立案审查
  (16.0 %: the village rate is 3.5 times it); 4,422万元 recovered on the cases;
* 提级 suggestions on the village clues (handled by the township first): 90 confirmed
  (the county took them over), 12 pending, 8 declined with a reason;
* 双报告 on every target of the first round, and 巡察办's review comment that caught a
  missed clue (党员发展违规, seed 002) and turned it into one of the 185 clues;
* 三本账 per county: its transferred clues, two 专项治理建议 and one 市级交办事项, with
  monthly progress reports since its round ended.

嵩明 单元制 (seed 000), run by 嵩明县纪委监委 (``songming``): 4 supervision units
covering every unit of 嵩明 in the demo (15: 县委, 县政府, eight 县直单位, five 乡镇(街道)
— the seed has 57), 4 of them for 重点检查 (16 of 57 in the seed, scaled), a 人才库 of
every 嵩明 cadre in the demo (68; 77 in the seed), and the seed's 14 special checks
through the six steps with 145 problems, 145 责令整改, 14 责任提醒谈话 and 4 纠错诫勉.

Everything is written in bulk (a handful of service calls for rounds and draws, the
rest set-based); dates are relative to ``today`` (the day after the demo's last day).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from jiandu.core.db import collector_paused

# Seed 002 and 000 figures the demo reproduces (see the module docstring and
# docs/user-guide/inspections.md, 演示数据).
ROUND_TARGETS = {"units": 40, "villages": 25}
ROUND_PROBLEMS = 819
CLUES = {"village": (110, 61), "unit": (75, 12)}  # (transferred, 立案审查)
FUNDS_RECOVERED = Decimal("44220000")
ESCALATIONS = {"confirmed": 90, "pending": 12, "declined": 8}
TALENT_POOL = 90
UNIT_FIGURES = {"units": 4, "checks": 14, "problems": 145, "orders": 145, "talks": 14,
                "admonitions": 4, "key_checks": 4}  # fmt: skip
UNIT_COUNTY = "530127"  # 嵩明县

# (name, form, days from today: start, end, stage reached, unit targets, village targets)
ROUNDS = (
    ("市县统合巡察第一轮（板块式：农业农村和乡村振兴领域）", "sector", 300, 250, "archived", 14, 8),
    ("市县统合巡察第二轮（联动式）", "linked", 220, 175, "evaluating", 13, 8),
    ("市县统合巡察第三轮（菜单式）", "menu", 140, 95, "rectifying", 13, 9),
)
PROBLEMS_PER_ROUND = (280, 270, 269)
# Share of a round's problems by rectification state: 销号, 待验收, 正在整改, 待整改.
RECTIFIED = {"archived": (0.92, 0.06, 0.02, 0.0), "evaluating": (0.65, 0.2, 0.15, 0.0),
             "rectifying": (0.3, 0.25, 0.35, 0.1)}  # fmt: skip
SKILLS = ("财务", "审计", "工程", "法律", "党建", "农业")
CATEGORY_BY_FOCUS = {
    "duty": "主体责任落实",
    "poverty": "惠民资金管理",
    "village_assets": "群众身边腐败和作风问题",
    "funds": "惠民资金管理",
    "projects": "工程项目管理",
    "appointments": "选人用人",
    "conduct": "作风建设（四风）",
    "rectification": "主体责任落实",
}
FINDINGS = {
    "duty": "党组织履行主体责任不到位，研究部署党风廉政建设工作流于形式",
    "poverty": "扶贫项目资金拨付滞后，部分项目未按期发挥效益",
    "village_assets": "村集体资产资源台账不全，部分资产出租未经民主程序",
    "funds": "惠民惠农补贴资金公示不到位，存在优亲厚友现象",
    "projects": "工程项目未按规定招标，签证变更手续不全",
    "appointments": "发展党员程序不规范，“三会一课”记录不全",
    "conduct": "违规发放津贴补贴，公务接待无公函",
    "rectification": "以往巡察反馈问题整改不彻底，存在“纸面整改”",
}
CLUE_TITLES = (
    "村干部虚报冒领惠民补贴问题线索",
    "村集体资金违规借出问题线索",
    "低保评定优亲厚友问题线索",
    "工程项目围标串标问题线索",
    "违规发放津贴补贴问题线索",
    "扶贫项目资金被挪用问题线索",
)
MISSED_CLUE = (
    "社区党总支书记违规发展党员问题线索",
    "巡察组将社区党总支书记和村小组支部书记把不满18周岁的人员发展为党员、“突击发展”"
    "“异地发展”作为一般性党建问题，未列入问题线索；经审核，已触及纪律底线，应列为问题线索移交。",
)
CHECK_TOPICS = ("扶贫领域腐败和作风问题专项治理", "名贵特产专项检查", "扫黑除恶专项整治",
                "节假日监督检查", "高档烟酒专项整治")  # fmt: skip


def build_inspections_demo(*, orgs: dict[str, Any], today: dt.date, seed: int) -> dict[str, int]:
    """Write the calibrated 巡察 rounds and the 嵩明 单元制 (see the module); returns the
    counts it wrote."""
    from jiandu.accounts.models import User

    rng = random.Random(f"{seed}:inspections")
    xuncha = User.objects.get(username="xuncha")
    counts = _rounds(orgs=orgs, today=today, rng=rng, actor=xuncha, seed=seed)
    counts |= _ledger_inquiry(orgs=orgs, today=today, actor=User.objects.get(username="stats"))
    counts |= _units(orgs=orgs, today=today, rng=rng,
                     actor=User.objects.get(username="songming"), seed=seed)  # fmt: skip
    return counts


def _current_posts(org_ids: list[int]) -> dict[int, list[Any]]:
    from jiandu.people.models import Post

    found: dict[int, list[Any]] = {}
    for post in (
        Post.objects.filter(org_id__in=org_ids, end_date__isnull=True)
        .select_related("person")
        .order_by("org_id", "pk")
    ):
        found.setdefault(post.org_id, []).append(post.person)
    return found


def _audit_import(actor: Any, obj: Any, summary: str, changes: dict[str, Any]) -> None:
    from jiandu.core.audit import audit_record
    from jiandu.core.choices import AuditAction

    audit_record(actor=actor, action=AuditAction.IMPORT, obj=obj, summary=summary,
                 changes=changes)  # fmt: skip


def _rounds(
    *, orgs: dict[str, Any], today: dt.date, rng: random.Random, actor: Any, seed: int
) -> dict[str, int]:
    from django.db.models import Q

    from jiandu.accounts.models import User
    from jiandu.clues import lifecycle
    from jiandu.clues.choices import (
        ClueAction,
        ClueSource,
        ClueStatus,
        Conclusion,
        DisposalMethod,
    )
    from jiandu.clues.models import Clue, ClueEvent, Outcome
    from jiandu.clues.search import text_grams
    from jiandu.core.audit import audit_record_many
    from jiandu.core.choices import AuditAction
    from jiandu.core.db import insert_rows, reserve_ids
    from jiandu.core.deadlines import deadline_rule, work_calendar
    from jiandu.core.workdays import due_date
    from jiandu.demo.accounts import COUNTY_ACCOUNTS
    from jiandu.demo.bulk import moment
    from jiandu.demo.cases import business_times
    from jiandu.inspections import services
    from jiandu.inspections.choices import (
        STAGE_ORDER,
        CommentOutcome,
        LedgerKind,
        LedgerStatus,
        ReportKind,
        SuggestionStatus,
    )
    from jiandu.inspections.models import (
        DeclaredConflict,
        EscalationRule,
        EscalationSuggestion,
        FocusItem,
        LedgerReport,
        LedgerRow,
        ReportComment,
        RoundClue,
        RoundEvent,
        RoundProblem,
        RoundReport,
        TalentEntry,
    )
    from jiandu.inspections.reference import PRIORITY_STEP
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.models import Org
    from jiandu.oversight.models import ProblemCategory, ProblemSource
    from jiandu.oversight.services import ProblemSpec

    city = orgs["city"]
    # --- 人才库: 市直 cadres (科室 heads and staff, not the units' leaders) ---
    city_units = [o for k, o in orgs.items() if k.startswith("unit:")]
    posts = _current_posts([o.pk for o in city_units])
    pool = []
    for unit in city_units:
        pool += [p for p in posts.get(unit.pk, [])[3:5]]
    pool = pool[:TALENT_POOL]
    entries = TalentEntry.objects.bulk_create(
        TalentEntry(owner_org=city, person=p, skills=[SKILLS[i % 6], SKILLS[(i * 5 + 1) % 6]],
                    can_lead=i % 2 == 0)
        for i, p in enumerate(pool)
    )  # fmt: skip
    _audit_import(actor, city, f"人才库：导入{len(entries)}名市直单位干部",
                  {"people": [p.pk for p in pool]})  # fmt: skip

    # --- targets: 40 county-level units, 25 villages ---
    counties = sorted((k for k in orgs if k.startswith("county:")), key=lambda k: k)
    by_county: dict[str, list[Any]] = {}
    for key in counties:
        code = key.split(":")[1]
        towns = [o for k, o in orgs.items() if k.startswith(f"town:{code}")]
        by_county[code] = [orgs[f"cunit:{code}:农业农村局"], *towns[:3]]
    villages = [o for k, o in sorted(orgs.items()) if k.startswith("village:")]
    village_pick = villages[:: max(1, len(villages) // 25)][:25]
    unit_rounds: list[list[Any]] = [
        [by_county[k.split(":")[1]][0] for k in counties],  # 板块式: every county's 农业农村局
        [by_county[k.split(":")[1]][1] for k in counties][:13],  # 联动式: townships
        [by_county[k.split(":")[1]][2] for k in counties][:13],  # 菜单式: townships
    ]
    # The two 板块式 extras are 五华区's townships (the seed's 第一轮五华区统合巡察).
    village_rounds = [village_pick[:8], village_pick[8:16], village_pick[16:25]]
    # Declared conflicts: relatives working in a few of the targets.
    conflicts = [
        DeclaredConflict(person=pool[i * 7], org=unit_rounds[i % 3][i], reason="relative",
                         note="配偶在该单位任职", created_by=actor)
        for i in range(6)
    ]  # fmt: skip
    DeclaredConflict.objects.bulk_create(conflicts)
    # 比对数据: relatives of a few pool members working in targets of each round. The
    # step is the process's first use of the comparison engine: loading it (pinyin
    # dictionary, Ibis, pandas) adds some 300,000 long-lived objects, and each batch made
    # the collector walk the demo's whole heap — 2–4 s with nothing to free
    # (bench/demo_relatives_gc.py); the collector runs again after it.
    with collector_paused():
        _pool_relatives(pool=pool, targets=unit_rounds, city=city)

    focus = {f.key: f for f in FocusItem.objects.all()}
    focus_keys = list(focus)
    rounds: list[Any] = []
    for n, (name, form, start, end, _stage, units_n, villages_n) in enumerate(ROUNDS):
        targets = unit_rounds[n][:units_n] + village_rounds[n][:villages_n]
        chosen: dict[int, Sequence[Any]] | None = None
        if form == "menu":
            chosen = {o.pk: [focus[k] for k in rng.sample(focus_keys, 3)] for o in targets}
        item = services.round_create(
            actor=actor, name=name, form=form, level="joint",
            starts_on=today - dt.timedelta(days=start), ends_on=today - dt.timedelta(days=end),
            targets=targets, focus_items=chosen, team_size=3, required_skills=["财务"],
        )  # fmt: skip
        services.round_draw(actor=actor, round=item, seed=seed + n,
                            as_of=item.starts_on - dt.timedelta(days=10))  # fmt: skip
        rounds.append(item)
    # Stage moves on business dates: 准备 → … up to the stage each round has reached.
    for n, item in enumerate(rounds):
        stage = ROUNDS[n][4]
        for to_stage in STAGE_ORDER[1 : STAGE_ORDER.index(stage) + 1]:
            services.round_advance(actor=actor, round=item, to_stage=to_stage)
        span = (item.ends_on - item.starts_on).days
        moves = list(RoundEvent.objects.filter(round=item).order_by("pk"))
        for i, event in enumerate(moves):
            day = item.starts_on + dt.timedelta(days=-15 + i * max(1, (span + 60) // 8))
            event.at = moment(min(day, today - dt.timedelta(days=1)), i)
        RoundEvent.objects.bulk_update(moves, ["at"])

    # --- 819 findings into the loop ---
    source = ProblemSource.objects.get(key=services.FINDING_SOURCE)
    categories = {c.name: c for c in ProblemCategory.objects.all()}
    specs, links = [], []
    for n, item in enumerate(rounds):
        targets = list(item.targets.select_related("org").prefetch_related("focus_items"))
        for i in range(PROBLEMS_PER_ROUND[n]):
            target = targets[i % len(targets)]
            menu = list(target.focus_items.all())
            key = menu[i % len(menu)].key if menu else focus_keys[i % len(focus_keys)]
            found_on = item.starts_on + dt.timedelta(
                days=i % max(1, (item.ends_on - item.starts_on).days)
            )
            specs.append(ProblemSpec(
                org=target.org, description=f"{FINDINGS[key]}（第{i // len(targets) + 1}项）",
                category=categories[CATEGORY_BY_FOCUS[key]], source=source, found_on=found_on,
                supervising_org=item.owner_org, found_by_org=item.owner_org,
                origin=(services.FINDING_ORIGIN, target.pk),
            ))  # fmt: skip
            links.append((item, target, focus[key] if menu else None))
    problems = _insert_problems(actor=actor, specs=specs, summary="市县统合巡察发现问题")
    groups: dict[int, list[Any]] = {}
    for (item, _t, _f), problem in zip(links, problems, strict=True):
        groups.setdefault(item.pk, []).append(problem)
    _settle(groups=[(groups[r.pk], RECTIFIED[r.stage]) for r in rounds], today=today,
            actor=actor)  # fmt: skip
    RoundProblem.objects.bulk_create(
        RoundProblem(round=r, target=t, focus_item=f, problem=p)
        for (r, t, f), p in zip(links, problems, strict=True)
    )

    # --- 185 clues transferred (巡察移交) ---
    calendar = work_calendar()
    rules = {step: deadline_rule(step)
             for step in [PRIORITY_STEP, *lifecycle.DEADLINE_STEPS.values()]}  # fmt: skip

    def deadline_compute(step: str, start: dt.date, calendar: Any) -> Any:
        rule = rules[step]
        return due_date(calendar, start, rule.period_kind, rule.length)

    county_users = {u.org_id: u for u in User.objects.filter(username__in=COUNTY_ACCOUNTS.values())}
    county_of = {}
    for code in by_county:
        county = orgs[f"county:{code}"]
        for org in Org.objects.filter(path__startswith=county.path).exclude(pk=county.pk):
            county_of[org.pk] = county
    rule = EscalationRule.objects.get(key="village_committee")
    plans: list[tuple[Any, Any, bool, bool]] = []  # (round, target, village, filed)
    for kind, (total, filed) in CLUES.items():
        village = kind == "village"
        pool_targets = [
            (r, t) for r in rounds for t in r.targets.select_related("org")
            if (t.org.kind == OrgKind.VILLAGE) == village
        ]  # fmt: skip
        for i in range(total):
            r, t = pool_targets[i % len(pool_targets)]
            plans.append((r, t, village, i < filed))
    # The missed clue of seed 002 is the first one: a community of the first round, filed.
    missed_target = plans[0][1]
    clues: list[Any] = []
    events: list[tuple[Any, ...]] = []
    escalations: list[tuple[Any, Any, Any]] = []
    outcomes: list[Any] = []
    audit: list[dict[str, Any]] = []
    case_filed = [i for i, p in enumerate(plans) if p[3]]
    funds_each = (FUNDS_RECOVERED / len(case_filed)).quantize(Decimal("1"))
    statuses = (["confirmed"] * ESCALATIONS["confirmed"] + ["pending"] * ESCALATIONS["pending"]
                + ["declined"] * ESCALATIONS["declined"])  # fmt: skip
    v_index = 0
    for i, (r, target, village, filed) in enumerate(plans):
        org = target.org
        county = county_of[org.pk]
        received = r.ends_on + dt.timedelta(days=3 + i % 10)
        township = org.parent if village else None
        title, content = (
            MISSED_CLUE if i == 0
            else (f"{org.name}{CLUE_TITLES[i % len(CLUE_TITLES)]}", f"{r.name}发现并移交。")
        )  # fmt: skip
        clue = Clue(
            source=ClueSource.INSPECTION, title=title, content=content, received_date=received,
            registered_org=actor.org, handling_org=township or county,
            due_date=deadline_compute(PRIORITY_STEP, received, calendar=calendar).due,
            created_by=actor, evidence={"inspection_round": r.pk, "round_name": r.name},
            search_grams=text_grams(title, content), created_at=moment(received),
            updated_at=moment(received, 5),
        )  # fmt: skip
        handler = county_users.get(county.pk, actor)
        events.append((clue, ClueAction.RECEIVE, "", ClueStatus.RECEIVED, "", None,
                       clue.handling_org, actor, received, ""))  # fmt: skip
        status = None
        if village:
            status = statuses[v_index % len(statuses)]
            v_index += 1
            if status == "confirmed":
                on = received + dt.timedelta(days=2)
                events.append((clue, ClueAction.ESCALATE, ClueStatus.RECEIVED,
                               ClueStatus.RECEIVED, "", township, county, handler, on,
                               f"{rule.label}：按规定一律由县级纪委监委提级查办"))  # fmt: skip
                clue.handling_org, clue.is_escalated = county, True
        disposed = received + dt.timedelta(days=10)
        method = (DisposalMethod.CASE_FILED if filed
                  else (DisposalMethod.PRELIMINARY_VERIFICATION, DisposalMethod.TALK_INQUIRY,
                        DisposalMethod.DISMISSED)[i % 3])  # fmt: skip
        if disposed < today:
            clue.status, clue.disposal_method, clue.disposed_at = (
                ClueStatus.DISPOSING,
                method,
                disposed,
            )
            clue.due_date = deadline_compute(
                lifecycle.DEADLINE_STEPS[method], disposed, calendar=calendar
            ).due
            events.append((clue, ClueAction.DISPOSE, ClueStatus.RECEIVED, ClueStatus.DISPOSING,
                           method, None, None, handler, disposed, ""))  # fmt: skip
            clue.updated_at = moment(disposed, 3)
            # A clue whose deadline has passed by the demo's day was closed in time.
            closing = max(clue.due_date - dt.timedelta(days=5), disposed + dt.timedelta(days=1))
            if closing < today - dt.timedelta(days=1):
                text = "经查，反映问题属实，已依规依纪处理。" if filed else "经核查，已作出结论。"
                clue.status, clue.closed_at, clue.due_date = ClueStatus.CLOSED, closing, None
                clue.conclusion = Conclusion.SUBSTANTIATED if filed else Conclusion.OTHER
                clue.conclusion_text = text
                clue.updated_at = moment(closing, 5)
                events.append((clue, ClueAction.CLOSE, ClueStatus.DISPOSING, ClueStatus.CLOSED,
                               method, None, None, handler, closing, text))  # fmt: skip
        clues.append(clue)
        escalations.append((clue, status, county))
        if filed:
            outcomes.append(Outcome(
                clue=clue, subject_name=f"{org.name}相关责任人", kind="party_discipline",
                subtype="party_warning", discipline_form=lifecycle.discipline_form(
                    "party_discipline", "party_warning"),
                decision_date=min(disposed + dt.timedelta(days=40), clue.closed_at or today,
                                  today - dt.timedelta(days=1)),
                decided_by=county, funds_recovered=funds_each, recorded_by=handler,
                note="收回和清退违规资金",
            ))  # fmt: skip
    # Rounding: the last case carries the remainder, so the total is exact.
    outcomes[-1].funds_recovered = FUNDS_RECOVERED - funds_each * (len(outcomes) - 1)
    for clue, pk in zip(clues, reserve_ids(Clue, len(clues)), strict=True):
        clue.pk, clue.number = pk, f"XS{clue.received_date:%Y}{pk:07d}"
    for outcome in outcomes:
        outcome.clue_id = outcome.clue.pk
        outcome.created_at = outcome.updated_at = moment(outcome.decision_date, 30)
    with business_times(Clue, Outcome):  # a clue closed in October was last changed then
        Clue.objects.bulk_create(clues)
        Outcome.objects.bulk_create(outcomes)
    through = Clue.subject_orgs.through
    through.objects.bulk_create(
        through(clue_id=c.pk, org_id=p[1].org_id) for c, p in zip(clues, plans, strict=True)
    )
    insert_rows(ClueEvent, (
        ClueEvent(clue=c, action=a, from_status=fs, to_status=ts, disposal_method=m,
                  from_org=fo, to_org=to, actor=by, on_date=day, at=moment(day, 1), note=note)
        for c, a, fs, ts, m, fo, to, by, day, note in events
    ))  # fmt: skip
    RoundClue.objects.bulk_create(
        RoundClue(round=p[0], target=p[1], clue=c) for c, p in zip(clues, plans, strict=True)
    )
    suggestion_rows = []
    for clue, status, county in escalations:
        if status is None:
            continue
        decided = status != "pending"
        suggestion_rows.append(EscalationSuggestion(
            clue=clue, rule=rule, to_org=county,
            status={"confirmed": SuggestionStatus.CONFIRMED, "pending": SuggestionStatus.PENDING,
                    "declined": SuggestionStatus.DECLINED}[status],
            reason=("被反映人是村（社区）两委成员，提级查办" if status == "confirmed"
                    else "反映问题系一般性工作问题，不涉及村两委成员违纪，由乡镇纪委办理"
                    if status == "declined" else ""),
            decided_by=county_users.get(county.pk) if decided else None,
            decided_at=moment(clue.received_date + dt.timedelta(days=2), 3) if decided else None,
        ))  # fmt: skip
    insert_rows(EscalationSuggestion, suggestion_rows)
    audit.extend(
        {"actor": actor, "action": AuditAction.CREATE, "obj": c,
         "summary": f"巡察移交问题线索 {c.number}（优先办理）"}
        for c in clues
    )  # fmt: skip
    audit_record_many(audit)

    # --- 双报告 on the first round's targets; the review caught the missed clue ---
    first = rounds[0]
    reports = RoundReport.objects.bulk_create(
        RoundReport(round=first, target=t, kind=kind, filed_by=actor,
                    text=f"{t.org.name}：{ReportKind(kind).label}。"
                    "发现问题已逐项列出，问题线索已按规定移交。")
        for t in first.targets.select_related("org") for kind in ReportKind.values
    )  # fmt: skip
    missed = next(r for r in reports if r.target_id == missed_target.pk and r.kind == "inspection")
    ReportComment.objects.create(
        report=missed,
        text=MISSED_CLUE[1],
        outcome=CommentOutcome.CLUE,
        clue=clues[0],
        author=actor,
        at=moment(first.ends_on + dt.timedelta(days=2), 10),
    )

    # --- 三本账 per county, monthly progress since the round ended ---
    rows = []
    for clue, (r, target, _villager, _is_case) in zip(clues, plans, strict=True):
        rows.append(LedgerRow(county=county_of[target.org_id], kind=LedgerKind.TRANSFERRED,
                              title=clue.title, round=r, clue=clue,
                              status=LedgerStatus.DONE if clue.status == ClueStatus.CLOSED
                              else LedgerStatus.OPEN))  # fmt: skip
    for code in by_county:
        county = orgs[f"county:{code}"]
        rows += [
            LedgerRow(county=county, kind=LedgerKind.GOVERNANCE, round=rounds[0],
                      title="规范县直单位聘用会计，推行财务集中核算"),
            LedgerRow(county=county, kind=LedgerKind.GOVERNANCE, round=rounds[1],
                      title="村（社区）党员发展程序专项治理"),
            LedgerRow(county=county, kind=LedgerKind.ASSIGNED, round=rounds[0],
                      title="市委巡察办交办：统合巡察反馈问题整改情况专题报告"),
        ]  # fmt: skip
    LedgerRow.objects.bulk_create(rows)
    reports_rows = []
    round_end = {r.pk: r.ends_on for r in rounds}
    last = today.replace(day=1)
    for row in rows:
        month = (round_end[row.round_id] + dt.timedelta(days=31)).replace(day=1)
        n = 0
        while month < last:
            n += 1
            following = (month + dt.timedelta(days=32)).replace(day=1)
            final = following >= last
            done = row.status == LedgerStatus.DONE and final
            reports_rows.append(LedgerReport(
                row=row, month=month, reported_by=county_users.get(row.county_id, actor),
                reported_at=moment(min(following + dt.timedelta(days=4), today), n),
                status=LedgerStatus.DONE if done else LedgerStatus.OPEN,
                progress="已办结。" if done else f"第{n}次报送：已落实承办人，正在按计划推进。",
            ))  # fmt: skip
            month = following
    insert_rows(LedgerReport, reports_rows)
    LedgerRow.objects.filter(pk__in=[r.pk for r in rows]).filter(~Q(reports=None)).update(
        progress="已落实承办人，正在按计划推进。"
    )
    return {"inspection_rounds": len(rounds), "inspection_problems": len(problems),
            "inspection_clues": len(clues), "ledger_rows": len(rows),
            "ledger_reports": len(reports_rows)}  # fmt: skip


# The 质询会 on a lagging county's 三本账 (seed 002: counties account for their ledgers
# face to face — 对账, 交账, 销账, 清账). Held three days before "today", decisions taken on
# three rows, the other rows on the agenda still to be decided (the minutes follow).
LEDGER_INQUIRY_MARKS = (
    ("transferred", "open", "hand_over",
     "县区认领：线索已初核，承办人已落实，限下月底前办结并报送进展"),
    ("transferred", "done", "close", "已办结并经市纪委监委核查，予以销账"),
    ("assigned", "open", "clear",
     "该交办事项已由市纪委监委提级直接办理，县区不再承办，予以清账"),
)  # fmt: skip


def _ledger_inquiry(*, orgs: dict[str, Any], today: dt.date, actor: Any) -> dict[str, int]:
    """The city's 质询会 on the county whose 三本账 lag most (the lowest share of rows
    已办结, among counties with a row to strike off), run by 党风政风监督室 (``stats``) in
    the city commission's name: its rows on the agenda, 交账 / 销账 / 清账 on one row each."""
    from django.db.models import Count, Q

    from jiandu.core.hooks import agenda_source
    from jiandu.inspections.choices import LedgerStatus
    from jiandu.inspections.hooks import LEDGER_RECORD
    from jiandu.inspections.models import LedgerRow
    from jiandu.orgs.models import Org
    from jiandu.reconciliation import services as meetings

    standing = (
        LedgerRow.objects.values("county_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=LedgerStatus.DONE)))
        .filter(done__gt=0)
        .order_by("county_id")
    )
    if not standing:
        return {"ledger_inquiries": 0}
    lagging = min(standing, key=lambda c: (c["done"] / c["total"], c["county_id"]))
    county = Org.objects.get(pk=lagging["county_id"])
    rows = list(LedgerRow.objects.filter(county=county).order_by("kind", "pk"))
    chosen: list[Any] = []
    for kind, status, _decision, _text in LEDGER_INQUIRY_MARKS:
        row = next((r for r in rows if r.kind == kind and r.status == status
                    and r not in chosen), None)  # fmt: skip
        chosen.append(row)
    # 对账 on the rest of the agenda: the county's two 专项治理建议 and up to three more
    # open 巡察移交 rows, decisions still to come.
    pending = [r for r in rows if r.kind == "governance"]
    pending += [r for r in rows if r.kind == "transferred" and r.status == "open"
                and r not in chosen][:3]  # fmt: skip
    agenda = [r for r in chosen if r is not None] + pending
    source = agenda_source(LEDGER_RECORD)
    assert source is not None
    records = {a.record_id: a for a in source.resolve(actor, county.pk, [r.pk for r in agenda])}
    meeting = meetings.inquiry_create(
        actor=actor,
        title=f"{county.name}三本账质询会",
        org=county,
        convening_org=orgs["city"],
        held_on=today - dt.timedelta(days=3),
        place="市纪委监委第二会议室",
        chair="市纪委副书记、市监委副主任 张林",
        participants=f"市委巡察办主任\n市纪委监委党风政风监督室主任\n{county.name}书记\n"
        f"{county.name}案件监督管理室主任",
        requirements="逐条对账，交账事项限期办结，每月报送三本账进展\n"
        "销账、清账事项在下月月报中注明",
        problems=[],
        records=[records[r.pk] for r in agenda if r.pk in records],
    )
    meetings.inquiry_hold(actor=actor, meeting=meeting)
    items = {i.record_id: i for i in meeting.record_items.all()}
    for row, (_kind, _status, decision, text) in zip(chosen, LEDGER_INQUIRY_MARKS, strict=True):
        if row is not None and row.pk in items:
            meetings.inquiry_record_mark(actor=actor, item=items[row.pk], decision=decision,
                                         text=text)  # fmt: skip
    return {"ledger_inquiries": 1, "ledger_inquiry_rows": len(items)}


def _insert_problems(*, actor: Any, specs: list[Any], summary: str) -> list[Any]:
    """The problems of ``specs`` (``oversight.services.ProblemSpec``) with ids and numbers
    given up front, in one insert, and one summarising audit row (as the cadre register's
    import is recorded); each gets its rectification, not yet written, as
    ``problem.rectification`` for :func:`_settle`."""
    from jiandu.core.audit import audit_record
    from jiandu.core.choices import AuditAction
    from jiandu.core.db import insert_rows, reserve_ids
    from jiandu.core.deadlines import deadline_rule, work_calendar
    from jiandu.core.workdays import due_date
    from jiandu.oversight.models import Problem, Rectification
    from jiandu.oversight.services import RECTIFICATION_STEP

    rule = deadline_rule(RECTIFICATION_STEP)
    calendar = work_calendar()
    dues: dict[dt.date, dt.date] = {}
    problems = []
    ids = reserve_ids(Problem, len(specs))
    rect_ids = reserve_ids(Rectification, len(specs))
    for spec, pk, rect_pk in zip(specs, ids, rect_ids, strict=True):
        problem = Problem(
            pk=pk, number=f"WT{spec.found_on:%Y}{pk:07d}", org=spec.org,
            description=spec.description, category=spec.category, source=spec.source,
            found_on=spec.found_on, found_by=actor, found_by_org=spec.found_by_org,
            supervising_org=spec.supervising_org, origin_type=spec.origin[0],
            origin_id=spec.origin[1],
        )  # fmt: skip
        if spec.found_on not in dues:
            dues[spec.found_on] = due_date(calendar, spec.found_on, rule.period_kind,
                                           rule.length).due  # fmt: skip
        problem.rectification = Rectification(
            pk=rect_pk, problem=problem, due_on=dues[spec.found_on], deadline_rule=rule
        )
        problems.append(problem)
    insert_rows(Problem, problems)
    audit_record(
        actor=actor, action=AuditAction.IMPORT, object_type="oversight.problem",
        object_id=f"{ids[0]}-{ids[-1]}", summary=f"{summary}：登记{len(problems)}个问题",
        changes={"count": len(problems), "numbers": [problems[0].number, problems[-1].number]},
    )  # fmt: skip
    return problems


def _settle(*, groups: list[tuple[list[Any], tuple[float, ...]]], today: dt.date,
            actor: Any) -> None:  # fmt: skip
    """Write the problems' rectifications in states that fit their age (``shares``: the
    part 销号, 待验收, 正在整改, 待整改), with the events the lifecycle would have written
    (plan, report, 销号; open ones overdue by the demo's day extended, approved)."""
    from jiandu.core.db import insert_rows
    from jiandu.demo.bulk import moment
    from jiandu.oversight.choices import RectificationAction as A
    from jiandu.oversight.choices import RectificationStatus as S
    from jiandu.oversight.models import Rectification, RectificationEvent

    rects, events = [], []
    for items, shares in groups:
        bounds = [round(sum(shares[: k + 1]) * len(items)) for k in range(4)]
        for i, problem in enumerate(items):
            state = next(k for k, b in enumerate(bounds) if i < b) if i < bounds[-1] else 3
            rect = problem.rectification
            found = problem.found_on
            yesterday = today - dt.timedelta(days=1)
            planned = min(found + dt.timedelta(days=5), yesterday)
            submitted = min(found + dt.timedelta(days=25), yesterday)
            accepted = min(found + dt.timedelta(days=35), yesterday)

            def event(action: str, before: str, after: str, day: dt.date, n: int,
                      rect: Any = rect, **extra: Any) -> None:  # fmt: skip
                events.append(RectificationEvent(
                    rectification=rect, action=action, from_status=before, to_status=after,
                    actor=actor, on_date=day, at=moment(day, 20 + n), **extra,
                ))  # fmt: skip

            if state <= 2:
                rect.plan = "制定整改方案，明确责任领导、责任人和完成时限。"
                rect.signed_at = moment(planned, 19)
                event(A.PLAN, S.PENDING, S.IN_PROGRESS, planned, 0)
                rect.status = S.IN_PROGRESS
            if state <= 1:
                rect.report = "已按整改方案逐项整改到位，佐证材料附后。"
                rect.submitted_on = submitted
                event(A.SUBMIT, S.IN_PROGRESS, S.SUBMITTED, submitted, 1)
                rect.status = S.SUBMITTED
            if state == 0:
                rect.closed_on, rect.closed_by = accepted, actor
                event(A.ACCEPT, S.SUBMITTED, S.CLOSED, accepted, 2)
                rect.status = S.CLOSED
            if rect.status != S.CLOSED and rect.due_on < today:
                new_due = today + dt.timedelta(days=20 + i % 40)
                event(A.EXTEND, rect.status, rect.status, yesterday, 3, reason=(
                    "整改涉及制度建设和资金清退，需要较长时间"), due_before=rect.due_on,
                    due_after=new_due, approved_by=actor)  # fmt: skip
                rect.due_on = new_due
            rects.append(rect)
    insert_rows(Rectification, rects)
    insert_rows(RectificationEvent, events)


def _units(
    *, orgs: dict[str, Any], today: dt.date, rng: random.Random, actor: Any, seed: int
) -> dict[str, int]:
    """嵩明's 4 supervision units, 14 special checks and their outcomes (seed 000)."""
    from jiandu.core.db import insert_rows
    from jiandu.inspections.choices import CHECK_STEP_ORDER, CheckOutcomeKind, UnitMemberRole
    from jiandu.inspections.draw import Candidate, DrawRequest, Target, draw_teams
    from jiandu.inspections.models import (
        CheckOutcome,
        CheckProblem,
        CoveragePlan,
        SpecialCheck,
        SupervisionUnit,
        TalentEntry,
        UnitMember,
    )
    from jiandu.inspections.units import CHECK_ORIGIN, CHECK_SOURCE
    from jiandu.oversight.models import ProblemCategory, ProblemSource
    from jiandu.oversight.services import ProblemSpec

    code = UNIT_COUNTY
    county = orgs[f"county:{code}"]
    # This year's plan and checks (last year's when the year has just begun).
    year = today.year if today.month >= 3 else today.year - 1
    covered = [orgs[f"party:{code}"], orgs[f"gov:{code}"]] + [
        o for k, o in orgs.items() if k.startswith((f"cunit:{code}:", f"town:{code}"))
    ]
    towns = [o for k, o in orgs.items() if k.startswith(f"town:{code}")]
    posts = _current_posts([o.pk for o in covered])
    cadres = [(p, org_id) for org_id, people in posts.items() for p in people]
    pool = TalentEntry.objects.bulk_create(
        TalentEntry(owner_org=county, person=p, skills=[SKILLS[i % 6]], can_lead=i % 4 == 0)
        for i, (p, _o) in enumerate(cadres)
    )
    _audit_import(actor, county, f"“单元制”监督人才库：导入{len(pool)}名干部",
                  {"people": [e.person_id for e in pool]})  # fmt: skip
    units = SupervisionUnit.objects.bulk_create(
        SupervisionUnit(name=f"第{'一二三四'[n]}监督单元", owner_org=county, created_by=actor)
        for n in range(UNIT_FIGURES["units"])
    )
    finance = orgs[f"cunit:{code}:财政局"]
    members, covered_pairs, plans = [], [], []
    through = SupervisionUnit.covered.through
    for n, unit in enumerate(units):
        # The demo's county has no 派驻组 org of its own: the county commission stands in.
        members += [UnitMember(unit=unit, org=county, role=UnitMemberRole.STATIONED),
                    UnitMember(unit=unit, org=towns[n], role=UnitMemberRole.TOWNSHIP),
                    UnitMember(unit=unit, org=finance, role=UnitMemberRole.DEPARTMENT)]  # fmt: skip
        mine = covered[n :: len(units)]
        covered_pairs += [through(supervisionunit_id=unit.pk, org_id=o.pk) for o in mine]
        plans += [CoveragePlan(unit=unit, year=year, org=o, key_check=i == 0)
                  for i, o in enumerate(mine)]  # fmt: skip
    UnitMember.objects.bulk_create(members)
    through.objects.bulk_create(covered_pairs)
    CoveragePlan.objects.bulk_create(plans)
    unit_orgs = {u.pk: [p.org_id for p in covered_pairs if p.supervisionunit_id == u.pk]
                 for u in units}  # fmt: skip
    candidates = [Candidate(str(e.person_id), "", str(o), frozenset(e.skills), e.can_lead)
                  for e, (_p, o) in zip(pool, cadres, strict=True)]  # fmt: skip
    checks, targets_pairs, member_pairs = [], [], []
    start = dt.date(year, 1, 10)
    span = min(330, (today - start).days - 20)
    for n in range(UNIT_FIGURES["checks"]):
        unit = units[n % len(units)]
        held = start + dt.timedelta(days=n * span // UNIT_FIGURES["checks"])
        checked = unit_orgs[unit.pk][: 2 + n % 2]
        checks.append(SpecialCheck(
            unit=unit, name=f"{CHECK_TOPICS[n % len(CHECK_TOPICS)]}（{unit.name}第{n // 4 + 1}次）",
            topic=CHECK_TOPICS[n % len(CHECK_TOPICS)], held_on=held, team_size=3,
            step=CHECK_STEP_ORDER[-1] if n < 12 else CHECK_STEP_ORDER[5 - (n - 12)],
            created_by=actor,
        ))  # fmt: skip
    checks = SpecialCheck.objects.bulk_create(checks)
    for n, check in enumerate(checks):
        checked = unit_orgs[check.unit_id][: 2 + n % 2]
        covers = frozenset(str(o) for o in checked)
        result = draw_teams(DrawRequest(
            candidates=candidates, targets=[Target(f"check-{check.pk}", check.name, covers)],
            team_size=3, seed=seed + 100 + n, as_of=check.held_on, required_skills=[],
            conflicts=[], history=[], cooldown_months=12,
        ))  # fmt: skip
        team = result.teams[0]
        check.draw = {"seed": seed + 100 + n, "as_of": check.held_on.isoformat(),
                      "result": result.to_dict(), "leader": team.leader}  # fmt: skip
        targets_pairs += [(check.pk, o) for o in checked]
        member_pairs += [(check.pk, int(m.person_id)) for m in team.members]
    SpecialCheck.objects.bulk_update(checks, ["draw"])
    t_through, m_through = SpecialCheck.targets.through, SpecialCheck.members.through
    t_through.objects.bulk_create(t_through(specialcheck_id=c, org_id=o) for c, o in targets_pairs)
    m_through.objects.bulk_create(
        m_through(specialcheck_id=c, person_id=p) for c, p in member_pairs
    )
    # 145 problems, each with its 责令整改; 14 谈话 (one per check), 4 诫勉.
    source = ProblemSource.objects.get(key=CHECK_SOURCE)
    categories = list(ProblemCategory.objects.filter(archived_at__isnull=True).order_by("pk"))
    check_targets: dict[int, list[int]] = {}
    for c, o in targets_pairs:
        check_targets.setdefault(c, []).append(o)
    from jiandu.orgs.models import Org

    org_by_id = {o.pk: o for o in Org.objects.filter(pk__in=[o for _c, o in targets_pairs])}
    specs, owners = [], []
    for i in range(UNIT_FIGURES["problems"]):
        check = checks[i % len(checks)]
        org = org_by_id[check_targets[check.pk][i % len(check_targets[check.pk])]]
        specs.append(ProblemSpec(
            org=org, description=f"{check.topic}发现：{FINDINGS[list(FINDINGS)[i % 8]]}",
            category=categories[i % len(categories)], source=source,
            found_on=min(check.held_on, today - dt.timedelta(days=1)),
            supervising_org=county, found_by_org=county, origin=(CHECK_ORIGIN, check.pk),
        ))  # fmt: skip
        owners.append(check)
    problems = _insert_problems(actor=actor, specs=specs, summary="单元制监督检查发现问题")
    done = [p for p, c in zip(problems, owners, strict=True) if c.step == "done"]
    _settle(groups=[(done, RECTIFIED["evaluating"]),
                    ([p for p in problems if p not in done], RECTIFIED["rectifying"])],
            today=today, actor=actor)  # fmt: skip
    CheckProblem.objects.bulk_create(
        CheckProblem(check_item=c, problem=p) for c, p in zip(owners, problems, strict=True)
    )
    from jiandu.demo.bulk import moment

    names = {o: [p.name for p in posts.get(o, [])] for o in org_by_id}
    outcomes = [
        CheckOutcome(check_item=c, kind=CheckOutcomeKind.ORDER, org=p.org,
                     note=f"责令{p.org.name}限期整改：{p.description}", recorded_by=actor,
                     recorded_at=moment(c.held_on, 40))
        for c, p in zip(owners, problems, strict=True)
    ]  # fmt: skip
    for n, check in enumerate(checks):
        org_id = check_targets[check.pk][0]
        people = names[org_id] or ["单位负责人"]
        outcomes.append(CheckOutcome(
            check_item=check, kind=CheckOutcomeKind.TALK, org=org_by_id[org_id],
            person_name=people[0], note="对问题整改不力进行责任提醒谈话", recorded_by=actor,
            recorded_at=moment(check.held_on, 60)))  # fmt: skip
        if n < UNIT_FIGURES["admonitions"]:
            outcomes.append(CheckOutcome(
                check_item=check, kind=CheckOutcomeKind.ADMONISH, org=org_by_id[org_id],
                person_name=people[-1], note="对发现问题隐瞒不报进行纠错诫勉谈话",
                recorded_by=actor, recorded_at=moment(check.held_on, 70)))  # fmt: skip
    insert_rows(CheckOutcome, outcomes)
    _audit_import(actor, county, f"单元制监督检查：{len(checks)}次检查、{len(problems)}个问题",
                  {"checks": [c.pk for c in checks]})  # fmt: skip
    return {"supervision_units": len(units), "unit_checks": len(checks),
            "unit_problems": len(problems), "unit_outcomes": len(outcomes)}  # fmt: skip


RELATIVE_NAMES = ("李秀英", "王建华", "张丽娟", "刘志强", "陈桂芳", "杨国平")


def _pool_relatives(*, pool: list[Any], targets: list[list[Any]], city: Any) -> int:
    """A small 户籍人口 / 亲属关系 / 干部名册 import of the city commission (as its data
    account): six relatives of pool members, each holding a current post in a target of
    one of the three rounds — two spouses and a child through 亲属关系 rows (one row naming
    the member second), the others through the member's 户. The rounds' draws derive
    their 回避 from it. Returns the relatives written."""
    import csv
    import shutil
    import tempfile
    from pathlib import Path

    from jiandu.accounts.models import User
    from jiandu.core.idnumbers import check_char
    from jiandu.datacheck.services import dataset_import

    data = User.objects.get(username="data")
    region = city.region_code or "530100"
    folder = Path(tempfile.mkdtemp(prefix="jiandu-demo-relatives-"))
    persons, relations, cadres = [], [], []

    def person_row(number: str, name: str, household: str) -> dict[str, str]:
        born = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
        gender = "男" if int(number[16]) % 2 else "女"
        return {"id_no": number, "name": name, "gender": gender, "birth_date": born,
                "region_code": region, "household_no": household,
                "relation_to_head": ""}  # fmt: skip

    try:
        for i, name in enumerate(RELATIVE_NAMES):
            member = next(p for p in pool[i * 7 + 3 :] if p.id_number)
            org = targets[i % 3][i + 1]
            body = f"{region[:6]}{1975 + 3 * i}0{1 + i}1{i}{300 + 2 * i:03d}"
            number = body + check_char(body)
            household = f"{region}H{i:04d}"
            persons.append(person_row(number, name, household if i >= 3 else f"{household}R"))
            if i >= 3:  # the member's 户
                persons.append(person_row(member.id_number, member.name, household))
            elif i == 1:  # the row names the member second: the member is the relative's 父母
                relations.append({"id_no": number, "relative_id_no": member.id_number,
                                  "relation": "父母"})  # fmt: skip
            else:
                relations.append({"id_no": member.id_number, "relative_id_no": number,
                                  "relation": "配偶"})  # fmt: skip
            cadres.append({"id_no": number, "name": name, "org_name": org.name,
                           "region_code": org.region_code or region, "position": "科员",
                           "is_village_cadre": "false", "start_date": "2018-03-01",
                           "end_date": ""})  # fmt: skip
        for dataset, rows in (("persons", persons), ("relations", relations), ("cadres", cadres)):
            path = folder / f"{dataset}.csv"
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
            dataset_import(actor=data, dataset=dataset, region_code=region, path=path,
                           source_name=f"人才库亲属核查_{dataset}.csv")  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return len(RELATIVE_NAMES)
