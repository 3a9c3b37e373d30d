"""ID numbers of hits: masked for users without ``people.view_id_number`` (also inside
the evidence and the source records), full for those with it — and every page that shows
them in full writes an audit row naming the hits."""

from django.urls import reverse

from jiandu.core.choices import AuditAction
from jiandu.core.idnumbers import mask
from jiandu.core.models import AuditLog
from jiandu.datacheck.models import Hit

from .platform_data import P_PANLONG, P_WUHUA, small_run

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]


def test_masked_without_the_permission_and_nothing_audited(client, dc):
    run = small_run(dc)
    hit = Hit.objects.filter(run=run, region_code__startswith="530102").first()
    client.force_login(dc.city_data)
    pages = [
        client.get(reverse("datacheck:run_detail", args=[run.pk])),
        client.get(reverse("datacheck:hit_list")),
        client.get(reverse("datacheck:hit_detail", args=[hit.pk])),
    ]
    for page in pages:
        text = page.content.decode()
        assert P_WUHUA not in text and P_PANLONG not in text
        assert mask(P_WUHUA) in text
    # the account number in the evidence and the source rows is masked too
    detail = pages[2].content.decode()
    assert f"62{P_WUHUA[-14:]}" not in detail and mask(f"62{P_WUHUA[-14:]}") in detail
    assert hit.evidence["payment_id"] in detail  # the payment row is shown
    assert not AuditLog.objects.filter(action=AuditAction.VIEW_PROTECTED).exists()


def test_full_with_the_permission_and_audited(client, dc):
    run = small_run(dc)
    hit = Hit.objects.filter(run=run, region_code__startswith="530102").first()
    client.force_login(dc.identity)

    text = client.get(reverse("datacheck:hit_detail", args=[hit.pk])).content.decode()
    assert P_WUHUA in text
    row = AuditLog.objects.filter(action=AuditAction.VIEW_PROTECTED).get()
    assert (row.actor, row.object_type, row.object_id) == (
        dc.identity,
        "datacheck.hit",
        str(hit.pk),
    )

    text = client.get(reverse("datacheck:run_detail", args=[run.pk])).content.decode()
    assert P_WUHUA in text and P_PANLONG in text
    row = AuditLog.objects.filter(action=AuditAction.VIEW_PROTECTED).order_by("-sequence")[0]
    assert row.object_type == "datacheck.run" and row.object_id == str(run.pk)
    assert sorted(row.changes["hits"]) == sorted(
        Hit.objects.filter(run=run).values_list("pk", flat=True)
    )


def test_search_by_full_number_without_revealing_it(client, dc):
    run = small_run(dc)
    client.force_login(dc.city_data)
    page = client.get(reverse("datacheck:hit_list"), {"subject": P_PANLONG})
    assert [row["hit"].subject for row in page.context["rows"]] == [P_PANLONG]
    assert P_PANLONG not in page.content.decode().replace(f'value="{P_PANLONG}"', "")
    assert Hit.objects.filter(run=run).count() == 3
