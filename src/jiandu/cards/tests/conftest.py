"""A small world for the cards: 中共五华区委 beside 五华区人民政府 and 红云街道 under
五华区纪委监委; its two kinds of 常委/副职 and a 下级一把手; the 党风政风监督室's
``stats`` (issues, for the whole city), the 红云街道 staff who answer, and an outsider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from jiandu.accounts import roles as r
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.services import org_create
from jiandu.people.services import person_create, post_add
from jiandu.testing import make_user


@dataclass
class CardWorld:
    world: Any
    committee: Any
    government: Any
    conduct: Any
    deputy_secretary: Any
    vice_mayor: Any
    township_head: Any
    unit_head: Any
    stats: Any
    staff: Any
    outsider_staff: Any


def add_leader(actor, org, name, title, *, leader=False):
    person = person_create(actor=actor, name=name, registered_org=org)
    return post_add(
        actor=actor,
        person=person,
        org=org,
        title=title,
        management_level="county_managed",
        start_date=dt.date(2019, 1, 1),
        is_leader=leader,
    )


@pytest.fixture
def cw(world) -> CardWorld:
    from jiandu.accounts.models import User
    from jiandu.cards.reference import install_reference_data

    install_reference_data()
    system = User.objects.get(username="system-setup")
    committee = org_create(
        actor=system, name="中共五华区委", kind=OrgKind.COUNTY_UNIT, parent=world.county
    )
    government = org_create(
        actor=system, name="五华区人民政府", kind=OrgKind.COUNTY_UNIT, parent=world.county
    )
    conduct = org_create(
        actor=system, name="党风政风监督室", kind=OrgKind.CONDUCT_ROOM, parent=world.city
    )
    unit = org_create(
        actor=system, name="五华区财政局", kind=OrgKind.COUNTY_UNIT, parent=world.county
    )
    return CardWorld(
        world=world,
        committee=committee,
        government=government,
        conduct=conduct,
        deputy_secretary=add_leader(system, committee, "李副书", "副书记"),
        vice_mayor=add_leader(system, government, "王副区", "副区长"),
        township_head=add_leader(system, world.township, "赵书记", "党工委书记", leader=True),
        unit_head=add_leader(system, unit, "钱局长", "局长", leader=True),
        stats=make_user("stats", conduct, r.ROLE_STATISTICS, full_name="统计员"),
        staff=make_user("hongyun", world.township, r.ROLE_RECTIFICATION, full_name="街道干部"),
        outsider_staff=make_user("caizheng", world.unit_a, r.ROLE_RECTIFICATION),
    )


def previous_quarter() -> tuple[int, int]:
    from jiandu.cards.selectors import last_full_quarter

    return last_full_quarter()
