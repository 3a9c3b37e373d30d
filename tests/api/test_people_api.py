"""/people: the registry within the jurisdiction, ID numbers masked everywhere, the full
number only from the audited id-number endpoint."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.api.records import make_person

from jiandu.core import idnumbers
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog
from jiandu.people.models import Person, Post
from jiandu.people.services import post_add


def test_the_list_needs_the_permission(login, users):
    assert login(users["auditor"]).get("/api/v1/people/").status_code == 403


def test_the_list_is_scoped_and_never_carries_the_full_id_number(
    login, identity_officer, county_person, other_person
):
    # Even a holder of people.view_id_number gets masked numbers in the list.
    response = login(identity_officer).get("/api/v1/people/")
    body = response.json()
    assert {p["name"] for p in body["items"]} == {"李明", "王强"}
    assert county_person.id_number not in response.content.decode()
    assert other_person.id_number not in response.content.decode()
    item = next(p for p in body["items"] if p["id"] == county_person.pk)
    assert item["id_masked"] == idnumbers.mask(county_person.id_number)
    assert "id_number" not in item


def test_a_county_user_does_not_see_the_other_countys_people(
    login, users, county_person, other_person
):
    body = login(users["county"]).get("/api/v1/people/").json()
    assert [p["name"] for p in body["items"]] == ["李明"]


def test_search_by_full_id_number_or_by_name(
    login, users, identity_officer, county_person, other_person
):
    by_number = (
        login(identity_officer).get("/api/v1/people/", {"q": county_person.id_number}).json()
    )
    assert [p["id"] for p in by_number["items"]] == [county_person.pk]
    client = login(users["city"])
    by_name = client.get("/api/v1/people/", {"q": "王"}).json()
    assert [p["id"] for p in by_name["items"]] == [other_person.pk]


def test_filter_by_current_post_org_and_level(login, users, world, county_person, other_person):
    post_add(
        actor=users["city"],
        person=county_person,
        org=world.township,
        title="街道办事处主任",
        management_level="section",
        start_date=dt.date(2018, 1, 1),
    )
    client = login(users["city"])
    by_org = client.get("/api/v1/people/", {"org": world.township.pk}).json()
    assert [p["id"] for p in by_org["items"]] == [county_person.pk]
    by_level = client.get("/api/v1/people/", {"level": "section"}).json()
    assert [p["id"] for p in by_level["items"]] == [county_person.pk]


def test_keyset_pages_cover_everyone_once_with_a_constant_query_count(
    login, users, world, django_assert_max_num_queries
):
    for i in range(3):
        make_person(world, world.county, name=f"张{i}", sequence=21 + 2 * i)
    client = login(users["city"])
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/people/", {"limit": 2})
    for i in range(3, 12):
        make_person(world, world.county, name=f"张{i % 4}", sequence=21 + 2 * i)
    seen, after = [], None
    while True:
        with django_assert_max_num_queries(len(few)):
            body = client.get("/api/v1/people/", {"limit": 2, "after": after or ""}).json()
        seen += [(p["name"], p["id"]) for p in body["items"]]
        after = body["next_cursor"]
        if after is None:
            break
    assert seen == sorted(seen)
    assert len(seen) == len(set(seen)) == Person.objects.count() == 12


def test_detail_has_the_posts_and_is_404_outside(login, users, world, county_person):
    post_add(
        actor=users["city"],
        person=county_person,
        org=world.township,
        title="街道党工委书记",
        management_level="county_managed",
        is_leader=True,
        start_date=dt.date(2019, 5, 1),
    )
    body = login(users["county"]).get(f"/api/v1/people/{county_person.pk}").json()
    assert [(p["org"]["name"], p["title"], p["is_leader"]) for p in body["posts"]] == [
        ("红云街道", "街道党工委书记", True)
    ]
    assert body["gender"] == "男"
    assert body["birth_date"] is None  # derived from the number: not for this user
    assert login(users["outsider"]).get(f"/api/v1/people/{county_person.pk}").status_code == 404


def test_the_full_id_number_needs_the_permission(login, users, county_person):
    client = login(users["city"])
    before = AuditLog.objects.count()
    response = client.get(f"/api/v1/people/{county_person.pk}/id-number")
    assert response.status_code == 403
    assert "people.view_id_number" in response.json()["detail"]
    assert AuditLog.objects.count() == before


def test_revealing_the_full_id_number_is_audited(login, identity_officer, county_person):
    response = login(identity_officer).get(f"/api/v1/people/{county_person.pk}/id-number")
    assert response.status_code == 200
    assert response.json()["id_number"] == county_person.id_number
    row = AuditLog.objects.order_by("-sequence").first()
    assert (row.action, row.object_id, row.actor_name) == (
        AuditAction.VIEW_PROTECTED,
        str(county_person.pk),
        "identity",
    )
    assert county_person.id_number not in str(row.changes) + row.summary


def test_revealing_is_404_outside_the_jurisdiction(login, world, other_person):
    from jiandu.accounts import roles
    from jiandu.testing import make_user

    county_identity = make_user("county-id", world.county, roles.ROLE_CLUES, roles.ROLE_IDENTITY)
    response = login(county_identity).get(f"/api/v1/people/{other_person.pk}/id-number")
    assert response.status_code == 404


def test_creating_needs_the_permission(login, users, world):
    response = login(users["leader"]).post(
        "/api/v1/people/",
        {"name": "赵六", "registered_org": world.county.pk},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_create_derives_gender_and_birth_date_from_the_id_number(login, users, world):
    number = idnumbers.make("530102", dt.date(1980, 2, 29), 12)
    response = login(users["county"]).post(
        "/api/v1/people/",
        {"name": "赵丽", "registered_org": world.township.pk, "id_number": number},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["gender"] == "女"
    assert body["birth_date"] is None  # the county officer may not see ID numbers
    assert body["id_masked"] == idnumbers.mask(number)
    assert number not in response.content.decode()
    person = Person.objects.get(pk=body["id"])
    assert person.id_number == number and person.birth_date == dt.date(1980, 2, 29)


def test_a_wrong_check_digit_is_a_field_error_and_nothing_is_stored(login, users, world):
    number = idnumbers.make("530102", dt.date(1980, 2, 29), 12)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = login(users["county"]).post(
        "/api/v1/people/",
        {"name": "赵丽", "registered_org": world.county.pk, "id_number": wrong},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["id_number"]
    assert "校验" in response.json()["detail"]
    assert not Person.objects.filter(name="赵丽").exists()


def test_registering_outside_the_jurisdiction_is_a_field_error(login, users, world):
    response = login(users["county"]).post(
        "/api/v1/people/",
        {"name": "赵丽", "registered_org": world.other_county.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["registered_org"]


def test_update_changes_the_fields_sent(login, users, county_person):
    response = login(users["county"]).patch(
        f"/api/v1/people/{county_person.pk}",
        {"political_status": "non_party", "note": "已退休返聘"},
        content_type="application/json",
    )
    assert response.status_code == 200
    county_person.refresh_from_db()
    assert (county_person.political_status, county_person.note, county_person.name) == (
        "non_party",
        "已退休返聘",
        "李明",
    )


def test_update_is_404_outside_and_403_without_the_permission(
    login, users, county_person, other_person
):
    body = {"note": "x"}
    url = f"/api/v1/people/{other_person.pk}"
    assert (
        login(users["county"]).patch(url, body, content_type="application/json").status_code == 404
    )
    url = f"/api/v1/people/{county_person.pk}"
    assert (
        login(users["leader"]).patch(url, body, content_type="application/json").status_code == 403
    )


def test_add_and_end_a_post(login, users, world, county_person):
    client = login(users["county"])
    response = client.post(
        f"/api/v1/people/{county_person.pk}/posts",
        {
            "org": world.township.pk,
            "title": "街道办事处副主任",
            "management_level": "section",
            "start_date": "2019-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    post_id = response.json()["id"]
    early = client.post(
        f"/api/v1/people/{county_person.pk}/posts/{post_id}/end",
        {"end_date": "2018-12-31"},
        content_type="application/json",
    )
    assert early.status_code == 422
    assert early.json()["errors"] == {"end_date": ["免职日期不能早于任职日期"]}
    ended = client.post(
        f"/api/v1/people/{county_person.pk}/posts/{post_id}/end",
        {"end_date": "2020-06-30"},
        content_type="application/json",
    )
    assert ended.status_code == 200
    assert Post.objects.get(pk=post_id).end_date == dt.date(2020, 6, 30)


def test_a_post_of_another_person_is_404(login, users, world, county_person):
    other = make_person(world, world.county, name="周七", sequence=31)
    post = post_add(
        actor=users["county"],
        person=other,
        org=world.township,
        title="科员",
        management_level="general",
        start_date=dt.date(2019, 1, 1),
    )
    response = login(users["county"]).post(
        f"/api/v1/people/{county_person.pk}/posts/{post.pk}/end",
        {"end_date": "2020-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 404
