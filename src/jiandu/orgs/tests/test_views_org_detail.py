"""An org's detail page: children, supervision both ways, users and current posts."""

import datetime as dt

from django.urls import reverse

from jiandu.people.choices import ManagementLevel
from jiandu.people.services import person_create, post_add


def test_detail_shows_children_supervision_users_and_posts(client, world):
    person = person_create(actor=world.users["city"], name="张三", registered_org=world.county)
    post_add(
        actor=world.users["city"],
        person=person,
        org=world.county,
        title="书记",
        management_level=ManagementLevel.CITY_MANAGED,
        start_date=dt.date(2019, 1, 1),
        is_leader=True,
    )
    client.force_login(world.users["city"])
    response = client.get(reverse("orgs:org_detail", args=[world.county.pk]))
    assert response.status_code == 200
    ctx = response.context
    assert [o.name for o in ctx["children"]] == ["红云街道"]
    assert [o.name for o in ctx["supervised_by"]] == ["第一监督检查室"]
    assert ctx["supervises"] == []
    assert ctx["users_count"] == 1
    html = response.content.decode()
    assert "张三" in html and "书记" in html
    assert reverse("people:person_detail", args=[person.pk]) in html


def test_supervisor_outside_the_jurisdiction_is_not_shown(client, world):
    client.force_login(world.users["county"])
    response = client.get(reverse("orgs:org_detail", args=[world.county.pk]))
    assert response.status_code == 200
    assert response.context["supervised_by"] == []
    assert "第一监督检查室" not in response.content.decode()


def test_outsider_gets_404(client, world):
    client.force_login(world.users["outsider"])
    for org in (world.county, world.city, world.unit_a):
        assert client.get(reverse("orgs:org_detail", args=[org.pk])).status_code == 404
    assert client.get(reverse("orgs:org_detail", args=[world.other_county.pk])).status_code == 200


def test_system_admin_sees_the_org_but_not_who_holds_posts(client, world):
    person = person_create(actor=world.users["city"], name="张三", registered_org=world.county)
    post_add(
        actor=world.users["city"],
        person=person,
        org=world.county,
        title="书记",
        management_level=ManagementLevel.CITY_MANAGED,
        start_date=dt.date(2019, 1, 1),
    )
    client.force_login(world.users["sysadmin"])
    response = client.get(reverse("orgs:org_detail", args=[world.county.pk]))
    assert response.status_code == 200
    assert "posts" not in response.context
    assert "张三" not in response.content.decode()
