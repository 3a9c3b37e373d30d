"""呈批表: an approved request's form numbered once from the 文号 register, with every
signature; not before approval; outside the jurisdiction 404."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document as Docx

from jiandu.approvals.choices import SignerRole
from jiandu.clues.choices import ClueAction, ClueSource, DisposalMethod
from jiandu.clues.decisions import clue_request_action
from jiandu.clues.services import clue_create
from jiandu.documents.models import Document
from jiandu.testing import approval_signer, approve_request

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
        method=DisposalMethod.TALK_INQUIRY,
        note="反映问题较具体",
    )


def _text(data: bytes) -> str:
    docx = Docx(io.BytesIO(data))
    cells = [c.text for t in docx.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in docx.paragraphs] + cells)


def test_the_form_is_numbered_once_after_approval(client, world, users, request_):
    url = reverse("documents:approval-form", args=[request_.pk])
    client.force_login(users["room"])
    refused = client.post(url)
    assert refused.status_code == 302 and not Document.objects.exists()

    approve_request(request_)
    response = client.post(url)
    assert response.status_code == 200
    document = Document.objects.get()
    assert document.number == f"昆明市纪委监委批〔{document.year}〕1号"
    text = _text(response.content)
    assert document.number in text and "谈话函询" in text and "反映问题较具体" in text
    assert "室主任审核" in text and "分管领导审批" in text and "同意" in text
    head = approval_signer(world.room1, SignerRole.OFFICE_HEAD)
    assert head.display_name in text
    request_.refresh_from_db()
    assert request_.document_number == document.number

    again = client.post(url)
    assert again.status_code == 200 and Document.objects.count() == 1


def test_outside_the_jurisdiction_the_form_does_not_exist(client, users, request_):
    approve_request(request_)
    client.force_login(users["outsider"])
    assert client.post(reverse("documents:approval-form", args=[request_.pk])).status_code == 404
