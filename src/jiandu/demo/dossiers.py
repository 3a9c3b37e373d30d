"""Demo 政治生态档案 and a year of 廉政意见 batches (seed 001, 张家界, 2019).

* Every 市管干部 of the demo gets an imported 年度考核等次 for the calibrated year (优秀
  about 15 %, 基本称职 about 2 %, the rest 称职) and about one in twenty a 表彰嘉奖, as
  the organisation department's file would give them (source body, file and row kept);
  a few units get an audit finding (a yellow dot, 交办 to their 派驻组).
* The calibrated year's batches reproduce seed 001's 2019 figures scaled by
  :data:`BATCH_SCALE` (1/5): 63 batches, 1,128 people, 239 units, objections for 31
  people and 15 units → 13 batches, 226 people, 48 units, 6 and 3 objections. The
  people with an objection are those whose records (sanctions in effect, open clues)
  make the drafted opinion 有影响; if the demo's records hold fewer such people or
  units, fewer objections are drafted (the summary counts what was drafted).
* Each batch is drafted, reviewed by ``stats``, approved by ``leader`` and issued with a
  文号 (one .docx per batch, never per person).
"""

from __future__ import annotations

import datetime as dt
import random

SEED_2019 = {"batches": 63, "people": 1128, "units": 239, "people_objections": 31,
             "unit_objections": 15}  # fmt: skip
BATCH_SCALE = 0.2
PURPOSE_CYCLE = ("提拔任用", "年度考核", "评先评优", "后备干部", "提拔任用", "进一步使用")


def scaled(scale: float) -> dict[str, int]:
    factor = BATCH_SCALE * min(scale, 1.0)
    return {k: max(1, round(v * factor)) for k, v in SEED_2019.items()}


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def build_dossier_demo(*, year: int, today: dt.date, seed: int = 2020, scale: float = 1.0) -> dict:
    from jiandu.accounts.models import User
    from jiandu.dossiers import selectors, services
    from jiandu.dossiers.choices import ItemKind
    from jiandu.dossiers.models import DossierItem, OpinionBatch
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.models import Org
    from jiandu.people.choices import ManagementLevel
    from jiandu.people.models import Person, Post

    rng = random.Random(f"{seed}:dossiers")
    stats = User.objects.get(username="stats")
    owner = stats.org
    assert owner is not None  # the demo's 党风政风监督室
    leader = User.objects.get(username="leader")
    posts = list(
        Post.objects.filter(end_date__isnull=True, management_level=ManagementLevel.CITY_MANAGED)
        .select_related("person", "org").order_by("pk")
    )  # fmt: skip
    cadres = list({p.person_id: p.person for p in posts}.values())
    appraisal_day = dt.date(year, 12, 28)
    file_name = f"{year}年度市管干部考核结果.xlsx"
    items = []
    for row, person in enumerate(cadres, start=2):
        draw = rng.random()
        if draw < 0.15:
            kind, label = ItemKind.APPRAISAL_EXCELLENT, "优秀"
        elif draw > 0.98:
            kind, label = ItemKind.APPRAISAL_BASIC, "基本称职"
        else:
            kind, label = ItemKind.APPRAISAL_COMPETENT, "称职"
        items.append(DossierItem(person=person, kind=kind, occurred_on=appraisal_day,
                                 title=f"{year}年度考核确定为{label}等次",
                                 source_body="市委组织部", source_file=file_name,
                                 source_row=row, created_by=stats))  # fmt: skip
        if rng.random() < 0.05:
            items.append(DossierItem(
                person=person, kind=ItemKind.COMMENDATION,
                occurred_on=dt.date(year, rng.randint(3, 11), rng.randint(1, 28)),
                title=rng.choice(["优秀共产党员", "先进工作者", "脱贫攻坚先进个人"]),
                source_body="市委组织部", source_file=f"{year}年度表彰名单.xlsx",
                source_row=row, created_by=stats))  # fmt: skip
    DossierItem.objects.bulk_create(items, batch_size=2000)

    units = list(Org.objects.filter(kind=OrgKind.CITY_UNIT, archived_at__isnull=True)
                 .order_by("pk"))  # fmt: skip
    audited = rng.sample(units, k=min(len(units), 3))
    services.dossier_items_create(actor=stats, items=[
        {"org": unit, "kind": ItemKind.AUDIT_FINDING,
         "occurred_on": dt.date(year, 9, 10 + i), "title": "经济责任审计发现公务接待超标准",
         "source_body": "市审计局", "source_file": f"{year}年审计移送问题清单.xlsx",
         "source_row": i + 2}
        for i, unit in enumerate(audited)
    ])  # fmt: skip

    # The batches of the calibrated year.
    target = scaled(scale)
    last = min(dt.date(year, 12, 20), today - dt.timedelta(days=1))
    first = dt.date(year, 1, 15)
    span = (last - first).days
    days = sorted(first + dt.timedelta(days=round(span * (i + 0.5) / target["batches"]))
                  for i in range(target["batches"]))  # fmt: skip
    records = selectors.person_records([p.pk for p in cadres])
    people_sizes = _split(target["people"], target["batches"])
    unit_sizes = _split(target["units"], target["batches"])
    objection_at = set(
        rng.sample(range(target["batches"]), k=min(target["batches"], target["people_objections"]))
    )
    # Units answered with an objection: after the year's audit findings (yellow dots).
    after_audit = [i for i, day in enumerate(days) if day >= dt.date(year, 9, 16)]
    unit_objection_at = set(
        rng.sample(after_audit, k=min(len(after_audit), target["unit_objections"]))
    )
    for index, received in enumerate(days):
        as_of = received - dt.timedelta(days=3)
        purpose = PURPOSE_CYCLE[index % len(PURPOSE_CYCLE)]
        clean: list[Person] = []
        marked: list[Person] = []
        for person in cadres:
            rec = records[person.pk]
            opinion = selectors.periods.draft_opinion(
                sanctions=rec.sanctions, clues=rec.clues, as_of=as_of, purpose=purpose
            )
            (marked if opinion.has_impact or rec.incomplete else clean).append(person)
        chosen = rng.sample(
            clean,
            k=min(len(clean), people_sizes[index] - (1 if index in objection_at and marked else 0)),
        )
        if index in objection_at and marked:
            chosen.append(rng.choice(marked))
        open_units = []
        if index in unit_objection_at:
            answers = services.unit_opinions(units, as_of=as_of, award_year=as_of.year)
            open_units = [u for u in units if answers[u.pk][0] == "有影响"]
        quiet = [u for u in units if u not in open_units]
        orgs = rng.sample(quiet, k=min(len(quiet), unit_sizes[index] - (1 if open_units else 0)))
        if open_units:
            orgs.append(rng.choice(open_units))
        batch = services.batch_create(
            actor=stats, owner_org=owner, requester="市委组织部",
            request_ref=f"昆组函〔{year}〕{index + 3}号", purpose=purpose, as_of=as_of,
            award_year=as_of.year if purpose != "年度考核" else as_of.year - 1,
            received_on=received, people=chosen, orgs=orgs,
        )  # fmt: skip
        services.batch_review(actor=stats, batch=batch)
        services.batch_approve(actor=leader, batch=batch)
        services.batch_issue(actor=stats, batch=batch,
                             issued_on=min(received + dt.timedelta(days=7), today))  # fmt: skip
    stats_rows = selectors.batch_statistics(user=stats)
    drafted = next((r for r in stats_rows if r["year"] == year), None)
    return {"target": target, "drafted": drafted, "batches": OpinionBatch.objects.count(),
            "items": len(items) + len(audited)}  # fmt: skip
