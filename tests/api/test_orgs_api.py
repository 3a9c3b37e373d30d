"""/orgs: list, tree and detail within the jurisdiction; writes for org managers, who
cannot reach outside their jurisdiction."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiandu.accounts import roles
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog
from jiandu.orgs.models import Org
from jiandu.orgs.services import org_create, org_label_get_or_create, org_set_supervised
from jiandu.testing import make_user


@pytest.fixture
def county_admin(world):
    """A system administrator of the county (org management, county jurisdiction)."""
    return make_user("county-admin", world.county, roles.ROLE_SYSTEM_ADMIN)


def test_the_list_needs_the_org_permission(login, users):
    response = login(users["auditor"]).get("/api/v1/orgs/")
    assert response.status_code == 403


def test_a_county_user_lists_only_the_county(login, users, world):
    names = [o["name"] for o in login(users["county"]).get("/api/v1/orgs/").json()]
    assert names == ["五华区纪委监委", "红云街道"]


def test_the_list_filters_by_kind_label_and_parent(login, users, world):
    label = org_label_get_or_create(actor=users["sysadmin"], name="脱贫摘帽县")
    world.county.labels.add(label)
    client = login(users["city"])
    by_kind = client.get("/api/v1/orgs/", {"kind": "county"}).json()
    assert {o["name"] for o in by_kind} == {"五华区纪委监委", "盘龙区纪委监委"}
    by_label = client.get("/api/v1/orgs/", {"label": "脱贫摘帽县"}).json()
    assert [(o["name"], o["labels"]) for o in by_label] == [("五华区纪委监委", ["脱贫摘帽县"])]
    by_parent = client.get("/api/v1/orgs/", {"parent": world.county.pk}).json()
    assert [o["name"] for o in by_parent] == ["红云街道"]
    group = next(o for o in client.get("/api/v1/orgs/").json() if o["id"] == world.group1.pk)
    assert sorted(group["supervises"]) == sorted([world.unit_a.pk, world.unit_b.pk])


def test_the_list_query_count_does_not_grow_with_orgs(
    login, users, world, django_assert_max_num_queries
):
    client = login(users["sysadmin"])
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/v1/orgs/").json()) == 9
    label = org_label_get_or_create(actor=users["sysadmin"], name="牵头单位纪检组")
    for i in range(15):
        org = org_create(
            actor=users["sysadmin"], name=f"测试单位{i}", kind="city_unit", parent=world.city
        )
        org.labels.add(label)
        org_set_supervised(actor=users["sysadmin"], org=org, supervised=[world.unit_a])
    with django_assert_max_num_queries(len(few)):
        response = client.get("/api/v1/orgs/")
    assert len(response.json()) == 24


def test_archived_orgs_are_listed_only_when_asked(login, users, world):
    client = login(users["sysadmin"])
    response = client.post(
        f"/api/v1/orgs/{world.unit_b.pk}/archive",
        {"reason": "机构改革撤并"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["archive_reason"] == "机构改革撤并"
    names = {o["name"] for o in client.get("/api/v1/orgs/").json()}
    assert "市民政局" not in names
    names = {o["name"] for o in client.get("/api/v1/orgs/", {"include_archived": True}).json()}
    assert "市民政局" in names
    again = client.post(
        f"/api/v1/orgs/{world.unit_b.pk}/archive",
        {"reason": "再次"},
        content_type="application/json",
    )
    assert again.status_code == 422
    assert again.json()["errors"] == {"archived_at": ["该单位已归档"]}


def test_archiving_needs_a_reason(login, users, world):
    response = login(users["sysadmin"]).post(
        f"/api/v1/orgs/{world.unit_b.pk}/archive", {"reason": " "}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"archive_reason": ["归档必须填写原因"]}
    world.unit_b.refresh_from_db()
    assert world.unit_b.archived_at is None


def test_an_archive_reason_longer_than_its_column_is_refused(login, users, world):
    """The page's form stops at 200 characters; the API the same (PostgreSQL would
    otherwise refuse the row: a 500)."""
    response = login(users["sysadmin"]).post(
        f"/api/v1/orgs/{world.unit_b.pk}/archive", {"reason": "撤" * 201},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"] == {"archive_reason": ["归档原因不能超过200个字"]}
    world.unit_b.refresh_from_db()
    assert world.unit_b.archived_at is None


def test_an_org_with_sub_orgs_in_use_is_not_archived(login, users, world):
    """Archiving the commission itself would take its whole jurisdiction out of the tree."""
    client = login(users["sysadmin"])
    response = client.post(
        f"/api/v1/orgs/{world.county.pk}/archive", {"reason": "撤并"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422
    [message] = response.json()["errors"]["archived_at"]
    assert message.startswith("该单位还有未归档的下级单位（红云街道")
    world.county.refresh_from_db()
    assert world.county.archived_at is None
    # Once its sub-orgs are archived, it can be.
    assert client.post(
        f"/api/v1/orgs/{world.township.pk}/archive", {"reason": "撤并"},
        content_type="application/json",
    ).status_code == 200  # fmt: skip
    assert client.post(
        f"/api/v1/orgs/{world.county.pk}/archive", {"reason": "撤并"},
        content_type="application/json",
    ).status_code == 200  # fmt: skip


def test_the_tree_starts_at_the_users_org(login, users, world):
    tree = login(users["county"]).get("/api/v1/orgs/tree").json()
    assert [(n["name"], [c["name"] for c in n["children"]]) for n in tree] == [
        ("五华区纪委监委", ["红云街道"])
    ]


def test_detail_shows_children_and_supervision_and_is_404_outside(login, users, world):
    client = login(users["city"])
    body = client.get(f"/api/v1/orgs/{world.county.pk}").json()
    assert body["children"] == [world.township.pk]
    assert body["supervised_by"] == [world.room1.pk]
    # The county user cannot see room1 (it supervises the county, it is not under it).
    body = login(users["county"]).get(f"/api/v1/orgs/{world.county.pk}").json()
    assert body["supervised_by"] == []
    assert login(users["outsider"]).get(f"/api/v1/orgs/{world.county.pk}").status_code == 404


def test_creating_needs_the_permission(login, users, world):
    response = login(users["city"]).post(
        "/api/v1/orgs/",
        {"name": "市审计局", "kind": "city_unit", "parent": world.city.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Org.objects.filter(name="市审计局").exists()


def test_an_org_manager_creates_an_org_and_it_is_audited(login, users, world):
    response = login(users["sysadmin"]).post(
        "/api/v1/orgs/",
        {
            "name": "市审计局",
            "kind": "city_unit",
            "parent": world.city.pk,
            "region_code": "",
            "short_name": "审计局",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    org = Org.objects.get(pk=body["id"])
    assert (org.name, org.parent, org.path) == (
        "市审计局",
        world.city,
        f"/{world.city.pk}/{org.pk}/",
    )
    assert body["kind_label"] == "市直单位"
    assert AuditLog.objects.filter(
        action=AuditAction.CREATE, object_type="orgs.org", object_id=str(org.pk)
    ).exists()


def test_a_parent_outside_the_jurisdiction_is_a_field_error(login, users, world, county_admin):
    response = login(county_admin).post(
        "/api/v1/orgs/",
        {"name": "某街道", "kind": "township", "parent": world.other_county.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["parent"]
    assert "不在您的管辖范围内" in response.json()["detail"]
    assert not Org.objects.filter(name="某街道").exists()


def test_a_bad_region_code_names_the_field(login, users, world):
    response = login(users["sysadmin"]).post(
        "/api/v1/orgs/",
        {"name": "某县", "kind": "county", "parent": world.city.pk, "region_code": "12345"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "region_code" in response.json()["errors"]


def test_update_changes_only_the_fields_sent(login, users, world):
    client = login(users["sysadmin"])
    response = client.patch(
        f"/api/v1/orgs/{world.unit_a.pk}", {"short_name": "财政"}, content_type="application/json"
    )
    assert response.status_code == 200
    world.unit_a.refresh_from_db()
    assert (world.unit_a.name, world.unit_a.short_name) == ("市财政局", "财政")


def test_moving_an_org_re_paths_it(login, users, world):
    response = login(users["sysadmin"]).patch(
        f"/api/v1/orgs/{world.township.pk}",
        {"parent": world.other_county.pk},
        content_type="application/json",
    )
    assert response.status_code == 200
    world.township.refresh_from_db()
    assert world.township.path == f"{world.other_county.path}{world.township.pk}/"


def test_update_is_404_outside_the_jurisdiction(login, world, county_admin):
    response = login(county_admin).patch(
        f"/api/v1/orgs/{world.other_county.pk}", {"name": "改名"}, content_type="application/json"
    )
    assert response.status_code == 404
    world.other_county.refresh_from_db()
    assert world.other_county.name == "盘龙区纪委监委"


def test_setting_supervised_units_replaces_them(login, users, world):
    response = login(users["sysadmin"]).put(
        f"/api/v1/orgs/{world.group1.pk}/supervises",
        {"supervises": [world.unit_a.pk]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["supervises"] == [world.unit_a.pk]
    assert list(world.group1.supervises.all()) == [world.unit_a]


def test_nobody_extends_their_jurisdiction_by_supervising_outside_it(login, world, county_admin):
    response = login(county_admin).put(
        f"/api/v1/orgs/{world.township.pk}/supervises",
        {"supervises": [world.other_county.pk]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["supervises"]
    assert not world.township.supervises.exists()


def test_an_office_acting_for_its_commission_is_shown_and_can_be_unmarked(login, users, world):
    client = login(users["sysadmin"])
    detail = client.get(f"/api/v1/orgs/{world.petition_room.pk}").json()
    assert detail["acts_for_commission"] is True
    assert client.get(f"/api/v1/orgs/{world.room1.pk}").json()["acts_for_commission"] is False
    response = client.patch(
        f"/api/v1/orgs/{world.petition_room.pk}",
        {"acts_for_commission": False},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["acts_for_commission"] is False
    refused = client.patch(
        f"/api/v1/orgs/{world.county.pk}",
        {"acts_for_commission": True},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert "acts_for_commission" in refused.json()["errors"]
