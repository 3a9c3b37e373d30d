"""登记信访件: a registration lands on its detail page; bad input is refused on the
field that is wrong, with nothing stored."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiandu.clues.models import Attachment, Petition, ReporterIdentity
from jiandu.core import idnumbers
from jiandu.core.models import AuditLog
from jiandu.people.services import person_create

VALID_ID = idnumbers.make("530102", dt.date(1975, 6, 1), 21)
WRONG_CHECK_DIGIT = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")


def _data(world, **overrides):
    data = {
        "received_date": "2020-03-02",
        "channel": "letter",
        "is_real_name": "on",
        "reporter_name": "李四",
        "reporter_phone": "13800000000",
        "reporter_id_number": VALID_ID,
        "reporter_address": "五华区某街道",
        "title": "反映某村干部截留低保金",
        "content": "某村委会主任截留低保金三万元。",
        "domains": [world.poverty.pk],
        "subject_orgs": [world.township.pk],
    }
    data.update(overrides)
    return data


def test_registration_shows_the_new_petition(client, world, users):
    person = person_create(actor=users["county"], name="王五", registered_org=world.township)
    client.force_login(users["county"])
    form_page = client.get(reverse("clues:petition_create"))
    assert form_page.status_code == 200
    response = client.post(
        reverse("clues:petition_create"),
        _data(world, subject_people=[person.pk]),
        follow=True,
    )
    petition = Petition.objects.get()
    assert response.redirect_chain[-1][0] == reverse("clues:petition_detail", args=[petition.pk])
    html = response.content.decode()
    assert petition.number in html
    assert "反映某村干部截留低保金" in html
    assert "王五" in html and "红云街道" in html
    assert list(petition.subject_people.all()) == [person]
    assert ReporterIdentity.objects.get(petition=petition).id_number == VALID_ID
    # The registering user has no identity permission: the page does not show it.
    assert "李四" not in html and VALID_ID not in html


def test_wrong_check_digit_is_shown_on_the_id_field_and_nothing_is_stored(client, world, users):
    client.force_login(users["county"])
    response = client.post(
        reverse("clues:petition_create"), _data(world, reporter_id_number=WRONG_CHECK_DIGIT)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["reporter_id_number"]
    assert "校验位错误" in errors["reporter_id_number"][0]
    assert 'id="id_reporter_id_number_error"' in response.content.decode()
    assert not Petition.objects.exists()
    assert not ReporterIdentity.objects.exists()
    assert not AuditLog.objects.filter(object_type="clues.petition").exists()


def test_attachments_are_stored_and_served_only_through_the_scoped_view(client, world, users):
    client.force_login(users["county"])
    files = [
        SimpleUploadedFile("举报信.pdf", b"%PDF-1.4 letter", content_type="application/pdf"),
        SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg"),
    ]
    client.post(reverse("clues:petition_create"), {**_data(world), "attachments": files})
    petition = Petition.objects.get()
    attachments = list(petition.attachments.order_by("original_name"))
    assert [a.original_name for a in attachments] == ["举报信.pdf", "照片.jpg"]
    detail = client.get(reverse("clues:petition_detail", args=[petition.pk])).content.decode()
    url = reverse("clues:attachment_download", args=[attachments[0].pk])
    assert url in detail
    assert "/media/" not in detail
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 letter"


def test_an_oversized_attachment_is_named_and_nothing_is_saved(client, world, users, settings):
    settings.JIANDU_MAX_UPLOAD_BYTES = 1024
    client.force_login(users["county"])
    audit_rows = AuditLog.objects.count()
    files = [
        SimpleUploadedFile("小文件.txt", b"ok"),
        SimpleUploadedFile("录音.mp3", b"x" * 2048),
    ]
    response = client.post(reverse("clues:petition_create"), {**_data(world), "attachments": files})
    assert response.status_code == 200
    errors = response.context["form"].errors["attachments"]
    assert len(errors) == 1 and "录音.mp3" in errors[0]
    assert not Petition.objects.exists()
    assert not Attachment.objects.exists()
    assert AuditLog.objects.count() == audit_rows
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_real_name_report_without_a_name_is_refused_on_the_name(client, world, users):
    client.force_login(users["county"])
    response = client.post(
        reverse("clues:petition_create"), _data(world, reporter_name="", reporter_id_number="")
    )
    assert response.status_code == 200
    assert "reporter_name" in response.context["form"].errors
    assert not Petition.objects.exists()
