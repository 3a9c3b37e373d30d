"""Query budgets of the list pages and API lists: a fixed number of queries whatever
the number of runs, versions and hits (no query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .platform_data import small_run

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]

PAGES = {
    "run_list": (lambda run: reverse("datacheck:run_list"), 13),
    "hit_list": (lambda run: reverse("datacheck:hit_list"), 14),
    "run_detail": (lambda run: reverse("datacheck:run_detail", args=[run.pk]), 18),
    "dataset_list": (lambda run: reverse("datacheck:dataset_list"), 14),
    "versions": (lambda run: reverse("datacheck:dataset_versions", args=["payments"]), 13),
    "precision": (lambda run: reverse("datacheck:precision"), 15),
    "api_hits": (lambda run: "/api/v1/datacheck/hits", 13),
    "api_runs": (lambda run: "/api/v1/datacheck/runs", 12),
}


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", list(PAGES))
def test_list_queries_do_not_grow_with_rows(client, dc, name, django_assert_max_num_queries):
    url_for, budget = PAGES[name]
    first = small_run(dc)
    client.force_login(dc.city_data)
    url = url_for(first)
    with django_assert_max_num_queries(budget):
        client.get(url)
    before = _count(client, url)
    for _ in range(2):
        small_run(dc)
    assert _count(client, url) == before
