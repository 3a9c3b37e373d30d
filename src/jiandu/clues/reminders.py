"""What the daily reminder job watches among the clues: open clues with a due date, the
handling unit's 线索管理 staff told at T−3, T−1 and when overdue."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet
from django.db.models.functions import Substr

from jiandu.clues.choices import ClueStatus
from jiandu.clues.messages import CLUE_RECORD, HANDLING_PERM
from jiandu.clues.models import Clue
from jiandu.inbox.services import ReminderSource, due_range, reminder_source_register


def clue_rows(start: dt.date | None, end: dt.date | None) -> QuerySet:
    return (
        Clue.objects.filter(due_range("due_date", start, end))
        .exclude(status=ClueStatus.CLOSED)
        .order_by()
        .values(
            record_id=F("id"),
            unit_id=F("handling_org_id"),
            due=F("due_date"),
            num=F("number"),
            summary=Substr("title", 1, 200),
        )
    )


reminder_source_register(
    ReminderSource(
        record_type=CLUE_RECORD,
        label="线索办理",
        perm=HANDLING_PERM,
        url_name="clues:clue_detail",
        rows=clue_rows,
    )
)
