"""Fixtures of the 督导 tests: the role world (``stats`` of 党风政风监督室 runs campaigns,
``rectify`` is the staff of the unit 市委办公室 — the world's 市财政局), a campaign with
the seed's 四级督导 chain, a 督导组 and an inspection, set up through the services."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook

from jiandu.oversight.models import ProblemCategory
from jiandu.people.models import Person
from jiandu.supervision import services
from jiandu.testing import build_role_world


@pytest.fixture
def rw(world):
    return build_role_world(world)


@pytest.fixture
def stats(rw):
    return rw.accounts["stats"]


@pytest.fixture
def rectify(rw):
    return rw.accounts["rectify"]


@pytest.fixture
def campaign(rw, stats):
    w = rw.world
    today = timezone.localdate()
    return services.campaign_create(
        actor=stats,
        name="“一问责八清理”专项行动",
        kind="special",
        starts_on=today - dt.timedelta(days=120),
        ends_on=today + dt.timedelta(days=120),
        lead_org=w.unit_b,
        units=[w.unit_a, w.township],
        chain=[
            services.ChainLevelSpec("牵头责任单位", w.unit_b),
            services.ChainLevelSpec("督导问责组", w.group1),
            services.ChainLevelSpec("领导小组办公室", rw.conduct_room),
            services.ChainLevelSpec("领导小组", w.city),
        ],
    )


@pytest.fixture
def team(campaign, stats, rw):
    people = [
        Person.objects.create(name=name, registered_org=rw.world.city)
        for name in ("王督导", "李督导")
    ]
    return services.team_create(
        actor=stats, campaign=campaign, name="第一督导问责组", members=people, leader=people[0]
    )


@pytest.fixture
def inspection(campaign, team, stats, rw):
    return services.inspection_record(
        actor=stats,
        campaign=campaign,
        held_on=timezone.localdate() - dt.timedelta(days=60),
        team=team,
        units=[rw.world.unit_a, rw.world.township],
    )


@pytest.fixture
def category(db):
    return ProblemCategory.objects.get(name="作风建设（四风）")


def xlsx(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    """A filled list template."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or list(services.TEMPLATE_COLUMNS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
