"""The person picker finds people by name or by full ID number within the jurisdiction,
and never shows an ID number in full."""

import datetime as dt

from django.urls import reverse

from jiandu.accounts import roles
from jiandu.core import idnumbers
from jiandu.people.services import person_create
from jiandu.testing import make_user

ID = idnumbers.make("530102", dt.date(1970, 1, 1), 13)


def test_search_by_name_or_full_id_number(client, world, users):
    person = person_create(
        actor=users["county"], name="周某某", registered_org=world.township, id_number=ID
    )
    person_create(actor=users["outsider"], name="周某甲", registered_org=world.other_county)
    client.force_login(users["county"])
    url = reverse("clues:person_search")

    by_name = client.get(url, {"field": "subject_people", "q": "周某"}).content.decode()
    assert "周某某" in by_name and "周某甲" not in by_name  # the other county is out of reach
    assert reverse("clues:person_chip", args=[person.pk]) in by_name

    # By number: only for holders of people.view_id_number; others find nobody.
    by_id = client.get(url, {"field": "subject_people", "q": ID}).content.decode()
    assert "周某某" not in by_id
    client.force_login(make_user("identity", world.county, roles.ROLE_CLUES, roles.ROLE_IDENTITY))
    by_id = client.get(url, {"field": "subject_people", "q": ID}).content.decode()
    assert "周某某" in by_id
    assert ID not in by_id and idnumbers.mask(ID) in by_id
    client.force_login(users["county"])

    chosen = client.get(
        url, {"field": "subject_people", "q": "周某", "subject_people": [person.pk]}
    ).content.decode()
    assert "周某某" not in chosen  # already a chip


def test_a_chip_carries_the_person_as_a_hidden_input(client, world, users):
    person = person_create(actor=users["county"], name="吴某", registered_org=world.township)
    client.force_login(users["county"])
    html = client.get(
        reverse("clues:person_chip", args=[person.pk]), {"field": "cases-2-persons"}
    ).content.decode()
    assert f'name="cases-2-persons" value="{person.pk}"' in html


def test_a_malformed_field_name_is_refused(client, users):
    client.force_login(users["county"])
    response = client.get(reverse("clues:person_search"), {"field": '"><script>', "q": "x"})
    assert response.status_code == 404
