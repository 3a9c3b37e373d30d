"""What the daily reminder job watches in the follow-up work (T−3, T−1 working days
and overdue, idempotent as every source):

* 受理告知 / 结果反馈 not yet given — the registering unit's 信访受理 staff;
* personnel and pay changes after a 降级-or-above sanction not yet recorded — the
  deciding unit's 案件审理 staff;
* planned 回访教育 not yet held — the visiting unit's 线索管理 staff."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf, Substr

from jiandu.followup.choices import FeedbackKind
from jiandu.followup.models import FeedbackStep, FollowUpVisit, SanctionExecution
from jiandu.inbox.services import ReminderSource, due_range, reminder_source_register

FEEDBACK_RECORD = "followup.feedbackstep"
EXECUTION_RECORD = "followup.sanctionexecution"
VISIT_RECORD = "followup.followupvisit"

FEEDBACK_PERM = "clues.change_petition"
EXECUTION_PERM = "clues.change_outcome"
VISIT_PERM = "clues.change_clue"


def _subject() -> Coalesce:
    """The sanctioned person's name (the outcome's, else the person's)."""
    return Coalesce(
        NullIf(F("outcome__subject_name"), Value("")),
        F("outcome__person__name"),
        Value(""),
        output_field=CharField(),
    )


def feedback_rows(start: dt.date | None, end: dt.date | None) -> QuerySet:
    return (
        FeedbackStep.objects.filter(due_range("due_on", start, end), done_on__isnull=True)
        .order_by()
        .values(
            "unit_id",
            record_id=F("id"),
            due=F("due_on"),
            num=F("petition__number"),
            # The petition's title, as the petition list shows it; never the reporter.
            summary=Substr(
                Concat(
                    Case(
                        When(kind=FeedbackKind.ACCEPTANCE, then=Value("受理告知：")),
                        default=Value("结果反馈："),
                        output_field=CharField(),
                    ),
                    F("petition__title"),
                    output_field=CharField(),
                ),
                1,
                200,
            ),
        )
    )


def execution_rows(start: dt.date | None, end: dt.date | None) -> QuerySet:
    return (
        SanctionExecution.objects.filter(
            due_range("personnel_due", start, end),
            personnel_required=True,
            completed_on__isnull=True,
            outcome__archived_at__isnull=True,
        )
        .order_by()
        .values(
            record_id=F("id"),
            unit_id=F("outcome__decided_by_id"),
            due=F("personnel_due"),
            num=F("outcome__clue__number"),
            summary=Substr(
                Concat(
                    _subject(),
                    Value("：降级以上处分的职务、工资变更"),
                    output_field=CharField(),
                ),
                1,
                200,
            ),
        )
    )


def visit_rows(start: dt.date | None, end: dt.date | None) -> QuerySet:
    return (
        FollowUpVisit.objects.filter(
            due_range("planned_on", start, end),
            held_on__isnull=True,
            outcome__archived_at__isnull=True,
        )
        .order_by()
        .values(
            record_id=F("id"),
            unit_id=F("org_id"),
            due=F("planned_on"),
            num=F("outcome__clue__number"),
            summary=Substr(
                Concat(_subject(), Value("：回访教育"), output_field=CharField()),
                1,
                200,
            ),
        )
    )


reminder_source_register(
    ReminderSource(
        record_type=FEEDBACK_RECORD,
        label="实名举报告知反馈",
        perm=FEEDBACK_PERM,
        url_name="followup:feedback_detail",
        rows=feedback_rows,
    )
)
reminder_source_register(
    ReminderSource(
        record_type=EXECUTION_RECORD,
        label="处分执行",
        perm=EXECUTION_PERM,
        url_name="followup:execution_detail",
        rows=execution_rows,
    )
)
reminder_source_register(
    ReminderSource(
        record_type=VISIT_RECORD,
        label="回访教育",
        perm=VISIT_PERM,
        url_name="followup:visit_detail",
        rows=visit_rows,
    )
)
