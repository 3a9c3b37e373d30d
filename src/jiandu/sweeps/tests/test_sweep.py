"""线索大起底: the filters pick the clues, each gets a reviewer's decision, a 重新处置 goes
through the clue's approval route; the counts follow and each opens its clues."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jiandu.approvals.choices import RequestStatus
from jiandu.clues.choices import ClueSource, ClueStatus, DisposalMethod
from jiandu.clues.services import clue_create, clue_dispose
from jiandu.sweeps.models import Sweep
from jiandu.sweeps.selectors import sweep_counts, sweep_items
from jiandu.sweeps.services import sweep_create, sweep_review
from jiandu.testing import approve_request

pytestmark = pytest.mark.django_db


def _clue(users, org, title, received, method=None):
    clue = clue_create(
        actor=users["city"],
        source=ClueSource.PETITION,
        title=title,
        received_date=received,
        handling_org=org,
    )
    if method:
        clue_dispose(actor=users["city"], clue=clue, method=method, on_date=received)
    return clue


@pytest.fixture
def shelved(world, users):
    return [
        _clue(users, world.room1, "暂存一", dt.date(2019, 3, 1), DisposalMethod.SHELVED),
        _clue(users, world.county, "暂存二", dt.date(2020, 3, 1), DisposalMethod.SHELVED),
        _clue(users, world.county, "暂存三（早）", dt.date(2017, 3, 1), DisposalMethod.SHELVED),
        _clue(users, world.county, "谈话", dt.date(2020, 3, 1), DisposalMethod.TALK_INQUIRY),
    ]


def _counts(user, sweep):
    return {row["key"]: row["count"] for row in sweep_counts(user=user, sweep=sweep)}


def test_a_sweep_reviews_each_clue_and_redisposals_go_through_approval(world, users, shelved):
    sweep = sweep_create(
        actor=users["city"],
        name="暂存待查线索大起底",
        org=world.city,
        filters={"disposal_method": "shelved", "received_from": dt.date(2018, 1, 1)},
    )
    assert sweep.filters == {"disposal_method": "shelved", "received_from": "2018-01-01"}
    assert "暂存待查" in sweep.filters_text
    assert {i.clue.title for i in sweep_items(user=users["city"], sweep=sweep)} == {
        "暂存一",
        "暂存二",
    }
    one, two = sweep_items(user=users["city"], sweep=sweep)
    sweep_review(actor=users["city"], item=one, decision="maintain", note="仍无可查性")
    with pytest.raises(ValidationError, match="须选择处置方式"):
        sweep_review(actor=users["city"], item=two, decision="redispose", note="x")
    item = sweep_review(
        actor=users["city"],
        item=two,
        decision="redispose",
        new_method=DisposalMethod.PRELIMINARY_VERIFICATION,
        note="出现新的线索材料",
    )
    assert item.request.status == RequestStatus.PENDING
    clue = item.clue
    clue.refresh_from_db()
    assert clue.disposal_method == DisposalMethod.SHELVED  # not before approval
    assert _counts(users["city"], sweep) == {
        "all": 2, "unreviewed": 0, "reviewed": 2, "maintain": 1, "redispose": 1,
        "approving": 1, "approved": 0, "returned": 0,
    }  # fmt: skip
    approve_request(item.request)
    clue.refresh_from_db()
    assert (clue.status, clue.disposal_method) == (
        ClueStatus.DISPOSING,
        DisposalMethod.PRELIMINARY_VERIFICATION,
    )
    assert _counts(users["city"], sweep)["approved"] == 1
    # A county officer counts only the clues of the campaign in her jurisdiction.
    assert _counts(users["county"], sweep)["all"] == 1
    with pytest.raises(ValidationError, match="该线索已复核"):
        sweep_review(actor=users["city"], item=one, decision="maintain")


def test_pages_count_open_their_clues_and_review(client, world, users, shelved):
    client.force_login(users["city"])
    response = client.post(
        reverse("sweeps:sweep_list"),
        {"name": "暂存待查线索大起底", "disposal_method": "shelved", "received_from": "2018-01-01"},
    )
    assert response.status_code == 302
    detail = response.headers["Location"]
    page = client.get(detail).content.decode()
    assert "纳入起底" in page and "暂存一" in page and "暂存三" not in page
    sweep_id = int(detail.rstrip("/").rsplit("/", 1)[1])
    item = sweep_items(user=users["city"], sweep=Sweep.objects.get(pk=sweep_id))[0]
    url = reverse("sweeps:item_review", args=[sweep_id, item.pk])
    assert client.post(url, {"decision": "maintain", "note": "维持"}).status_code == 302
    page = client.get(f"{detail}?bucket=maintain").content.decode()
    assert item.clue.number in page and "维持原处置" in page
    client.force_login(users["outsider"])
    assert client.get(detail).status_code == 404
