"""htmx filtering and paging of the lists answer with the results partial only."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.clues import services
from jiandu.clues.choices import ClueSource


@pytest.mark.parametrize(
    ("url_name", "target"),
    [("clues:clue_list", "clue-results"), ("clues:petition_list", "petition-results")],
)
def test_htmx_list_requests_get_the_results_partial(client, world, users, url_name, target):
    services.clue_create(
        actor=users["city"],
        source=ClueSource.AUDIT,
        title="审计移交线索",
        received_date=dt.date(2020, 3, 2),
    )
    services.petition_register(
        actor=users["city"],
        received_date=dt.date(2020, 3, 2),
        channel="online",
        title="网络举报",
        content="……",
    )
    client.force_login(users["city"])
    response = client.get(
        reverse(url_name), {"text": "审计移交"}, headers={"HX-Request": "true", "HX-Target": target}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'class="filter-bar"' not in html
    assert "导出Excel" in html and "text=%E5%AE%A1" in html  # the export keeps the filter
    full = client.get(reverse(url_name)).content.decode()
    assert "<html" in full and 'class="filter-bar"' in full
