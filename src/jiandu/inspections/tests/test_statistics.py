"""Statistics across rounds and per 单元 on constructed data: every figure, the drill-down
equality (figure == records listed, pages and API), scoping (a county counts its own
targets; outside: nothing, 404), and a query count that does not grow with the rounds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jiandu.clues.choices import DisposalMethod
from jiandu.clues.models import Clue, Outcome
from jiandu.inspections import services, statistics, units
from jiandu.inspections.choices import CheckOutcomeKind
from jiandu.inspections.tests.helpers import make_round
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.services import org_create
from jiandu.oversight.choices import RectificationStatus
from jiandu.oversight.models import ProblemCategory, Rectification

pytestmark = pytest.mark.django_db
API = "/api/v1/inspections"


def _round(rw, actor, *, name, form, targets, seed):
    item = make_round(rw, actor, name=name, form=form, targets=targets, focus_items={})
    draw = services.round_draw(actor=actor, round=item, seed=seed)
    assert draw.feasible, draw.result
    services.round_advance(actor=actor, round=item, to_stage="stationed")
    return item


def _find(actor, item, org, n, *, closed=0):
    category = ProblemCategory.objects.first()
    made = [services.finding_add(actor=actor, round=item, org=org, description=f"问题{i}",
                                 category=category) for i in range(n)]  # fmt: skip
    Rectification.objects.filter(problem__in=made[:closed]).update(
        status=RectificationStatus.CLOSED
    )


def _clues(actor, item, org, n, *, filed=0, funds=()):
    made = [services.clue_transfer(actor=actor, round=item, org=org, title=f"线索{i}",
                                   handling_org=actor.org.parent) for i in range(n)]  # fmt: skip
    Clue.objects.filter(pk__in=[c.pk for c in made[:filed]]).update(
        disposal_method=DisposalMethod.CASE_FILED
    )
    for clue, amount in zip(made, funds, strict=False):
        Outcome.objects.create(clue=clue, subject_name="某某", kind="party_discipline",
                               decision_date=timezone.localdate(), decided_by=clue.handling_org,
                               funds_recovered=Decimal(amount), recorded_by=actor)  # fmt: skip
    return made


@pytest.fixture
def data(rw, actor, pool):
    """Round A (板块式): 五华区 (unit: 4 problems, 1 销号; 3 clues, 1 立案, 1,000元),
    a 五华区 community (village: 2 problems, 2 销号; 4 clues, 3 立案, 500 + 250元),
    盘龙区 (unit: 1 problem; 1 clue). Round B (联动式): 市财政局 (3 problems; 2 clues, 2 立案)."""
    w = rw.world
    village = org_create(actor=rw.accounts.get("data", actor),
                         name="红云社区", kind=OrgKind.VILLAGE, parent=w.township,
                         region_code="530102001001")  # fmt: skip
    a = _round(rw, actor, name="第一轮", form="sector", targets=[w.county, village, w.other_county],
               seed=3)  # fmt: skip
    b = _round(rw, actor, name="第二轮", form="linked", targets=[w.unit_a], seed=5)
    _find(actor, a, w.county, 4, closed=1)
    _find(actor, a, village, 2, closed=2)
    _find(actor, a, w.other_county, 1)
    _find(actor, b, w.unit_a, 3)
    _clues(actor, a, w.county, 3, filed=1, funds=["1000"])
    _clues(actor, a, village, 4, filed=3, funds=["500", "250"])
    _clues(actor, a, w.other_county, 1)
    _clues(actor, b, w.unit_a, 2, filed=2)
    return {"a": a, "b": b, "village": village}


def _rows(user, by):
    return {r.label: r for r in statistics.round_statistics(user=user, by=by)}


def test_every_figure_by_round_form_level_and_kind(rw, actor, data):
    rows = _rows(actor, "round")
    first, second = rows["第一轮"], rows["第二轮"]
    assert (first.problems, first.closed, first.clues, first.case_filed) == (7, 3, 8, 4)
    assert first.completion == 42.9 and first.case_rate == 50.0
    assert first.funds == Decimal("1750")
    assert (second.problems, second.closed, second.clues, second.case_filed) == (3, 0, 2, 2)
    assert second.case_rate == 100.0 and second.funds == 0
    forms = _rows(actor, "form")
    assert forms["板块式"].problems == 7 and forms["联动式"].clues == 2
    levels = _rows(actor, "level")
    assert list(levels) == ["市县统合"] and levels["市县统合"].problems == 10
    kinds = _rows(actor, "kind")
    village, unit = kinds["村（社区）"], kinds["单位"]
    assert (village.problems, village.closed, village.clues, village.case_filed) == (2, 2, 4, 3)
    assert village.case_rate == 75.0 and village.completion == 100.0
    assert village.funds == Decimal("750")
    assert (unit.problems, unit.clues, unit.case_filed) == (8, 6, 3)


@pytest.mark.parametrize("by", ["round", "form", "level", "kind"])
def test_each_figure_drills_to_exactly_its_records(rw, actor, data, by):
    for row in statistics.round_statistics(user=actor, by=by):
        for figure, expected in (("problems", row.problems), ("closed", row.closed),
                                 ("clues", row.clues), ("case_filed", row.case_filed)):  # fmt: skip
            records = statistics.round_records(user=actor, figure=figure, by=by, key=row.key)
            assert records.count() == expected, (by, row.label, figure)
        funds = statistics.round_records(user=actor, figure="funds", by=by, key=row.key)
        assert sum(o.funds_recovered for o in funds) == row.funds


def test_page_and_api_figures_equal_the_records_they_link_to(client, rw, actor, data):
    client.force_login(actor)
    page = client.get("/inspections/statistics/?by=kind")
    assert page.status_code == 200
    assert "村（社区）" in page.content.decode()
    body = client.get(f"{API}/statistics?by=kind").json()
    for row in body["rows"]:
        for figure in ("problems", "closed", "clues", "case_filed"):
            listed = client.get(row["records"][figure]).json()
            assert len(listed) == row[figure], (row["label"], figure)
            html = client.get(
                f"/inspections/statistics/records/?figure={figure}&by=kind&key={row['key']}"
            ).content.decode()
            assert f"共{row[figure]}条" in html
        funds = client.get(row["records"]["funds"]).json()
        assert sum(Decimal(str(o["funds_recovered"])) for o in funds) == Decimal(
            str(row["funds_recovered"])
        )


def test_county_counts_its_own_targets_and_outsiders_see_nothing(client, rw, data):
    wuhua = rw.accounts["wuhua"]
    rows = _rows(wuhua, "round")
    # 五华区 and its community: 6 problems, 7 clues; 盘龙区's are not counted.
    assert (rows["第一轮"].problems, rows["第一轮"].clues) == (6, 7)
    assert "第二轮" not in rows
    client.force_login(wuhua)
    listed = client.get(
        f"{API}/statistics/records?figure=problems&by=round&key={data['a'].pk}"
    ).json()
    assert {r["org"]["name"] for r in listed} == {"五华区纪委监委", "红云社区"}
    assert (
        client.get(
            f"/inspections/statistics/records/?figure=clues&by=round&key={data['b'].pk}"
        ).status_code
        == 404
    )
    other = rw.accounts["dongchuan"]
    assert statistics.round_statistics(user=other, by="round") == []
    client.force_login(other)
    assert client.get(f"{API}/statistics?by=round").json()["rows"] == []
    assert (
        client.get(f"{API}/statistics/records?figure=problems&by=round&key={data['a'].pk}").json()
        == []
    )
    assert client.get(f"{API}/statistics?by=nonsense").status_code == 400


def test_query_count_does_not_grow_with_rounds(rw, actor, data, django_assert_num_queries):
    with django_assert_num_queries(3) as first:
        statistics.round_statistics(user=actor, by="form")
    _round(rw, actor, name="第三轮", form="menu", targets=[rw.world.unit_b], seed=9)
    with django_assert_num_queries(len(first.captured_queries)):
        statistics.round_statistics(user=actor, by="form")


@pytest.fixture
def unit_data(rw, actor, pool):
    w = rw.world
    unit = units.unit_create(
        actor=actor, name="第一监督单元",
        members=[(w.group1, "stationed"), (w.township, "township"), (w.unit_b, "department")],
        covered=[w.unit_a, w.county, w.other_county],
    )  # fmt: skip
    today = timezone.localdate()
    category = ProblemCategory.objects.first()
    checks = []
    for n, targets in enumerate(([w.county], [w.county, w.unit_a])):
        check = units.check_create(actor=actor, unit=unit, name=f"检查{n}", topic="节假日",
                                   held_on=today, targets=targets)  # fmt: skip
        units.check_draw(actor=actor, check=check, seed=4 + n)
        for i in range(2 + n):
            units.check_finding_add(actor=actor, check=check, org=targets[0],
                                    description=f"问题{i}", category=category)  # fmt: skip
            units.check_outcome_record(actor=actor, check=check, kind=CheckOutcomeKind.ORDER,
                                       org=targets[0])  # fmt: skip
        checks.append(check)
    units.check_outcome_record(actor=actor, check=checks[0], kind=CheckOutcomeKind.TALK,
                               org=w.county, person_name="王某")  # fmt: skip
    units.check_outcome_record(actor=actor, check=checks[1], kind=CheckOutcomeKind.ADMONISH,
                               org=w.county, person_name="李某")  # fmt: skip
    # Last year's check does not count this year.
    last_year = today - dt.timedelta(days=400)
    units.check_create(actor=actor, unit=unit, name="去年", topic="扶贫", held_on=last_year,
                       targets=[w.other_county])  # fmt: skip
    return unit


def test_unit_figures_and_their_records(client, rw, actor, unit_data):
    year = timezone.localdate().year
    (row,) = statistics.unit_statistics(user=actor, year=year)
    assert (row.checks, row.problems, row.orders, row.talks, row.admonitions) == (2, 5, 5, 1, 1)
    assert (row.covered, row.checked, row.coverage) == (3, 2, 66.7)
    for figure in ("checks", "problems", "orders", "talks", "admonitions", "covered", "checked"):
        records = statistics.unit_records(user=actor, unit_id=row.unit_id, figure=figure,
                                          year=year)  # fmt: skip
        assert records.count() == getattr(row, figure), figure
    unchecked = statistics.unit_records(user=actor, unit_id=row.unit_id, figure="unchecked",
                                        year=year)  # fmt: skip
    assert [r.org.name for r in unchecked] == ["盘龙区纪委监委"]
    client.force_login(actor)
    body = client.get(f"{API}/statistics/units?year={year}").json()
    assert body[0]["orders"] == 5
    assert len(client.get(body[0]["records"]["orders"]).json()) == 5
    page = client.get(
        f"/inspections/statistics/units/{row.unit_id}/records/?figure=talks&year={year}"
    )
    assert "共1条" in page.content.decode() and "王某" in page.content.decode()
    other = rw.accounts["dongchuan"]
    assert statistics.unit_statistics(user=other, year=year) == []
    client.force_login(other)
    assert (
        client.get(
            f"{API}/statistics/units/{row.unit_id}/records?figure=checks&year={year}"
        ).status_code
        == 404
    )
    assert (
        client.get(
            f"/inspections/statistics/units/{row.unit_id}/records/?figure=checks&year={year}"
        ).status_code
        == 404
    )
