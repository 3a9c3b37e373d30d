"""The person list's query budget does not grow with the number of people shown."""

import datetime as dt

from django.urls import reverse

from jiandu.core import idnumbers
from jiandu.people.choices import ManagementLevel
from jiandu.people.services import person_create, post_add


def _add(world, start, count):
    for i in range(start, start + count):
        person = person_create(
            actor=world.users["city"],
            name=f"干部{i:03d}",
            registered_org=world.county,
            id_number=idnumbers.make("530102", dt.date(1980, 1, 1), i),
        )
        post_add(
            actor=world.users["city"],
            person=person,
            org=world.township,
            title="副主任",
            management_level=ManagementLevel.SECTION,
            start_date=dt.date(2019, 1, 1),
        )


def test_query_count_is_the_same_for_5_and_30_people(client, world, django_assert_max_num_queries):
    client.force_login(world.users["county"])
    _add(world, 0, 5)
    with django_assert_max_num_queries(20) as few:
        response = client.get(reverse("people:person_list"))
    assert len(response.context["page"].items) == 5
    _add(world, 5, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("people:person_list"))
    assert len(response.context["page"].items) == 30
    assert response.context["page"].total == 30


def test_pages_of_fifty(client, world):
    _add(world, 0, 55)
    client.force_login(world.users["county"])
    first = client.get(reverse("people:person_list"), {"level": ManagementLevel.SECTION})
    page = first.context["page"]
    assert len(page.items) == 50 and page.has_next and not page.has_prev
    second = client.get(reverse("people:person_list") + page.next_url)
    assert [p.name for p in second.context["page"].items] == [f"干部{i:03d}" for i in range(50, 55)]
    assert "level=section" in page.next_url
