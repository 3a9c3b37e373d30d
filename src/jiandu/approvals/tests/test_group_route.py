"""呈批 drafted by a 派驻纪检监察组 (the demo's ``group1``): the request goes along the
group's route (its commission's, 室主任审核 → 分管领导审批), whose first step is the
group's own review — for a 派驻组 that is its 组长 — then the city's 分管领导. The demo's
listed accounts sign every step (before, nobody held 呈批审核 in 派驻第一纪检监察组 and the
request waited for ever); a step nobody can sign says so on the request page."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.approvals.choices import RequestStatus, SignerRole
from jiandu.approvals.selectors import requests_awaiting
from jiandu.approvals.services import current_step, request_sign
from jiandu.approvals.tests.routes import city_route, room1_request, sign_with_listed_accounts
from jiandu.clues.choices import ClueAction, ClueSource, ClueStatus, DisposalMethod
from jiandu.clues.decisions import clue_approval_requests, clue_request_action
from jiandu.clues.models import Clue
from jiandu.clues.services import clue_create
from jiandu.testing import build_role_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def rw():
    rw = build_role_world()
    city_route(rw, ClueAction.DISPOSE)
    return rw


def _group_request(rw, title="市财政局某科长违规收受礼金"):
    clue = clue_create(
        actor=rw.world.users["city"],
        source=ClueSource.PETITION,
        title=title,
        received_date=dt.date(2020, 3, 2),
        handling_org=rw.world.group1,
    )
    return clue_request_action(
        actor=rw.accounts["group1"],
        clue=clue,
        action=ClueAction.DISPOSE,
        method=DisposalMethod.PRELIMINARY_VERIFICATION,
        note="反映问题具体，拟初步核实",
    )


def test_a_disposal_drafted_by_group1_is_signed_by_its_head_then_the_leader(rw):
    request = _group_request(rw)
    assert request.org == rw.world.group1
    request = sign_with_listed_accounts(
        rw, request, (("group1head", SignerRole.OFFICE_HEAD), ("leader", SignerRole.LEADER))
    )
    assert request.status == RequestStatus.APPROVED
    clue = Clue.objects.get(pk=request.target_id)
    assert (clue.status, clue.disposal_method) == (
        ClueStatus.DISPOSING,
        DisposalMethod.PRELIMINARY_VERIFICATION,
    )


def test_the_group_head_signs_only_the_requests_of_its_group(rw):
    """The 组长 of 派驻第一纪检监察组 does not review a 监督检查室's requests (those are
    ``room1head``'s), and ``room1head`` does not review the group's."""
    group_request = _group_request(rw)
    room_request = room1_request(rw)
    assert [q.pk for q in requests_awaiting(user=rw.accounts["group1head"])] == [group_request.pk]
    assert [q.pk for q in requests_awaiting(user=rw.accounts["room1head"])] == [room_request.pk]


def test_a_groups_first_step_reads_as_its_leaders_review(rw, client):
    """For a 派驻组 the 室主任 is its 组长: the step reads “组长审核” on the request page,
    the clue page and the signer's 待我审批; a 监督检查室's still reads “室主任审核”."""
    request = _group_request(rw)
    step = current_step(request)
    assert step.label == "组长审核"
    [row] = clue_approval_requests(rw.accounts["group1"], Clue.objects.get(pk=request.target_id))
    assert row["waiting_for"] == "组长审核"
    client.force_login(rw.accounts["group1head"])
    page = client.get(reverse("approvals:request_detail", args=[request.pk])).content.decode()
    assert "组长审核" in page and "室主任审核" not in page
    home = client.get(reverse("core:workbench")).content.decode()
    assert "组长审核" in home
    request = request_sign(
        actor=rw.accounts["group1head"], request=request, approve=True, opinion="同意"
    )
    assert current_step(request).label == "分管领导审批"

    room_request = room1_request(rw)
    assert current_step(room_request).label == "室主任审核"


def test_a_step_nobody_can_sign_says_so_on_the_request_page(rw, client):
    """A request waiting at a step with no holder at all (nobody active in the unit holds
    the role) shows “暂无签批人” next to that step, so a stuck request is visible; once
    someone holds the role, the page names them instead."""
    request = _group_request(rw)
    head = rw.accounts["group1head"]
    head.is_active = False
    head.save(update_fields=["is_active"])
    url = reverse("approvals:request_detail", args=[request.pk])
    client.force_login(rw.accounts["group1"])
    steps = client.get(url).content.decode().split('id="approval-steps"')[1]
    assert "暂无签批人" in steps
    clue_page = client.get(reverse("clues:clue_detail", args=[request.target_id]))
    assert "暂无签批人" in clue_page.content.decode()

    head.is_active = True
    head.save(update_fields=["is_active"])
    steps = client.get(url).content.decode().split('id="approval-steps"')[1]
    assert "暂无签批人" not in steps and head.display_name in steps
