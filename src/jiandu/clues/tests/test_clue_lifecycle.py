import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jiandu.clues import services
from jiandu.clues.choices import (
    ClueAction,
    ClueSource,
    ClueStatus,
    Conclusion,
    DisposalMethod,
    OutcomeKind,
)
from jiandu.clues.lifecycle import TransitionError
from jiandu.clues.models import ClueEvent

D = dt.date(2020, 3, 2)


def _clue(world, user="county", org=None):
    return services.clue_create(
        actor=world.users[user],
        source=ClueSource.PETITION,
        title="某村干部截留低保金",
        received_date=D,
        handling_org=org or world.county,
        domains=[world.poverty],
    )


def test_receive_dispose_close_writes_one_event_per_step(world):
    clue = _clue(world)
    clue = services.clue_dispose(
        actor=world.users["county"],
        clue=clue,
        method=DisposalMethod.PRELIMINARY_VERIFICATION,
        on_date=D + dt.timedelta(days=3),
    )
    assert clue.status == ClueStatus.DISPOSING
    clue = services.clue_close(
        actor=world.users["county"],
        clue=clue,
        conclusion=Conclusion.UNSUBSTANTIATED,
        on_date=D + dt.timedelta(days=40),
    )
    assert clue.status == ClueStatus.CLOSED
    assert clue.closed_at == D + dt.timedelta(days=40)
    actions = list(ClueEvent.objects.filter(clue=clue).values_list("action", flat=True))
    assert actions == [ClueAction.RECEIVE, ClueAction.DISPOSE, ClueAction.CLOSE]


def test_closing_a_received_clue_is_refused_with_the_move_named(world):
    clue = _clue(world)
    with pytest.raises(TransitionError, match=r"已受理.*不能执行“办结”"):
        services.clue_close(actor=world.users["county"], clue=clue, conclusion=Conclusion.OTHER)
    clue.refresh_from_db()
    assert clue.status == ClueStatus.RECEIVED
    assert ClueEvent.objects.filter(clue=clue).count() == 1


def test_case_filed_clue_needs_an_outcome_before_closing(world):
    clue = _clue(world)
    clue = services.clue_dispose(
        actor=world.users["county"], clue=clue, method=DisposalMethod.CASE_FILED, on_date=D
    )
    with pytest.raises(ValidationError, match="须先录入处理结果"):
        services.clue_close(
            actor=world.users["county"], clue=clue, conclusion=Conclusion.SUBSTANTIATED, on_date=D
        )


def test_illegal_disposal_change_is_refused(world):
    clue = _clue(world)
    clue = services.clue_dispose(
        actor=world.users["county"], clue=clue, method=DisposalMethod.CASE_FILED, on_date=D
    )
    with pytest.raises(TransitionError, match="不能由“立案审查”变更为“谈话函询”"):
        services.clue_change_disposal(
            actor=world.users["county"],
            clue=clue,
            method=DisposalMethod.TALK_INQUIRY,
            note="改为谈话函询",
            on_date=D,
        )


def test_escalation_moves_the_clue_up_and_keeps_history(world):
    clue = _clue(world, org=world.county)
    clue = services.clue_escalate(
        actor=world.users["city"], clue=clue, to_org=world.city, note="涉及村两委干部，提级查办"
    )
    assert clue.handling_org == world.city
    assert clue.is_escalated
    event = clue.events.get(action=ClueAction.ESCALATE)
    assert (event.from_org, event.to_org) == (world.county, world.city)


def test_escalating_to_a_lower_org_is_refused(world):
    clue = _clue(world, user="city", org=world.city)
    with pytest.raises(ValidationError, match="不是“昆明市纪委监委”的上级"):
        services.clue_escalate(
            actor=world.users["city"], clue=clue, to_org=world.county, note="错误操作"
        )


def test_outcome_is_classed_into_the_four_forms(world):
    from jiandu.people.services import person_create

    person = person_create(actor=world.users["county"], name="张三", registered_org=world.county)
    clue = _clue(world)
    outcome = services.outcome_record(
        actor=world.users["county"],
        clue=clue,
        person=person,
        kind=OutcomeKind.PARTY_DISCIPLINE,
        subtype="party_probation",
        decision_date=D,
    )
    assert outcome.discipline_form == 3
    with pytest.raises(ValidationError) as excinfo:
        services.outcome_record(
            actor=world.users["county"],
            clue=clue,
            person=person,
            kind=OutcomeKind.ACCOUNTABILITY,
            subtype="acc_circulate",
            decision_date=D,
        )
    assert "responsibility_type" in excinfo.value.message_dict
