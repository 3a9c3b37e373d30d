"""Searching the cadre list by name or full ID number; numbers shown masked, and the
number searched for never ends up in a page, a link or the address bar."""

import datetime as dt

from django.urls import reverse

from jiandu.accounts import roles
from jiandu.core import idnumbers
from jiandu.people.choices import ManagementLevel
from jiandu.people.services import person_create, post_add
from jiandu.testing import make_user

NUMBER = idnumbers.make("530102", dt.date(1975, 6, 1), 31)


def _identity_officer(world):
    return make_user("identity", world.city, roles.ROLE_CLUES, roles.ROLE_IDENTITY)


def _people(world):
    zhang = person_create(
        actor=world.users["city"], name="张建国", registered_org=world.county, id_number=NUMBER
    )
    li = person_create(actor=world.users["city"], name="李建华", registered_org=world.county)
    wang = person_create(
        actor=world.users["city"], name="王建军", registered_org=world.other_county
    )
    return zhang, li, wang


def test_search_by_full_id_number_finds_the_person_without_showing_the_number(client, world):
    zhang, _li, _wang = _people(world)
    client.force_login(_identity_officer(world))

    response = client.get(reverse("people:person_list"), {"q": NUMBER}, follow=True)

    assert response.status_code == 200
    assert [p.pk for p in response.context["page"].items] == [zhang.pk]
    html = response.content.decode()
    assert NUMBER not in html
    assert NUMBER[:17] not in html
    assert idnumbers.mask(NUMBER) in html
    assert "已按身份证号码检索" in html
    # The address the browser ends on carries the keyed hash, not the number.
    final_url, _status = response.redirect_chain[-1]
    assert NUMBER not in final_url and "idk=" in final_url


def test_htmx_search_by_id_number_pushes_a_url_without_the_number(client, world):
    zhang, _li, _wang = _people(world)
    client.force_login(_identity_officer(world))
    response = client.get(
        reverse("people:person_list"),
        {"q": NUMBER},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="person-results",
    )
    assert response.status_code == 200
    assert [p.pk for p in response.context["page"].items] == [zhang.pk]
    assert NUMBER not in response.content.decode()
    assert "idk=" in response["HX-Push-Url"] and NUMBER not in response["HX-Push-Url"]


def test_search_by_name_and_scoping(client, world):
    _people(world)
    client.force_login(world.users["county"])
    response = client.get(reverse("people:person_list"), {"q": "建"})
    assert {p.name for p in response.context["page"].items} == {"李建华", "张建国"}
    html = response.content.decode()
    assert "王建军" not in html
    assert NUMBER not in html


def test_filter_by_org_and_management_level(client, world):
    zhang, li, _wang = _people(world)
    post_add(
        actor=world.users["city"],
        person=zhang,
        org=world.township,
        title="党工委书记",
        management_level=ManagementLevel.SECTION,
        start_date=dt.date(2018, 1, 1),
    )
    post_add(
        actor=world.users["city"],
        person=li,
        org=world.county,
        title="科员",
        management_level=ManagementLevel.GENERAL,
        start_date=dt.date(2018, 1, 1),
    )
    client.force_login(world.users["county"])
    by_org = client.get(reverse("people:person_list"), {"org": world.township.pk})
    assert [p.name for p in by_org.context["page"].items] == ["张建国"]
    by_level = client.get(reverse("people:person_list"), {"level": ManagementLevel.GENERAL})
    assert [p.name for p in by_level.context["page"].items] == ["李建华"]
    assert "红云街道党工委书记" in by_org.content.decode()


def test_a_forged_search_key_is_an_error_not_a_crash(client, world):
    _people(world)
    client.force_login(world.users["city"])
    response = client.get(reverse("people:person_list"), {"idk": "' OR 1=1"})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "身份证号码查询条件无效" in response.content.decode()


def test_without_view_permission_is_403(client, world):
    client.force_login(world.users["auditor"])
    assert client.get(reverse("people:person_list")).status_code == 403
