"""A run's hits are built, linked and written ahead where nobody sees them, then
published in one short transaction (ADR 0010); a verification made meanwhile on an
earlier hit is not lost: the hits are linked again inside the transaction."""

from jiandu.datacheck import services
from jiandu.datacheck.choices import HitPresence, HitStatus
from jiandu.datacheck.models import Hit
from jiandu.datacheck.services import hit_assign

from .platform_data import WUHUA, small_run

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]


def _hit(run, period):
    return Hit.objects.get(run=run, period=period, region_code__startswith=WUHUA)


def test_a_verification_made_while_the_hits_are_staged_is_carried(dc, monkeypatch):
    first = small_run(dc)
    april = _hit(first, "2024-04")
    original = services._link_to_earlier
    calls = []

    def link_then_someone_assigns(*, run, found):
        superseded = original(run=run, found=found)
        if not calls:  # the first linking, before staging: then a user assigns the hit
            calls.append(run.pk)
            hit_assign(actor=dc.city_data, hit=april, handling_org=dc.world.county)
        return superseded

    monkeypatch.setattr(services, "_link_to_earlier", link_then_someone_assigns)
    second = small_run(dc)
    again = _hit(second, "2024-04")
    assert again.previous_id == april.pk and again.presence == HitPresence.STILL
    assert (again.status, again.handling_org) == (HitStatus.ASSIGNED, dc.world.county)
    assert not Hit.objects.filter(run=first, is_current=True).exists()
    assert second.summary["presence"] == {"new": 0, "still": 3, "gone": 0}


def test_hits_are_published_with_the_ids_reserved_for_them(dc):
    first = small_run(dc)
    second = small_run(dc)
    ids = sorted(Hit.objects.filter(run=second).values_list("pk", flat=True))
    assert len(ids) == 3 and min(ids) > max(
        Hit.objects.filter(run=first).values_list("pk", flat=True)
    )
    assert {h.previous.run_id for h in Hit.objects.filter(run=second)} == {first.pk}
