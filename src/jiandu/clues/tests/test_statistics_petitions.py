"""The registry's 初信初访办结量 counts as the statistics centre does: a first-time petition
counts as closed in a period only when it was closed by the period's end, so a past
period's figure does not change when its petitions are closed later."""

import datetime as dt

import pytest
from django.utils import timezone

from jiandu.clues.models import Petition
from jiandu.clues.statistics import statistic

D = dt.date
pytestmark = pytest.mark.django_db


def _petition(world, received: dt.date, closed: dt.datetime | None, *, first: bool = True):
    org = world.county
    return Petition.objects.create(
        received_date=received,
        channel="letter",
        received_org=org,
        handling_org=org,
        title="反映问题",
        content="内容",
        is_first_time=first,
        closed_at=closed,
        created_by=world.users["county"],
    )


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def test_first_closed_counts_closures_by_the_period_end(world):
    _petition(world, D(2026, 3, 2), _at(D(2026, 3, 5), 10))  # closed in March
    _petition(world, D(2026, 3, 3), _at(D(2026, 3, 31), 23, 59))  # on the last evening
    late = _petition(world, D(2026, 3, 4), _at(D(2026, 4, 1), 0, 0))  # the next morning
    _petition(world, D(2026, 3, 5), None)  # still open
    _petition(world, D(2026, 3, 6), _at(D(2026, 3, 7), 9), first=False)  # a repeat
    first_closed = statistic("petitions_first_closed")
    march = {"start": D(2026, 3, 1), "end": D(2026, 3, 31), "org_ids": [world.county.pk]}
    assert first_closed.count(**march) == 2
    assert late not in first_closed.queryset(**march)
    assert first_closed.counts_by_org(**march) == {world.county.pk: 2}
    # A longer period that runs past the late closing counts it.
    assert first_closed.count(start=D(2026, 3, 1), end=D(2026, 4, 1), org_ids=None) == 3


def test_a_past_period_keeps_its_figure_when_its_petitions_close_later(world):
    open_one = _petition(world, D(2026, 3, 10), None)
    first_closed = statistic("petitions_first_closed")
    march = {"start": D(2026, 3, 1), "end": D(2026, 3, 31), "org_ids": None}
    assert first_closed.count(**march) == 0
    open_one.closed_at = _at(D(2026, 5, 20), 15)
    open_one.save(update_fields=["closed_at"])
    assert first_closed.count(**march) == 0
    assert first_closed.count(start=D(2026, 3, 1), end=D(2026, 5, 31), org_ids=None) == 1
