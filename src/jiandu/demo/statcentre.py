"""The demo's upward returns (统计报表): the monthly return of the month before last,
prepared from the figures and submitted by every county commission, then consolidated
and submitted by the city's statistics office (``stats``). Last month's returns are left
for the first day's work (``wuhua`` prepares and submits its own)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jiandu.accounts.models import User
from jiandu.demo.accounts import COUNTY_ACCOUNTS
from jiandu.statcentre import services
from jiandu.statcentre.periods import parse_period


def build_statcentre_demo(*, orgs: dict[str, Any], today: dt.date) -> int:
    """Submit the month before last for every county and the city; the number of returns."""
    first = today.replace(day=1)
    month = (first - dt.timedelta(days=1)).replace(day=1) - dt.timedelta(days=1)
    period = parse_period(f"{month:%Y-%m}")
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[*COUNTY_ACCOUNTS.values(), "stats"])
    }
    count = 0
    for key, org in orgs.items():
        if not key.startswith("county:"):
            continue
        user = users.get(COUNTY_ACCOUNTS.get(key.split(":")[1], ""))
        if user is None:
            continue
        ret = services.return_prepare(actor=user, org=org, form_code="monthly", period=period)
        services.return_submit(actor=user, stat_return=ret)
        count += 1
    stats = users.get("stats")
    if stats is not None and "city" in orgs:
        ret = services.return_prepare(
            actor=stats, org=orgs["city"], form_code="monthly", period=period
        )
        services.return_submit(actor=stats, stat_return=ret)
        count += 1
    return count
