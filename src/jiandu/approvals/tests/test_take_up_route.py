"""提级查办 / 直查直办 drafted at the city by an office acting for the commission (the
案件监督管理室's ``casemgmt``, ADR 0009): taking a clue up is the upper commission's
decision, so the request goes along the route of the drafter's office — that office's
室主任 reviews, the commission's 分管领导 approves — and the demo's listed accounts can
sign every step (before, the 案件监督管理室 had no 室主任 and the request waited at
“室主任审核” for ever)."""

import datetime as dt

import pytest

from jiandu.approvals.choices import RequestStatus, SignerRole
from jiandu.approvals.selectors import requests_awaiting, step_signers
from jiandu.approvals.services import current_step
from jiandu.approvals.tests.routes import city_route, room1_request, sign_with_listed_accounts
from jiandu.clues.choices import ClueAction, ClueSource
from jiandu.clues.decisions import clue_request_action
from jiandu.clues.models import Clue
from jiandu.clues.services import clue_create
from jiandu.testing import build_role_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def rw():
    rw = build_role_world()
    city_route(rw, ClueAction.ESCALATE, ClueAction.DIRECT_HANDLE)
    return rw


def _county_clue(rw, title):
    return clue_create(
        actor=rw.accounts["wuhua"],
        source=ClueSource.PETITION,
        title=title,
        received_date=dt.date(2020, 3, 2),
        handling_org=rw.world.county,
    )


@pytest.mark.parametrize("action", [ClueAction.ESCALATE, ClueAction.DIRECT_HANDLE])
def test_a_take_up_drafted_by_casemgmt_is_signed_by_its_head_then_the_leader(rw, action):
    clue = _county_clue(rw, "五华区某局违规发放津补贴")
    request = clue_request_action(
        actor=rw.accounts["casemgmt"],
        clue=clue,
        action=action,
        to_org=rw.world.city,
        note="案情重大，拟由市纪委监委办理",
    )
    # The route of the drafter's office, not of the county that handles the clue.
    assert request.org == rw.case_management_room
    assert [s.signer_role for s in request.steps.order_by("order")] == [
        SignerRole.OFFICE_HEAD,
        SignerRole.LEADER,
    ]
    request = sign_with_listed_accounts(
        rw, request, (("casemgmthead", SignerRole.OFFICE_HEAD), ("leader", SignerRole.LEADER))
    )
    assert request.status == RequestStatus.APPROVED
    clue = Clue.objects.get(pk=clue.pk)
    assert clue.handling_org == rw.world.city
    assert clue.is_escalated == (action == ClueAction.ESCALATE)
    assert clue.is_direct == (action == ClueAction.DIRECT_HANDLE)


def test_the_office_head_signs_only_the_requests_of_its_office(rw):
    """The 案件监督管理室's head does not review another office's requests (those of
    第一监督检查室 are ``room1head``'s), nor the county's own."""
    room_request = room1_request(rw)
    county_request = clue_request_action(
        actor=rw.accounts["wuhua"],
        clue=_county_clue(rw, "红云街道某干部违规领取补贴"),
        action="dispose",
        method="shelved",
        note="x",
    )
    head = rw.accounts["casemgmthead"]
    assert requests_awaiting(user=head) == []
    step = current_step(room_request)
    assert [u.username for u in step_signers(request=room_request, step=step)] == ["room1head"]
    assert head not in step_signers(request=county_request, step=current_step(county_request))


def test_a_clue_the_city_took_up_is_decided_along_the_drafters_office_route(rw):
    """After 提级查办 the city commission handles the clue itself, and a commission has no
    室主任 of its own: its 处置 goes along the route of the drafter's office (案件监督管理室:
    ``casemgmthead`` reviews, ``leader`` approves) instead of waiting at “室主任审核” with
    nobody to sign."""
    clue = _county_clue(rw, "五华区某局套取专项资金")
    take_up = clue_request_action(
        actor=rw.accounts["casemgmt"],
        clue=clue,
        action=ClueAction.ESCALATE,
        to_org=rw.world.city,
        note="案情重大，拟由市纪委监委办理",
    )
    sign_with_listed_accounts(
        rw, take_up, (("casemgmthead", SignerRole.OFFICE_HEAD), ("leader", SignerRole.LEADER))
    )
    clue = Clue.objects.get(pk=clue.pk)
    assert clue.handling_org == rw.world.city

    request = clue_request_action(
        actor=rw.accounts["casemgmt"],
        clue=clue,
        action=ClueAction.DISPOSE,
        method="preliminary_verification",
        note="拟初步核实",
    )
    assert request.org == rw.case_management_room
    request = sign_with_listed_accounts(
        rw, request, (("casemgmthead", SignerRole.OFFICE_HEAD), ("leader", SignerRole.LEADER))
    )
    assert request.status == RequestStatus.APPROVED
    clue = Clue.objects.get(pk=clue.pk)
    assert clue.status == "disposing" and clue.handling_org == rw.world.city


def test_whose_route_a_decision_on_a_record_takes(rw):
    from jiandu.clues.decisions import record_request_org

    casemgmt, city_user = rw.accounts["casemgmt"], rw.world.users["city"]
    # The commission handles it itself: the drafter's office in that commission.
    assert record_request_org(actor=casemgmt, handling_org=rw.world.city) == rw.case_management_room
    # A drafter attached to the commission itself: the commission's own route.
    assert record_request_org(actor=city_user, handling_org=rw.world.city) == rw.world.city
    # An office's record, or a county's: that unit's route, whoever drafts.
    assert record_request_org(actor=casemgmt, handling_org=rw.world.room1) == rw.world.room1
    assert record_request_org(actor=casemgmt, handling_org=rw.world.county) == rw.world.county
