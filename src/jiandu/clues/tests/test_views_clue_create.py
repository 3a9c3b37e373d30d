"""登记问题线索 entered directly (not from a petition): 巡察移交, 审计移交 …"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiandu.clues.choices import ClueAction, ClueSource, ClueStatus
from jiandu.clues.models import Attachment, Clue


def _data(world, **overrides):
    return {
        "source": ClueSource.INSPECTION,
        "received_date": "2020-03-02",
        "handling_org": world.county.pk,
        "title": "巡察移交：街道套取扶贫资金",
        "content": "巡察发现街道虚列支出。",
        "funds_involved": "56000",
        "domains": [world.poverty.pk],
        "subject_orgs": [world.township.pk],
        **overrides,
    }


def test_a_clue_from_an_inspection_transfer_is_received(client, world, users):
    client.force_login(users["county"])
    page = client.get(reverse("clues:clue_create")).content.decode()
    assert "巡察移交" in page and 'value="petition"' not in page
    files = {"attachments": [SimpleUploadedFile("巡察移交函.pdf", b"%PDF letter")]}
    response = client.post(reverse("clues:clue_create"), {**_data(world), **files}, follow=True)
    clue = Clue.objects.get()
    assert response.redirect_chain[-1][0] == reverse("clues:clue_detail", args=[clue.pk])
    assert (clue.source, clue.handling_org, clue.status) == (
        ClueSource.INSPECTION,
        world.county,
        ClueStatus.RECEIVED,
    )
    assert clue.events.get().action == ClueAction.RECEIVE
    assert Attachment.objects.get(clue=clue).original_name == "巡察移交函.pdf"
    assert "巡察移交函.pdf" in response.content.decode()


def test_the_handling_org_must_be_in_the_jurisdiction(client, world, users):
    client.force_login(users["county"])
    response = client.post(reverse("clues:clue_create"), _data(world, handling_org=world.city.pk))
    assert response.status_code == 200
    assert "handling_org" in response.context["form"].errors
    assert not Clue.objects.exists()


def test_a_future_received_date_is_refused_on_its_field(client, world, users):
    client.force_login(users["county"])
    response = client.post(reverse("clues:clue_create"), _data(world, received_date="2999-01-01"))
    assert response.context["form"].errors["received_date"] == ["受理日期不能晚于今天"]
    assert not Clue.objects.exists()


def test_entering_clues_needs_the_add_permission(client, world, users):
    client.force_login(users["leader"])
    assert client.get(reverse("clues:clue_create")).status_code == 403
    assert client.post(reverse("clues:clue_create"), _data(world)).status_code == 403
    assert not Clue.objects.exists()
