from jiandu.clues.choices import ClueSource
from jiandu.clues.models import Clue
from jiandu.clues.services import clue_create
from jiandu.core.access import jurisdiction_org_ids
from jiandu.testing import DAY


def test_city_sees_the_whole_tree(world):
    ids = jurisdiction_org_ids(world.users["city"])
    assert {world.county.pk, world.township.pk, world.unit_a.pk, world.other_county.pk} <= ids


def test_county_sees_its_subtree_only(world):
    ids = jurisdiction_org_ids(world.users["county"])
    assert ids == {world.county.pk, world.township.pk}


def test_stationed_group_sees_the_units_it_supervises(world):
    ids = jurisdiction_org_ids(world.users["group"])
    assert ids == {world.group1.pk, world.unit_a.pk, world.unit_b.pk}


def test_supervision_room_sees_supervised_county_subtree(world):
    ids = jurisdiction_org_ids(world.users["room"])
    assert ids == {world.room1.pk, world.county.pk, world.township.pk}


def test_user_without_org_sees_nothing(world):
    from jiandu.testing import make_user

    nobody = make_user("nobody", None)
    assert jurisdiction_org_ids(nobody) == frozenset()
    assert not Clue.objects.restrict(nobody).exists()


def test_restrict_filters_clues_by_handling_or_registering_org(world):
    mine = clue_create(
        actor=world.users["county"],
        source=ClueSource.SUPERVISION,
        title="县里的线索",
        received_date=DAY,
        handling_org=world.township,
    )
    theirs = clue_create(
        actor=world.users["outsider"],
        source=ClueSource.SUPERVISION,
        title="别的区的线索",
        received_date=DAY,
    )
    county_view = set(Clue.objects.restrict(world.users["county"]))
    assert mine in county_view
    assert theirs not in county_view
    assert set(Clue.objects.restrict(world.users["city"])) >= {mine, theirs}
