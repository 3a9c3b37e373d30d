"""Names and titles arrive without zero-width or bidirectional control characters,
whichever way they come in: the API, a page form, an import."""

from django.urls import reverse

from jiandu.imports.importers import cell_text
from jiandu.people.models import Person

SNEAKY = "\u200b张\u202e三\ufeff"


def test_the_api_strips_them_from_a_name_and_a_title(client, users, world):
    client.force_login(users["city"])
    response = client.post(
        "/api/v1/people/",
        {"name": SNEAKY, "registered_org": world.county.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "张三"
    response = client.post(
        "/api/v1/clues/clues",
        {
            "source": "supervision",
            "title": "某村\u200b干部\u202e截留",
            "received_date": "2020-03-02",
            "handling_org": world.county.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "某村干部截留"


def test_a_name_of_only_invisible_characters_is_empty_and_refused(client, users, world):
    client.force_login(users["city"])
    response = client.post(
        "/api/v1/people/",
        {"name": "\u200b\u202e", "registered_org": world.county.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Person.objects.exists()


def test_a_page_form_strips_them(client, users, world):
    client.force_login(users["city"])
    response = client.post(
        reverse("people:person_create"),
        {"name": SNEAKY, "registered_org": world.county.pk, "political_status": "party_member"},
    )
    assert response.status_code == 302, response.content
    assert Person.objects.get().name == "张三"


def test_an_imported_cell_loses_them():
    assert cell_text(" \u2066红云街道\u2069\u200b ") == "红云街道"
