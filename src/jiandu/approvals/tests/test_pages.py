"""Pages of 呈批: 待我审批 and the list, a request with its steps, signing (同意 / 退回
with an opinion), withdraw and resubmit by the drafter; outside the jurisdiction 404."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.approvals.choices import RequestStatus, SignerRole
from jiandu.clues.choices import ClueAction, ClueSource, ClueStatus, DisposalMethod
from jiandu.clues.decisions import clue_request_action
from jiandu.clues.models import Clue
from jiandu.clues.services import clue_create
from jiandu.testing import approval_signer

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(world, users):
    clue = clue_create(
        actor=users["room"],
        source=ClueSource.INSPECTION,
        title="某区住建局违规审批",
        received_date=dt.date(2020, 3, 2),
        handling_org=world.room1,
    )
    return clue_request_action(
        actor=users["room"],
        clue=clue,
        action=ClueAction.DISPOSE,
        method=DisposalMethod.SHELVED,
        note="暂无可查性",
    )


def test_the_signers_pages_from_the_workbench_to_effect(client, world, users, request_):
    head = approval_signer(world.room1, SignerRole.OFFICE_HEAD)
    client.force_login(head)
    home = client.get(reverse("core:workbench")).content.decode()
    assert "待我审批" in home and request_.summary in home
    detail_url = reverse("approvals:request_detail", args=[request_.pk])
    page = client.get(detail_url).content.decode()
    assert "暂存待查" in page and "暂无可查性" in page and "提交签批" in page
    sign_url = reverse("approvals:request_sign", args=[request_.pk])
    refused = client.post(sign_url, {"decision": "return", "opinion": ""})
    assert refused.status_code == 422 and "退回须写明意见" in refused.content.decode()
    assert client.post(sign_url, {"decision": "approve", "opinion": "拟同意"}).status_code == 302
    assert "提交签批" not in client.get(detail_url).content.decode()

    leader = approval_signer(world.room1, SignerRole.LEADER)
    client.force_login(leader)
    listing = client.get(reverse("approvals:request_list")).content.decode()
    assert request_.summary in listing and "分管领导审批" in listing
    client.post(sign_url, {"decision": "approve", "opinion": "同意"})
    request_.refresh_from_db()
    assert request_.status == RequestStatus.APPROVED
    assert Clue.objects.get(pk=request_.target_id).status == ClueStatus.DISPOSING
    assert "下载呈批表" in client.get(detail_url).content.decode()


def test_the_drafter_resubmits_a_returned_request_or_withdraws_it(client, world, users, request_):
    head = approval_signer(world.room1, SignerRole.OFFICE_HEAD)
    client.force_login(head)
    client.post(
        reverse("approvals:request_sign", args=[request_.pk]),
        {"decision": "return", "opinion": "请补充"},
    )
    client.force_login(users["room"])
    detail_url = reverse("approvals:request_detail", args=[request_.pk])
    page = client.get(detail_url).content.decode()
    assert "已退回" in page and "请补充" in page and "重新呈批" in page
    client.post(reverse("approvals:request_resubmit", args=[request_.pk]), {"reason": "已补充"})
    request_.refresh_from_db()
    assert (request_.status, request_.round) == (RequestStatus.PENDING, 2)
    client.post(reverse("approvals:request_withdraw", args=[request_.pk]), {"reason": ""})
    request_.refresh_from_db()
    assert request_.status == RequestStatus.WITHDRAWN


def test_outside_the_jurisdiction_a_request_does_not_exist(client, users, request_):
    client.force_login(users["outsider"])
    assert client.get(reverse("approvals:request_detail", args=[request_.pk])).status_code == 404
    assert request_.summary not in client.get(reverse("approvals:request_list")).content.decode()


def test_the_leader_sets_a_route_for_the_commission(client, world, users):
    leader = approval_signer(world.room1, SignerRole.LEADER)
    client.force_login(leader)
    url = reverse("approvals:route_list")
    page = client.get(url).content.decode()
    assert "线索办结" in page and "室主任审核 → 分管领导审批" in page and "系统默认" in page
    response = client.post(url, {"kind": "clues.close", "steps": ["leader"]})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "本单位设置" in page
    from jiandu.approvals.services import route_steps

    assert route_steps(org=world.room1, kind="clues.close")[0] == [SignerRole.LEADER]
    client.force_login(users["room"])
    assert client.get(url).status_code == 403
