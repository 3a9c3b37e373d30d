"""The demo's follow-up work (实名举报告知反馈, 三名, 处分执行, 回访教育), written in bulk
over the registry the case plan has built, every date on or before the demo's last day.

Calibration (seed 004, 衢州: 880 检举控告 a year, 澄清失实举报 103 起, 查处诬告陷害 3 起):
澄清正名 records are 103/880 of the petitions received in the demo's years (limited to
the closed clues found untrue that name a person), 严查诬名 3/880 (at least one). Of the
real-name petitions, 受理告知 is given on time for about 92 % and late for 5 %; the
rest of those due are still open (overdue); the same for 结果反馈. About 80 % of the
reporters told the result reply: 满意 or 基本满意 78 % of the replies of last year and
90.9 % of this year (seed 004's 实名举报满意率 +12.9 points, within one reply at any
day). Every sanction has its 处分执行; of the 降级-or-above ones due in the last 60
days, about a third are not complete (overdue). About 60 % of sanctions decided more than
six months ago have a 回访教育 planned at the suggested date, 85 % of those due held.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import numpy as np
from django.db.models import Count, Max, Q

SEED_PETITIONS, SEED_CLARIFIED, SEED_FALSE = 880, 103, 3
# Shares of 满意/基本满意 replies: the years before, and this year (seed 004's +12.9 points).
SATISFIED_BEFORE, SATISFIED_NOW = 0.78, 0.909
VISITORS = "案件承办部门负责人、组织人事部门干部"


def _dues(calendar: Any, starts: list[dt.date], kind: str, n: int) -> list[dt.date]:
    from jiandu.core.workdays import due_dates

    if not starts:
        return []
    out, _missing = due_dates(calendar, np.array(starts, dtype="datetime64[D]"), kind, n)
    return [d.astype(dt.date) for d in out]


def build_followup_demo(*, actor: Any, today: dt.date, seed: int = 2020) -> dict[str, int]:
    from django.utils import timezone

    from jiandu.clues.choices import ClueStatus, OutcomeKind, PetitionStatus
    from jiandu.clues.models import Clue, Outcome, Petition
    from jiandu.core.audit import audit_record
    from jiandu.core.choices import AuditAction
    from jiandu.core.deadlines import deadline_rule, work_calendar
    from jiandu.followup.choices import (
        AccusationNature,
        ClarificationMethod,
        FeedbackKind,
        FeedbackMethod,
        Reply,
    )
    from jiandu.followup.models import (
        Clarification,
        FalseAccusation,
        FeedbackStep,
        FollowUpVisit,
        SanctionExecution,
    )
    from jiandu.followup.rules import (
        ACCEPTANCE_STEP,
        CLARIFIABLE_CONCLUSIONS,
        PERSONNEL_STEP,
        PERSONNEL_SUBTYPES,
        RESULT_STEP,
        SANCTION_KINDS,
        VISIT_STEP,
    )

    rng = random.Random(seed + 17)
    last = today - dt.timedelta(days=1)
    calendar = work_calendar()
    rules = {
        s: deadline_rule(s) for s in (ACCEPTANCE_STEP, RESULT_STEP, PERSONNEL_STEP, VISIT_STEP)
    }
    methods = [m.value for m in FeedbackMethod]
    tz = timezone.get_current_timezone()

    # --- real-name feedback ------------------------------------------------------------
    petitions = list(
        Petition.objects.filter(is_real_name=True, feedback_steps__isnull=True)
        .order_by("pk")
        .values_list("pk", "received_date", "received_org_id", "status", "closed_at")
    )
    clue_close = {
        row["petition_id"]: row
        for row in Clue.objects.filter(petition__is_real_name=True)
        .values("petition_id")
        .annotate(open=Count("pk", filter=~Q(status=ClueStatus.CLOSED)), last=Max("closed_at"))
    }
    closings: dict[int, dt.date] = {}
    for pk, _received, _org, status, closed_at in petitions:
        if status in (PetitionStatus.FILED, PetitionStatus.TRANSFERRED) and closed_at:
            closings[pk] = closed_at.astimezone(tz).date()
        elif status == PetitionStatus.CONVERTED:
            row = clue_close.get(pk)
            if row and not row["open"] and row["last"]:
                closings[pk] = row["last"]
    acc_rule, res_rule = rules[ACCEPTANCE_STEP], rules[RESULT_STEP]
    acc_due = _dues(calendar, [p[1] for p in petitions], acc_rule.period_kind, acc_rule.length)
    closed_pks = [p[0] for p in petitions if p[0] in closings]
    res_due = dict(
        zip(
            closed_pks,
            _dues(
                calendar, [closings[pk] for pk in closed_pks], res_rule.period_kind, res_rule.length
            ),
            strict=True,
        )
    )

    def done_on(start: dt.date, due: dt.date) -> dt.date | None:
        """On time (92 %), late (5 %) or not yet (3 %, and whatever would be after today)."""
        r = rng.random()
        if r < 0.92:
            day = start + dt.timedelta(days=rng.randint(1, max(1, (due - start).days)))
        elif r < 0.97:
            day = due + dt.timedelta(days=rng.randint(1, 20))
        else:
            return None
        return day if day <= last else None

    steps: list[FeedbackStep] = []
    replies: list[tuple[FeedbackStep, float]] = []
    for (pk, received, org_id, _status, _closed), due in zip(petitions, acc_due, strict=True):
        acc_done = done_on(received, due)
        steps.append(
            FeedbackStep(
                petition_id=pk,
                kind=FeedbackKind.ACCEPTANCE,
                unit_id=org_id,
                start_on=received,
                due_on=due,
                rule=acc_rule,
                done_on=acc_done,
                method=rng.choice(methods) if acc_done else "",
            )
        )
        if pk not in closings:
            continue
        start, rdue = closings[pk], res_due[pk]
        res_done = done_on(start, rdue) if acc_done else None
        if res_done is not None and acc_done is not None and res_done < acc_done:
            res_done = acc_done
        step = FeedbackStep(
            petition_id=pk,
            kind=FeedbackKind.RESULT,
            unit_id=org_id,
            start_on=start,
            due_on=rdue,
            rule=res_rule,
            done_on=res_done,
            method=rng.choice(methods) if res_done else "",
        )
        if res_done is not None and rng.random() < 0.8:
            step.reply_on = min(res_done + dt.timedelta(days=rng.randint(0, 10)), last)
            replies.append((step, rng.random()))
        steps.append(step)
    # Satisfied or not: in reply-date order each year's running share of satisfied
    # replies stays within one reply of its target (the draw only dithers), so the
    # 实名举报满意率 of any part of a year is the year's share.
    replies.sort(key=lambda item: (item[0].reply_on or last, item[0].petition_id))
    tally: dict[int, list[int]] = {}
    for step, r in replies:
        assert step.reply_on is not None
        year = step.reply_on.year
        share = SATISFIED_NOW if year == today.year else SATISFIED_BEFORE
        running = tally.setdefault(year, [0, 0])  # satisfied, replies
        running[1] += 1
        if running[0] + r < share * running[1]:
            running[0] += 1
            step.reply = Reply.SATISFIED if r < 0.7 else Reply.BASICALLY
        else:
            step.reply = Reply.DISSATISFIED
            step.objection = "对处理结果有异议，认为处理偏轻"
    FeedbackStep.objects.bulk_create(steps, batch_size=2000)

    # --- 处分执行 ------------------------------------------------------------------------
    sanctions = list(
        Outcome.objects.active()
        .filter(kind__in=SANCTION_KINDS, execution__isnull=True)
        .order_by("pk")
        .values_list("pk", "subtype", "decision_date", "decided_by_id", "clue__handling_org_id")
    )
    per_rule = rules[PERSONNEL_STEP]
    heavy = [s for s in sanctions if s[1] in PERSONNEL_SUBTYPES]
    heavy_due = dict(
        zip(
            [s[0] for s in heavy],
            _dues(calendar, [s[2] for s in heavy], per_rule.period_kind, per_rule.length),
            strict=True,
        )
    )
    executions = []
    for pk, _subtype, decided, _org, _handler in sanctions:
        served = decided + dt.timedelta(days=rng.randint(1, 7))
        row = SanctionExecution(outcome_id=pk, served_on=served if served <= last else None)
        if pk in heavy_due:
            due = heavy_due[pk]
            row.personnel_required, row.personnel_due, row.rule = True, due, per_rule
            late = (today - due).days
            stuck = 0 < late <= 60 and rng.random() < 0.35
            if row.served_on and not stuck:
                post = min(served + dt.timedelta(days=rng.randint(3, 20)), due)
                pay = min(post + dt.timedelta(days=rng.randint(0, 8)), due)
                if pay <= last:
                    row.post_changed_on, row.pay_changed_on, row.completed_on = post, pay, pay
                elif post <= last:
                    row.post_changed_on = post
            elif row.served_on and stuck and rng.random() < 0.5:
                row.post_changed_on = min(served + dt.timedelta(days=5), last)
        else:
            row.completed_on = row.served_on
        executions.append(row)
    SanctionExecution.objects.bulk_create(executions, batch_size=2000)

    # --- 回访教育 ------------------------------------------------------------------------
    visit_rule = rules[VISIT_STEP]
    old = [s for s in sanctions if s[2] <= today - dt.timedelta(days=183)]
    planned = _dues(calendar, [s[2] for s in old], visit_rule.period_kind, visit_rule.length)
    findings = [
        "思想认识到位，能正确对待处分，工作表现积极",
        "能深刻反思，已按要求退缴违纪款项，工作正常开展",
        "存在一定思想包袱，已谈心谈话，鼓励其放下包袱、干事创业",
    ]
    visits = []
    for (pk, _subtype, _decided, decided_by, handler), plan_on in zip(old, planned, strict=True):
        if rng.random() >= 0.6:
            continue
        visit = FollowUpVisit(
            outcome_id=pk,
            org_id=handler or decided_by,
            visitors=VISITORS,
            planned_on=plan_on,
        )
        if plan_on <= last and rng.random() < 0.85:
            visit.held_on = min(plan_on + dt.timedelta(days=rng.randint(0, 10)), last)
            visit.findings = rng.choice(findings)
        visits.append(visit)
    FollowUpVisit.objects.bulk_create(visits, batch_size=2000)

    # --- 三名: 澄清正名, 严查诬名 -----------------------------------------------------------
    setup = actor
    total_petitions = Petition.objects.count()
    want_clar = round(total_petitions * SEED_CLARIFIED / SEED_PETITIONS)
    want_false = max(1, round(total_petitions * SEED_FALSE / SEED_PETITIONS))
    through = Clue.subject_people.through
    candidates: list[tuple[int, int, int, Any]] = list(
        through.objects.filter(
            clue__status=ClueStatus.CLOSED,
            clue__conclusion__in=CLARIFIABLE_CONCLUSIONS,
            clue__closed_at__lte=last - dt.timedelta(days=3),
        )
        .order_by("clue_id", "person_id")
        .values_list("clue_id", "person_id", "clue__handling_org_id", "clue__closed_at")
    )
    rng.shuffle(candidates)
    scopes = [
        "所在单位党委（党组）会议",
        "所在单位干部职工大会",
        "反映人所在村（社区）群众代表会议",
    ]
    clarifications = [
        Clarification(
            clue_id=clue_id,
            person_id=person_id,
            org_id=org_id,
            method=rng.choice([ClarificationMethod.NOTICE, ClarificationMethod.MEETING]),
            held_on=min(closed + dt.timedelta(days=rng.randint(3, 30)), last),
            scope=rng.choice(scopes),
            recorded_by=setup,
        )
        for clue_id, person_id, org_id, closed in candidates[:want_clar]
    ]
    Clarification.objects.bulk_create(clarifications, batch_size=2000)
    false_outcomes = list(
        Outcome.objects.active()
        .filter(clue__conclusion__in=CLARIFIABLE_CONCLUSIONS, clue__status=ClueStatus.CLOSED)
        .exclude(kind__in=[OutcomeKind.NAME_CLEARED])
        .order_by("pk")
        .values_list("pk", "clue_id", "clue__handling_org_id", "decision_date")[: want_false * 5]
    )
    rng.shuffle(false_outcomes)
    accusations = [
        FalseAccusation(
            clue_id=clue_id,
            outcome_id=pk,
            org_id=org_id,
            nature=AccusationNature.FALSE if i % 3 else AccusationNature.MALICIOUS,
            found_on=min(decided + dt.timedelta(days=5), last),
            description="经核查，举报人捏造事实、伪造材料，意图使他人受到责任追究",
            recorded_by=setup,
        )
        for i, (pk, clue_id, org_id, decided) in enumerate(false_outcomes[:want_false])
    ]
    FalseAccusation.objects.bulk_create(accusations)
    counts = {
        "feedback_steps": len(steps),
        "executions": len(executions),
        "visits": len(visits),
        "clarifications": len(clarifications),
        "false_accusations": len(accusations),
    }
    audit_record(
        actor=setup,
        action=AuditAction.CREATE,
        object_type="followup.feedbackstep",
        summary=f"演示数据：实名举报告知反馈{len(steps)}条、处分执行{len(executions)}条、"
        f"回访教育{len(visits)}次、澄清正名{len(clarifications)}次、严查诬名{len(accusations)}起",
        changes=counts,
    )
    return counts
