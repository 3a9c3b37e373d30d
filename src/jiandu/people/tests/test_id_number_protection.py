"""ID numbers cannot be recovered by someone without ``people.view_id_number``: no exact
search or existence answer for them (as if the number were absent), a mask that keeps
only the first two and the last character, no birth date derived from the number,
every search by number audited, and person look-ups rate-limited per user."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.accounts import roles
from jiandu.core import idnumbers
from jiandu.core.choices import AuditAction
from jiandu.core.crypto import search_key
from jiandu.core.models import AuditLog
from jiandu.people.models import Person
from jiandu.people.services import person_create
from jiandu.testing import make_user

NUMBER = idnumbers.make("530102", dt.date(1975, 6, 1), 31)


@pytest.fixture
def zhang(world):
    return person_create(
        actor=world.users["city"], name="张建国", registered_org=world.county, id_number=NUMBER
    )


@pytest.fixture
def identity(world):
    return make_user("identity", world.county, roles.ROLE_CLUES, roles.ROLE_IDENTITY)


def _id_searches(user):
    return AuditLog.objects.filter(
        actor=user, action=AuditAction.VIEW_PROTECTED, object_type="people.person"
    )


def test_an_id_search_without_the_permission_finds_nobody_and_is_audited(client, users, zhang):
    client.force_login(users["county"])  # sees 张建国, may not see ID numbers
    body = client.get("/api/v1/people/", {"q": NUMBER}).json()
    assert body["items"] == []
    log = _id_searches(users["county"]).get()
    assert log.changes == {"id_search_key": search_key(NUMBER), "permitted": False}
    assert NUMBER not in str(log.changes) and NUMBER not in log.summary

    page = client.get(reverse("people:person_list"), {"q": NUMBER}, follow=True)
    assert list(page.context["page"].items) == []
    assert "须有查看身份证号码的权限" in page.content.decode()
    assert _id_searches(users["county"]).count() == 2

    picker = client.get(reverse("clues:person_search"), {"field": "subject_people", "q": NUMBER})
    assert "张建国" not in picker.content.decode()
    assert _id_searches(users["county"]).count() == 3


def test_an_id_search_with_the_permission_finds_and_is_audited(client, identity, zhang):
    client.force_login(identity)
    body = client.get("/api/v1/people/", {"q": NUMBER}).json()
    assert [p["id"] for p in body["items"]] == [zhang.pk]
    log = _id_searches(identity).get()
    assert log.changes == {"id_search_key": search_key(NUMBER), "permitted": True}
    # A name search is no ID search: not audited.
    client.get("/api/v1/people/", {"q": "张"})
    assert _id_searches(identity).count() == 1


def test_the_mask_and_the_profile_do_not_give_away_the_hidden_digits(
    client, users, identity, zhang
):
    assert zhang.id_masked == NUMBER[:2] + "*" * 15 + NUMBER[-1]
    client.force_login(users["county"])
    item = client.get("/api/v1/people/").json()["items"][0]
    assert item["id_masked"] == zhang.id_masked
    assert item["birth_date"] is None and item["gender"] == "男"
    detail = client.get(f"/api/v1/people/{zhang.pk}").json()
    assert detail["birth_date"] is None
    for html in (
        client.get(reverse("people:person_list")).content.decode(),
        client.get(reverse("people:person_detail", args=[zhang.pk])).content.decode(),
        client.get(reverse("people:person_edit", args=[zhang.pk])).content.decode(),
    ):
        assert "1975-06-01" not in html and NUMBER[:6] not in html

    client.force_login(identity)
    assert client.get(f"/api/v1/people/{zhang.pk}").json()["birth_date"] == "1975-06-01"


def test_a_number_registered_in_another_county_is_not_confirmed(client, users, world, zhang):
    client.force_login(users["outsider"])  # 盘龙区: 张建国 (五华区) is out of reach
    response = client.post(
        "/api/v1/people/",
        {"name": "张建国", "registered_org": world.other_county.pk, "id_number": NUMBER},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert "已登记" not in response.content.decode()
    assert Person.objects.filter(id_search_key=search_key(NUMBER)).count() == 2

    # Within the jurisdiction the duplicate is refused.
    client.force_login(users["county"])
    response = client.post(
        "/api/v1/people/",
        {"name": "张建国", "registered_org": world.township.pk, "id_number": NUMBER},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "已登记" in response.json()["errors"]["id_number"][0]


def test_person_look_ups_are_rate_limited_per_user(client, users, settings, zhang):
    settings.JIANDU_PERSON_LOOKUP_LIMIT = 3
    settings.JIANDU_PERSON_LOOKUP_WINDOW = 600
    client.force_login(users["county"])
    for _ in range(3):
        assert client.get("/api/v1/people/", {"q": "张"}).status_code == 200
    response = client.get(f"/api/v1/people/{zhang.pk}")
    assert response.status_code == 429
    assert "查询人员过于频繁" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    page = client.get(reverse("people:person_list"))
    assert page.status_code == 429 and "查询人员过于频繁" in page.content.decode()
    picker = client.get(reverse("clues:person_search"), {"field": "subject_people", "q": "张"})
    assert picker.status_code == 429

    client.force_login(users["city"])  # another user has a budget of their own
    assert client.get("/api/v1/people/").status_code == 200
