"""单元制: a unit with its members and covered units, the yearly plan, a special check
drawn with 回避, the six steps legal and illegal, problems into the loop, outcomes,
open problems before the next check, coverage and the unit's figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiandu.inspections import units
from jiandu.inspections.choices import CHECK_STEP_ORDER, CheckOutcomeKind
from jiandu.oversight.models import ProblemCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(rw, actor, pool):
    w = rw.world
    return units.unit_create(
        actor=actor,
        name="第一监督单元",
        members=[(w.group1, "stationed"), (w.township, "township"), (w.unit_b, "department")],
        covered=[w.unit_a, w.county, w.other_county],
    )


def test_unit_needs_its_two_core_members(rw, actor):
    w = rw.world
    with pytest.raises(ValidationError, match="派驻纪检监察组"):
        units.unit_create(actor=actor, name="x", members=[(w.group1, "stationed")],
                          covered=[w.unit_a])  # fmt: skip


def test_check_through_six_steps_with_findings_outcomes_and_coverage(rw, actor, unit):
    w = rw.world
    year = timezone.localdate().year
    units.coverage_plan_set(actor=actor, unit=unit, year=year,
                            orgs=[w.unit_a, w.county], key=[w.county])  # fmt: skip
    with pytest.raises(ValidationError, match="重点检查"):
        units.coverage_plan_set(actor=actor, unit=unit, year=year, orgs=[w.unit_a], key=[w.county])
    check = units.check_create(actor=actor, unit=unit, name="节假日专项检查", topic="节假日",
                               held_on=timezone.localdate(), targets=[w.county],
                               required_skills=["财务"])  # fmt: skip
    with pytest.raises(ValidationError, match="尚未抽取"):
        units.check_advance(actor=actor, check=check, to_step="ledgers")
    drawn = units.check_draw(actor=actor, check=check, seed=4)
    assert drawn["result"]["teams"], drawn
    members = set(check.members.values_list("pk", flat=True))
    assert len(members) == 3
    # Nobody from 五华区 or its 红云街道 checks 五华区 (homes of 干部2,3,8,9).
    homes = {p.pk for p in rw.pool_people if p.name in ("干部2", "干部3", "干部8", "干部9")}
    assert not members & homes
    with pytest.raises(ValidationError, match="按顺序"):
        units.check_advance(actor=actor, check=check, to_step="review")
    problem = units.check_finding_add(actor=actor, check=check, org=w.county,
                                      description="节日期间公车私用",
                                      category=ProblemCategory.objects.first())  # fmt: skip
    assert problem.source.name == "单元制监督检查"
    for step in CHECK_STEP_ORDER[1:]:
        units.check_advance(actor=actor, check=check, to_step=step)
    with pytest.raises(ValidationError, match="回头看以后"):
        units.check_finding_add(actor=actor, check=check, org=w.county, description="y",
                                category=ProblemCategory.objects.first())  # fmt: skip
    units.check_outcome_record(actor=actor, check=check, kind=CheckOutcomeKind.ORDER, org=w.county)
    units.check_outcome_record(actor=actor, check=check, kind=CheckOutcomeKind.TALK, org=w.county,
                               person_name="王某")  # fmt: skip
    with pytest.raises(ValidationError, match="写明对象"):
        units.check_outcome_record(actor=actor, check=check, kind=CheckOutcomeKind.ADMONISH,
                                   org=w.county)  # fmt: skip
    assert [p.pk for p in units.open_problems(unit)] == [problem.pk]
    seen = units.coverage(unit, year)
    assert seen["checked"] == [w.county]
    assert seen["unchecked"][0] == w.unit_a  # planned, not yet checked: listed first
    figures = units.unit_figures(unit, year)
    assert figures == {"checks": 1, "problems": 1, "orders": 1, "talks": 1, "admonitions": 0,
                       "covered": 3, "checked": 1}  # fmt: skip


def test_check_cooldown_counts_earlier_checks(rw, actor, unit):
    w = rw.world
    first = units.check_create(actor=actor, unit=unit, name="扶贫专项检查", topic="扶贫",
                               held_on=timezone.localdate() - dt.timedelta(days=30),
                               targets=[w.unit_a])  # fmt: skip
    units.check_draw(actor=actor, check=first, seed=1)
    before = set(first.members.values_list("pk", flat=True))
    second = units.check_create(actor=actor, unit=unit, name="高档烟酒专项检查", topic="高档烟酒",
                                held_on=timezone.localdate(), targets=[w.unit_a])  # fmt: skip
    result = units.check_draw(actor=actor, check=second, seed=1)
    if result["result"].get("teams"):
        assert not before & set(second.members.values_list("pk", flat=True))
    else:
        assert result["result"]["infeasible"]
