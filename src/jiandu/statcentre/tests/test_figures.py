"""Each figure's 口径 on constructed data; 同比/环比 with empty previous periods; the
drill-down lists exactly the records counted; few queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiandu.core.figures import figure
from jiandu.statcentre import compute, selectors
from jiandu.statcentre.periods import parse_period
from jiandu.statcentre.tests import factories as f

D = dt.date
pytestmark = pytest.mark.django_db


TODAY = D(2027, 1, 10)


def _table(user, org, period, today=TODAY):
    page = selectors.statistics_page(user=user, org=org, period=parse_period(period), today=today)
    return {row.key: row for _g, rows in page.groups for row in rows}


@pytest.fixture
def data(world):
    u = world.users["county"]
    c, town, other = world.county, world.township, world.other_county
    # 2026: 4 petitions in the county (one in its township), 1 elsewhere.
    p1 = f.petition(c, u, D(2026, 3, 1), closed=D(2026, 3, 5), real_name=True)
    f.petition(town, u, D(2026, 3, 2), first=False, repeat_of=p1)
    f.petition(c, u, D(2026, 3, 3), closed=D(2026, 4, 2))  # closed after March
    f.petition(c, u, D(2026, 3, 31))  # open
    f.petition(other, u, D(2026, 3, 2))
    # 2025: the backlog: received before 2026, open at its start
    f.petition(c, u, D(2025, 12, 30), closed=D(2026, 3, 10))
    f.petition(c, u, D(2025, 11, 30))
    f.petition(c, u, D(2025, 3, 10), closed=D(2025, 3, 11))
    f.petition(c, u, D(2025, 3, 12))
    cl1 = f.clue(
        c, u, D(2026, 3, 2), disposed=D(2026, 3, 9), method="case_filed", closed=D(2026, 3, 30)
    )
    cl2 = f.clue(
        c, u, D(2026, 3, 2), source="inspection", disposed=D(2026, 3, 9), method="talk_inquiry"
    )
    f.outcome(cl1, u, D(2026, 3, 30), "party_discipline", 2, funds="1200.50")
    f.outcome(cl1, u, D(2026, 3, 30), "criticism", 1, funds="0.25")
    f.outcome(cl2, u, D(2026, 3, 30), "criticism", 1, archived=True)
    f.outcome(cl2, u, D(2026, 3, 30), "name_cleared", None)
    f.exposure(c, u, D(2026, 3, 20), cases=2)
    return world


def test_petition_figures_follow_their_definitions(data):
    rows = _table(data.users["county"], data.county, "2026-03")
    assert rows["petitions_received"].value == 4  # other county's not counted
    assert rows["petitions_first"].value == 3
    assert rows["petitions_repeat"].value == 1
    assert rows["petitions_real_name"].value == 1
    assert rows["real_name_share"].value == Decimal("25.0")
    assert rows["petitions_closed"].value == 1  # closed by 31 March
    assert rows["petitions_first_closed"].value == 1
    assert rows["first_closed_rate"].value == Decimal("33.3")
    # backlog at 1 March: the three received before it and open then
    assert rows["petitions_backlog"].value == 3
    assert rows["petitions_backlog_resolved"].value == 1
    assert rows["backlog_rate"].value == Decimal("33.3")


def test_clue_outcome_and_exposure_figures(data):
    rows = _table(data.users["county"], data.county, "2026-03")
    assert rows["clues_received"].value == 2
    assert rows["clues_source_petition"].value == 1
    assert rows["clues_source_inspection"].value == 1
    assert rows["clues_disposed"].value == 2
    assert rows["clues_disposal_case_filed"].value == 1
    assert rows["case_filing_rate"].value == Decimal("50.0")
    assert rows["clues_closed"].value == 1
    # archived outcomes and those outside the four forms do not count
    assert rows["discipline_forms"].value == 2
    assert rows["discipline_form_1"].value == 1
    assert rows["first_form_share"].value == Decimal("50.0")
    assert rows["outcome_party_discipline"].value == 1
    assert rows["funds_recovered"].value == Decimal("1200.75")
    assert rows["exposure_batches"].value == 1
    assert rows["exposure_cases"].value == 2


def test_year_on_year_and_empty_previous_periods_show_no_value(data):
    rows = _table(data.users["county"], data.county, "2026-03")
    # March 2025: two petitions → 4 vs 2 = +100.0 %
    assert rows["petitions_received"].last_year == 2
    assert rows["petitions_received"].yoy == Decimal("100.0")
    # February 2026 is empty: 环比 has no value, never infinity
    assert rows["petitions_received"].previous == 0
    assert rows["petitions_received"].mom is None
    # a ratio whose previous denominator is 0 has no point change
    assert rows["case_filing_rate"].yoy is None
    # 初信初访办结率: 33.3 % now, 50 % a year earlier → −16.7 points from exact fractions
    assert rows["first_closed_rate"].last_year == Decimal("50.0")
    assert rows["first_closed_rate"].yoy == Decimal("-16.7")


def test_same_period_across_the_year_end(data):
    u = data.users["county"]
    f.petition(data.county, u, D(2025, 1, 15))
    f.petition(data.county, u, D(2024, 12, 15))
    f.petition(data.county, u, D(2024, 12, 16))
    rows = _table(u, data.county, "2025-01")
    assert rows["petitions_received"].value == 1
    assert rows["petitions_received"].previous == 2  # December 2024
    assert rows["petitions_received"].mom == Decimal("-50.0")
    assert rows["petitions_received"].last_year == 0
    assert rows["petitions_received"].yoy is None


def test_rounding_is_half_up_on_exact_values():
    assert compute.percent(1, 8) == Decimal("12.5")
    assert compute.percent(1, 16) == Decimal("6.3")  # 6.25 → 6.3
    assert compute.change(3, 16) == Decimal("-81.3")  # −81.25 → −81.3 (away from zero)
    assert compute.percent(0, 0) is None


@pytest.mark.parametrize(
    "key",
    ["petitions_received", "petitions_first_closed", "petitions_backlog", "petitions_backlog_resolved",  # noqa: E501
     "clues_disposal_case_filed", "discipline_form_1", "exposure_cases", "exposure_persons"],
)  # fmt: skip
def test_drill_down_lists_exactly_the_records_counted(data, key):
    u = data.users["county"]
    rows = _table(u, data.county, "2026-03")
    fig, qs = selectors.drill_records(
        user=u, org=data.county, key=key, period=parse_period("2026-03")
    )
    assert qs.count() == rows[key].value
    assert fig.key == key


def test_the_page_is_a_few_grouped_queries_not_one_per_figure(data):
    with CaptureQueriesContext(connection) as ctx:
        selectors.statistics_page(
            user=data.users["city"], org=data.city, period=parse_period("2026"), today=D(2027, 1, 1)
        )
    # the sources (petitions, backlog, clues × 3 dates, outcomes, exposure × 3), the trend
    # lines (2), the scope (2), the jurisdiction (a few) — not 60 figures × 3 periods
    assert len(ctx.captured_queries) <= 20


def test_city_counts_its_counties_and_a_county_only_itself(data):
    city_rows = _table(data.users["city"], data.city, "2026-03")
    assert city_rows["petitions_received"].value == 5
    county_rows = _table(data.users["county"], data.county, "2026-03")
    assert county_rows["petitions_received"].value == 4


def test_registry_declares_a_definition_for_every_figure():
    from jiandu.core.figures import figures

    for fig in figures():
        assert fig.definition and fig.label, fig.key
    assert figure("first_form_share").is_ratio
