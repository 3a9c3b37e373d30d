"""Triage (分办) of a pending petition from its page goes through 呈批: 转为问题线索 makes
a clue once its route approves; illegal or out-of-jurisdiction moves are refused with a
message and change nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.approvals.models import ApprovalRequest
from jiandu.clues.choices import ClueSource, PetitionStatus
from jiandu.clues.models import Clue, PetitionEvent
from jiandu.clues.services import petition_file, petition_register
from jiandu.testing import approve_request

HTMX = {"HX-Request": "true", "HX-Target": "petition-workflow"}


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


def _triage(client, petition, action, **fields):
    data = {f"{action}-{name}": value for name, value in fields.items()}
    url = reverse("clues:petition_triage", args=[petition.pk, action])
    return client.post(url, data, headers=HTMX)


def test_convert_to_clue_creates_the_clue_once_approved(client, world, users, petition):
    client.force_login(users["city"])
    detail = client.get(reverse("clues:petition_detail", args=[petition.pk])).content.decode()
    for label in ("转为问题线索", "交办", "转办", "存档了结"):
        assert f"呈批{label}" in detail

    response = _triage(
        client, petition, "convert", reason="反映问题具体，可查性强", handling_org=world.county.pk
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "已呈批：转为问题线索" in html and "批准后生效" in html
    assert "待室主任审核" in html
    assert "呈批交办" not in html  # one request under way at a time
    assert not Clue.objects.exists()
    request = ApprovalRequest.objects.get(target_type="clues.petition", target_id=petition.pk)
    approve_request(request)
    clue = Clue.objects.get(petition=petition)
    assert (clue.source, clue.handling_org) == (ClueSource.PETITION, world.county)
    assert list(clue.domains.all()) == [world.poverty]
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.CONVERTED
    html = client.get(reverse("clues:petition_detail", args=[petition.pk])).content.decode()
    assert reverse("clues:clue_detail", args=[clue.pk]) in html
    assert "呈批交办" not in html  # a converted petition offers no more triage


def test_an_org_outside_the_jurisdiction_is_not_a_choice(client, world, users):
    petition = petition_register(
        actor=users["county"],
        received_date=dt.date(2020, 3, 2),
        channel="phone",
        title="县里的信访件",
        content="……",
    )
    client.force_login(users["county"])
    response = _triage(client, petition, "assign", reason="请核查", to_org=world.city.pk)
    assert response.status_code == 422
    html = response.content.decode()
    assert "“交办”未完成" in html
    assert 'id="id_assign-to_org_error"' in html
    petition.refresh_from_db()
    assert petition.handling_org == world.county
    assert petition.events.count() == 1


def test_an_illegal_move_shows_the_reason_and_changes_nothing(client, users, petition):
    petition_file(actor=users["city"], petition=petition, reason="无具体问题")
    client.force_login(users["city"])
    detail = client.get(reverse("clues:petition_detail", args=[petition.pk])).content.decode()
    assert "呈批转为问题线索" not in detail

    response = _triage(client, petition, "convert", reason="再次转线索")
    assert response.status_code == 422
    assert "信访件状态为“已存档了结”，不能执行“转为问题线索”" in response.content.decode()
    assert not Clue.objects.exists()
    assert not ApprovalRequest.objects.exists()
    assert PetitionEvent.objects.filter(petition=petition).count() == 2


def test_triage_needs_the_change_permission(client, users, petition):
    client.force_login(users["leader"])
    response = _triage(client, petition, "file", reason="了结")
    assert response.status_code == 403
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.PENDING
