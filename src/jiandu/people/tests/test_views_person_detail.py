"""A person's profile: facts, posts over time, and the clues and outcomes about them
that lie within the viewer's jurisdiction."""

import datetime as dt

from django.urls import reverse

from jiandu.clues import services as clues
from jiandu.clues.choices import ClueSource, OutcomeKind, OutcomeSubtype
from jiandu.people.choices import ManagementLevel
from jiandu.people.services import person_create, post_add

D = dt.date(2020, 3, 2)


def _person_with_history(world):
    person = person_create(actor=world.users["city"], name="张建国", registered_org=world.county)
    post_add(
        actor=world.users["city"],
        person=person,
        org=world.township,
        title="党工委副书记",
        management_level=ManagementLevel.SECTION,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2018, 12, 31),
    )
    post_add(
        actor=world.users["city"],
        person=person,
        org=world.other_county,
        title="局长",
        management_level=ManagementLevel.COUNTY_MANAGED,
        start_date=dt.date(2019, 1, 1),
    )
    here = clues.clue_create(
        actor=world.users["county"],
        source=ClueSource.PETITION,
        title="五华区反映张建国问题",
        received_date=D,
        handling_org=world.county,
        subject_people=[person],
    )
    there = clues.clue_create(
        actor=world.users["outsider"],
        source=ClueSource.PETITION,
        title="盘龙区反映张建国问题",
        received_date=D,
        handling_org=world.other_county,
        subject_people=[person],
    )
    clues.outcome_record(
        actor=world.users["county"],
        clue=here,
        kind=OutcomeKind.CRITICISM,
        subtype=OutcomeSubtype.REMINDER_TALK,
        person=person,
        decision_date=D + dt.timedelta(days=20),
    )
    clues.outcome_record(
        actor=world.users["outsider"],
        clue=there,
        kind=OutcomeKind.CRITICISM,
        subtype=OutcomeSubtype.ADMONISHMENT,
        person=person,
        decision_date=D + dt.timedelta(days=30),
    )
    return person, here, there


def test_profile_shows_posts_and_only_clues_and_outcomes_in_jurisdiction(client, world):
    person, here, there = _person_with_history(world)
    client.force_login(world.users["county"])

    response = client.get(reverse("people:person_detail", args=[person.pk]))

    assert response.status_code == 200
    assert [p.title for p in response.context["posts"]] == ["局长", "党工委副书记"]
    assert [c.pk for c in response.context["clues"]] == [here.pk]
    assert [o.get_subtype_display() for o in response.context["outcomes"]] == ["谈话提醒"]
    html = response.content.decode()
    assert here.number in html
    assert there.number not in html
    assert "诫勉" not in html
    assert reverse("clues:clue_detail", args=[here.pk]) in html


def test_city_sees_both_counties_clues(client, world):
    person, here, there = _person_with_history(world)
    client.force_login(world.users["city"])
    response = client.get(reverse("people:person_detail", args=[person.pk]))
    assert {c.pk for c in response.context["clues"]} == {here.pk, there.pk}
    assert len(response.context["outcomes"]) == 2


def test_outsider_sees_a_person_through_a_post_in_their_county(client, world):
    person, _here, there = _person_with_history(world)
    client.force_login(world.users["outsider"])
    response = client.get(reverse("people:person_detail", args=[person.pk]))
    assert response.status_code == 200
    assert [c.pk for c in response.context["clues"]] == [there.pk]


def test_outsider_gets_404_for_a_person_of_another_county(client, world):
    person = person_create(actor=world.users["city"], name="李建华", registered_org=world.county)
    client.force_login(world.users["outsider"])
    assert client.get(reverse("people:person_detail", args=[person.pk])).status_code == 404
    assert client.get(reverse("people:person_edit", args=[person.pk])).status_code == 404
    assert client.get(reverse("people:person_detail", args=[999999])).status_code == 404
