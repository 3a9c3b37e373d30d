"""A hit's region reads as the place name (所在地区), not as its 12-digit code: on the hit
list, the run page, the hit page (whose source records keep the file's own cells) and the
run's workbook. A
village no org carries reads as the nearest place that has one (its township), the code
kept in the tooltip."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from jiandu.datacheck.services import clue_evidence, hit_assign, hit_confirm, hit_convert

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


def test_the_hits_workbook_names_the_place(client, dc):
    run = small_run(dc)
    client.force_login(dc.city_data)
    response = client.get(reverse("datacheck:run_export", args=[run.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    column = rows[0].index("所在地区")
    assert sorted(row[column] for row in rows[1:]) == [
        "昆明市五华区红云街道",
        "昆明市五华区红云街道",
        "昆明市盘龙区",
    ]


def test_a_converted_clue_names_the_place_with_its_code(dc):
    hit = small_run(dc).hits.first()
    evidence = clue_evidence(hit)
    assert evidence["所在地区"] == "昆明市五华区红云街道（530102001001）"


def test_the_clue_of_a_hit_is_a_link_only_for_who_may_open_it(client, dc):
    hit = small_run(dc).hits.first()
    hit = hit_assign(actor=dc.city_data, hit=hit, handling_org=dc.world.city, reason="请核实")
    hit = hit_confirm(actor=dc.city_data, hit=hit, reason="属实")
    hit = hit_convert(actor=dc.city_data, hit=hit)
    clue_url = reverse("clues:clue_detail", args=[hit.clue_id])
    pages = (reverse("datacheck:hit_list"), reverse("datacheck:hit_detail", args=[hit.pk]))
    # 数据管理 without 线索管理 (the demo's ``data``): the number, not a link it cannot open
    client.force_login(dc.identity)
    assert client.get(clue_url).status_code == 403
    for url in pages:
        html = client.get(url).content.decode()
        assert hit.clue.number in html and clue_url not in html, url
    client.force_login(dc.city_data)
    for url in pages:
        assert clue_url in client.get(url).content.decode(), url
