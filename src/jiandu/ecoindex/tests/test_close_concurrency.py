"""Two closes at once (PostgreSQL): the second waits for the first to commit and then
sees what it wrote — the month closed (refused without a reason, the next version with
one), the unit already warned (not warned twice, no second number) — instead of failing
on the database's constraints."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from jiandu.ecoindex.close import index_close
from jiandu.ecoindex.models import EcoWarning, IndexSnapshot
from jiandu.ecoindex.tests.conftest import report_all
from jiandu.ecoindex.tests.test_close import scores, units, yellow

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two PostgreSQL sessions"),
]


def _race(first_kwargs, second_kwargs):
    """Run two closes: the first holds its transaction open (after its snapshot and
    before its warnings) until the second has started; returns what each gave."""
    holding = threading.Event()
    results: dict[str, object] = {}

    def progress(fraction, message):
        if fraction == 0.85:  # the snapshot is written, the warnings come next
            holding.set()
            time.sleep(0.8)

    def first():
        try:
            results["first"] = index_close(**first_kwargs, progress=progress)
            results["first_done"] = time.monotonic()
        except BaseException as exc:  # reported by the caller's assertions
            results["first"] = exc
        finally:
            holding.set()
            connections.close_all()

    def second():
        holding.wait(30)
        results["second_started"] = time.monotonic()
        try:
            results["second"] = index_close(**second_kwargs)
            results["second_done"] = time.monotonic()
        except BaseException as exc:
            results["second"] = exc
            results["second_done"] = time.monotonic()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def test_a_second_close_of_the_month_waits_and_is_refused_without_a_reason(world):
    city = world.users["city"]
    report_all(actor=city, month="2026-09", orgs=units(world), overrides=yellow(world))
    got = _race({"actor": city, "month": "2026-09"}, {"actor": city, "month": "2026-09"})
    assert not isinstance(got["first"], BaseException), got["first"]
    assert isinstance(got["second"], ValidationError), got["second"]
    assert "重新结账须写明原因" in str(got["second"])
    assert got["second_done"] >= got["first_done"]
    assert list(IndexSnapshot.objects.values_list("month", "version")) == [("2026-09", 1)]
    assert list(EcoWarning.objects.values_list("number", flat=True)) == ["生态预〔2026〕09001号"]
    # the score rows as written on PostgreSQL (COPY) read back as the ORM writes them
    got = scores(got["first"].snapshot)
    assert got["市民政局"].index == Decimal("71.67") and got["市民政局"].colour == "yellow"
    assert got["市民政局"].rank == 3 and got["市民政局"].regreened is False
    assert got["市民政局"].nodes["selection"] == 0
    assert got["市民政局"].nodes["rectification_rate"] is None
    assert got["市民政局"].values["sick_promotion"] == "4.00"
    assert got["市财政局"].index == Decimal("100.00") and got["市财政局"].nodes["index"] == 100


def test_a_reclose_and_the_next_month_during_a_close_do_not_collide(world):
    city = world.users["city"]
    for month in ("2026-09", "2026-10"):
        report_all(actor=city, month=month, orgs=units(world), overrides=yellow(world))
    # A re-close with a reason while the first close of the month runs: the next version.
    got = _race(
        {"actor": city, "month": "2026-09"},
        {"actor": city, "month": "2026-09", "reason": "补报数据后重算"},
    )
    assert not isinstance(got["first"], BaseException), got["first"]
    assert not isinstance(got["second"], BaseException), got["second"]
    assert sorted(IndexSnapshot.objects.values_list("version", flat=True)) == [1, 2]
    # October closed while September is re-closed: 市民政局 is still under September's
    # open warning, so neither close warns it again.
    got = _race(
        {"actor": city, "month": "2026-09", "reason": "再次重算"},
        {"actor": city, "month": "2026-10"},
    )
    assert not isinstance(got["first"], BaseException), got["first"]
    assert not isinstance(got["second"], BaseException), got["second"]
    assert list(EcoWarning.objects.values_list("org_id", "month", "number")) == [
        (world.unit_b.pk, "2026-09", "生态预〔2026〕09001号")
    ]
