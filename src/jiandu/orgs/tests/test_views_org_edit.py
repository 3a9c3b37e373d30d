"""Creating and changing orgs from the pages: through the services, parents within the
jurisdiction, errors on the fields, permissions enforced."""

from django.urls import reverse

from jiandu.accounts import roles
from jiandu.core.models import AuditLog
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org
from jiandu.testing import make_user


def _data_user(world):
    # 数据管理 may add and change orgs; placed in the county, so the city is outside.
    return make_user("county-data", world.county, roles.ROLE_DATA)


def test_create_under_a_parent_in_the_jurisdiction(client, world):
    client.force_login(world.users["sysadmin"])
    response = client.post(
        reverse("orgs:org_create"),
        {
            "name": "大观街道",
            "kind": OrgKind.TOWNSHIP,
            "parent": world.county.pk,
            "region_code": "530102002",
            "sort_order": "",
        },
    )
    org = Org.objects.get(name="大观街道")
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:org_detail", args=[org.pk])
    assert org.parent == world.county
    assert org.path == f"{world.county.path}{org.pk}/"
    assert AuditLog.objects.filter(object_type="orgs.org", object_id=str(org.pk)).exists()


def test_parent_outside_the_jurisdiction_is_refused_on_the_field(client, world):
    client.force_login(_data_user(world))
    response = client.post(
        reverse("orgs:org_create"),
        {"name": "某局", "kind": OrgKind.CITY_UNIT, "parent": world.city.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert not Org.objects.filter(name="某局").exists()


def test_bad_region_code_is_an_error_on_the_field_and_nothing_is_stored(client, world):
    client.force_login(world.users["sysadmin"])
    response = client.post(
        reverse("orgs:org_create"),
        {
            "name": "某街道",
            "kind": OrgKind.TOWNSHIP,
            "parent": world.county.pk,
            "region_code": "53",
        },
    )
    assert response.status_code == 200
    assert "行政区划代码应为6位" in str(response.context["form"].errors["region_code"])
    assert not Org.objects.filter(name="某街道").exists()


def test_edit_moves_and_renames(client, world):
    client.force_login(world.users["sysadmin"])
    response = client.post(
        reverse("orgs:org_edit", args=[world.township.pk]),
        {
            "name": "红云街道办事处",
            "kind": OrgKind.TOWNSHIP,
            "parent": world.other_county.pk,
            "region_code": "530103001",
            "sort_order": "2",
        },
    )
    assert response.status_code == 302
    world.township.refresh_from_db()
    assert world.township.name == "红云街道办事处"
    assert world.township.parent == world.other_county
    assert world.township.path.startswith(world.other_county.path)


def test_cannot_move_under_own_descendant(client, world):
    client.force_login(world.users["sysadmin"])
    response = client.post(
        reverse("orgs:org_edit", args=[world.county.pk]),
        {"name": "五华区纪委监委", "kind": OrgKind.COUNTY, "parent": world.township.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    world.county.refresh_from_db()
    assert world.county.parent == world.city


def test_own_top_org_keeps_its_parent_outside_the_jurisdiction(client, world):
    client.force_login(_data_user(world))
    page = client.get(reverse("orgs:org_edit", args=[world.county.pk]))
    assert "parent" not in page.context["form"].fields
    response = client.post(
        reverse("orgs:org_edit", args=[world.county.pk]),
        {"name": "五华区纪委监委", "short_name": "五华", "kind": OrgKind.COUNTY},
    )
    assert response.status_code == 302
    world.county.refresh_from_db()
    assert world.county.short_name == "五华"
    assert world.county.parent == world.city


def test_set_supervised_keeps_units_the_user_cannot_see(client, world):
    from jiandu.orgs.services import org_set_supervised

    # A 第一监督检查室 user sees the county it supervises, but not a city unit that the
    # county in turn supervises.
    user = make_user("room-data", world.room1, roles.ROLE_DATA)
    org_set_supervised(actor=world.users["sysadmin"], org=world.county, supervised=[world.unit_a])
    client.force_login(user)
    page = client.get(reverse("orgs:org_supervision", args=[world.county.pk]))
    assert world.unit_a not in page.context["form"].fields["supervised"].queryset
    assert "市财政局" not in page.content.decode()
    response = client.post(
        reverse("orgs:org_supervision", args=[world.county.pk]),
        {"supervised": [world.township.pk]},
    )
    assert response.status_code == 302
    assert set(world.county.supervises.all()) == {world.township, world.unit_a}


def test_archive_needs_a_reason(client, world):
    client.force_login(world.users["sysadmin"])
    url = reverse("orgs:org_archive", args=[world.township.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "归档必须填写原因" in response.content.decode()
    world.township.refresh_from_db()
    assert not world.township.is_archived

    response = client.post(url, {"reason": "乡镇撤并"})
    assert response.status_code == 302
    world.township.refresh_from_db()
    assert world.township.archive_reason == "乡镇撤并"
    assert world.township.archived_by == world.users["sysadmin"]


def test_business_users_without_org_permissions_get_403(client, world):
    client.force_login(world.users["city"])
    assert client.get(reverse("orgs:org_create")).status_code == 403
    for name in ("orgs:org_edit", "orgs:org_supervision", "orgs:org_archive"):
        assert client.post(reverse(name, args=[world.county.pk]), {}).status_code == 403


def test_edits_outside_the_jurisdiction_are_404(client, world):
    client.force_login(_data_user(world))
    for name in ("orgs:org_edit", "orgs:org_supervision", "orgs:org_archive"):
        assert client.get(reverse(name, args=[world.other_county.pk])).status_code == 404


def test_an_office_created_on_the_page_acts_for_its_commission_and_can_be_unmarked(client, world):
    client.force_login(world.users["sysadmin"])
    client.post(
        reverse("orgs:org_create"),
        {"name": "案件监督管理室", "kind": OrgKind.CASE_MANAGEMENT_ROOM, "parent": world.city.pk},
    )
    office = Org.objects.get(name="案件监督管理室")
    assert office.acts_for_commission
    page = client.get(reverse("orgs:org_detail", args=[office.pk])).content.decode()
    assert "代表昆明市纪委监委在其全部管辖范围内履职" in page
    response = client.post(
        reverse("orgs:org_edit", args=[office.pk]),
        {"name": "案件监督管理室", "kind": OrgKind.CASE_MANAGEMENT_ROOM, "parent": world.city.pk},
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert not office.acts_for_commission
