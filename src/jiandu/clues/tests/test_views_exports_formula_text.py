"""A clue titled like a formula comes out of the clue export as text (no ``<f>``)."""

import datetime as dt

from django.urls import reverse

from jiandu.clues import services
from jiandu.clues.choices import ClueSource
from jiandu.core.tests.test_xlsx_formula_text import CALC, LINK, all_values, sheet_xml


def test_clue_export_of_a_formula_title_is_text(client, world, users):
    city = users["city"]
    for title in (CALC, LINK):
        services.clue_create(
            actor=city,
            source=ClueSource.INSPECTION,
            title=title,
            received_date=dt.date(2020, 3, 2),
            handling_org=world.county,
            domains=[world.poverty],
        )
    client.force_login(city)
    response = client.get(reverse("clues:clue_export"))
    assert response.status_code == 200
    assert "<f>" not in sheet_xml(response.content)
    values = all_values(response.content)
    assert CALC in values and LINK in values
