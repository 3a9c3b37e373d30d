"""A board world: the standard test world plus the built-in boards, three 脱贫摘帽县
counties and a second stationed group, officers in each, and helpers that write case
records through the real services on given days of 2020."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from jiandu.accounts import roles as r
from jiandu.boards.builtins import LABEL_LEAD_GROUP, LABEL_POVERTY_COUNTY
from jiandu.boards.models import Board
from jiandu.boards.services import board_install_builtins
from jiandu.clues import services as clue_services
from jiandu.clues.choices import (
    ClueSource,
    Conclusion,
    DisposalMethod,
    OutcomeKind,
    OutcomeSubtype,
    ResponsibilityType,
)
from jiandu.clues.models import Clue, DomainTag
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org
from jiandu.orgs.services import org_create, org_label_get_or_create
from jiandu.people.services import person_create
from jiandu.testing import World, make_user, role_group

SUBTYPE = {
    OutcomeKind.CRITICISM: OutcomeSubtype.CRITICISM,
    OutcomeKind.ACCOUNTABILITY: OutcomeSubtype.ACC_CIRCULATE,
    OutcomeKind.PARTY_DISCIPLINE: OutcomeSubtype.PARTY_WARNING,
    OutcomeKind.GOVERNMENT_SANCTION: OutcomeSubtype.GOV_WARNING,
}


def day(month: int, d: int = 10) -> dt.date:
    return dt.date(2020, month, d)


@dataclass
class BoardWorld:
    world: World
    counties_board: Board
    stationed_board: Board
    dongchuan: Org
    luquan: Org
    group2: Org
    officers: dict[int, Any] = field(default_factory=dict)
    person_count: int = 0

    @property
    def users(self) -> dict[str, Any]:
        return self.world.users

    def officer(self, org: Org) -> Any:
        """An officer of ``org`` (who registers its clues)."""
        if org.pk not in self.officers:
            self.officers[org.pk] = make_user(f"officer{org.pk}", org, r.ROLE_CLUES, r.ROLE_TRIAL)
        return self.officers[org.pk]

    def person(self, org: Org) -> Any:
        self.person_count += 1
        return person_create(
            actor=self.users["city"], name=f"干部{self.person_count}", registered_org=org
        )

    def clue(
        self,
        org: Org,
        received: dt.date,
        *,
        domain: bool = True,
        registered_by: Org | None = None,
    ) -> Clue:
        return clue_services.clue_create(
            actor=self.officer(registered_by or org),
            source=ClueSource.PETITION,
            title=f"{org.name}扶贫领域问题线索",
            received_date=received,
            handling_org=org,
            domains=[self.world.poverty] if domain else [],
        )

    def receive(self, org: Org, month: int, n: int, **kwargs: Any) -> list[Clue]:
        return [self.clue(org, day(month, 1 + i % 25), **kwargs) for i in range(n)]

    def dispose(self, clue: Clue, on: dt.date, method: str = DisposalMethod.DISMISSED) -> Clue:
        return clue_services.clue_dispose(
            actor=self.officer(clue.handling_org), clue=clue, method=method, on_date=on
        )

    def close(self, clue: Clue, on: dt.date) -> Clue:
        return clue_services.clue_close(
            actor=self.officer(clue.handling_org),
            clue=clue,
            conclusion=Conclusion.UNSUBSTANTIATED,
            on_date=on,
        )

    def outcome(self, clue: Clue, kind: str, on: dt.date, responsibility: str = "") -> Any:
        if kind == OutcomeKind.ACCOUNTABILITY and not responsibility:
            responsibility = ResponsibilityType.LEADERSHIP
        return clue_services.outcome_record(
            actor=self.officer(clue.handling_org),
            clue=clue,
            kind=kind,
            subtype=SUBTYPE.get(kind, ""),
            responsibility_type=responsibility,
            decision_date=on,
            person=self.person(clue.handling_org),
        )

    def exposure(self, org: Org, on: dt.date, persons: int, *, domain: bool = True) -> Any:
        return clue_services.exposure_batch_create(
            actor=self.officer(org),
            title=f"{org.name}通报曝光",
            published_on=on,
            org=org,
            domains=[self.world.poverty] if domain else [],
            cases=[{"title": "典型问题", "persons": [self.person(org) for _ in range(persons)]}],
        )

    def direct(self, clue: Clue, to_org: Org, on: dt.date) -> Clue:
        return clue_services.clue_direct_handle(
            actor=self.officer(to_org), clue=clue, to_org=to_org, note="直查直办", on_date=on
        )

    def grant_view(self, name: str) -> Any:
        """Give a persona the 领导查阅 role (boards.view_board)."""
        user = self.users[name]
        user.groups.add(role_group(r.ROLE_LEADER))
        return type(user).objects.get(pk=user.pk)


@pytest.fixture
def bw(world) -> BoardWorld:
    system = world.users["city"]
    poverty_label = org_label_get_or_create(actor=system, name=LABEL_POVERTY_COUNTY)
    lead_label = org_label_get_or_create(actor=system, name=LABEL_LEAD_GROUP)
    world.county.labels.add(poverty_label)
    dongchuan = org_create(
        actor=system,
        name="东川区纪委监委",
        kind=OrgKind.COUNTY,
        parent=world.city,
        region_code="530113",
        labels=[poverty_label],
    )
    luquan = org_create(
        actor=system,
        name="禄劝县纪委监委",
        kind=OrgKind.COUNTY,
        parent=world.city,
        region_code="530128",
        labels=[poverty_label],
    )
    group2 = org_create(
        actor=system,
        name="派驻第二纪检监察组",
        kind=OrgKind.STATIONED_GROUP,
        parent=world.city,
        labels=[lead_label],
    )
    assert DomainTag.objects.filter(code="poverty").exists()
    stationed, counties = board_install_builtins(actor=system, owner=world.city)
    return BoardWorld(
        world=world,
        counties_board=counties,
        stationed_board=stationed,
        dongchuan=dongchuan,
        luquan=luquan,
        group2=group2,
    )


def populate(bw: BoardWorld) -> None:
    """A demo-like quarter: every statistic of both built-in boards has records in
    several units and months, in the units' subtrees, some outside the 扶贫 domain."""
    w = bw.world
    plan = {
        w.county: (4, 2, 1),
        bw.dongchuan: (2, 3, 0),
        bw.luquan: (1, 0, 2),
        w.group1: (3, 1, 1),
        w.room1: (1, 2, 0),
        bw.group2: (0, 1, 2),
    }
    for org, per_month in plan.items():
        for month, n in enumerate(per_month, start=1):
            clues = bw.receive(org, month, n)
            for i, clue in enumerate(clues):
                if i % 2 == 0:
                    bw.dispose(clue, day(month, 26))
                    bw.close(clue, day(month, 27))
                if i % 3 == 0:
                    bw.outcome(clue, OutcomeKind.CRITICISM, day(month, 26))
                if i % 3 == 1:
                    bw.outcome(
                        clue,
                        OutcomeKind.ACCOUNTABILITY,
                        day(month, 26),
                        ResponsibilityType.PRINCIPAL,
                    )
            bw.receive(org, month, 1, domain=False)
    township_clue = bw.clue(w.township, day(2, 3))
    bw.outcome(township_clue, OutcomeKind.PARTY_DISCIPLINE, day(2, 20))
    bw.outcome(township_clue, OutcomeKind.GOVERNMENT_SANCTION, day(3, 5))
    bw.outcome(township_clue, OutcomeKind.ACCOUNTABILITY, day(3, 6), ResponsibilityType.SUPERVISORY)
    bw.direct(township_clue, w.county, day(3, 8))
    bw.exposure(w.county, day(1, 20), persons=2)
    bw.exposure(bw.dongchuan, day(2, 20), persons=3)
    bw.exposure(bw.dongchuan, day(3, 20), persons=1)
    bw.exposure(bw.luquan, day(3, 21), persons=1, domain=False)
