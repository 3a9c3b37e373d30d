"""A small world for the dossiers: the standard role world, three cadres of 市财政局
(supervised by 派驻第一组 under the city) with ID numbers, a 纪检监察干部 of the 第一
监督检查室, and a cadre of 盘龙区 (outside 五华区's jurisdiction)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from jiandu.accounts import roles as r
from jiandu.clues.choices import ClueSource, DisposalMethod, OutcomeKind, OutcomeSubtype
from jiandu.clues.services import clue_create, clue_dispose, outcome_record
from jiandu.core.idnumbers import make
from jiandu.people.choices import ManagementLevel
from jiandu.people.services import person_create, post_add
from jiandu.testing import build_role_world, make_user

D = dt.date


@dataclass
class DossierWorld:
    rw: Any
    stats: Any
    leader: Any
    county_user: Any
    zhang: Any
    li: Any
    wang: Any
    inspector: Any
    outsider: Any
    ids: dict[str, str]
    warning: Any  # zhang's party warning outcome


def cadre(actor, org, name, id_number, title="科长"):
    person = person_create(actor=actor, name=name, registered_org=org, id_number=id_number)
    post_add(actor=actor, person=person, org=org, title=title,
             management_level=ManagementLevel.values[0], start_date=D(2015, 1, 1))  # fmt: skip
    return person


@pytest.fixture
def dw(db) -> DossierWorld:
    rw = build_role_world()
    w = rw.world
    city = w.users["city"]
    ids = {
        "zhang": make("530102", D(1975, 3, 2), 11),
        "li": make("530102", D(1980, 7, 9), 22),
        "wang": make("530102", D(1969, 1, 30), 33),
        "inspector": make("530102", D(1982, 5, 5), 45),
        "outsider": make("530103", D(1970, 2, 2), 57),
    }
    zhang = cadre(city, w.unit_a, "张明", ids["zhang"], "副局长")
    li = cadre(city, w.unit_a, "李华", ids["li"])
    wang = cadre(city, w.unit_a, "王强", ids["wang"])
    inspector = cadre(city, w.room1, "赵敏", ids["inspector"], "副主任")
    outsider = cadre(city, w.other_county, "钱进", ids["outsider"])
    # 张明: 2018-06 党内警告 (seed 001)
    clue = clue_create(
        actor=city, source=ClueSource.PETITION, title="反映张明违规收受礼金",
        received_date=D(2018, 3, 1), handling_org=w.city, subject_people=[zhang],
    )  # fmt: skip
    clue_dispose(actor=city, clue=clue, method=DisposalMethod.CASE_FILED, on_date=D(2018, 4, 1))
    warning = outcome_record(actor=city, clue=clue, kind=OutcomeKind.PARTY_DISCIPLINE,
                             subtype=OutcomeSubtype.PARTY_WARNING, decision_date=D(2018, 6, 15),
                             person=zhang)  # fmt: skip
    # 李华: an open 初步核实 clue since 2026-01
    clue2 = clue_create(
        actor=city, source=ClueSource.PETITION, title="反映李华插手工程",
        received_date=D(2025, 12, 1), handling_org=w.city, subject_people=[li],
    )  # fmt: skip
    clue_dispose(actor=city, clue=clue2, method=DisposalMethod.PRELIMINARY_VERIFICATION,
                 on_date=D(2026, 1, 5))  # fmt: skip
    stats = rw.accounts["stats"]
    leader = rw.accounts["leader"]
    county_user = make_user("dossier-county", w.county, r.ROLE_DOSSIER)
    return DossierWorld(rw, stats, leader, county_user, zhang, li, wang, inspector, outsider,
                        ids, warning)  # fmt: skip
