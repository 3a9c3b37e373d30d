"""The demo's draws avoid the relatives its 比对数据 name (demo.inspections._pool_relatives)."""

from __future__ import annotations

import pytest

from jiandu.datacheck.models import DatasetVersion
from jiandu.inspections.draw import SOURCE_HOUSEHOLD, SOURCE_RELATIONS
from jiandu.inspections.models import InspectionRound

pytestmark = pytest.mark.django_db


def test_demo_draws_avoid_relatives_from_the_comparison_data(small_demo):
    rounds = InspectionRound.objects.order_by("starts_on")
    owner = rounds[0].owner_org
    assert {v.dataset for v in DatasetVersion.objects.filter(org=owner)} >= {
        "persons",
        "relations",
        "cadres",
    }
    derived = []
    for item in rounds:
        draw = item.draws.get(adopted=True)
        teams = {t["target"]: {m["person_id"] for m in t["members"]} for t in draw.result["teams"]}
        for pair in draw.inputs["avoid"]:
            if pair["source"] in (SOURCE_RELATIONS, SOURCE_HOUSEHOLD):
                derived.append(pair)
                assert pair["person_id"] not in teams.get(pair["org_id"], set())
                assert "在" in pair["note"] and "任职" in pair["note"]
    assert {p["source"] for p in derived} == {SOURCE_RELATIONS, SOURCE_HOUSEHOLD}
    assert len(derived) == 6
