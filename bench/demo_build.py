"""The demo build: ``jiandu demo`` from an empty database, against the record-by-record
way it used to be written.

Measures in one run:

- ours: ``jiandu migrate``, ``jiandu roles sync`` and ``jiandu demo --json`` (everything:
  orgs, cadres, accounts, two years of cases written in bulk, the boards closed month by
  month, the comparison demo) in a scratch folder, as ``make demo`` runs them;
- naive: the same case plan written one service call at a time (``petition_register``,
  ``petition_convert_to_clue``, ``clue_dispose`` … each with its lock, validation and
  audit append), for the first ``--sample`` petitions and clues, extrapolated to the
  whole plan.

The machine's load average is printed with each figure (a shared machine slows both).

Usage::

    .venv/bin/python bench/demo_build.py [--sample 300] [--year YYYY]

Scratch folders: ``var/bench/demo-ours`` and ``var/bench/demo-naive`` (emptied first).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SCRATCH = ROOT / "var" / "bench"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _run(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "jiandu.cli", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.monotonic() - started, done.stdout


def ours(year: int | None) -> dict[str, Any]:
    folder = SCRATCH / "demo-ours"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env = {
        **os.environ,
        "JIANDU_VAR_DIR": str(folder),
        "PYTHONPATH": str(ROOT / "src"),
        "JIANDU_LOG_LEVEL": "ERROR",
    }
    print(f"load before: {_load()}", flush=True)
    migrate, _ = _run(["migrate", "--noinput", "-v0"], env)
    roles, _ = _run(["roles", "sync"], env)
    demo_args = ["demo", "--json", *(["--year", str(year)] if year else [])]
    demo, out = _run(demo_args, env)
    data = json.loads(out)
    print(f"load after:  {_load()}", flush=True)
    return {"migrate": migrate, "roles": roles, "demo": demo, "summary": data}


def naive(sample: int, year: int | None) -> dict[str, Any]:
    folder = SCRATCH / "demo-naive"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["JIANDU_VAR_DIR"] = str(folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jiandu.settings"
    os.environ["JIANDU_LOG_LEVEL"] = "ERROR"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    from jiandu.accounts.models import User
    from jiandu.demo.accounts import account_specs, create_accounts
    from jiandu.demo.build import SETUP_USERNAME, demo_dates
    from jiandu.demo.cases import create_domain_tags
    from jiandu.demo.orgs import create_orgs, org_specs
    from jiandu.demo.people import cadre_specs, create_people
    from jiandu.demo.plan import build_plan

    calibrated, last_day = demo_dates(year=year)
    org_plan = org_specs(2020)
    cadres = cadre_specs(2020, org_plan)
    plan = build_plan(
        seed=2020, scale=1.0, orgs=org_plan, cadres=cadres, year=calibrated, last_day=last_day
    )
    with transaction.atomic():
        setup = User(username=SETUP_USERNAME, full_name="演示数据生成", is_active=False)
        setup.set_unusable_password()
        setup.save()
        orgs = create_orgs(actor=setup, plan=org_plan)
        specs = account_specs(
            counties=org_plan.counties, rooms=org_plan.rooms, groups=org_plan.groups
        )
        _accounts, actors = create_accounts(seed=2020, actor=setup, orgs=orgs, specs=specs)
        people = create_people(actor=actors["data"], orgs=orgs, cadres=cadres)
        tags = create_domain_tags(actor=setup)
        writer = ServiceWriter(orgs=orgs, people=people, actors=actors, tags=tags)
        items = [(p.received, 0, p.index, "petition", p) for p in plan.petitions]
        items += [(c.received, 1, c.index, "clue", c) for c in plan.clues if c.petition is None]
        items.sort(key=lambda item: item[:3])
        started = time.monotonic()
        for _day, _order, _index, kind, item in items[:sample]:
            if kind == "petition":
                writer._petition(item)
            else:
                writer._clue_lifecycle(item, writer._create_clue(item))
        seconds = time.monotonic() - started
        transaction.set_rollback(True)
    return {"sample": sample, "items": len(items), "seconds": seconds}


class ServiceWriter:
    """The demo's former writer: one registry service call per step."""

    def __init__(self, *, orgs: Any, people: Any, actors: Any, tags: Any) -> None:
        self.orgs, self.people, self.actors, self.tags = orgs, people, actors, tags
        self.clues: dict[int, Any] = {}

    def _petition(self, plan: Any) -> None:
        registrar = self.actors[plan.registrar]
        reporter = plan.reporter
        petition = _services().petition_register(
            actor=registrar,
            received_date=plan.received,
            channel=plan.channel,
            title=plan.title,
            content=plan.content,
            received_org=self.orgs[plan.received_org],
            is_real_name=reporter is not None,
            reporter_name=reporter.name if reporter else "",
            reporter_phone=reporter.phone if reporter else "",
            reporter_id_number=reporter.id_number if reporter else "",
            reporter_address=reporter.address if reporter else "",
            domains=[self.tags[d] for d in plan.domains],
            subject_people=[self.people[i] for i in plan.subject_people],
            subject_orgs=[self.orgs[k] for k in plan.subject_orgs],
        )
        if plan.fate in ("file", "repeat"):
            _services().petition_file(actor=registrar, petition=petition, reason=plan.reason)
        elif plan.fate == "transfer":
            _services().petition_transfer(
                actor=registrar,
                petition=petition,
                transferred_to=plan.transferred_to,
                reason=plan.reason,
            )
        elif plan.clue is not None:
            if plan.assign_to:
                target = self.orgs[plan.assign_to]
                petition = _services().petition_assign(
                    actor=self.actors["city"],
                    petition=petition,
                    to_org=target,
                    reason=ASSIGN_REASON.format(org=target.name),
                )
            clue_plan = plan.clue
            clue = _services().petition_convert_to_clue(
                actor=self.actors[clue_plan.unit],
                petition=petition,
                reason=CONVERT_REASON,
                handling_org=self.orgs[clue_plan.handling],
                on_date=clue_plan.received,
            )
            self._clue_lifecycle(clue_plan, clue)

    # clues ----------------------------------------------------------------------------

    def _create_clue(self, plan: Any) -> Any:
        return _services().clue_create(
            actor=self.actors[plan.unit],
            source=plan.source,
            title=plan.title,
            content=plan.content,
            received_date=plan.received,
            handling_org=self.orgs[plan.handling],
            domains=[self.tags[d] for d in plan.domains],
            subject_people=[self.people[i] for i in plan.subject_people],
            subject_orgs=[self.orgs[plan.subject_org]],
            funds_involved=plan.funds,
        )

    def _clue_lifecycle(self, plan: Any, clue: Any) -> None:
        if plan.move is not None:
            move = plan.move
            handler = (
                _services().clue_escalate
                if move.action == "escalate"
                else _services().clue_direct_handle
            )
            clue = handler(
                actor=self.actors[move.actor],
                clue=clue,
                to_org=self.orgs[move.to_org],
                note=move.note,
                on_date=move.on_date,
            )
        # Townships' clues are worked by their county's staff.
        worker = self.actors.get(plan.final_org) or self.actors[plan.unit]
        if plan.method:
            clue = _services().clue_dispose(
                actor=worker, clue=clue, method=plan.method, on_date=plan.disposed
            )
        if plan.change is not None:
            method, on_date, note = plan.change
            clue = _services().clue_change_disposal(
                actor=worker, clue=clue, method=method, on_date=on_date, note=note
            )
        # 案件审理室 records the outcomes of the city's rooms and groups; a county's or
        # the commission's own staff record theirs.
        recorder = worker
        if plan.final_org.startswith(("room:", "group:")):
            recorder = self.actors["trial"]
        for outcome in plan.outcomes:
            assert outcome.decision is not None  # dated by the planner
            _services().outcome_record(
                actor=recorder,
                clue=clue,
                kind=outcome.kind,
                decision_date=outcome.decision,
                person=self.people[outcome.person] if outcome.person is not None else None,
                subject_name=outcome.subject_name,
                subtype=outcome.subtype,
                responsibility_type=outcome.responsibility,
                funds_recovered=outcome.funds,
            )
        if plan.closed is not None:
            clue = _services().clue_close(
                actor=worker,
                clue=clue,
                conclusion=plan.conclusion,
                conclusion_text=plan.conclusion_text,
                on_date=plan.closed,
            )
        self.clues[plan.index] = clue


