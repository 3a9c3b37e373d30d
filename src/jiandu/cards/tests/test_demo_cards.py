"""The demo's cards: the last full quarter's cards issued by ``stats``, summaries
returned by the units (some overdue), one spot check with a finding, and the statistics
in seed 001's proportions, each number equal to the records it opens (on the small
demo the tests share)."""

from __future__ import annotations

import datetime as dt

import pytest

from jiandu.accounts.models import User
from jiandu.cards import selectors
from jiandu.cards.models import ReminderCard
from jiandu.testing import SMALL_DEMO_TODAY

pytestmark = pytest.mark.django_db


def test_the_demo_issues_a_quarter_of_cards_shaped_like_seed_001(small_demo):
    today = SMALL_DEMO_TODAY
    assert small_demo.seed == 2020 and small_demo.last_day == today - dt.timedelta(days=1)
    stats = User.objects.get(username="stats")
    year, quarter = selectors.last_full_quarter(today)
    cards = ReminderCard.objects.filter(year=year, quarter=quarter, status="issued")
    assert cards.count() >= 4
    assert all(c.number.endswith("号") for c in cards)
    # 市委办公室's head has a card for ``rectify`` to answer.
    rectify = User.objects.get(username="rectify")
    own = selectors.card_list(user=rectify)
    assert own.count() == 1 and own.get().leader_org == rectify.org
    rows = selectors.card_stats(user=stats, year=year, quarter=quarter)
    total = selectors.stats_total(rows)
    assert total["cards"] == cards.count()
    assert 5.0 <= total["items"] / total["cards"] <= 6.0
    assert total["talks"] >= 1 and total["admonitions"] >= 1 and total["sanctions"] >= 1
    assert total["findings"] == 1 and total["checks"] == 1
    assert total["summarised"] >= 1
    for metric in selectors.METRICS:
        drill = selectors.stats_records(user=stats, metric=metric, year=year, quarter=quarter)
        assert len(drill.records) == total[metric], metric
