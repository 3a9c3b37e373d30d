"""A 巡察组 member sees the rounds they sit on (accounts.User.person on the adopted team),
pages and API, even outside their jurisdiction — and nothing else of those targets; the
system administrator links an account to its holder by 身份证号."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jiandu.accounts import roles as r
from jiandu.accounts.services import user_person_set
from jiandu.core.crypto import search_key
from jiandu.inspections import services
from jiandu.inspections.models import TeamAssignment
from jiandu.inspections.tests.helpers import make_round
from jiandu.oversight.models import ProblemCategory
from jiandu.people.models import Person
from jiandu.testing import make_user

pytestmark = pytest.mark.django_db
API = "/api/v1/inspections"


@pytest.fixture
def item(rw, actor, pool):
    item = make_round(rw, actor, targets=[rw.world.county], focus_items={})
    assert services.round_draw(actor=actor, round=item, seed=4).feasible
    services.round_advance(actor=actor, round=item, to_stage="stationed")
    return item


@pytest.fixture
def member(rw, item):
    """A 盘龙区 officer (outside 五华区) who sits on the round's team."""
    person = Person.objects.get(
        pk=TeamAssignment.objects.filter(draw__round=item).first().person_id
    )
    user = make_user("member", rw.world.other_county, r.ROLE_CLUES)
    user.person = person
    user.save()
    return user


def test_member_sees_the_round_on_pages_and_api(client, item, member):
    client.force_login(member)
    assert [x["id"] for x in client.get(f"{API}/rounds").json()] == [item.pk]
    assert client.get(f"{API}/rounds/{item.pk}").json()["teams"]
    assert item.name in client.get(reverse("inspections:round_list")).content.decode()
    assert client.get(reverse("inspections:round_detail", args=[item.pk])).status_code == 200
    # Not the organiser: no draws, no stage moves.
    assert client.get(f"{API}/rounds/{item.pk}/draws").status_code == 403
    assert client.post(f"{API}/rounds/{item.pk}/stage", {"to_stage": "reporting"},
                       content_type="application/json").status_code == 403  # fmt: skip


def test_member_sees_nothing_else_of_the_targets(client, rw, actor, item, member):
    problem = services.finding_add(actor=actor, round=item, org=rw.world.county,
                                   description="问题",
                                   category=ProblemCategory.objects.first())  # fmt: skip
    clue = services.clue_transfer(actor=actor, round=item, org=rw.world.county, title="线索",
                                  handling_org=rw.world.county)  # fmt: skip
    client.force_login(member)
    assert client.get(reverse("oversight:problem_detail", args=[problem.pk])).status_code == 404
    assert client.get(reverse("clues:clue_detail", args=[clue.pk])).status_code == 404
    assert client.get(f"/api/v1/clues/{clue.pk}").status_code == 404


def test_a_colleague_who_is_not_on_the_team_gets_404(client, rw, item):
    other = make_user("colleague", rw.world.other_county, r.ROLE_CLUES)
    other.person = Person.objects.create(name="局外人", registered_org=rw.world.other_county)
    other.save()
    client.force_login(other)
    assert client.get(f"{API}/rounds").json() == []
    assert client.get(f"{API}/rounds/{item.pk}").status_code == 404
    assert client.get(reverse("inspections:round_detail", args=[item.pk])).status_code == 404


def test_a_draw_not_adopted_does_not_count(client, rw, actor, pool, item, member):
    later = make_round(rw, actor, name="第二轮", targets=[rw.world.unit_b], focus_items={})
    client.force_login(member)
    assert later.pk not in [x["id"] for x in client.get(f"{API}/rounds").json()]


def test_administrator_links_an_account_by_id_number(client, rw, pool):
    person = pool[0]
    number = "11010519491231002X"
    Person.objects.filter(pk=person.pk).update(id_search_key=search_key(number))
    admin = rw.accounts["sysadmin"]
    account = make_user("holder", rw.world.county, r.ROLE_CLUES)
    with pytest.raises(ValidationError, match="没有这个身份证号"):
        user_person_set(actor=admin, user=account, id_number="110105194912310000")
    user_person_set(actor=admin, user=account, id_number=number.lower())
    account.refresh_from_db()
    assert account.person_id == person.pk
    client.force_login(admin)
    page = client.get(reverse("accounts:user_detail", args=[account.pk]))
    assert person.name in page.content.decode()
    response = client.post(reverse("accounts:user_edit", args=[account.pk]), {
        "full_name": account.full_name or "持有人", "title": "", "org": rw.world.county.pk,
        "id_number": "", "clear_person": "1"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    account.refresh_from_db()
    assert account.person_id is None
