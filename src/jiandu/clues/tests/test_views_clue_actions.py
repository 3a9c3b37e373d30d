"""Lifecycle actions on a clue through its one htmx endpoint: a legal action moves the
clue and appends an event; an illegal one explains itself and changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jiandu.approvals.models import ApprovalRequest
from jiandu.clues.choices import ClueAction, ClueSource, ClueStatus, DisposalMethod
from jiandu.clues.models import ClueEvent
from jiandu.clues.services import clue_create, clue_dispose
from jiandu.testing import approve_request

HTMX = {"HX-Request": "true", "HX-Target": "clue-workflow"}


@pytest.fixture
def clue(world, users):
    return clue_create(
        actor=users["county"],
        source=ClueSource.INSPECTION,
        title="某街道违规发放临时救助金",
        received_date=dt.date(2020, 3, 2),
        handling_org=world.county,
    )


def _act(client, clue, action, **fields):
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(reverse("clues:clue_action", args=[clue.pk]), data, headers=HTMX)


def test_dispose_is_submitted_for_approval_and_takes_effect_when_approved(client, users, clue):
    client.force_login(users["county"])
    response = _act(
        client,
        clue,
        "dispose",
        method=DisposalMethod.PRELIMINARY_VERIFICATION,
        on_date="2020-03-05",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "已呈批：处置" in html and "拟初步核实" in html and "待室主任审核" in html
    # While the request is under way nothing else is offered, and nothing moved.
    assert 'value="dispose"' not in html and "有呈批件在审批中" in html
    clue.refresh_from_db()
    assert clue.status == ClueStatus.RECEIVED
    assert not clue.events.filter(action=ClueAction.DISPOSE).exists()

    approve_request(ApprovalRequest.objects.get(target_id=clue.pk))
    clue.refresh_from_db()
    assert (clue.status, clue.disposal_method) == (
        ClueStatus.DISPOSING,
        DisposalMethod.PRELIMINARY_VERIFICATION,
    )
    assert clue.disposed_at == timezone.localdate()  # the day of the last approval
    event = clue.events.get(action=ClueAction.DISPOSE)
    assert (event.actor, event.to_status) == (users["county"], ClueStatus.DISPOSING)
    html = client.get(reverse("clues:clue_detail", args=[clue.pk])).content.decode()
    assert "处置：初步核实" in html and "已批准" in html
    # Next actions are those of a clue under disposal: no second 处置.
    assert "呈批变更处置方式" in html and "呈批办结" in html
    assert 'value="dispose"' not in html


def test_an_illegal_action_is_explained_and_changes_nothing(client, users, clue):
    client.force_login(users["county"])
    page = client.get(reverse("clues:clue_detail", args=[clue.pk])).content.decode()
    assert 'value="close"' not in page  # never offered to a clue not yet disposed

    response = _act(client, clue, "close", conclusion="unsubstantiated", conclusion_text="不属实")
    assert response.status_code == 422
    assert "问题线索状态为“已受理”，不能执行“办结”" in response.content.decode()
    clue.refresh_from_db()
    assert clue.status == ClueStatus.RECEIVED
    assert ClueEvent.objects.filter(clue=clue).count() == 1


def test_a_service_refusal_lands_on_the_field(client, users, clue):
    clue_dispose(actor=users["county"], clue=clue, method=DisposalMethod.TALK_INQUIRY)
    client.force_login(users["county"])
    response = _act(client, clue, "change_disposal", method="preliminary_verification", note="")
    assert response.status_code == 422
    assert 'id="id_change_disposal-note_error"' in response.content.decode()
    clue.refresh_from_db()
    assert clue.disposal_method == DisposalMethod.TALK_INQUIRY


def test_escalation_offers_only_higher_commissions_in_reach(client, world, users, clue):
    client.force_login(users["county"])
    page = client.get(reverse("clues:clue_detail", args=[clue.pk])).content.decode()
    assert 'value="escalate"' not in page  # the county sees no commission above it

    client.force_login(users["city"])
    response = _act(client, clue, "escalate", to_org=world.city.pk, note="涉及面广，提级查办")
    assert response.status_code == 200
    approve_request(ApprovalRequest.objects.get(target_id=clue.pk))
    clue.refresh_from_db()
    assert clue.handling_org == world.city and clue.is_escalated
    page = client.get(reverse("clues:clue_detail", args=[clue.pk])).content.decode()
    assert "提级查办：五华区纪委监委 → 昆明市纪委监委" in page


def test_actions_need_the_change_permission(client, users, clue):
    client.force_login(users["leader"])
    page = client.get(reverse("clues:clue_detail", args=[clue.pk])).content.decode()
    assert "办理操作" not in page
    response = _act(client, clue, "dispose", method=DisposalMethod.SHELVED)
    assert response.status_code == 403
    clue.refresh_from_db()
    assert clue.status == ClueStatus.RECEIVED
