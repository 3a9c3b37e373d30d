"""Registering and editing people, adding and ending posts, from the pages."""

import datetime as dt

from django.urls import reverse

from jiandu.core import idnumbers
from jiandu.core.models import AuditLog
from jiandu.people.choices import ManagementLevel
from jiandu.people.models import Person, Post
from jiandu.people.services import person_create, post_add

NUMBER = idnumbers.make("530102", dt.date(1975, 6, 1), 31)


def _form(**overrides):
    data = {
        "name": "张建国",
        "id_number": NUMBER,
        "political_status": "party_member",
        "note": "",
    }
    data.update(overrides)
    return data


def test_create_derives_birth_date_and_gender_from_the_id_number(client, world):
    client.force_login(world.users["county"])
    response = client.post(reverse("people:person_create"), _form(registered_org=world.township.pk))
    person = Person.objects.get(name="张建国")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[person.pk])
    assert person.birth_date == dt.date(1975, 6, 1)
    assert person.gender == "男"
    assert person.id_masked == idnumbers.mask(NUMBER)


def test_bad_check_digit_is_an_error_on_the_field_and_nothing_is_stored(client, world):
    wrong = NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")
    client.force_login(world.users["county"])
    before = AuditLog.objects.count()
    response = client.post(
        reverse("people:person_create"), _form(id_number=wrong, registered_org=world.county.pk)
    )
    assert response.status_code == 200
    assert "校验位错误" in str(response.context["form"].errors["id_number"])
    assert not Person.objects.filter(name="张建国").exists()
    assert AuditLog.objects.count() == before


def test_registered_org_outside_the_jurisdiction_is_refused(client, world):
    client.force_login(world.users["county"])
    response = client.post(
        reverse("people:person_create"), _form(registered_org=world.other_county.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["registered_org"]
    assert not Person.objects.exists()


def test_edit_page_never_carries_the_full_number_and_empty_keeps_it(client, world):
    person = person_create(
        actor=world.users["city"], name="张建国", registered_org=world.county, id_number=NUMBER
    )
    client.force_login(world.users["county"])
    page = client.get(reverse("people:person_edit", args=[person.pk])).content.decode()
    assert NUMBER not in page
    assert idnumbers.mask(NUMBER) in page

    response = client.post(
        reverse("people:person_edit", args=[person.pk]),
        _form(name="张建国", id_number="", registered_org=world.county.pk, note="调任"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.id_number == NUMBER
    assert person.note == "调任"


def test_duplicate_id_number_is_refused_on_the_field(client, world):
    person_create(
        actor=world.users["city"], name="张建国", registered_org=world.county, id_number=NUMBER
    )
    other = person_create(actor=world.users["city"], name="李建华", registered_org=world.county)
    client.force_login(world.users["county"])
    response = client.post(
        reverse("people:person_edit", args=[other.pk]),
        _form(name="李建华", registered_org=world.county.pk),
    )
    assert response.status_code == 200
    assert "已登记" in str(response.context["form"].errors["id_number"])
    other.refresh_from_db()
    assert other.id_number == ""


def test_add_and_end_a_post(client, world):
    person = person_create(actor=world.users["city"], name="张建国", registered_org=world.county)
    client.force_login(world.users["county"])
    response = client.post(
        reverse("people:post_add", args=[person.pk]),
        {
            "org": world.township.pk,
            "title": "党工委书记",
            "management_level": ManagementLevel.SECTION,
            "is_leader": "on",
            "start_date": "2019-01-01",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(person=person)
    assert post.is_leader and post.end_date is None

    url = reverse("people:post_end", args=[person.pk, post.pk])
    response = client.post(url, {"end_date": "2018-01-01"}, follow=True)
    assert "免职日期不能早于任职日期" in response.content.decode()
    post.refresh_from_db()
    assert post.end_date is None

    response = client.post(url, {"end_date": "2021-06-30"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.end_date == dt.date(2021, 6, 30)


def test_post_in_an_org_outside_the_jurisdiction_cannot_be_ended(client, world):
    person = person_create(actor=world.users["city"], name="张建国", registered_org=world.county)
    post = post_add(
        actor=world.users["city"],
        person=person,
        org=world.other_county,
        title="局长",
        management_level=ManagementLevel.COUNTY_MANAGED,
        start_date=dt.date(2019, 1, 1),
    )
    client.force_login(world.users["county"])
    response = client.post(
        reverse("people:post_end", args=[person.pk, post.pk]), {"end_date": "2021-01-01"}
    )
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.end_date is None


def test_edits_need_the_permissions(client, world):
    person = person_create(actor=world.users["city"], name="张建国", registered_org=world.county)
    client.force_login(world.users["leader"])  # may view, not change
    assert client.get(reverse("people:person_detail", args=[person.pk])).status_code == 200
    assert client.get(reverse("people:person_create")).status_code == 403
    assert client.get(reverse("people:person_edit", args=[person.pk])).status_code == 403
    assert client.get(reverse("people:post_add", args=[person.pk])).status_code == 403
