"""Writers at once (PostgreSQL): many transactions record petitions of one unit on one
day at the same time, each holding its transaction open a moment after its write. The
aggregate's cells they share are recomputed one writer after another, each seeing the
others' committed rows: no deadlock, no lost or doubled count (ADR 0016)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from jiandu.clues.models import Petition
from jiandu.statcentre import selectors
from jiandu.statcentre.models import DailyFigure
from jiandu.statcentre.tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL sessions"),
]

WRITERS = 8
PER_WRITER = 3


def test_concurrent_writes_to_shared_cells_neither_deadlock_nor_miscount(world):
    org, user = world.county, world.users["county"]
    day = dt.date(2026, 3, 2)
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait(10)
            for i in range(PER_WRITER):
                with transaction.atomic():
                    # received on one day, some closed on another: day, span and
                    # month rows of the same unit are shared by every writer
                    f.petition(org, user, day, closed=day + dt.timedelta(days=1 + (n + i) % 2))
                    f.petition(org, user, day + dt.timedelta(days=(n + i) % 3))
        except BaseException as exc:  # the assertions below report it
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert Petition.objects.filter(received_org=org).count() == WRITERS * PER_WRITER * 2
    received = DailyFigure.objects.filter(org=org, key="petitions_received", day=day)
    assert (
        sum(received.values_list("value", flat=True))
        == Petition.objects.filter(received_org=org, received_date=day).count()
    )
    differences = selectors.aggregate_differences(
        org_ids=None, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    assert differences == []
