"""The demo's 主体责任提醒卡 (seed 001) for the last full quarter before the demo's "today".

- 中共昆明市委 (added under 昆明市纪委监委, as the units are) gives cards to the heads of
  the 市直单位 and 市属国有企业 and to the secretaries of the 14 区(县、市)委 (下级党委
  一把手); 中共五华区委 gives cards to its 常委, the 副区长 (政府党组副职) and the heads of
  its 县直单位 and 街道 (下级一把手). ``stats`` (党风政风监督室) issues all of them through
  ``cards.services``, each with its 文号 and printed file.
- The leaders' units return their summaries (一季一总结) through staff accounts of the
  unit (role 整改落实; 市委办公室's is the demo's ``rectify``): 70% of the cards in full,
  10% in part; the other 20% are overdue (the summary is due on the 5th working day after
  the quarter). The card of 市委办公室's head is left for ``rectify`` to answer.
- One spot check (抽查) against the 八小时以外 负面清单 finds a problem, which enters the
  rectification loop (source 提醒卡抽查).

Calibration (seed 001, 张家界 since 2019: 1,247 人次 of cards, 7,131 事项, then 提醒谈话
28 人次, 诫勉谈话 12 人次, 纪律处分 6 人次). The seed's figures add up several quarters;
the demo issues one quarter and keeps the seed's proportions: 7131/1247 ≈ 5.72 items a
card (the 6-item 清单, one item dropped on about 28% of the cards), and per card issued
28/1247 提醒谈话, 12/1247 诫勉谈话 and 6/1247 纪律处分, rounded, at least one of each —
recorded as ``oversight.Interview`` rows (提醒谈话, 诫勉谈话) and ``clues.Outcome`` rows
(党纪处分) about the card's leader, dated after the quarter, so the statistics page shows
them against the quarter's cards. ``scale`` below 1 issues proportionally fewer cards.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

SEED_CARDS = 1247
SEED_ITEMS = 7131
SEED_TALKS = 28
SEED_ADMONITIONS = 12
SEED_SANCTIONS = 6
RETURNED_IN_FULL = 0.7
RETURNED_IN_PART = 0.1


def _count(cards: int, seed_figure: int) -> int:
    return max(1, round(cards * seed_figure / SEED_CARDS))


def _staff(*, actor: Any, org: Any, cache: dict[int, Any], password_hash: str) -> Any:
    """The 整改落实 account of a unit (the demo's ``rectify`` for 市委办公室)."""
    from django.contrib.auth.models import Group

    from jiandu.accounts import roles as r
    from jiandu.accounts.models import User
    from jiandu.core.audit import audit_record
    from jiandu.core.choices import AuditAction

    if org.pk in cache:
        return cache[org.pk]
    user = User.objects.filter(org=org, groups__name=r.ROLE_RECTIFICATION).first()
    if user is None:
        user = User(
            username=f"unit{org.pk}",
            full_name=f"{org.display_name}干部",
            title="整改落实干部",
            org=org,
            password=password_hash,
        )
        user.full_clean(exclude=["password"])
        user.save()
        user.groups.set([Group.objects.get(name=r.ROLE_RECTIFICATION)])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=user,
            summary="创建演示账号（单位整改落实人员）",
            changes={"username": user.username, "org": org.pk},
        )
    cache[org.pk] = user
    return user


