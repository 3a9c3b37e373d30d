"""The route settings page, per office: the leader sets, views and archives a route for
the commission and for each of its offices (室, 派驻组) per 呈批事项, seeing which route
applies (the office's own → the commission's → the default); a county leader sees only
its own commission and offices, any other org is not there (404)."""

import pytest
from django.urls import reverse

from jiandu.approvals.choices import SignerRole
from jiandu.approvals.models import ApprovalRoute
from jiandu.approvals.services import route_set, route_steps
from jiandu.core.models import AuditLog
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.services import org_create
from jiandu.testing import approval_signer

pytestmark = pytest.mark.django_db
URL = reverse("approvals:route_list")


@pytest.fixture
def leader(world):
    return approval_signer(world.city, SignerRole.LEADER)


def _row(page, label):
    """The table row of one 呈批事项 (its text, tags stripped of nothing but spacing)."""
    start = page.index(f"<td>{label}</td>")
    return page[start : page.index("</tr>", start)]


def test_route_resolution_order_office_then_commission_then_default(world, leader):
    assert route_steps(org=world.room1, kind="clues.close") == (
        [SignerRole.OFFICE_HEAD, SignerRole.LEADER],
        None,
    )
    commission_route = route_set(
        actor=leader, org=world.city, kind="clues.close", steps=[SignerRole.LEADER]
    )
    assert route_steps(org=world.room1, kind="clues.close") == (
        [SignerRole.LEADER],
        commission_route,
    )
    office_route = route_set(
        actor=leader,
        org=world.room1,
        kind="clues.close",
        steps=[SignerRole.OFFICE_HEAD],
    )
    assert route_steps(org=world.room1, kind="clues.close") == (
        [SignerRole.OFFICE_HEAD],
        office_route,
    )
    # Another office still follows the commission.
    assert route_steps(org=world.petition_room, kind="clues.close")[1] == commission_route


def test_the_leader_sets_views_and_archives_an_offices_route(client, world, leader):
    client.force_login(leader)
    page = client.get(URL).content.decode()
    assert "第一监督检查室" in page and "信访室" in page and "未单独设置" in page
    client.post(URL, {"kind": "petitions.file", "steps": ["leader"]})
    office_url = f"{URL}?org={world.room1.pk}"
    page = client.get(office_url).content.decode()
    assert "审批流程：第一监督检查室" in page
    assert "沿用昆明市纪委监委的流程" in _row(page, "信访件分办（存档了结）")
    assert "系统默认" in _row(page, "延期（办理期限）")

    response = client.post(
        office_url, {"kind": "petitions.file", "steps": ["office_head", "leader"]}
    )
    assert response.status_code == 302 and response.url == office_url
    page = client.get(office_url).content.decode()
    row = _row(page, "信访件分办（存档了结）")
    assert "本单位设置" in row and "室主任审核 → 分管领导审批" in row and "取消单独设置" in row
    assert "单独设置 1 项" in page
    route = ApprovalRoute.objects.get(org=world.room1, archived_at__isnull=True)
    assert route_steps(org=world.room1, kind="petitions.file")[1] == route
    # The commission's own page is unchanged by the office's route.
    assert "本单位设置" in _row(client.get(URL).content.decode(), "信访件分办（存档了结）")

    archived = client.post(reverse("approvals:route_archive", args=[route.pk]), {"reason": ""})
    assert archived.status_code == 302 and archived.url == office_url
    route.refresh_from_db()
    assert route.archived_at is not None and route.archived_by == leader
    assert AuditLog.objects.filter(summary__startswith="归档审批流程：第一监督检查室").exists()
    page = client.get(office_url).content.decode()
    assert "沿用昆明市纪委监委的流程" in _row(page, "信访件分办（存档了结）")
    # Archived once: a second archive finds nothing.
    again = client.post(reverse("approvals:route_archive", args=[route.pk]))
    assert again.status_code == 404


def test_a_county_leader_sees_only_its_own_commission_and_offices(client, world, users, leader):
    county_office = org_create(
        actor=users["sysadmin"],
        name="五华区信访室",
        kind=OrgKind.PETITION_ROOM,
        parent=world.county,
    )
    county_leader = approval_signer(world.county, SignerRole.LEADER)
    city_route = route_set(
        actor=leader, org=world.room1, kind="clues.close", steps=[SignerRole.LEADER]
    )
    client.force_login(county_leader)
    page = client.get(URL).content.decode()
    assert "审批流程：五华区纪委监委" in page and "五华区信访室" in page
    assert "第一监督检查室" not in page and "盘龙区纪委监委" not in page
    assert client.get(f"{URL}?org={county_office.pk}").status_code == 200
    for other in (world.room1, world.city, world.other_county, world.township):
        assert client.get(f"{URL}?org={other.pk}").status_code == 404
        assert client.post(f"{URL}?org={other.pk}", {"kind": "clues.close"}).status_code == 404
    assert client.get(f"{URL}?org=abc").status_code == 404
    assert client.post(reverse("approvals:route_archive", args=[city_route.pk])).status_code == 404
    city_route.refresh_from_db()
    assert city_route.archived_at is None

    client.post(f"{URL}?org={county_office.pk}", {"kind": "clues.close", "steps": ["leader"]})
    assert route_steps(org=county_office, kind="clues.close")[0] == [SignerRole.LEADER]
    # A signer without the right to set routes is refused the page.
    client.force_login(approval_signer(world.county, SignerRole.OFFICE_HEAD))
    assert client.get(URL).status_code == 403
