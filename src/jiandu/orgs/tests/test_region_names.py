"""Region codes are read as place names (orgs.selectors.region_names)."""

from django.urls import reverse

from jiandu.orgs.choices import OrgKind
from jiandu.orgs.selectors import region_names
from jiandu.orgs.services import org_create


def test_codes_become_full_place_names(world):
    org_create(
        actor=world.users["sysadmin"],
        name="北门社区",
        kind=OrgKind.VILLAGE,
        parent=world.township,
        region_code="530102001003",
    )
    names = region_names(["530102001003", "530102001", "530102", "530100", "530199", ""])
    assert names == {
        "530102001003": "昆明市五华区红云街道北门社区",
        "530102001": "昆明市五华区红云街道",
        "530102": "昆明市五华区",
        "530100": "昆明市",
        "530199": "530199",  # no org carries it: it stays a code
    }


def test_the_org_page_names_the_place(client, world):
    client.force_login(world.users["county"])
    html = client.get(reverse("orgs:org_detail", args=[world.township.pk])).content.decode()
    # A place name is geography, not a record: the city is named though outside her view.
    assert "所在地区" in html and ">昆明市五华区红云街道<" in html
    assert ">530102001<" not in html
