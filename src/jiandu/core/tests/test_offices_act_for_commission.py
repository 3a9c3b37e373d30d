"""Offices act for their commission (ADR 0009): an internal office's users work within
the commission's whole jurisdiction; 监督检查室, 派驻组 and county commissions keep theirs."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from jiandu.core.access import access_stamp, jurisdiction_org_ids
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org
from jiandu.orgs.services import org_create, org_update
from jiandu.testing import build_role_world, make_user

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user as a new request sees it (no per-request cache)."""
    return type(user).objects.get(pk=user.pk)


def test_an_office_sees_the_whole_jurisdiction_of_its_commission(world):
    city_ids = jurisdiction_org_ids(world.users["city"])
    assert world.petition_room.acts_for_commission
    assert jurisdiction_org_ids(world.users["petition_officer"]) == city_ids
    assert {world.county.pk, world.township.pk, world.unit_a.pk, world.other_county.pk} <= (
        city_ids
    )


def test_every_demo_shaped_office_account_sees_the_commission(world):
    roles = build_role_world(world)
    city_ids = jurisdiction_org_ids(world.users["city"])
    for username in ("stats", "petition", "casemgmt", "trial"):
        assert jurisdiction_org_ids(roles.accounts[username]) == city_ids, username


def test_a_supervision_room_still_sees_only_what_it_supervises(world):
    assert not world.room1.acts_for_commission
    assert jurisdiction_org_ids(world.users["room"]) == {
        world.room1.pk,
        world.county.pk,
        world.township.pk,
    }


def test_a_stationed_group_still_sees_only_what_it_supervises(world):
    assert not world.group1.acts_for_commission
    assert jurisdiction_org_ids(world.users["group"]) == {
        world.group1.pk,
        world.unit_a.pk,
        world.unit_b.pk,
    }


def test_a_county_commission_is_unaffected(world):
    assert not world.county.acts_for_commission
    assert jurisdiction_org_ids(world.users["county"]) == {world.county.pk, world.township.pk}


def test_a_county_office_acts_for_the_county_not_the_city(world):
    system = world.users["city"]
    office = org_create(
        actor=system, name="五华区纪委监委信访室", kind=OrgKind.PETITION_ROOM, parent=world.county
    )
    assert office.acts_for_commission
    officer = make_user("county_petition", office)
    assert jurisdiction_org_ids(officer) == {world.county.pk, world.township.pk, office.pk}


def test_clearing_the_mark_renews_the_stamp_and_narrows_the_jurisdiction(world):
    officer = world.users["petition_officer"]
    before = access_stamp()
    assert world.county.pk in jurisdiction_org_ids(_fresh(officer))
    org_update(actor=world.users["city"], org=world.petition_room, acts_for_commission=False)
    assert access_stamp() != before
    assert jurisdiction_org_ids(_fresh(officer)) == {world.petition_room.pk}
    org_update(actor=world.users["city"], org=world.petition_room, acts_for_commission=True)
    assert world.county.pk in jurisdiction_org_ids(_fresh(officer))


def test_only_a_commissions_office_may_act_for_it(world):
    system = world.users["city"]
    with pytest.raises(ValidationError) as county:
        org_update(actor=system, org=world.county, acts_for_commission=True)
    assert "acts_for_commission" in county.value.message_dict
    with pytest.raises(ValidationError) as unit_office:
        org_create(
            actor=system,
            name="财政局办公室",
            kind=OrgKind.OTHER,
            parent=world.unit_a,
            acts_for_commission=True,
        )
    assert "acts_for_commission" in unit_office.value.message_dict
    room = org_create(
        actor=system, name="第二监督检查室", kind=OrgKind.SUPERVISION_ROOM, parent=world.city
    )
    assert not room.acts_for_commission
    office = org_create(
        actor=system,
        name="办公室",
        kind=OrgKind.OTHER,
        parent=world.city,
        acts_for_commission=True,
    )
    assert office.acts_for_commission


def test_the_migration_marks_existing_offices_and_renews_the_stamp(world):
    migration = importlib.import_module("jiandu.orgs.migrations.0002_offices_act_for_commission")
    Org.objects.filter(pk=world.petition_room.pk).update(acts_for_commission=False)
    before = access_stamp()
    migration.mark_offices(apps, None)
    assert Org.objects.get(pk=world.petition_room.pk).acts_for_commission
    assert not Org.objects.get(pk=world.room1.pk).acts_for_commission
    assert not Org.objects.get(pk=world.county.pk).acts_for_commission
    assert access_stamp() != before
