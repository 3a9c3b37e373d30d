"""A jurisdiction that covers every org (the top commission and its offices) restricts
without listing the orgs: same rows, no ``IN`` list; anyone else's still lists them, and a
new org (a new access stamp) ends the shortcut."""

from jiandu.core.access import WholeTree, forget_jurisdiction, jurisdiction_org_ids
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org
from jiandu.oversight.models import Problem


def test_the_top_commission_sees_everything_without_a_list(world):
    city = world.users["city"]
    ids = jurisdiction_org_ids(city)
    assert isinstance(ids, WholeTree) and ids == set(Org.objects.values_list("id", flat=True))
    sql = str(Problem.objects.restrict(city).query)
    assert " IN (" not in sql


def test_a_county_still_lists_its_orgs(world):
    county = world.users["county"]
    ids = jurisdiction_org_ids(county)
    assert not isinstance(ids, WholeTree)
    assert " IN (" in str(Problem.objects.restrict(county).query)


def test_an_org_outside_the_top_commission_ends_the_shortcut(world):
    city = world.users["city"]
    assert isinstance(jurisdiction_org_ids(city), WholeTree)
    Org.objects.create(name="另一个市纪委监委", kind=OrgKind.COMMISSION)
    forget_jurisdiction(city)
    assert not isinstance(jurisdiction_org_ids(city), WholeTree)
