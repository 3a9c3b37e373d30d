"""The clue stages' periods come from the deadline table (core.DeadlineRule), computed on
the working-day calendar when a stage starts and stored on the clue: a later change of
the table does not move a deadline already set."""

import datetime as dt

import pytest

from jiandu.clues import services
from jiandu.clues.choices import ClueSource, DisposalMethod
from jiandu.clues.lifecycle import DEADLINE_STEPS
from jiandu.core.deadlines import calendar_import, deadline_rule, deadline_rule_set

pytestmark = pytest.mark.django_db
D = dt.date(2020, 3, 2)  # a Monday


def _clue(world, received=D):
    return services.clue_create(
        actor=world.users["county"],
        source=ClueSource.PETITION,
        title="某村干部截留低保金",
        received_date=received,
        handling_org=world.county,
        domains=[world.poverty],
    )


def test_every_stage_has_a_rule_in_the_table_with_todays_lengths():
    lengths = {key: (deadline_rule(step).period_kind, deadline_rule(step).length)
               for key, step in DEADLINE_STEPS.items()}  # fmt: skip
    assert lengths == {
        "received": ("days", 30),
        DisposalMethod.TALK_INQUIRY: ("days", 30),
        DisposalMethod.PRELIMINARY_VERIFICATION: ("days", 90),
        DisposalMethod.SHELVED: ("days", 365),
        DisposalMethod.DISMISSED: ("days", 15),
        DisposalMethod.CASE_FILED: ("days", 180),
    }


def test_a_period_ending_on_a_holiday_moves_to_the_next_working_day(world):
    # 清明 2020: 04-04 to 04-06 off. 30 days from 03-05 end on Saturday 04-04.
    calendar_import(
        actor=world.users["city"],
        rows=[["2020-04-04", "休"], ["2020-04-05", "休"], ["2020-04-06", "休"]],
    )
    clue = _clue(world)
    clue = services.clue_dispose(
        actor=world.users["county"],
        clue=clue,
        method=DisposalMethod.TALK_INQUIRY,
        on_date=dt.date(2020, 3, 5),
    )
    assert clue.due_date == dt.date(2020, 4, 7)


def test_changing_the_table_does_not_move_deadlines_already_set(world):
    before = _clue(world)
    assert before.due_date == dt.date(2020, 4, 1)
    deadline_rule_set(
        actor=world.users["city"],
        step="clues.received",
        period_kind="workdays",
        length=10,
        reason="提高处置时效",
    )
    after = _clue(world)
    before.refresh_from_db()
    assert before.due_date == dt.date(2020, 4, 1)
    assert after.due_date == dt.date(2020, 3, 16)
