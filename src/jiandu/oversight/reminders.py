"""What the daily reminder job watches in the rectification loop: open rectifications
(待整改, 正在整改) with their due date, the responsible unit's 整改落实 staff told at T−3,
T−1 and when overdue."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet
from django.db.models.functions import Substr

from jiandu.inbox.services import ReminderSource, due_range, reminder_source_register
from jiandu.oversight.choices import RectificationStatus
from jiandu.oversight.messages import PROBLEM_RECORD, RECTIFY_PERM
from jiandu.oversight.models import Rectification


def rectification_rows(start: dt.date | None, end: dt.date | None) -> QuerySet:
    # 已整改（待验收）waits on the supervising body, not on the unit: no deadline
    # reminders for it (the acceptance request was its message).
    return (
        Rectification.objects.filter(
            due_range("due_on", start, end),
            status__in=[RectificationStatus.PENDING, RectificationStatus.IN_PROGRESS],
        )
        .order_by()
        .values(
            record_id=F("problem_id"),
            unit_id=F("problem__org_id"),
            due=F("due_on"),
            num=F("problem__number"),
            summary=Substr("problem__description", 1, 200),
        )
    )


reminder_source_register(
    ReminderSource(
        record_type=PROBLEM_RECORD,
        label="整改",
        perm=RECTIFY_PERM,
        url_name="oversight:problem_detail",
        rows=rectification_rows,
    )
)
