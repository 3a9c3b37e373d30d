"""集体排查: a meeting's decision on each clue, each submitted for approval (all or
nothing, a bad line named); the minutes as .docx; outside the jurisdiction 404."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document as Docx

from jiandu.approvals.models import ApprovalRequest
from jiandu.clues.choices import ClueSource, ClueStatus, DisposalMethod
from jiandu.clues.services import clue_create, clue_dispose
from jiandu.sweeps.models import CollectiveReview
from jiandu.sweeps.services import collective_review_record
from jiandu.testing import approve_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def clues(world, users):
    received = clue_create(
        actor=users["city"],
        source=ClueSource.PETITION,
        title="新受理的线索",
        received_date=dt.date(2020, 3, 1),
        handling_org=world.room1,
    )
    shelved = clue_create(
        actor=users["city"],
        source=ClueSource.PETITION,
        title="暂存的线索",
        received_date=dt.date(2020, 3, 1),
        handling_org=world.room1,
    )
    clue_dispose(actor=users["city"], clue=shelved, method=DisposalMethod.SHELVED)
    return received, shelved


def _record(users, decisions):
    return collective_review_record(
        actor=users["city"],
        title="第一季度问题线索集体排查",
        held_on=dt.date(2020, 4, 1),
        attendees="张某（主持）、李某、王某",
        minutes="逐条研判线索。",
        decisions=decisions,
    )


def test_each_decision_becomes_a_request_and_takes_effect_when_approved(users, clues):
    received, shelved = clues
    review = _record(
        users,
        f"{received.number}，谈话函询，反映问题具体\n{shelved.number.lower()},初步核实,有新材料",
    )
    items = list(review.items.order_by("pk"))
    assert [(i.clue, i.method) for i in items] == [
        (received, DisposalMethod.TALK_INQUIRY),
        (shelved, DisposalMethod.PRELIMINARY_VERIFICATION),
    ]
    assert all(i.request.source == f"collective:{review.pk}" for i in items)
    shelved.refresh_from_db()
    assert shelved.disposal_method == DisposalMethod.SHELVED
    approve_request(items[1].request)
    shelved.refresh_from_db()
    assert (shelved.status, shelved.disposal_method) == (
        ClueStatus.DISPOSING,
        DisposalMethod.PRELIMINARY_VERIFICATION,
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("XS20209999999，谈话函询，x", "第2行：线索“XS20209999999”不存在"),
        ("{shelved}，立案审查，x", "第2行：处置方式不能由“暂存待查”变更为“立案审查”"),
        ("{shelved}，撤销，x", "第2行：处置方式“撤销”不存在"),
        ("{shelved}", "第2行应为"),
    ],
)
def test_a_bad_line_is_named_and_nothing_is_recorded(users, clues, line, message):
    received, shelved = clues
    text = f"{received.number}，谈话函询，具体\n" + line.format(shelved=shelved.number)
    with pytest.raises(ValidationError, match=message):
        _record(users, text)
    assert not CollectiveReview.objects.exists() and not ApprovalRequest.objects.exists()


def test_pages_and_minutes(client, users, clues):
    received, _shelved = clues
    client.force_login(users["city"])
    response = client.post(
        reverse("sweeps:review_list"),
        {
            "title": "第一季度问题线索集体排查",
            "held_on": "2020-04-01",
            "attendees": "张某、李某",
            "minutes": "逐条研判。",
            "decisions": f"{received.number}，谈话函询，反映问题具体",
        },
    )
    assert response.status_code == 302
    detail = response.headers["Location"]
    page = client.get(detail).content.decode()
    assert received.number in page and "审批中" in page
    review = CollectiveReview.objects.get()
    docx = client.post(reverse("documents:collective-minutes", args=[review.pk]))
    text = "\n".join(
        [p.text for p in Docx(io.BytesIO(docx.content)).paragraphs]
        + [c.text for t in Docx(io.BytesIO(docx.content)).tables for r in t.rows for c in r.cells]
    )
    assert "张某、李某" in text and received.number in text and "谈话函询" in text
    client.force_login(users["outsider"])
    assert client.get(detail).status_code == 404
