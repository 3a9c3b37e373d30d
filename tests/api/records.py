"""Records for the API tests, set up through the real services."""

from __future__ import annotations

import datetime as dt

from jiandu.clues import services as clue_services
from jiandu.clues.choices import Channel, ClueSource
from jiandu.core import idnumbers
from jiandu.people.services import person_create

DAY = dt.date(2020, 3, 2)


def make_clue(world, user="county", org=None, title="某村干部截留低保金", day=DAY):
    return clue_services.clue_create(
        actor=world.users[user],
        source=ClueSource.SUPERVISION,
        title=title,
        received_date=day,
        handling_org=org or world.county,
        domains=[world.poverty],
    )


def make_person(world, org, name="李明", sequence=11):
    return person_create(
        actor=world.users["city"],
        name=name,
        registered_org=org,
        id_number=idnumbers.make("530102", dt.date(1975, 6, 1), sequence),
    )


def register_petition(world, user="county", **extra):
    data = {
        "received_date": DAY,
        "channel": Channel.LETTER,
        "title": "反映某街道低保金发放问题",
        "content": "某街道干部优亲厚友，违规发放低保金。",
    }
    data.update(extra)
    return clue_services.petition_register(actor=world.users[user], **data)
