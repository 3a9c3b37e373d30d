"""Write the case plan (see :mod:`jiandu.demo.plan`) into the case registry in bulk, with
every record's timeline exactly as the registry's services would write it: 登记 → (交办)
→ 转为问题线索 → (提级查办 / 直查直办) → 处置 → (变更处置方式) → 处理结果 → 办结, then
通报曝光; each step on its business date, each record and step with its audit row.

The statuses follow the registry's own transition tables (:mod:`jiandu.clues.lifecycle`),
numbers and deadlines its rules (编号 ``XF``/``XS`` + year + id, the deadline table), and a
petition is marked a repeat (重复举报) by the registry's test: an earlier petition within
a year from the same reporter, or about the same person with a similar title. What the
services check one call at a time (dates in order, jurisdiction, required fields) the
plan guarantees by construction, and the demo tests check on the result.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from jiandu.clues import lifecycle, services
from jiandu.clues.choices import (
    ClueAction,
    ClueSource,
    ClueStatus,
    Conclusion,
    DisposalMethod,
    OutcomeKind,
    PetitionAction,
    PetitionStatus,
)
from jiandu.clues.models import (
    Clue,
    ClueEvent,
    DomainTag,
    ExposureBatch,
    ExposureCase,
    Outcome,
    Petition,
    PetitionEvent,
    ReporterIdentity,
    domain_key,
)
from jiandu.core.audit import audit_record_many, model_snapshot
from jiandu.core.choices import AuditAction
from jiandu.core.crypto import search_key
from jiandu.core.deadlines import deadline_rule, work_calendar
from jiandu.core.workdays import due_date
from jiandu.demo.bulk import Ids, insert, link, moment, reset_sequences
from jiandu.demo.plan import CasePlan, CluePlan, PetitionPlan
from jiandu.demo.texts import DOMAIN_NAMES

ASSIGN_REASON = "经研判，按照管理权限交由{org}办理"
CONVERT_REASON = "反映问题具体、可查性强，按规定转为问题线索"


def _transition_state(clue: Clue) -> dict[str, Any]:
    """The fields a transition's audit row compares (``services._before``), as
    ``model_snapshot`` gives them."""
    return {
        "status": clue.status,
        "disposal_method": clue.disposal_method,
        "handling_org": clue.handling_org_id,
        "closed_at": clue.closed_at.isoformat() if clue.closed_at else None,
    }


def create_domain_tags(*, actor: Any) -> dict[str, DomainTag]:
    """The problem domains (reference data), by code."""
    return {
        code: services.domain_tag_get_or_create(actor=actor, code=code, name=name, sort_order=order)
        for order, (code, name) in enumerate(DOMAIN_NAMES, start=1)
    }


@contextmanager
def business_times(*models: Any) -> Iterator[None]:
    """Let ``updated_at`` (auto_now) keep the business time given to a row while it is
    inserted: a petition closed in 2020 was last changed in 2020, not today."""
    fields = [m._meta.get_field("updated_at") for m in models]
    for f in fields:
        f.auto_now = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now = True


@functools.lru_cache(maxsize=8192)
def _grams(title: str, content: str) -> str:
    """The text-search bigrams of a record (as its model's save() writes them: the bulk
    insert bypasses save()); the plan's texts repeat, so each pair is cut once."""
    from jiandu.clues.search import text_grams

    return text_grams(title, content)


def _reporter_key(plan: PetitionPlan) -> str:
    reporter = plan.reporter
    if reporter is None:
        return ""
    if reporter.id_number:
        return search_key("id:" + reporter.id_number)
    if reporter.name and reporter.phone:
        return search_key(f"np:{reporter.name.strip()}:{reporter.phone.strip()}")
    return ""


