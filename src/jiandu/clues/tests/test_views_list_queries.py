"""List pages cost a fixed number of queries, however many rows they show."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiandu.clues import services
from jiandu.clues.choices import ClueSource

D = dt.date(2020, 3, 2)
# Session, user, permissions, jurisdiction (4), filter choices, the page, its joins/prefetch.
MAX_QUERIES = 16


def _petitions(world, users, start, stop):
    for i in range(start, stop):
        services.petition_register(
            actor=users["county"] if i % 2 else users["city"],
            received_date=D - dt.timedelta(days=i),
            channel="letter",
            title=f"第{i}件 反映问题",
            content="……",
            domains=[world.poverty],
            is_real_name=bool(i % 3),
            reporter_name=f"举报人{i % 4}",
            reporter_phone="13800000000",
        )


def _clues(world, users, start, stop):
    for i in range(start, stop):
        services.clue_create(
            actor=users["city"],
            source=ClueSource.INSPECTION,
            title=f"第{i}条 线索",
            received_date=D - dt.timedelta(days=i),
            handling_org=world.county if i % 2 else world.city,
            domains=[world.poverty],
        )


def _exposures(world, users, start, stop):
    for i in range(start, stop):
        services.exposure_batch_create(
            actor=users["city"],
            title=f"第{i}批 通报",
            published_on=D - dt.timedelta(days=i),
            domains=[world.poverty],
            cases=[{"title": "案例一"}, {"title": "案例二"}],
        )


LISTS = [
    ("clues:petition_list", _petitions),
    ("clues:clue_list", _clues),
    ("clues:exposure_list", _exposures),
]


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response


@pytest.mark.parametrize(("url_name", "make"), LISTS, ids=[x[0] for x in LISTS])
def test_queries_do_not_grow_with_rows(
    client, world, users, django_assert_max_num_queries, url_name, make
):
    client.force_login(users["city"])
    url = reverse(url_name)
    make(world, users, 0, 5)
    _get(client, url)  # the first request also renews the session and fills the caches
    queries_5, response = _get(client, url)
    assert len(response.context["page"].items) == 5
    make(world, users, 5, 30)
    with django_assert_max_num_queries(MAX_QUERIES):
        queries_30, response = _get(client, url)
    assert len(response.context["page"].items) == 30
    assert queries_30 == queries_5
