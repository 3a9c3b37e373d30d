"""The daily reminder job: T−3 and T−1 counted in working days on the calendar (across
国庆 with its 调休 weekends), overdue once, to the acting unit's officers only, and
idempotent — run twice, or on each day of a window, one message per key."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from tests.api.records import make_clue

from jiandu.clues.models import Clue
from jiandu.core.models import Task
from jiandu.inbox.choices import MessageKind as K
from jiandu.inbox.models import Message
from jiandu.inbox.services import reminders_run
from jiandu.oversight.choices import RectificationAction
from jiandu.oversight.services import Upload, rectification_move

DUE = dt.date(2026, 10, 12)  # a Monday after the holiday


def reminders(user=None, **filters):
    qs = Message.objects.exclude(due_on=None).filter(**filters)
    if user is not None:
        qs = qs.filter(recipient=user)
    return sorted(qs.values_list("kind", "due_on"))


def test_t3_and_t1_count_working_days_across_the_holiday_and_its_workday_weekend(iw):
    iw.due(DUE)
    # Working days before 10-12: Sat 10-10 (班), Fri 10-09, then 09-30 — 10-01…10-08 rest.
    assert reminders_run(actor=None, on_date=dt.date(2026, 9, 29))["total"] == 0
    result = reminders_run(actor=None, on_date=dt.date(2026, 9, 30))  # three left
    assert result["written"] == {K.DUE_IN_3: 1, K.DUE_IN_1: 0, K.OVERDUE: 0}
    assert reminders(iw.officer) == [(K.DUE_IN_3, DUE)]
    # 10-09: two left, still the T−3 window: its message exists, nothing new.
    assert reminders_run(actor=None, on_date=dt.date(2026, 10, 9))["total"] == 0
    # 10-10, a Saturday worked in exchange: one left.
    assert reminders_run(actor=None, on_date=dt.date(2026, 10, 10))["written"][K.DUE_IN_1] == 1
    # The rest day 10-11 and the due day itself add nothing; the day after, overdue.
    assert reminders_run(actor=None, on_date=dt.date(2026, 10, 11))["total"] == 0
    assert reminders_run(actor=None, on_date=DUE)["total"] == 0
    assert reminders_run(actor=None, on_date=dt.date(2026, 10, 13))["written"][K.OVERDUE] == 1
    assert reminders(iw.officer) == [(K.DUE_IN_1, DUE), (K.DUE_IN_3, DUE), (K.OVERDUE, DUE)]
    message = Message.objects.get(recipient=iw.officer, kind=K.OVERDUE)
    assert message.title == f"整改已超期：{iw.problem.number}"
    assert message.link == f"/oversight/problems/{iw.problem.pk}/"
    assert (message.record_type, message.record_id) == ("oversight.problem", iw.problem.pk)
    assert message.body == "惠民资金发放台账不全"


def test_run_twice_writes_nothing_the_second_time(iw):
    iw.due(dt.date(2026, 10, 9))
    first = reminders_run(actor=None, on_date=dt.date(2026, 10, 9))
    count = Message.objects.count()
    second = reminders_run(actor=None, on_date=dt.date(2026, 10, 9))
    assert first["total"] == 1 and second["total"] == 0
    assert Message.objects.count() == count


def test_an_extension_is_a_new_due_date_and_reminds_again(iw):
    iw.due(dt.date(2026, 9, 30))
    reminders_run(actor=None, on_date=dt.date(2026, 9, 30))
    iw.due(DUE)  # extended
    reminders_run(actor=None, on_date=dt.date(2026, 10, 10))
    assert reminders(iw.officer) == [(K.DUE_IN_1, dt.date(2026, 9, 30)), (K.DUE_IN_1, DUE)]


def test_only_the_acting_units_officers_are_reminded(iw):
    iw.due(dt.date(2026, 9, 1))
    reminders_run(actor=None, on_date=dt.date(2026, 9, 30))
    assert reminders(iw.officer) == [(K.OVERDUE, dt.date(2026, 9, 1))]
    # Not a colleague without the role, not the supervising body, not the city.
    assert set(Message.objects.exclude(due_on=None).values_list("recipient", flat=True)) == {
        iw.officer.pk
    }


def test_no_reminders_for_a_report_awaiting_acceptance_or_a_closed_rectification(iw):
    rect = iw.due(dt.date(2026, 9, 1))
    rectification_move(actor=iw.officer, rectification=rect, action=RectificationAction.PLAN,
                       text="补齐台账")  # fmt: skip
    rectification_move(actor=iw.officer, rectification=rect, action=RectificationAction.SUBMIT,
                       text="已补齐", files=[Upload("台账.pdf", b"%PDF-1")])  # fmt: skip
    assert reminders_run(actor=None, on_date=dt.date(2026, 9, 30))["total"] == 0


def test_clue_stages_remind_the_handling_units_clue_officers(iw):
    clue = make_clue(iw.world)  # handled by 五华区纪委监委
    Clue.objects.filter(pk=clue.pk).update(due_date=DUE)
    closed = make_clue(iw.world, title="已办结的线索")
    Clue.objects.filter(pk=closed.pk).update(due_date=DUE, status="closed")
    reminders_run(actor=None, on_date=dt.date(2026, 9, 30))  # three working days before
    county = iw.users["county"]
    assert reminders(county) == [(K.DUE_IN_3, DUE)]
    message = Message.objects.get(recipient=county)
    assert message.title == f"线索办理将于3个工作日内到期：{clue.number}"
    assert message.link == f"/clues/clues/{clue.pk}/"
    assert not Message.objects.filter(record_type="clues.clue").exclude(recipient=county).exists()


def test_the_cli_runs_the_job_as_a_task(iw, capsys):
    iw.due(dt.date(2026, 10, 9))
    call_command("inbox", "remind", "--date", "2026-10-09")
    out = capsys.readouterr().out
    assert "新增站内消息1条" in out and "1个工作日内到期1条" in out
    task = Task.objects.get(kind="inbox.remind")
    assert task.params == {"date": "2026-10-09"} and task.result["total"] == 1
    call_command("inbox", "remind", "--date", "2026-10-09", "--json")
    assert '"total": 0' in capsys.readouterr().out


def test_overdue_looks_back_a_set_number_of_days(iw, settings):
    settings.JIANDU_INBOX_OVERDUE_LOOKBACK_DAYS = 10
    iw.due(dt.date(2026, 9, 1))
    assert reminders_run(actor=None, on_date=dt.date(2026, 9, 30))["total"] == 0
    settings.JIANDU_INBOX_OVERDUE_LOOKBACK_DAYS = 30
    assert reminders_run(actor=None, on_date=dt.date(2026, 9, 30))["written"][K.OVERDUE] == 1
