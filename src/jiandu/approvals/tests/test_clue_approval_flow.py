"""A clue decision goes through its route: drafted by the 承办人, reviewed by the 室主任,
approved by the 分管领导; it takes effect only at the last approval, the same way a
direct action did; a return sends it back with the opinion; withdraw and resubmit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiandu.accounts import roles as r
from jiandu.approvals.choices import RequestStatus, SignerRole, StepDecision
from jiandu.approvals.models import ApprovalRequest
from jiandu.approvals.services import (
    current_step,
    request_resubmit,
    request_sign,
    request_withdraw,
    route_set,
    route_steps,
)
from jiandu.clues.choices import ClueAction, ClueSource, ClueStatus, DisposalMethod
from jiandu.clues.decisions import clue_apply_approved, clue_request_action
from jiandu.clues.lifecycle import TransitionError
from jiandu.clues.services import clue_create
from jiandu.core.models import AuditLog
from jiandu.testing import approval_signer, approve_request, make_user


@pytest.fixture
def clue(world, users):
    return clue_create(
        actor=users["room"],
        source=ClueSource.INSPECTION,
        title="某区住建局违规审批",
        received_date=dt.date(2020, 3, 2),
        handling_org=world.room1,
    )


@pytest.fixture
def head(world):
    return approval_signer(world.room1, SignerRole.OFFICE_HEAD)


@pytest.fixture
def approver(world):
    return approval_signer(world.room1, SignerRole.LEADER)


def _dispose(users, clue, method=DisposalMethod.PRELIMINARY_VERIFICATION):
    return clue_request_action(
        actor=users["room"], clue=clue, action=ClueAction.DISPOSE, method=method, note="拟初核"
    )


def test_the_default_route_is_office_head_then_leader(world, users, clue):
    assert route_steps(org=world.room1, kind="clues.dispose") == (
        [SignerRole.OFFICE_HEAD, SignerRole.LEADER],
        None,
    )
    request = _dispose(users, clue)
    assert request.status == RequestStatus.PENDING
    assert [s.signer_role for s in request.steps.all()] == [
        SignerRole.OFFICE_HEAD,
        SignerRole.LEADER,
    ]
    clue.refresh_from_db()
    assert clue.status == ClueStatus.RECEIVED  # nothing takes effect at drafting
    assert not clue.events.filter(action=ClueAction.DISPOSE).exists()


def test_the_decision_takes_effect_only_at_the_last_approval(users, clue, head, approver):
    request = _dispose(users, clue)
    request = request_sign(actor=head, request=request, approve=True, opinion="拟同意")
    clue.refresh_from_db()
    assert clue.status == ClueStatus.RECEIVED
    assert current_step(request).signer_role == SignerRole.LEADER
    request = request_sign(actor=approver, request=request, approve=False, opinion="补充材料")
    assert request.status == RequestStatus.RETURNED
    clue.refresh_from_db()
    assert clue.status == ClueStatus.RECEIVED
    request = request_resubmit(actor=users["room"], request=request, reason="已补充")
    assert (request.status, request.round) == (RequestStatus.PENDING, 2)
    request = request_sign(actor=head, request=request, approve=True)
    request = request_sign(actor=approver, request=request, approve=True, opinion="同意")
    assert request.status == RequestStatus.APPROVED and request.decided_at
    clue.refresh_from_db()
    assert (clue.status, clue.disposal_method) == (
        ClueStatus.DISPOSING,
        DisposalMethod.PRELIMINARY_VERIFICATION,
    )
    assert clue.disposed_at == timezone.localdate()
    event = clue.events.get(action=ClueAction.DISPOSE)
    assert event.actor == users["room"] and "经呈批批准" in event.note
    steps = list(request.steps.order_by("round", "order"))
    assert [(s.round, s.decision) for s in steps] == [
        (1, StepDecision.APPROVED),
        (1, StepDecision.RETURNED),
        (2, StepDecision.APPROVED),
        (2, StepDecision.APPROVED),
    ]
    assert steps[1].opinion == "补充材料" and steps[1].signer == approver
    assert AuditLog.objects.filter(object_type__icontains="approvalrequest").count() >= 6


def test_only_the_steps_signer_may_sign(world, users, clue, head, approver):
    request = _dispose(users, clue)
    with pytest.raises(PermissionDenied):  # the leader cannot sign before the room head
        request_sign(actor=approver, request=request, approve=True)
    with pytest.raises(PermissionDenied):  # the drafter never signs
        request_sign(actor=users["room"], request=request, approve=True)
    other_head = approval_signer(world.group1, SignerRole.OFFICE_HEAD)
    with pytest.raises(PermissionDenied):  # another office's head
        request_sign(actor=other_head, request=request, approve=True)
    county_leader = approval_signer(world.county, SignerRole.LEADER)
    request = request_sign(actor=head, request=request, approve=True)
    with pytest.raises(PermissionDenied):  # a county's leader does not sign for the city
        request_sign(actor=county_leader, request=request, approve=True)


def test_a_return_needs_an_opinion(users, clue, head):
    request = _dispose(users, clue)
    with pytest.raises(ValidationError, match="退回须写明意见"):
        request_sign(actor=head, request=request, approve=False, opinion=" ")


def test_one_request_under_way_per_clue_and_withdraw(users, clue):
    request = _dispose(users, clue)
    with pytest.raises(ValidationError, match="已有呈批件在审批中"):
        _dispose(users, clue, DisposalMethod.SHELVED)
    with pytest.raises(PermissionDenied):
        request_withdraw(actor=users["city"], request=request)
    request = request_withdraw(actor=users["room"], request=request, reason="改为暂存")
    assert request.status == RequestStatus.WITHDRAWN
    assert _dispose(users, clue, DisposalMethod.SHELVED).status == RequestStatus.PENDING


def test_an_action_that_could_never_apply_is_refused_at_drafting(users, clue):
    with pytest.raises(TransitionError, match="不能执行“办结”"):
        clue_request_action(
            actor=users["room"], clue=clue, action=ClueAction.CLOSE, conclusion="unsubstantiated"
        )
    assert not ApprovalRequest.objects.exists()


def test_a_configured_route_is_used_and_a_running_request_keeps_its_steps(
    world, users, clue, approver
):
    city_approver = approval_signer(world.room1, SignerRole.LEADER)
    request = _dispose(users, clue)  # default: two steps
    route_set(actor=city_approver, org=world.room1, kind="clues.dispose", steps=["leader"])
    assert request.steps.count() == 2
    assert route_steps(org=world.room1, kind="clues.dispose")[0] == [SignerRole.LEADER]
    request_withdraw(actor=users["room"], request=request)
    request = _dispose(users, clue)
    assert request.steps.count() == 1
    approve_request(request)
    clue.refresh_from_db()
    assert clue.status == ClueStatus.DISPOSING


def test_a_commission_route_applies_to_its_offices(world, users, clue, approver):
    route_set(actor=approver, org=world.city, kind="clues.dispose", steps=["leader"])
    assert route_steps(org=world.room1, kind="clues.dispose")[0] == [SignerRole.LEADER]
    with pytest.raises(ValidationError):
        route_set(actor=approver, org=world.city, kind="clues.dispose", steps=[])
    with pytest.raises(PermissionDenied):
        route_set(actor=users["room"], org=world.room1, kind="clues.dispose", steps=["leader"])


def test_a_decision_the_clue_outgrew_is_not_applied(users, clue, head, approver):
    """If the clue moved on while the request was under way, the final approval fails
    with the reason and nothing is signed."""
    first = _dispose(users, clue)
    approve_request(first)
    second = clue_request_action(
        actor=users["room"],
        clue=clue,
        action=ClueAction.CHANGE_DISPOSAL,
        method=DisposalMethod.CASE_FILED,
        note="初核发现违纪事实",
    )
    request_sign(actor=head, request=second, approve=True)
    # Meanwhile the clue is changed by another approved request path is impossible (one
    # under way per clue), so simulate a stale payload by editing it.
    ApprovalRequest.objects.filter(pk=second.pk).update(
        payload={**second.payload, "method": DisposalMethod.DISMISSED}
    )
    second.refresh_from_db()
    with pytest.raises(ValidationError, match="决定不能生效：处置方式不能由"):
        request_sign(actor=approver, request=second, approve=True)
    second.refresh_from_db()
    assert second.status == RequestStatus.PENDING
    assert current_step(second).signer_role == SignerRole.LEADER


def test_applying_needs_an_approved_request(users, clue):
    request = _dispose(users, clue)
    with pytest.raises(ValidationError, match="只有已批准"):
        clue_apply_approved(actor=users["room"], request=request)


def test_county_route_signed_inside_the_county(world, users):
    clue = clue_create(
        actor=users["county"],
        source=ClueSource.INSPECTION,
        title="某街道违规发放临时救助金",
        received_date=dt.date(2020, 3, 2),
        handling_org=world.county,
    )
    request = clue_request_action(
        actor=users["county"], clue=clue, action=ClueAction.DISPOSE, method="shelved", note="x"
    )
    county_head = make_user("county-head", world.county, r.ROLE_APPROVAL_REVIEW)
    request = request_sign(actor=county_head, request=request, approve=True)
    approve_request(request)
    clue.refresh_from_db()
    assert clue.disposal_method == DisposalMethod.SHELVED


def test_a_request_returned_at_the_first_step_and_resubmitted_awaits_its_new_first_step(
    users, clue, head
):
    from jiandu.approvals.selectors import requests_awaiting

    request = _dispose(users, clue)
    request = request_sign(actor=head, request=request, approve=False, opinion="请补充")
    assert requests_awaiting(user=head) == []
    request_resubmit(actor=users["room"], request=request, reason="已补充")
    assert [r.pk for r in requests_awaiting(user=head)] == [request.pk]


def test_a_decision_goes_along_the_route_of_the_clues_handling_unit(world, users, clue, head):
    """Whoever drafts it (here the commission's own staff), a 处置 of 第一监督检查室's
    clue is reviewed by that room's 室主任; taking a clue up (提级查办) is the upper
    commission's decision, along the drafter's route."""
    request = clue_request_action(
        actor=users["city"], clue=clue, action=ClueAction.DISPOSE, method="shelved", note="x"
    )
    assert request.org == world.room1
    assert request.drafted_by == users["city"]
    request = request_sign(actor=head, request=request, approve=True)
    assert current_step(request).signer_role == SignerRole.LEADER

    county_clue = clue_create(
        actor=users["county"],
        source=ClueSource.INSPECTION,
        title="某街道违规发放临时救助金",
        received_date=dt.date(2020, 3, 2),
        handling_org=world.county,
    )
    escalation = clue_request_action(
        actor=users["city"],
        clue=county_clue,
        action=ClueAction.ESCALATE,
        to_org=world.city,
        note="案情重大，提级查办",
    )
    assert escalation.org == world.city
