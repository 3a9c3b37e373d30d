"""Jurisdictions and permission sets are cached per process under the access stamp;
every change that decides access renews the stamp, so a fresh request (a fresh user
object) never sees a stale answer."""

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiandu.accounts import roles
from jiandu.accounts.models import User
from jiandu.core.access import access_stamp, jurisdiction_org_ids
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.services import org_create, org_set_supervised, org_update


def _fresh(user):
    """The user as the next request loads it."""
    return User.objects.get(pk=user.pk)


def test_a_second_request_reads_only_the_stamp(world):
    first_request = _fresh(world.users["county"])
    ids = jurisdiction_org_ids(first_request)
    perms = first_request.get_all_permissions()
    user = _fresh(world.users["county"])
    with CaptureQueriesContext(connection) as ctx:
        assert jurisdiction_org_ids(user) == ids
        assert user.get_all_permissions() == perms
        assert user.has_perm("clues.view_clue")
    assert len(ctx.captured_queries) == 1
    assert "token" in ctx.captured_queries[0]["sql"]


def test_a_new_org_in_the_subtree_is_seen_at_once(world):
    county = world.users["county"]
    jurisdiction_org_ids(_fresh(county))
    before = access_stamp()
    village = org_create(actor=county, name="新设社区", kind=OrgKind.VILLAGE, parent=world.township)
    assert access_stamp() != before
    assert village.pk in jurisdiction_org_ids(_fresh(county))


def test_a_moved_org_leaves_the_old_jurisdiction(world):
    county = world.users["county"]
    assert world.township.pk in jurisdiction_org_ids(_fresh(county))
    org_update(actor=world.users["city"], org=world.township, parent=world.other_county)
    assert world.township.pk not in jurisdiction_org_ids(_fresh(county))


def test_supervision_changes_are_seen_at_once(world):
    group = world.users["group"]
    assert world.unit_b.pk in jurisdiction_org_ids(_fresh(group))
    org_set_supervised(actor=world.users["city"], org=world.group1, supervised=[world.unit_a])
    assert world.unit_b.pk not in jurisdiction_org_ids(_fresh(group))


def test_role_changes_are_seen_at_once(world):
    auditor = world.users["auditor"]
    assert not _fresh(auditor).has_perm("clues.view_clue")
    auditor.groups.add(Group.objects.get(name=roles.ROLE_CLUES))
    assert _fresh(auditor).has_perm("clues.view_clue")
    auditor.groups.remove(Group.objects.get(name=roles.ROLE_CLUES))
    assert not _fresh(auditor).has_perm("clues.view_clue")


def test_a_role_losing_a_permission_is_seen_at_once(world):
    county = world.users["county"]
    assert _fresh(county).has_perm("clues.view_clue")
    for group in county.groups.all():
        group.permissions.remove(*group.permissions.filter(codename="view_clue"))
    assert not _fresh(county).has_perm("clues.view_clue")


def test_a_deactivated_user_has_no_permission(world):
    county = world.users["county"]
    assert _fresh(county).has_perm("clues.view_clue")
    User.objects.filter(pk=county.pk).update(is_active=False)
    assert not _fresh(county).has_perm("clues.view_clue")