def create_demo_cards(
    *, actor: Any, orgs: dict[str, Any], today: dt.date, seed: int = 2020, scale: float = 1.0
) -> dict[str, int]:
    """Write the quarter's cards, summaries, the spot check and what followed; return
    the counts (the figures of the statistics page)."""
    from django.contrib.auth.hashers import make_password

    from jiandu.accounts.models import User
    from jiandu.cards import selectors, services
    from jiandu.cards.models import ListTemplate
    from jiandu.cards.reference import NEGATIVE_KEY, RESPONSIBILITY_KEY
    from jiandu.clues.choices import ClueSource, Conclusion, DisposalMethod, OutcomeKind
    from jiandu.clues.services import clue_close, clue_create, clue_dispose, outcome_record
    from jiandu.demo.accounts import DEMO_PASSWORD
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.services import org_create
    from jiandu.oversight.choices import InterviewKind
    from jiandu.oversight.services import interview_record

    rng = random.Random(f"{seed}:cards")
    stats = User.objects.get(username="stats")
    city_actor = User.objects.get(username="city")
    year, quarter = selectors.last_full_quarter(today)
    start, end = selectors.quarter_bounds(year, quarter)
    issued_on = start + dt.timedelta(days=4)
    template = ListTemplate.objects.get(key=RESPONSIBILITY_KEY, archived_at__isnull=True)
    negative = ListTemplate.objects.get(key=NEGATIVE_KEY, archived_at__isnull=True)
    base_items = list(template.items.order_by("order").values_list("text", flat=True))

    city_committee = org_create(
        actor=actor, name="中共昆明市委", kind=OrgKind.CITY_UNIT, parent=orgs["city"], sort_order=0
    )
    committees = [city_committee, orgs["party:530102"]]
    office = orgs["unit:市委办公室"]
    chosen: list[tuple[Any, Any]] = []
    for committee in committees:
        posts = [c.post for c in selectors.leader_candidates(user=stats, committee=committee)]
        if scale < 1:
            # Fewer cards for a smaller demo, from each committee; 市委办公室's head stays.
            keep = max(2, round(len(posts) * scale))
            posts = [p for p in posts if p.org_id == office.pk] + [
                p for p in posts if p.org_id != office.pk
            ][:keep]
        chosen += [(committee, post) for post in posts]
    total = len(chosen)
    dropped = set(
        rng.sample(
            range(total), max(0, total * len(base_items) - round(total * SEED_ITEMS / SEED_CARDS))
        )
    )
    cards = []
    for index, (committee, post) in enumerate(chosen):
        items = base_items[:-1] if index in dropped else base_items
        card = services.card_create(
            actor=stats,
            committee=committee,
            post=post,
            year=year,
            quarter=quarter,
            template=template,
            negative_list=negative if committee == city_committee else None,
            items=items,
        )
        cards.append(services.card_issue(actor=stats, card=card, issued_on=issued_on))

    # 一季一总结: by each unit's staff, on or before the due date (or in part, or never).
    password_hash = make_password(DEMO_PASSWORD)
    staff: dict[int, Any] = {}
    answered = [c for c in cards if c.leader_org_id != office.pk]
    rng.shuffle(answered)
    full = answered[: round(total * RETURNED_IN_FULL)]
    part = answered[len(full) : len(full) + round(total * RETURNED_IN_PART)]
    yesterday = today - dt.timedelta(days=1)
    for card, share in [(c, 1.0) for c in full] + [(c, 0.5) for c in part]:
        card_items = list(card.items.order_by("order"))
        card_items = card_items[: max(1, int(len(card_items) * share))]
        services.card_summary_submit(
            actor=_staff(
                actor=actor, org=card.leader_org, cache=staff, password_hash=password_hash
            ),
            card=card,
            summaries={
                i.pk: f"本季度对照“{i.text[:12]}…”开展工作，召开专题会议{rng.randint(1, 3)}次，"
                f"完成提醒谈话{rng.randint(2, 9)}人次，相关台账已建立。"
                for i in card_items
            },
            on_date=min(card.summary_due, yesterday),
        )

    # One spot check against the negative list, with a finding.
    received = min(end + dt.timedelta(days=2), yesterday)
    disposed = min(end + dt.timedelta(days=3), yesterday)
    after = min(end + dt.timedelta(days=20), yesterday)
    checked = next(c for c in cards if c.committee_id == committees[1].pk)
    services.spot_check_record(
        actor=stats,
        card=checked,
        note="对照“八小时以外”负面清单，走访居住社区并查阅报到记录。",
        checked_on=after,
        checklist=negative,
        findings=[services.Finding("未按规定到居住社区党组织报到、亮明身份")],
    )

    # What followed, in seed 001's proportions: 提醒谈话, 诫勉谈话, 纪律处分.
    pool = [c for c in cards if c.leader_org_id != office.pk]
    rng.shuffle(pool)
    talks = _count(total, SEED_TALKS)
    admonitions = _count(total, SEED_ADMONITIONS)
    sanctions = _count(total, SEED_SANCTIONS)
    followed = {"talks": 0, "admonitions": 0, "sanctions": 0}
    for n, card in enumerate(pool[: talks + admonitions]):
        kind = InterviewKind.REMINDER_TALK if n < talks else InterviewKind.ADMONISHMENT
        interview_record(
            actor=stats,
            kind=kind,
            org=card.leader_org,
            person=card.leader,
            held_on=after,
            leader="市纪委监委第四监督检查室主任",
            participants=f"{card.leader.name}；{card.leader_org.name}党组织有关负责同志",
            minutes=f"对照{card.quarter_label}主体责任清单，指出落实主体责任不力的问题，提出整改要求。",
        )
        followed["talks" if n < talks else "admonitions"] += 1
    for card in pool[talks + admonitions : talks + admonitions + sanctions]:
        clue = clue_create(
            actor=city_actor,
            source=ClueSource.SUPERVISION,
            title=f"{card.leader_org.name}{card.leader_title}{card.leader.name}落实主体责任不力",
            received_date=received,
            content="主体责任提醒卡监督检查中发现。",
            subject_people=[card.leader],
        )
        clue_dispose(
            actor=city_actor, clue=clue, method=DisposalMethod.CASE_FILED, on_date=disposed
        )
        outcome_record(
            actor=city_actor,
            clue=clue,
            kind=OutcomeKind.PARTY_DISCIPLINE,
            subtype="party_warning",
            person=card.leader,
            decision_date=after,
        )
        clue_close(actor=city_actor, clue=clue, conclusion=Conclusion.SUBSTANTIATED, on_date=after)
        _date_clue_timeline(clue)
        followed["sanctions"] += 1
    return {
        "cards": total,
        "items": sum(c.items.count() for c in cards),
        **followed,
    }


def _date_clue_timeline(clue: Any) -> None:
    """Each step of the clue at ten o'clock of its business day (the services record the
    moment they ran, which for the demo is the day it is built)."""
    from jiandu.clues.models import Clue, ClueEvent

    def ten(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))

    clue.refresh_from_db()
    for event in ClueEvent.objects.filter(clue=clue):
        ClueEvent.objects.filter(pk=event.pk).update(at=ten(event.on_date))
    Clue.objects.filter(pk=clue.pk).update(
        created_at=ten(clue.received_date), updated_at=ten(clue.closed_at or clue.received_date)
    )
