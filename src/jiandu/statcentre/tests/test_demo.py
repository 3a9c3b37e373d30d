"""After ``jiandu demo``: one month of submitted returns (every county and the city),
last month left open, and the current year's petitions falling against the same period
of last year as seed 004's (检举控告 about −45 %)."""

from __future__ import annotations

import datetime as dt

import pytest

from jiandu.accounts.models import User
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org
from jiandu.statcentre import selectors
from jiandu.statcentre.models import StatReturn
from jiandu.statcentre.periods import Period
from jiandu.testing import SMALL_DEMO_TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(small_demo):
    return small_demo


def test_one_month_of_returns_is_submitted_by_every_county_and_the_city(demo):
    returns = StatReturn.objects.all()
    assert {r.period_start for r in returns} == {dt.date(2026, 10, 1)}
    assert all(r.is_locked for r in returns)
    counties = Org.objects.filter(kind=OrgKind.COUNTY).count()
    assert returns.count() == counties + 1
    city = returns.get(org__kind=OrgKind.COMMISSION)
    summed = sum(r.values["petitions_received"] for r in returns if r.pk != city.pk)
    assert city.values["petitions_received"] >= summed  # plus the city's own level


def test_the_current_year_falls_like_seed_004(demo):
    stats = User.objects.get(username="stats")
    city = Org.objects.get(kind=OrgKind.COMMISSION)
    period = Period("range", dt.date(2026, 1, 1), SMALL_DEMO_TODAY - dt.timedelta(days=1))
    page = selectors.statistics_page(user=stats, org=city, period=period, today=SMALL_DEMO_TODAY)
    rows = {r.key: r for _g, items in page.groups for r in items if not isinstance(r, dict)}
    # The small demo (5 % of the volumes) is noisy: the direction and rough size only;
    # the full demo's measured figures are in docs/user-guide/statistics.md.
    received = rows["petitions_received"]
    assert received.yoy is not None and -65 < received.yoy < -25, received


def test_the_demo_builds_the_daily_aggregate_equal_to_the_raw_records(demo):
    from jiandu.statcentre.models import DailyFigure

    assert DailyFigure.objects.exists()
    today = demo.last_day + dt.timedelta(days=1)
    differences = selectors.aggregate_differences(
        org_ids=None, start=dt.date(today.year - 1, 1, 1), end=today
    )
    assert differences == []
