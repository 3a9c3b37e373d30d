"""The demo's inbox: after the build, the daily reminder job runs once for the demo's
"today", so the demo accounts open the platform to the T−3, T−1 and overdue reminders of
their open clues (and rectifications), as in a system in daily use. Inside the build's
transaction; delivery to outside channels is left to the next daily run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone


def run_demo_reminders(*, today: dt.date | None = None) -> dict[str, Any]:
    from jiandu.inbox.services import reminders_run

    # As if the job had run every day for the last 400 days: each open item that fell
    # overdue in them has had its 已超期 message (a daily run looks back 30 days).
    return reminders_run(
        actor=None, on_date=today or timezone.localdate(), deliver=False, lookback_days=400
    )