class Executor:
    """Writes one plan. ``actors`` maps the plan's actor keys (``petition``, ``city``,
    ``trial``, and the org keys of the rooms, groups and counties) to users; ``orgs``
    maps org keys to orgs and ``people`` cadre indexes to persons."""

    def __init__(
        self,
        *,
        plan: CasePlan,
        orgs: dict[str, Any],
        people: list[Any],
        actors: dict[str, Any],
        tags: dict[str, DomainTag],
    ) -> None:
        self.plan = plan
        self.orgs = orgs
        self.people = people
        self.actors = actors
        self.tags = tags
        self.ids = Ids()
        self.clues: dict[int, Clue] = {}
        self.petitions: list[Petition] = []
        self.identities: list[ReporterIdentity] = []
        self.petition_events: list[PetitionEvent] = []
        self.clue_rows: list[Clue] = []
        self.clue_events: list[ClueEvent] = []
        self.outcomes: list[Outcome] = []
        self.m2m: dict[tuple[Any, str], list[tuple[int, int]]] = {}
        self.audit: list[dict[str, Any]] = []
        self._by_index: dict[int, Petition] = {}  # plan index -> petition written
        # Stage deadlines as the registry sets them: the deadline table's rule in force,
        # on the working-day calendar (read once for the whole plan).
        self._calendar = work_calendar()
        self._rules = {key: deadline_rule(step) for key, step in lifecycle.DEADLINE_STEPS.items()}

    def _due(self, start: dt.date, key: str) -> dt.date:
        rule = self._rules[key]
        return due_date(self._calendar, start, rule.period_kind, rule.length).due

    def _link(self, model: Any, field: str, owner: int, targets: list[int]) -> None:
        self.m2m.setdefault((model, field), []).extend((owner, t) for t in targets)

    def run(self, progress: Callable[[float, str], None] | None = None) -> None:
        items: list[tuple[Any, int, str, Any]] = []
        for petition in self.plan.petitions:
            items.append((petition.received, 0, "petition", petition))
        for clue in self.plan.clues:
            if clue.petition is None:
                items.append((clue.received, 1, "clue", clue))
        items.sort(key=lambda item: (item[0], item[1], item[3].index))
        for _day, _order, kind, item in items:
            if kind == "petition":
                self._petition(item)
            else:
                self._clue(item, petition=None)
        if progress is not None:
            progress(0.5, "写入信访举报和问题线索")
        with business_times(Petition, Clue, Outcome, ExposureBatch):
            insert(Petition, self.petitions)
            insert(ReporterIdentity, self.identities)
            insert(PetitionEvent, self.petition_events)
            insert(Clue, self.clue_rows)
            insert(ClueEvent, self.clue_events)
            insert(Outcome, self.outcomes)
            self._exposures()
            for (model, name), pairs in self.m2m.items():
                link(model._meta.get_field(name), pairs)
        reset_sequences(self.ids.models)
        if progress is not None:
            progress(0.9, "审计记录")
        audit_record_many(self.audit)
        if progress is not None:
            progress(1.0, "通报曝光")

    # petitions ------------------------------------------------------------------------

    def _petition(self, plan: PetitionPlan) -> None:
        registrar = self.actors[plan.registrar]
        org = self.orgs[plan.received_org]
        pk = self.ids.next(Petition)
        tags = [self.tags[d] for d in plan.domains]
        people = [self.people[i].pk for i in plan.subject_people]
        petition = Petition(
            pk=pk,
            number=f"XF{plan.received:%Y}{pk:07d}",
            received_date=plan.received,
            channel=plan.channel,
            is_real_name=plan.reporter is not None,
            received_org=org,
            handling_org=org,
            title=plan.title.strip(),
            content=plan.content.strip(),
            search_grams=_grams(plan.title.strip(), plan.content.strip()),
            created_by=registrar,
            reporter_key=_reporter_key(plan),
            domain_key=domain_key(tags),
            created_at=moment(plan.received),
        )
        # The planner has found the repeats by the registry's rule, in this order.
        if plan.repeat_root is not None:
            petition.repeat_of = self._by_index[plan.repeat_root]
        petition.is_first_time = petition.repeat_of is None
        self._link(Petition, "domains", pk, [t.pk for t in tags])
        self._link(Petition, "subject_people", pk, people)
        self._link(Petition, "subject_orgs", pk, [self.orgs[k].pk for k in plan.subject_orgs])
        if plan.reporter is not None:
            r = plan.reporter
            self.identities.append(
                ReporterIdentity(
                    pk=self.ids.next(ReporterIdentity),
                    petition=petition,
                    name=r.name.strip(),
                    phone=r.phone.strip(),
                    id_number=r.id_number,
                    address=r.address.strip(),
                )
            )
        self.audit.append(
            {
                "actor": registrar,
                "action": AuditAction.CREATE,
                "obj": petition,
                "changes": {
                    **model_snapshot(petition),
                    "has_reporter_identity": plan.reporter is not None,
                },
            }
        )
        steps = [0]

        def event(action: str, actor: Any, day: dt.date, reason: str = "", **orgs: Any) -> None:
            from_status = petition.status
            if action != PetitionAction.REGISTER:
                petition.status = lifecycle.next_petition_status(from_status, action)
            at = moment(day, steps[0])
            steps[0] += 1
            self.petition_events.append(
                PetitionEvent(
                    pk=self.ids.next(PetitionEvent),
                    petition=petition,
                    action=action,
                    from_status="" if action == PetitionAction.REGISTER else from_status,
                    to_status=petition.status,
                    from_org=orgs.get("from_org"),
                    to_org=orgs.get("to_org"),
                    reason=reason,
                    actor=actor,
                    at=at,
                )
            )
            petition.updated_at = at
            if petition.status != PetitionStatus.PENDING:
                petition.closed_at = at
            if action != PetitionAction.REGISTER:
                self.audit.append(
                    {
                        "actor": actor,
                        "action": AuditAction.TRANSITION,
                        "obj": petition,
                        "summary": orgs.get("summary", ""),
                        "changes": {
                            "status": {"before": from_status, "after": petition.status},
                            "reason": reason,
                        },
                    }
                )

        event(PetitionAction.REGISTER, registrar, plan.received)
        handled = plan.handled or plan.received
        if plan.clue is None and plan.handled is None:
            pass  # received in the last days: still to be triaged (待处理)
        elif plan.fate in ("file", "repeat"):
            event(PetitionAction.FILE, registrar, handled, plan.reason, summary="存档了结")
        elif plan.fate == "transfer":
            petition.transferred_to = plan.transferred_to.strip()
            event(
                PetitionAction.TRANSFER,
                registrar,
                handled,
                f"转办至{petition.transferred_to}：{plan.reason}",
                summary=f"转办至{petition.transferred_to}",
            )
        elif plan.clue is not None:
            if plan.assign_to:
                target = self.orgs[plan.assign_to]
                event(
                    PetitionAction.ASSIGN,
                    self.actors["city"],
                    plan.received,
                    ASSIGN_REASON.format(org=target.name),
                    from_org=petition.handling_org,
                    to_org=target,
                    summary=f"交办至{target}",
                )
                petition.handling_org = target
            clue = self._clue(plan.clue, petition=petition)
            event(
                PetitionAction.CONVERT,
                self.actors[plan.clue.unit],
                plan.clue.received,
                CONVERT_REASON,
                to_org=self.orgs[plan.clue.handling],
                summary=f"转为问题线索 {clue.number}",
            )
        self.petitions.append(petition)
        self._by_index[plan.index] = petition

    # clues ----------------------------------------------------------------------------

    def _clue(self, plan: CluePlan, *, petition: Petition | None) -> Clue:
        actor = self.actors[plan.unit]
        org = self.orgs[plan.handling]
        pk = self.ids.next(Clue)
        tags = [self.tags[d] for d in plan.domains]
        clue = Clue(
            pk=pk,
            number=f"XS{plan.received:%Y}{pk:07d}",
            source=ClueSource.PETITION if petition is not None else plan.source,
            petition=petition,
            title=plan.title.strip(),
            content=plan.content.strip(),
            search_grams=_grams(plan.title.strip(), plan.content.strip()),
            received_date=plan.received,
            registered_org=actor.org or org,
            handling_org=org,
            funds_involved=plan.funds if petition is None else None,
            due_date=self._due(plan.received, ClueStatus.RECEIVED),
            created_by=actor,
            domain_key=domain_key(tags),
            created_at=moment(plan.received),
        )
        self._link(Clue, "domains", pk, [t.pk for t in tags])
        subjects = [self.people[i].pk for i in plan.subject_people]
        self._link(Clue, "subject_people", pk, subjects)
        self._link(Clue, "subject_orgs", pk, [self.orgs[plan.subject_org].pk])
        self.audit.append(
            {"actor": actor, "action": AuditAction.CREATE, "obj": clue,
             "changes": model_snapshot(clue)}
        )  # fmt: skip
        steps = [0]

        def event(
            action: str, by: Any, day: dt.date, note: str = "", summary: str = "", **orgs: Any
        ) -> None:
            before = _transition_state(clue)
            from_status = clue.status
            if action != ClueAction.RECEIVE:
                clue.status = lifecycle.next_clue_status(from_status, action)
            apply = orgs.pop("apply", None)
            if apply is not None:
                apply()
            at = moment(day, steps[0])
            steps[0] += 1
            self.clue_events.append(
                ClueEvent(
                    pk=self.ids.next(ClueEvent),
                    clue=clue,
                    action=action,
                    from_status="" if action == ClueAction.RECEIVE else from_status,
                    to_status=clue.status,
                    disposal_method=clue.disposal_method,
                    from_org=orgs.get("from_org"),
                    to_org=orgs.get("to_org"),
                    note=note,
                    actor=by,
                    on_date=day,
                    at=at,
                    domain_key=clue.domain_key,
                )
            )
            clue.updated_at = at
            if action == ClueAction.RECEIVE:
                return
            after = _transition_state(clue)
            changes = {
                k: {"before": before.get(k), "after": after.get(k)}
                for k in after
                if before.get(k) != after.get(k)
            } | ({"note": note} if note else {})
            self.audit.append(
                {"actor": by, "action": AuditAction.TRANSITION, "obj": clue,
                 "summary": summary, "changes": changes}
            )  # fmt: skip

        event(ClueAction.RECEIVE, actor, plan.received, to_org=org)
        if plan.move is not None:
            move = plan.move
            current, target = clue.handling_org, self.orgs[move.to_org]

            def do_move(target: Any = target, action: str = move.action) -> None:
                clue.handling_org = target
                if action == ClueAction.ESCALATE:
                    clue.is_escalated = True
                else:
                    clue.is_direct = True

            event(
                move.action,
                self.actors[move.actor],
                move.on_date,
                move.note,
                f"{action_label(move.action)}：{current} → {target}",
                from_org=current,
                to_org=target,
                apply=do_move,
            )
        # Townships' clues are worked by their county's staff.
        worker = self.actors.get(plan.final_org) or self.actors[plan.unit]
        if plan.method:
            assert plan.disposed is not None  # dated by the planner
            disposed, method = plan.disposed, plan.method

            def do_dispose() -> None:
                clue.disposal_method = method
                clue.disposed_at = disposed
                clue.due_date = self._due(disposed, method)

            event(
                ClueAction.DISPOSE,
                worker,
                disposed,
                summary=f"处置：{method_label(method)}",
                apply=do_dispose,
            )
        if plan.change is not None:
            new_method, on_date, note = plan.change

            def do_change() -> None:
                clue.disposal_method = new_method
                clue.due_date = self._due(on_date, new_method)

            event(
                ClueAction.CHANGE_DISPOSAL,
                worker,
                on_date,
                note,
                f"变更处置方式：{method_label(new_method)}",
                apply=do_change,
            )
        # 案件审理室 records the outcomes of the city's rooms and groups; a county's or
        # the commission's own staff record theirs.
        recorder = worker
        if plan.final_org.startswith(("room:", "group:")):
            recorder = self.actors["trial"]
        for outcome_plan in plan.outcomes:
            assert outcome_plan.decision is not None  # dated by the planner
            person = self.people[outcome_plan.person] if outcome_plan.person is not None else None
            outcome = Outcome(
                pk=self.ids.next(Outcome),
                clue=clue,
                person=person,
                subject_name=person.name if person else outcome_plan.subject_name.strip(),
                kind=outcome_plan.kind,
                subtype=outcome_plan.subtype,
                responsibility_type=outcome_plan.responsibility,
                discipline_form=lifecycle.discipline_form(outcome_plan.kind, outcome_plan.subtype),
                decision_date=outcome_plan.decision,
                decided_by=clue.handling_org,
                funds_recovered=outcome_plan.funds,
                recorded_by=recorder,
                domain_key=clue.domain_key,
                created_at=moment(outcome_plan.decision, 30),
                updated_at=moment(outcome_plan.decision, 30),
            )
            self.outcomes.append(outcome)
            if person is not None:
                self._link(Clue, "subject_people", pk, [person.pk])
            self.audit.append(
                {"actor": recorder, "action": AuditAction.CREATE, "obj": outcome,
                 "object_repr": f"{outcome.subject_name} {kind_label(outcome.kind)}",
                 "changes": model_snapshot(outcome)}
            )  # fmt: skip
        if plan.closed is not None:
            closed = plan.closed

            def do_close() -> None:
                clue.conclusion = plan.conclusion
                clue.conclusion_text = plan.conclusion_text.strip()
                clue.closed_at = closed
                clue.due_date = None

            event(
                ClueAction.CLOSE,
                worker,
                closed,
                plan.conclusion_text,
                f"办结：{conclusion_label(plan.conclusion)}",
                apply=do_close,
            )
        self.clue_rows.append(clue)
        self.clues[plan.index] = clue
        return clue

    # 通报曝光 --------------------------------------------------------------------------

    def _exposures(self) -> None:
        batches: list[ExposureBatch] = []
        cases: list[ExposureCase] = []
        for exposure in self.plan.exposures:
            actor = self.actors[exposure.actor]
            tag = self.tags[exposure.domain]
            at = moment(exposure.published, 60)
            batch = ExposureBatch(
                pk=self.ids.next(ExposureBatch),
                title=exposure.title.strip(),
                published_on=exposure.published,
                org=self.orgs[exposure.publisher],
                medium=exposure.medium,
                created_by=actor,
                domain_key=domain_key([tag]),
                created_at=at,
                updated_at=at,
            )
            batches.append(batch)
            self._link(ExposureBatch, "domains", batch.pk, [tag.pk])
            for clue_plan, persons, title in exposure.cases:
                case = ExposureCase(
                    pk=self.ids.next(ExposureCase),
                    batch=batch,
                    title=title.strip(),
                    clue=self.clues[clue_plan.index],
                )
                cases.append(case)
                self._link(ExposureCase, "persons", case.pk, [self.people[i].pk for i in persons])
            self.audit.append(
                {"actor": actor, "action": AuditAction.CREATE, "obj": batch,
                 "changes": {**model_snapshot(batch), "cases": len(exposure.cases)}}
            )  # fmt: skip
        insert(ExposureBatch, batches)
        insert(ExposureCase, cases)


@functools.cache
def method_label(method: str) -> str:
    return str(DisposalMethod(method).label)


@functools.cache
def conclusion_label(conclusion: str) -> str:
    return str(Conclusion(conclusion).label) if conclusion else ""


@functools.cache
def action_label(action: str) -> str:
    return str(ClueAction(action).label)


@functools.cache
def kind_label(kind: str) -> str:
    return str(OutcomeKind(kind).label)
