"""The offices' first-day jobs on petitions and clues, now that they act for their
commission (ADR 0009): the 信访室 registers about any unit and hands on to the right one;
the 案件监督管理室 hands a clue it received down to a room."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jiandu.clues import services
from jiandu.clues.choices import ClueSource, PetitionStatus
from jiandu.clues.models import Clue
from jiandu.people.services import person_create
from jiandu.testing import build_role_world

pytestmark = pytest.mark.django_db
D = dt.date(2020, 3, 2)


@pytest.fixture
def roles(world):
    return build_role_world(world)


def test_the_petition_form_offers_every_unit_of_the_commission(client, world, roles):
    client.force_login(roles.accounts["petition"])
    form = client.get(reverse("clues:petition_create")).context["form"]
    offered = set(form.fields["subject_orgs"].queryset.values_list("pk", flat=True))
    assert {world.county.pk, world.township.pk, world.unit_a.pk, world.other_county.pk} <= offered


def test_the_petition_room_finds_a_person_registered_in_a_county(client, world, roles):
    person_create(actor=world.users["county"], name="李建国", registered_org=world.township)
    client.force_login(roles.accounts["petition"])
    response = client.get(
        reverse("clues:person_search"), {"q": "李建国", "field": "subject_people"}
    )
    assert response.status_code == 200
    assert "李建国" in response.content.decode()


def test_the_petition_room_assigns_to_a_county_and_converts_for_it(world, roles):
    officer = roles.accounts["petition"]
    petition = services.petition_register(
        actor=officer,
        received_date=D,
        channel="letter",
        title="反映街道截留低保金",
        content="……",
        subject_orgs=[world.township],
    )
    assert petition.received_org == world.petition_room
    services.petition_assign(actor=officer, petition=petition, to_org=world.county, reason="属地")
    clue = services.petition_convert_to_clue(
        actor=officer, petition=petition, reason="反映具体", handling_org=world.county
    )
    assert clue.handling_org == world.county
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.CONVERTED


def test_the_case_management_room_hands_its_clue_down_to_a_room(world, roles):
    officer = roles.accounts["casemgmt"]
    clue = services.clue_create(
        actor=officer, source=ClueSource.INSPECTION, title="巡察移交问题线索", received_date=D
    )
    assert clue.handling_org == roles.case_management_room
    services.clue_assign_down(actor=officer, clue=clue, to_org=world.room1, note="按分工交办")
    assert Clue.objects.get(pk=clue.pk).handling_org == world.room1


def test_a_room_still_cannot_hand_down_outside_its_subtree(world, users):
    room = users["room"]
    clue = services.clue_create(
        actor=room, source=ClueSource.SUPERVISION, title="日常监督发现", received_date=D
    )
    with pytest.raises(ValidationError) as refused:
        services.clue_assign_down(actor=room, clue=clue, to_org=world.county, note="交办")
    assert "下级纪检监察机关" in str(refused.value)
