"""The full ID number on a profile: only through the audited reveal, only for holders of
people.view_id_number."""

import datetime as dt

from django.urls import reverse

from jiandu.core import idnumbers
from jiandu.core.models import AuditLog
from jiandu.people.services import person_create

NUMBER = idnumbers.make("530100", dt.date(1970, 2, 3), 12)


def _person(world):
    return person_create(
        actor=world.users["city"],
        name="赵信访",
        registered_org=world.petition_room,
        id_number=NUMBER,
    )


def test_reveal_shows_the_number_and_writes_a_view_protected_row(client, world):
    person = _person(world)
    officer = world.users["petition_officer"]
    client.force_login(officer)

    profile = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert NUMBER not in profile
    assert "查看完整身份证号" in profile

    response = client.post(
        reverse("people:person_reveal_id", args=[person.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="id-number",
    )
    assert response.status_code == 200
    assert NUMBER in response.content.decode()
    log = AuditLog.objects.latest("sequence")
    assert log.action == "view_protected"
    assert log.actor == officer
    assert log.object_type == "people.person" and log.object_id == str(person.pk)


def test_without_permission_no_button_no_number_and_403(client, world):
    person = _person(world)
    client.force_login(world.users["city"])
    before = AuditLog.objects.count()

    profile = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert NUMBER not in profile
    assert idnumbers.mask(NUMBER) in profile
    assert "查看完整身份证号" not in profile
    assert reverse("people:person_reveal_id", args=[person.pk]) not in profile

    response = client.post(reverse("people:person_reveal_id", args=[person.pk]))
    assert response.status_code == 403
    assert NUMBER not in response.content.decode()
    assert AuditLog.objects.count() == before


def test_reveal_outside_the_jurisdiction_is_404_and_not_logged(client, world):
    person = person_create(
        actor=world.users["city"], name="外区人员", registered_org=world.county, id_number=NUMBER
    )
    from jiandu.accounts import roles
    from jiandu.testing import make_user

    # Another county's officer allowed to see ID numbers: not 五华区's people.
    holder = make_user(
        "other_identity", world.other_county, roles.ROLE_PETITION, roles.ROLE_IDENTITY
    )
    client.force_login(holder)
    before = AuditLog.objects.count()
    response = client.post(reverse("people:person_reveal_id", args=[person.pk]))
    assert response.status_code == 404
    assert AuditLog.objects.count() == before


def test_reveal_needs_post(client, world):
    person = _person(world)
    client.force_login(world.users["petition_officer"])
    assert client.get(reverse("people:person_reveal_id", args=[person.pk])).status_code == 405
