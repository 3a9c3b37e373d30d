"""/api/v1/approvals/: a clue action submitted through the API is a request; the route's
signers sign it through the API; 待我审批; scoped (404 outside), 403 for a step one may
not sign; the decision takes effect at the last approval."""

import pytest

from jiandu.approvals.choices import SignerRole
from jiandu.clues.choices import ClueStatus
from jiandu.core.models import AuditLog
from jiandu.testing import approval_signer

pytestmark = pytest.mark.django_db


def test_a_request_through_the_api_from_draft_to_effect(login, users, world, county_clue):
    client = login(users["county"])
    submitted = client.post(
        f"/api/v1/clues/clues/{county_clue.pk}/actions",
        {"action": "dispose", "method": "talk_inquiry", "note": "拟谈话函询"},
        content_type="application/json",
    )
    assert submitted.status_code == 202
    request_id = submitted.json()["id"]
    # The drafter may not sign; the request is not the outsider's at all.
    denied = client.post(
        f"/api/v1/approvals/{request_id}/sign", {"approve": True}, content_type="application/json"
    )
    assert denied.status_code == 403
    assert login(users["outsider"]).get(f"/api/v1/approvals/{request_id}").status_code == 404

    head = approval_signer(world.county, SignerRole.OFFICE_HEAD)
    leader = approval_signer(world.county, SignerRole.LEADER)
    client = login(head)
    awaiting = client.get("/api/v1/approvals/?awaiting=true").json()
    assert [r["id"] for r in awaiting] == [request_id]
    returned = client.post(
        f"/api/v1/approvals/{request_id}/sign",
        {"approve": False, "opinion": ""},
        content_type="application/json",
    )
    assert returned.status_code == 422 and "退回须写明意见" in returned.json()["detail"]
    body = client.post(
        f"/api/v1/approvals/{request_id}/sign",
        {"approve": True, "opinion": "拟同意"},
        content_type="application/json",
    ).json()
    assert (body["status"], body["waiting_for"]) == ("pending", "分管领导审批")
    assert login(head).get("/api/v1/approvals/?awaiting=true").json() == []
    body = (
        login(leader)
        .post(
            f"/api/v1/approvals/{request_id}/sign",
            {"approve": True, "opinion": "同意"},
            content_type="application/json",
        )
        .json()
    )
    assert body["status"] == "approved"
    assert [(s["step"], s["decision"], s["opinion"]) for s in body["steps"]] == [
        ("室主任审核", "同意", "拟同意"),
        ("分管领导审批", "同意", "同意"),
    ]
    assert {"label": "处置方式", "value": "谈话函询"} in body["details"]
    county_clue.refresh_from_db()
    assert county_clue.status == ClueStatus.DISPOSING
    assert AuditLog.objects.filter(object_type="approvals.approvalrequest").count() == 3


def test_withdraw_by_the_drafter_only(login, users, county_clue):
    client = login(users["county"])
    request_id = client.post(
        f"/api/v1/clues/clues/{county_clue.pk}/actions",
        {"action": "dispose", "method": "shelved"},
        content_type="application/json",
    ).json()["id"]
    url = f"/api/v1/approvals/{request_id}/withdraw"
    assert login(users["city"]).post(url, {}, content_type="application/json").status_code == 403
    body = login(users["county"]).post(url, {"reason": "改"}, content_type="application/json")
    assert body.json()["status"] == "withdrawn"
    assert login(users["leader"]).get("/api/v1/approvals/?status=withdrawn").json()[0]["id"] == (
        request_id
    )
