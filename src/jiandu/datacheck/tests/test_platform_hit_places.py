"""A hit's region reads as the place name (所在地区), not as its 12-digit code: on the hit
list, the run page and the hit page (whose source records keep the file's own cells). A
village no org carries reads as the nearest place that has one (its township), the code
kept in the tooltip."""

from django.urls import reverse

from .platform_data import small_run

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]


def test_hit_pages_name_the_place_not_the_code(client, dc):
    run = small_run(dc)
    hit = run.hits.first()
    assert hit.region_code == "530102001001"  # a village of 红云街道 no org carries
    client.force_login(dc.city_data)
    place = '<span title="行政区划代码 530102001001">昆明市五华区红云街道</span>'
    for url in (
        reverse("datacheck:hit_list"),
        reverse("datacheck:run_detail", args=[run.pk]),
    ):
        html = client.get(url).content.decode()
        assert place in html, url
        assert ">530102001001<" not in html, url
    # The hit page names the place; its source records keep the file's own cells.
    html = client.get(reverse("datacheck:hit_detail", args=[hit.pk])).content.decode()
    assert f"<dt>所在地区</dt><dd>{place}</dd>" in html
