"""Who sees what: runs and dataset versions within the org's jurisdiction; hits also
only where the subject lives in a region of the viewer's jurisdiction (a county officer
sees only the county's people). Outside: 404 on the run, the hit and its actions."""

from django.urls import reverse

from jiandu.datacheck.models import Hit
from jiandu.datacheck.services import hit_assign

from .platform_data import P_PANLONG, P_WUHUA, small_run

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]


def _subjects(client, url):
    page = client.get(url)
    assert page.status_code == 200
    return {row["hit"].subject for row in page.context["rows"]}


def test_county_sees_only_its_regions_hits_of_its_own_run(client, dc):
    # 五华's data officer loads a file that also has 盘龙 people in it
    run = small_run(dc, actor=dc.county_data, region="530102")
    assert {h.subject for h in Hit.objects.filter(run=run)} == {P_WUHUA, P_PANLONG}
    client.force_login(dc.county_data)
    run_url = reverse("datacheck:run_detail", args=[run.pk])
    assert _subjects(client, run_url) == {P_WUHUA}
    assert _subjects(client, reverse("datacheck:hit_list")) == {P_WUHUA}
    panlong = Hit.objects.get(run=run, region_code__startswith="530103")
    assert client.get(reverse("datacheck:hit_detail", args=[panlong.pk])).status_code == 404
    results = {r.code: r for r in client.get(run_url).context["results"]}
    assert results["R01"].hits == 2 and results["R01"].total_hits == 3
    # the city sees every hit of the county's run
    client.force_login(dc.city_data)
    assert _subjects(client, run_url) == {P_WUHUA, P_PANLONG}


def test_outsider_gets_404_on_run_hit_and_actions(client, dc):
    run = small_run(dc)
    hit = Hit.objects.filter(run=run, region_code__startswith="530102").first()
    client.force_login(dc.outsider)
    assert client.get(reverse("datacheck:run_detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("datacheck:run_export", args=[run.pk])).status_code == 404
    assert client.get(reverse("datacheck:hit_detail", args=[hit.pk])).status_code == 404
    response = client.post(
        reverse("datacheck:hit_action", args=[hit.pk]),
        {"action": "assign", "assign-handling_org": dc.world.other_county.pk},
    )
    assert response.status_code == 404
    assert client.post(reverse("datacheck:hit_identify", args=[hit.pk])).status_code == 404
    assert _subjects(client, reverse("datacheck:hit_list")) == set()
    run_list = client.get(reverse("datacheck:run_list")).content.decode()
    assert f"#{run.pk}<" not in run_list
    for version in run.dataset_versions.all():
        url = reverse("datacheck:version_detail", args=[version.pk])
        assert client.get(url).status_code == 404


def test_assignment_shows_a_city_hit_to_the_handling_county(client, dc):
    run = small_run(dc)  # the city's run: not in the county's jurisdiction
    wuhua = Hit.objects.filter(run=run, region_code__startswith="530102").first()
    client.force_login(dc.county_data)
    assert client.get(reverse("datacheck:run_detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("datacheck:hit_detail", args=[wuhua.pk])).status_code == 404

    hit_assign(actor=dc.city_data, hit=wuhua, handling_org=dc.world.county)
    page = client.get(reverse("datacheck:hit_detail", args=[wuhua.pk]))
    assert page.status_code == 200
    assert page.context["run_visible"] is False  # the run itself stays the city's
    assert _subjects(client, reverse("datacheck:hit_list")) == {P_WUHUA}
    # the county can now verify it
    response = client.post(
        reverse("datacheck:hit_action", args=[wuhua.pk]),
        {"action": "confirm", "confirm-reason": "属实"},
    )
    assert response.status_code == 302
    wuhua.refresh_from_db()
    assert wuhua.status == "confirmed"
