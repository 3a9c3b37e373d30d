"""The card list (page and API) and the statistics cost a fixed number of queries,
however many cards there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiandu.cards import services
from jiandu.cards.models import ListTemplate
from jiandu.cards.reference import RESPONSIBILITY_KEY
from jiandu.cards.tests.conftest import add_leader, previous_quarter

pytestmark = pytest.mark.django_db


def issue(cw, n):
    from jiandu.accounts.models import User

    system = User.objects.get(username="system-setup")
    year, quarter = previous_quarter()
    posts = [add_leader(system, cw.committee, f"常委{i}", "常委") for i in range(n)]
    services.cards_issue_bulk(
        actor=cw.stats,
        committee=cw.committee,
        year=year,
        quarter=quarter,
        posts=posts,
        template=ListTemplate.objects.get(key=RESPONSIBILITY_KEY, archived_at__isnull=True),
    )


def count(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/cards/", "/api/v1/cards/cards", "/cards/stats/"])
def test_lists_cost_the_same_for_2_and_8_cards(client, cw, path):
    client.force_login(cw.stats)
    issue(cw, 2)
    count(client, path)  # the session's permissions and jurisdiction, read once
    few = count(client, path)
    issue_more = 6
    from jiandu.cards.models import ReminderCard

    ReminderCard.objects.all().update(quarter=1 if previous_quarter()[1] != 1 else 2)
    issue(cw, issue_more)
    assert count(client, path) == few