def _services() -> Any:
    from jiandu.clues import services

    return services


ASSIGN_REASON = "经研判，按照管理权限交由{org}办理"
CONVERT_REASON = "反映问题具体、可查性强，按规定转为问题线索"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=300, help="朴素写法试写的信访件/线索数")
    parser.add_argument("--year", type=int, default=None, help="校准年份（默认去年）")
    args = parser.parse_args()
    result = ours(args.year)
    counts = result["summary"]["counts"]
    print(
        f"ours   jiandu demo: {result['demo']:.1f} s "
        f"(migrate {result['migrate']:.1f} s, roles sync {result['roles']:.1f} s); "
        f"{counts['petitions']} petitions, {counts['clues']} clues, "
        f"{counts['outcomes']} outcomes, {counts['audit_rows']} audit rows, "
        f"{result['summary']['boards']['snapshots']} board closes",
        flush=True,
    )
    slow = naive(args.sample, args.year)
    per_item = slow["seconds"] / slow["sample"]
    print(
        f"naive  one service call per step: {slow['seconds']:.1f} s for {slow['sample']} of "
        f"{slow['items']} petitions/clues = {per_item * 1000:.0f} ms each, "
        f"{per_item * slow['items']:.0f} s for the cases alone (load {_load()})"
    )


if __name__ == "__main__":
    main()
