"""The 组织机构 tree: only the viewer's jurisdiction, with kinds, labels and supervised
units; collapsed below the first level, searchable by name."""

from django.urls import reverse

from jiandu.orgs.choices import OrgKind
from jiandu.orgs.services import org_create, org_label_get_or_create, org_update


def test_county_sees_its_own_subtree_only(client, world):
    client.force_login(world.users["county"])
    response = client.get(reverse("orgs:org_tree"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "五华区纪委监委" in html
    assert "红云街道" in html
    assert "530102001" not in html  # names, not region codes
    assert "data-tree-search" in html and "jiandu/js/tree.js" in html
    assert 'data-name="红云街道 "' in html
    assert "盘龙区纪委监委" not in html
    assert "昆明市纪委监委" not in html
    assert "市财政局" not in html


def test_group_sees_itself_and_the_units_it_supervises(client, world):
    client.force_login(world.users["group"])
    html = client.get(reverse("orgs:org_tree")).content.decode()
    assert "派驻第一纪检监察组" in html
    assert "市财政局" in html and "市民政局" in html
    assert "监督：" in html
    assert "五华区纪委监委" not in html


def test_city_tree_shows_kind_badges_labels_and_supervision(client, world):
    label = org_label_get_or_create(actor=world.users["sysadmin"], name="脱贫摘帽县")
    org_update(actor=world.users["sysadmin"], org=world.county, labels=[label])
    client.force_login(world.users["city"])
    response = client.get(reverse("orgs:org_tree"))
    html = response.content.decode()
    assert "派驻纪检监察组" in html  # a kind badge
    assert "脱贫摘帽县" in html
    rows = {row["org"].name: row for row in response.context["rows"] if "org" in row}
    assert [o.name for o in rows["派驻第一纪检监察组"]["supervises"]] == ["市财政局", "市民政局"]
    assert [o.name for o in rows["第一监督检查室"]["supervises"]] == ["五华区纪委监委"]
    assert rows["昆明市纪委监委"]["has_children"] and rows["昆明市纪委监委"]["open"]
    # The tree nests: every subtree opened is closed again.
    opened = sum(1 for row in response.context["rows"] if row.get("has_children"))
    assert opened == sum(1 for row in response.context["rows"] if row.get("close"))
    assert html.count("<details") == html.count("</details>") == opened


def test_archived_orgs_leave_the_tree_but_stay_listed(client, world):
    from jiandu.orgs.services import org_archive

    org_archive(actor=world.users["sysadmin"], org=world.township, reason="乡镇撤并")
    client.force_login(world.users["county"])
    response = client.get(reverse("orgs:org_tree"))
    names = [row["org"].name for row in response.context["rows"] if "org" in row]
    assert names == ["五华区纪委监委"]
    assert [o.name for o in response.context["archived"]] == ["红云街道"]
    assert "乡镇撤并" in response.content.decode()


def test_without_view_permission_is_403(client, world):
    client.force_login(world.users["auditor"])
    assert client.get(reverse("orgs:org_tree")).status_code == 403


def test_query_count_does_not_grow_with_orgs(client, world, django_assert_max_num_queries):
    client.force_login(world.users["city"])
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("orgs:org_tree"))
    label = org_label_get_or_create(actor=world.users["sysadmin"], name="脱贫摘帽县")
    for i in range(25):
        org_create(
            actor=world.users["sysadmin"],
            name=f"第{i}社区",
            kind=OrgKind.VILLAGE,
            parent=world.township,
            labels=[label],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("orgs:org_tree"))
