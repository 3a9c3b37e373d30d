"""Pages given an id outside the database's key range (``?org=99999999999999999999``)
treat it as an unknown record instead of failing in the database driver (500)."""

from django.urls import reverse

HUGE = "99999999999999999999"


def test_the_clue_list_with_an_out_of_range_org_shows_the_filter_error(client, users):
    client.force_login(users["city"])
    response = client.get(reverse("clues:clue_list"), {"org": HUGE})
    assert response.status_code == 200
    assert "org" in response.context["filter_form"].errors


def test_the_person_picker_ignores_out_of_range_chosen_ids(client, users):
    client.force_login(users["city"])
    response = client.get(
        reverse("clues:person_search"),
        {"field": "subject_people", "q": "李", "subject_people": [HUGE, "1"]},
    )
    assert response.status_code == 200


def test_a_clue_form_with_an_out_of_range_person_is_a_field_error(client, users, world):
    client.force_login(users["county"])
    response = client.post(
        reverse("clues:clue_create"),
        {
            "source": "supervision",
            "title": "某村干部截留低保金",
            "received_date": "2020-03-02",
            "handling_org": world.county.pk,
            "subject_people": [HUGE],
            "subject_orgs": [HUGE],
        },
    )
    assert response.status_code in (200, 422)
    errors = response.context["form"].errors
    assert "subject_people" in errors and "subject_orgs" in errors
