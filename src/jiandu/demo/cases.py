"""Carry out the case plan (see :mod:`jiandu.demo.plan`) through the case registry's
service functions, so every demo record has its timeline events and audit rows exactly
as if staff had entered it: 登记 → (交办) → 转为问题线索 → (提级查办 / 直查直办) → 处置 →
(变更处置方式) → 处理结果 → 办结, then 通报曝光.

Records are written in the order of their dates, so a repeated petition always finds the
earlier one it repeats (the registry's own repeat detection marks it), and 通报曝光
batches come after the clues they name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jiandu.clues import services
from jiandu.clues.choices import ClueAction
from jiandu.clues.models import DomainTag
from jiandu.demo.plan import CasePlan, CluePlan, PetitionPlan
from jiandu.demo.texts import DOMAIN_NAMES

ASSIGN_REASON = "经研判，按照管理权限交由{org}办理"
CONVERT_REASON = "反映问题具体、可查性强，按规定转为问题线索"


def create_domain_tags(*, actor: Any) -> dict[str, DomainTag]:
    """The problem domains (reference data), by code."""
    return {
        code: services.domain_tag_get_or_create(actor=actor, code=code, name=name, sort_order=order)
        for order, (code, name) in enumerate(DOMAIN_NAMES, start=1)
    }


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
        self.clues: dict[int, Any] = {}

    def run(self, progress: Callable[[float, str], None] | None = None) -> None:
        items: list[tuple[Any, int, str, Any]] = []
        for petition in self.plan.petitions:
            items.append((petition.received, 0, "petition", petition))
        for clue in self.plan.clues:
            if clue.petition is None:
                items.append((clue.received, 1, "clue", clue))
        items.sort(key=lambda item: (item[0], item[1], item[3].index))
        total = len(items) + len(self.plan.exposures)
        for done, (_day, _order, kind, item) in enumerate(items, start=1):
            if kind == "petition":
                self._petition(item)
            else:
                self._clue_lifecycle(item, self._create_clue(item))
            if progress is not None and done % 250 == 0:
                progress(done / total, f"信访举报和问题线索 {done}/{len(items)}")
        for exposure in self.plan.exposures:
            services.exposure_batch_create(
                actor=self.actors[exposure.actor],
                title=exposure.title,
                published_on=exposure.published,
                org=self.orgs[exposure.publisher],
                domains=[self.tags[exposure.domain]],
                medium=exposure.medium,
                cases=[
                    {
                        "title": title,
                        "clue": self.clues[clue.index],
                        "persons": [self.people[i] for i in persons],
                    }
                    for clue, persons, title in exposure.cases
                ],
            )
        if progress is not None:
            progress(1.0, "通报曝光")

    # petitions ------------------------------------------------------------------------

    def _petition(self, plan: PetitionPlan) -> None:
        registrar = self.actors[plan.registrar]
        reporter = plan.reporter
        petition = services.petition_register(
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
            services.petition_file(actor=registrar, petition=petition, reason=plan.reason)
        elif plan.fate == "transfer":
            services.petition_transfer(
                actor=registrar,
                petition=petition,
                transferred_to=plan.transferred_to,
                reason=plan.reason,
            )
        elif plan.clue is not None:
            if plan.assign_to:
                target = self.orgs[plan.assign_to]
                petition = services.petition_assign(
                    actor=self.actors["city"],
                    petition=petition,
                    to_org=target,
                    reason=ASSIGN_REASON.format(org=target.name),
                )
            clue_plan = plan.clue
            clue = services.petition_convert_to_clue(
                actor=self.actors[clue_plan.unit],
                petition=petition,
                reason=CONVERT_REASON,
                handling_org=self.orgs[clue_plan.handling],
                on_date=clue_plan.received,
            )
            self._clue_lifecycle(clue_plan, clue)

    # clues ----------------------------------------------------------------------------

    def _create_clue(self, plan: CluePlan) -> Any:
        return services.clue_create(
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

    def _clue_lifecycle(self, plan: CluePlan, clue: Any) -> None:
        if plan.move is not None:
            move = plan.move
            handler = (
                services.clue_escalate
                if move.action == ClueAction.ESCALATE
                else services.clue_direct_handle
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
            clue = services.clue_dispose(
                actor=worker, clue=clue, method=plan.method, on_date=plan.disposed
            )
        if plan.change is not None:
            method, on_date, note = plan.change
            clue = services.clue_change_disposal(
                actor=worker, clue=clue, method=method, on_date=on_date, note=note
            )
        # 案件审理室 records the outcomes of the city's rooms and groups; a county's or
        # the commission's own staff record theirs.
        recorder = worker
        if plan.final_org.startswith(("room:", "group:")):
            recorder = self.actors["trial"]
        for outcome in plan.outcomes:
            assert outcome.decision is not None  # dated by the planner
            services.outcome_record(
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
            clue = services.clue_close(
                actor=worker,
                clue=clue,
                conclusion=plan.conclusion,
                conclusion_text=plan.conclusion_text,
                on_date=plan.closed,
            )
        self.clues[plan.index] = clue
