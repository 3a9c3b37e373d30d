"""政治生态档案 at scale: the dossier page, and a 1,000-person 廉政意见 batch drafted in
bulk vs one query set per person.

Loads N people (default 1,000,000) with a current post each in 60 units, and M dots
(default 5,000,000): imported items of every colour spread over ten years, plus one
sanction (a clue, a 党纪 or 政务 outcome) for about one person in a hundred and an open
初步核实 clue for another one in two hundred. Then, in one run:

- **page**: ``GET /dossiers/people/<id>/?reason=…`` (the whole 精准画像: scoping, audit row,
  records, dots, grade, opinion, warnings, template) for random people: p50 / p95;
- **batch**: ``services.draft_lines`` for 1,000 random people (the records of all of
  them read in one bulk pass) vs **naive**: the same drafts with one
  ``person_records([pk], items=False)`` query set per person (neither reads the
  imported items, which an opinion does not use); both timed side by side, the drafts
  compared for equality.

Usage::

    .venv/bin/python bench/dossier_bench.py [--people 1000000] [--dots 5000000]
                                            [--requests 200] [--batch 1000]

PostgreSQL only (``BENCH_PG_URL``, default database ``jiandu_bench_dossiers``); a loaded
database is reused. Targets: page p95 < 100 ms; batch < 3 s and ≥ 10× the naive loop.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PG_URL = "postgres://postgres@127.0.0.1:5432/jiandu_bench_dossiers"
IMPORTED = [
    "commendation", "appraisal_excellent", "appraisal_competent", "appraisal_competent",
    "appraisal_competent", "personal_matters_ok", "audit_finding", "police_record",
    "other_info", "appraisal_basic",
]  # fmt: skip


def configure() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "jiandu.settings"
    os.environ.setdefault("JIANDU_LOG_LEVEL", "ERROR")
    os.environ["JIANDU_DEBUG"] = "0"
    os.environ["JIANDU_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    url = os.environ.get("BENCH_PG_URL", PG_URL)
    os.environ["DATABASE_URL"] = url
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()


def _copy(cursor, model, rows: list[dict]) -> None:
    """COPY rows given as {field: value}; every other column gets its field's default."""
    from django.db import models

    fields = [f for f in model._meta.concrete_fields]
    defaults = {}
    for f in fields:
        value = f.get_default()
        if isinstance(f, models.JSONField):
            value = json.dumps(value)
        defaults[f.attname] = value
    cols = ", ".join(f.column for f in fields)
    with cursor.copy(f"COPY {model._meta.db_table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row.get(f.attname, defaults[f.attname]) for f in fields])


def load(people: int, dots: int, *, today: dt.date, seed: int = 7) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    from jiandu.accounts.models import User
    from jiandu.clues.choices import DisposalMethod, OutcomeKind, OutcomeSubtype
    from jiandu.clues.models import Clue, Outcome
    from jiandu.dossiers.models import DossierItem
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.services import org_create, org_set_supervised
    from jiandu.people.models import Person, Post
    from jiandu.testing import role_group

    call_command("migrate", verbosity=0)
    if Person.objects.exists():
        return {
            "loaded": False,
            "people": Person.objects.count(),
            "items": DossierItem.objects.count(),
            "outcomes": Outcome.objects.count(),
        }
    rng = random.Random(seed)
    system = User.objects.create_user(username="bench-system", password=None)
    city = org_create(
        actor=system, name="市纪委监委", kind=OrgKind.COMMISSION, region_code="430800"
    )
    conduct = org_create(
        actor=system, name="党风政风监督室", kind=OrgKind.CONDUCT_ROOM, parent=city
    )
    groups = [org_create(actor=system, name=f"派驻第{i + 1}纪检监察组",
                         kind=OrgKind.STATIONED_GROUP, parent=city) for i in range(30)]  # fmt: skip
    units = [org_create(actor=system, name=f"市直单位{i + 1}", kind=OrgKind.CITY_UNIT, parent=city)
             for i in range(60)]  # fmt: skip
    for i, group in enumerate(groups):
        org_set_supervised(actor=system, org=group, supervised=units[2 * i : 2 * i + 2])
    officer = User.objects.create_user(username="bench", password=None, org=conduct)
    officer.groups.add(role_group("政治生态档案"))
    now = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    start = today - dt.timedelta(days=3650)
    with transaction.atomic(), connection.cursor() as cursor:
        for offset in range(0, people, 50_000):
            persons, posts = [], []
            for pk in range(offset + 1, min(people, offset + 50_000) + 1):
                unit = units[pk % len(units)]
                persons.append({"id": pk, "name": f"干部{pk}", "registered_org_id": unit.pk,
                                "created_at": now, "updated_at": now})  # fmt: skip
                posts.append({"id": pk, "person_id": pk, "org_id": unit.pk, "title": "科长",
                              "management_level": "city_managed",
                              "start_date": start + dt.timedelta(days=pk % 700),
                              "created_at": now, "updated_at": now})  # fmt: skip
            _copy(cursor, Person, persons)
            _copy(cursor, Post, posts)
        sanctioned = rng.sample(range(1, people + 1), k=max(1, people // 100))
        open_clue = rng.sample(range(1, people + 1), k=max(1, people // 200))
        subtypes = [
            (OutcomeKind.PARTY_DISCIPLINE, OutcomeSubtype.PARTY_WARNING),
            (OutcomeKind.PARTY_DISCIPLINE, OutcomeSubtype.PARTY_SERIOUS_WARNING),
            (OutcomeKind.GOVERNMENT_SANCTION, OutcomeSubtype.GOV_DEMERIT),
            (OutcomeKind.GOVERNMENT_SANCTION, OutcomeSubtype.GOV_WARNING),
        ]
        clues, links, outcomes = [], [], []
        for n, pk in enumerate([*sanctioned, *open_clue], start=1):
            received = start + dt.timedelta(days=rng.randrange(3600))
            is_sanction = n <= len(sanctioned)
            clues.append({
                "id": n, "number": f"XS{n:011d}", "source": "petition",
                "title": f"反映干部{pk}的问题", "received_date": received,
                "registered_org_id": city.pk, "handling_org_id": city.pk,
                "status": "closed" if is_sanction else "disposing",
                "disposal_method": DisposalMethod.CASE_FILED if is_sanction
                else DisposalMethod.PRELIMINARY_VERIFICATION,
                "disposed_at": received + dt.timedelta(days=10),
                "closed_at": received + dt.timedelta(days=70) if is_sanction else None,
                "created_by_id": system.pk, "created_at": now, "updated_at": now,
            })  # fmt: skip
            links.append({"clue_id": n, "person_id": pk})
            if is_sanction:
                kind, subtype = subtypes[n % len(subtypes)]
                outcomes.append({
                    "id": n, "clue_id": n, "person_id": pk, "subject_name": f"干部{pk}",
                    "kind": kind, "subtype": subtype,
                    "discipline_form": 3 if kind == OutcomeKind.PARTY_DISCIPLINE else 2,
                    "decision_date": min(received + dt.timedelta(days=60), today),
                    "decided_by_id": city.pk, "recorded_by_id": system.pk,
                    "created_at": now, "updated_at": now,
                })  # fmt: skip
        _copy(cursor, Clue, clues)
        through = Clue.subject_people.through
        for i, link in enumerate(links, start=1):
            link["id"] = i
        _copy(cursor, through, links)
        _copy(cursor, Outcome, outcomes)
        remaining = max(0, dots - len(outcomes) - len(links))
        for offset in range(0, remaining, 200_000):
            items = []
            for pk in range(offset + 1, min(remaining, offset + 200_000) + 1):
                kind = IMPORTED[rng.randrange(len(IMPORTED))]
                items.append({
                    "id": pk, "person_id": rng.randrange(1, people + 1), "kind": kind,
                    "occurred_on": start + dt.timedelta(days=rng.randrange(3650)),
                    "title": f"信息{pk}", "source_body": "市委组织部",
                    "source_file": "bench.xlsx", "source_row": pk % 5000 + 2,
                    "created_by_id": system.pk, "created_at": now, "updated_at": now,
                })  # fmt: skip
            _copy(cursor, DossierItem, items)
        for table in ("people_person", "people_post", "clues_clue", "clues_outcome",
                      "dossiers_dossieritem"):  # fmt: skip
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"loaded": True, "people": people, "dots": remaining + len(outcomes) + len(links),
            "seconds": round(time.perf_counter() - t0, 1)}  # fmt: skip


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(p95 * 1000, 2), "n": len(ordered)}  # fmt: skip


def measure(requests: int, batch: int, *, today: dt.date) -> dict:
    from django.db import reset_queries
    from django.test import Client

    from jiandu.accounts.models import User
    from jiandu.dossiers import periods, selectors, services
    from jiandu.people.models import Person

    user = User.objects.get(username="bench")
    client = Client()
    client.force_login(user)
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    rng = random.Random(11)
    samples = []
    for _ in range(requests):
        pk = rng.randrange(1, top + 1)
        t = time.perf_counter()
        response = client.get(f"/dossiers/people/{pk}/",
                              {"reason": "基准测试", "purpose": "提拔任用"})  # fmt: skip
        samples.append(time.perf_counter() - t)
        assert response.status_code == 200, response.status_code
        reset_queries()
    page = percentiles(samples)

    chosen = list(Person.objects.filter(pk__in=rng.sample(range(1, top + 1), k=min(batch, top))))
    t = time.perf_counter()
    lines = services.draft_lines(people=chosen, orgs=[], as_of=today, purpose="提拔任用",
                                 award_year=today.year)  # fmt: skip
    ours = time.perf_counter() - t
    t = time.perf_counter()
    naive = []
    for person in chosen:
        rec = selectors.person_records([person.pk], items=False)[person.pk]
        selectors.current_posts([person.pk])
        naive.append(periods.draft_opinion(sanctions=rec.sanctions, clues=rec.clues,
                                           as_of=today, purpose="提拔任用").text())  # fmt: skip
    naive_s = time.perf_counter() - t
    same = [x.drafted_text for x in lines] == naive
    return {
        "page": page,
        "batch": {"people": len(chosen), "ours_s": round(ours, 3), "naive_s": round(naive_s, 3),
                  "speedup": round(naive_s / max(ours, 1e-9), 1), "same_drafts": same,
                  "impact": sum(1 for x in lines if x.drafted_verdict == "有影响")},
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000, help="干部人数")
    parser.add_argument("--dots", type=int, default=5_000_000, help="点数（导入信息、处分和线索）")
    parser.add_argument("--requests", type=int, default=200, help="档案页请求次数")
    parser.add_argument("--batch", type=int, default=1000, help="一批廉政意见的人数")
    args = parser.parse_args()
    configure()
    from django.utils import timezone

    today = timezone.localdate()
    loaded = load(args.people, args.dots, today=today)
    result = {"people": args.people, "dots": args.dots, "load": loaded,
              **measure(args.requests, args.batch, today=today)}  # fmt: skip
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
