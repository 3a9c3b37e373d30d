"""延期 of a clue and 分办 of a petition are 呈批 kinds like the others: page, API and
imports only submit a request; nothing changes before the route's last approval; an
illegal move is refused at drafting; one request under way per record; 404 outside."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document

from jiandu.approvals.choices import RequestStatus, SignerRole
from jiandu.approvals.models import ApprovalRequest
from jiandu.approvals.services import current_step, request_sign
from jiandu.clues.choices import (
    ClueAction,
    ClueSource,
    ClueStatus,
    DisposalMethod,
    PetitionAction,
    PetitionStatus,
)
from jiandu.clues.decisions import clue_request_action, petition_request_action
from jiandu.clues.lifecycle import TransitionError
from jiandu.clues.models import Clue, Petition
from jiandu.clues.services import clue_create, clue_dispose, clue_extend, petition_register
from jiandu.documents.approval_form import render_approval_form_docx
from jiandu.imports.kinds import KINDS
from jiandu.testing import approval_signer, approve_request

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def clue(world, users):
    clue = clue_create(
        actor=users["room"],
        source=ClueSource.INSPECTION,
        title="某区住建局违规审批",
        received_date=dt.date(2020, 3, 2),
        handling_org=world.room1,
    )
    # History before 呈批 (test set-up): the clue is being verified, due as the table says.
    return clue_dispose(
        actor=users["room"],
        clue=clue,
        method=DisposalMethod.PRELIMINARY_VERIFICATION,
        on_date=dt.date(2020, 3, 9),
    )


@pytest.fixture
def petition(world, users):
    return petition_register(
        actor=users["city"],
        received_date=dt.date(2020, 3, 2),
        channel="letter",
        title="反映某局违规发放补贴",
        content="……",
        domains=[world.poverty],
        subject_orgs=[world.unit_a],
    )


def _later(clue, days=30):
    return clue.due_date + dt.timedelta(days=days)


# --- 延期 ------------------------------------------------------------------------


def test_an_extension_takes_effect_only_at_the_last_approval(users, clue):
    before = clue.due_date
    request = clue_request_action(
        actor=users["room"],
        clue=clue,
        action=ClueAction.EXTEND,
        new_due=_later(clue),
        note="需调取银行流水",
    )
    assert request.kind == "clues.extend"
    assert request.payload == {
        "action": "extend",
        "note": "需调取银行流水",
        "new_due": _later(clue).isoformat(),
        "due_before": before.isoformat(),
    }
    head = approval_signer(clue.handling_org, SignerRole.OFFICE_HEAD)
    request_sign(actor=head, request=request, approve=True, opinion="拟同意")
    clue.refresh_from_db()
    assert clue.due_date == before  # not yet
    approve_request(request)
    clue.refresh_from_db()
    assert clue.due_date == before + dt.timedelta(days=30)
    assert clue.status == ClueStatus.DISPOSING
    event = clue.events.get(action=ClueAction.EXTEND)
    assert event.on_date == timezone.localdate()
    assert event.actor == users["room"]
    assert f"由{before:%Y-%m-%d}延至{_later(clue, 0):%Y-%m-%d}" in event.note
    assert "需调取银行流水" in event.note and "经呈批批准" in event.note


def test_an_illegal_extension_is_refused_at_drafting(users, clue):
    with pytest.raises(ValidationError, match="应晚于原期限"):
        clue_request_action(
            actor=users["room"],
            clue=clue,
            action=ClueAction.EXTEND,
            new_due=clue.due_date,
            note="理由",
        )
    with pytest.raises(ValidationError, match="延期须说明理由"):
        clue_request_action(
            actor=users["room"],
            clue=clue,
            action=ClueAction.EXTEND,
            new_due=_later(clue),
            note="",
        )
    closed = Clue.objects.get(pk=clue.pk)
    closed.status, closed.due_date = ClueStatus.CLOSED, None
    closed.save()
    with pytest.raises(TransitionError, match="不能执行“延期”"):
        clue_request_action(
            actor=users["room"],
            clue=closed,
            action=ClueAction.EXTEND,
            new_due=dt.date(2030, 1, 1),
            note="理由",
        )
    assert not ApprovalRequest.objects.exists()


def test_an_extension_overtaken_meanwhile_is_not_applied(users, clue):
    request = clue_request_action(
        actor=users["room"],
        clue=clue,
        action=ClueAction.EXTEND,
        new_due=_later(clue, 10),
        note="理由",
    )
    # Meanwhile the period moved past the requested date (set-up through the service).
    clue_extend(actor=users["room"], clue=clue, new_due=_later(clue, 20), note="另行延期")
    head = approval_signer(clue.handling_org, SignerRole.OFFICE_HEAD)
    request = request_sign(actor=head, request=request, approve=True)
    leader = approval_signer(clue.handling_org, SignerRole.LEADER)
    with pytest.raises(ValidationError, match="应晚于原期限"):
        request_sign(actor=leader, request=request, approve=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert current_step(request).signer_role == SignerRole.LEADER


def test_the_page_submits_an_extension_and_changes_nothing(client, users, clue):
    client.force_login(users["room"])
    detail = client.get(reverse("clues:clue_detail", args=[clue.pk])).content.decode()
    assert "呈批延期" in detail
    url = reverse("clues:clue_action", args=[clue.pk])
    bad = client.post(
        url,
        {"action": "extend", "extend-new_due": clue.due_date.isoformat(), "extend-note": "理由"},
        headers=HTMX,
    )
    assert bad.status_code == 422 and "应晚于原期限" in bad.content.decode()
    response = client.post(
        url,
        {"action": "extend", "extend-new_due": _later(clue).isoformat(), "extend-note": "需外调"},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "已呈批：延期" in html and "待室主任审核" in html
    assert Clue.objects.get(pk=clue.pk).due_date == clue.due_date
    assert ApprovalRequest.objects.get().kind == "clues.extend"


def test_the_api_submits_an_extension_and_it_takes_effect_when_approved(client, users, clue):
    client.force_login(users["room"])
    url = f"/api/v1/clues/clues/{clue.pk}/actions"
    missing = client.post(
        url, {"action": "extend", "note": "理由"}, content_type="application/json"
    )
    assert missing.status_code == 422 and "new_due" in missing.json()["errors"]
    response = client.post(
        url,
        {"action": "extend", "new_due": _later(clue).isoformat(), "note": "需外调"},
        content_type="application/json",
    )
    assert response.status_code == 202
    body = response.json()
    assert body["kind_label"] == "延期（办理期限）"
    assert {d["label"]: d["value"] for d in body["details"]}["延期至"] == _later(clue).isoformat()
    assert Clue.objects.get(pk=clue.pk).due_date == clue.due_date
    again = client.post(
        url,
        {"action": "extend", "new_due": _later(clue, 40).isoformat(), "note": "再延"},
        content_type="application/json",
    )
    assert again.status_code == 422 and "已有呈批件在审批中" in again.json()["detail"]
    approve_request(ApprovalRequest.objects.get(pk=body["id"]))
    assert Clue.objects.get(pk=clue.pk).due_date == _later(clue)


def test_the_approval_form_shows_the_extension(users, clue):
    request = clue_request_action(
        actor=users["room"],
        clue=clue,
        action=ClueAction.EXTEND,
        new_due=_later(clue),
        note="需外调",
    )
    request = approve_request(request)
    data = render_approval_form_docx(
        request=request, number="批〔2026〕1号", organ="昆明市纪委监委"
    )
    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(data)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "延期（办理期限）" in text
    assert clue.due_date.isoformat() in text and _later(clue).isoformat() in text


def test_no_import_sets_a_due_date_or_triages_a_petition():
    """Imports have no column for 办理期限 or 分办: the period comes from the deadline
    table when a stage starts, a later one only through an approved 延期; petitions are
    registered and triaged on the page or the API, not imported."""
    for kind in KINDS.values():
        for sheet in kind.sheets:
            assert "due_date" not in {c.key for c in sheet.columns}
            headers = {c.header for c in sheet.columns}
            assert not headers & {"办理期限", "延期至", "分办方式", "交办至", "转办至"}
        assert "petition" not in kind.key


# --- 分办 of a petition ------------------------------------------------------------

TRIAGE = [
    (PetitionAction.CONVERT, {"reason": "反映问题具体"}, PetitionStatus.CONVERTED),
    (
        PetitionAction.TRANSFER,
        {"reason": "不属受理范围", "transferred_to": "市信访局"},
        PetitionStatus.TRANSFERRED,
    ),
    (PetitionAction.FILE, {"reason": "无实质内容"}, PetitionStatus.FILED),
]


@pytest.mark.parametrize(("action", "fields", "after"), TRIAGE)
def test_each_triage_on_the_page_waits_for_its_route(
    client, users, petition, action, fields, after
):
    client.force_login(users["city"])
    url = reverse("clues:petition_triage", args=[petition.pk, action])
    response = client.post(url, {f"{action}-{k}": v for k, v in fields.items()}, headers=HTMX)
    assert response.status_code == 200
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.PENDING
    request = ApprovalRequest.objects.get(target_type="clues.petition", target_id=petition.pk)
    assert request.kind == f"petitions.{action}"
    approve_request(request)
    petition.refresh_from_db()
    assert petition.status == after
    assert "经呈批批准" in petition.events.get(action=action).reason


@pytest.mark.parametrize(("action", "fields", "after"), TRIAGE)
def test_each_triage_through_the_api_waits_for_its_route(
    client, users, petition, action, fields, after
):
    client.force_login(users["city"])
    url = f"/api/v1/clues/petitions/{petition.pk}/{action}"
    response = client.post(url, fields, content_type="application/json")
    assert response.status_code == 202
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.PENDING
    approve_request(ApprovalRequest.objects.get(pk=response.json()["id"]))
    assert Petition.objects.get(pk=petition.pk).status == after


def test_assign_waits_for_its_route(client, world, users, petition):
    client.force_login(users["city"])
    response = client.post(
        f"/api/v1/clues/petitions/{petition.pk}/assign",
        {"to_org": world.county.pk, "reason": "属地办理"},
        content_type="application/json",
    )
    assert response.status_code == 202
    assert Petition.objects.get(pk=petition.pk).handling_org == world.city
    approve_request(ApprovalRequest.objects.get(pk=response.json()["id"]))
    assert Petition.objects.get(pk=petition.pk).handling_org == world.county


def test_the_petition_page_shows_the_pending_step_and_refuses_a_second(
    client, world, users, petition
):
    head = approval_signer(world.city, SignerRole.OFFICE_HEAD)
    client.force_login(users["city"])
    url = reverse("clues:petition_triage", args=[petition.pk, "file"])
    client.post(url, {"file-reason": "无实质内容"}, headers=HTMX)
    page = client.get(reverse("clues:petition_detail", args=[petition.pk])).content.decode()
    assert "存档了结：" in page and "待室主任审核" in page and head.display_name in page
    assert "呈批转办" not in page and "有分办呈批件在审批中" in page
    request = ApprovalRequest.objects.get()
    detail = client.get(reverse("approvals:request_detail", args=[request.pk])).content.decode()
    assert "信访件分办（存档了结）" in detail and "分办方式" in detail and "无实质内容" in detail
    assert reverse("clues:petition_detail", args=[petition.pk]) in detail
    second = client.post(
        reverse("clues:petition_triage", args=[petition.pk, "transfer"]),
        {"transfer-transferred_to": "市信访局", "transfer-reason": "转办"},
        headers=HTMX,
    )
    assert second.status_code == 422 and "已有呈批件在审批中" in second.content.decode()
    api = client.post(
        f"/api/v1/clues/petitions/{petition.pk}/transfer",
        {"transferred_to": "市信访局", "reason": "转办"},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert ApprovalRequest.objects.count() == 1


def test_an_illegal_triage_is_refused_and_outsiders_see_nothing(client, users, petition):
    request = petition_request_action(
        actor=users["city"], petition=petition, action=PetitionAction.FILE, reason="了结"
    )
    approve_request(request)
    client.force_login(users["city"])
    refused = client.post(
        f"/api/v1/clues/petitions/{petition.pk}/convert",
        {"reason": "再转"},
        content_type="application/json",
    )
    assert refused.status_code == 409 and "不能执行“转为问题线索”" in refused.json()["detail"]
    with pytest.raises(TransitionError):
        petition_request_action(
            actor=users["city"], petition=petition, action=PetitionAction.ASSIGN, reason="交办"
        )
    assert ApprovalRequest.objects.count() == 1
    client.force_login(users["outsider"])
    fresh = petition_register(
        actor=users["city"],
        received_date=dt.date(2020, 3, 3),
        channel="letter",
        title="另一件",
        content="……",
    )
    assert (
        client.post(
            reverse("clues:petition_triage", args=[fresh.pk, "file"]), {"file-reason": "了结"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/clues/petitions/{fresh.pk}/file",
            {"reason": "了结"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert client.get(reverse("approvals:request_detail", args=[request.pk])).status_code == 404
    assert not ApprovalRequest.objects.filter(target_id=fresh.pk).exists()


def test_a_converted_clue_is_received_on_the_day_of_approval(users, petition):
    request = petition_request_action(
        actor=users["city"],
        petition=petition,
        action=PetitionAction.CONVERT,
        reason="转线索",
        on_date=dt.date(2020, 3, 5),
    )
    assert not Clue.objects.exists()  # the dry run left nothing behind
    approve_request(request)
    clue = Clue.objects.get(petition=petition)
    assert clue.received_date == timezone.localdate()
    assert clue.created_by == users["city"]


def test_a_triage_goes_along_the_route_of_the_petitions_handling_unit(world, users):
    """The 信访室's petition triaged by the commission's own staff: the 信访室's route."""
    petition = petition_register(
        actor=users["petition_officer"],
        received_date=dt.date(2020, 3, 2),
        channel="letter",
        title="反映某局违规发放补贴",
        content="……",
        domains=[world.poverty],
        subject_orgs=[world.unit_a],
    )
    assert petition.handling_org == world.petition_room
    request = petition_request_action(
        actor=users["city"], petition=petition, action=PetitionAction.FILE, reason="无实质内容"
    )
    assert (request.org, request.drafted_by) == (world.petition_room, users["city"])
