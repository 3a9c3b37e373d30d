"""Fixtures of the 巡察 tests: the role world (``stats`` of 党风政风监督室 runs rounds for
the city; ``wuhua`` is 五华区纪委监委), and a talent pool of ten cadres with posts."""

from __future__ import annotations

import datetime as dt

import pytest

from jiandu.inspections import services
from jiandu.people.choices import ManagementLevel
from jiandu.people.models import Person, Post
from jiandu.testing import build_role_world


@pytest.fixture
def rw(world):
    return build_role_world(world)


@pytest.fixture
def actor(rw):
    return rw.accounts["stats"]


@pytest.fixture
def pool(rw, actor):
    """Ten cadres: four can lead; 财务 and 审计 spread; homes across the world's units."""
    w = rw.world
    homes = [w.unit_a, w.unit_b, w.county, w.township, w.other_county, w.city] * 2
    people = []
    for i in range(10):
        person = Person.objects.create(name=f"干部{i}", registered_org=w.city)
        Post.objects.create(
            person=person,
            org=homes[i],
            title="干部",
            management_level=ManagementLevel.GENERAL,
            start_date=dt.date(2020, 1, 1),
        )
        skills = ["财务"] if i % 3 == 0 else (["审计"] if i % 3 == 1 else ["法律"])
        services.talent_set(actor=actor, person=person, skills=skills, can_lead=i < 4)
        people.append(person)
    rw.pool_people = people
    return people
