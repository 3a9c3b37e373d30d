"""Helpers of the 巡察 tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jiandu.inspections import services
from jiandu.inspections.models import FocusItem


def make_round(rw, actor, **kw):
    w = rw.world
    today = timezone.localdate()
    args = dict(
        actor=actor,
        name="市委第一轮巡察",
        form="menu",
        level="joint",
        starts_on=today,
        ends_on=today + dt.timedelta(days=60),
        targets=[w.county, w.unit_a],
        focus_items={w.county.pk: list(FocusItem.objects.filter(key__in=["poverty", "funds"]))},
        team_size=3,
        required_skills=["财务"],
    )
    args.update(kw)
    return services.round_create(**args)
