"""The 一图 · 一表 · 一指数 pages, the files and the API, scoped: the city sees every
unit, a county its own (红云街道 under 五华区), a unit outside is a 404."""

import io
import json
import re
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from jiandu.accounts import roles as r
from jiandu.core.models import AuditLog, Task
from jiandu.ecoindex import documents
from jiandu.ecoindex.close import index_close
from jiandu.ecoindex.documents import bar_png
from jiandu.ecoindex.models import EcoWarning
from jiandu.ecoindex.tests.conftest import report_all
from jiandu.ecoindex.tests.test_close import units, yellow
from jiandu.testing import make_user

pytestmark = pytest.mark.django_db
INLINE = re.compile(
    r"<style\b|\sstyle\s*=|<script>(?!\s*$)|<script(?![^>]*\bsrc=)(?![^>]*application/json)", re.I
)


@pytest.fixture
def closed(world):
    city = world.users["city"]
    for month, over in [("2026-08", {}), ("2026-09", yellow(world))]:
        report_all(actor=city, month=month, orgs=units(world), overrides=over)
        index_close(actor=city, month=month)
    world.users["stats"] = make_user("stats", world.city, r.ROLE_STATISTICS)
    world.users["county_leader"] = make_user("county_leader", world.county, r.ROLE_CLUES)
    return world


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_map_page_colours_areas_and_lists_departments(closed):
    client = login(closed.users["leader"])
    html = client.get(reverse("ecoindex:map")).content.decode()
    assert not INLINE.search(html)
    spec = json.loads(
        re.search(
            r'<script id="eco-map-spec" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert spec["map"] == "kunming" and spec["geojson"].endswith("jiandu/geo/kunming.geojson")
    [area] = spec["items"]
    assert area["name"] == "五华区" and area["tone"] == "green" and area["value"] == 100.0
    assert "area=" in area["url"]
    assert "市民政局" in html and "eco-yellow" in html  # a department tile
    months = json.loads(
        re.search(
            r'<script id="eco-months" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert [m["value"] for m in months] == ["2026-08", "2026-09"]
    html = client.get(reverse("ecoindex:map") + "?month=2026-08").content.decode()
    assert "2026年8月" in html


def test_table_ranks_changes_sorts_and_exports(closed):
    client = login(closed.users["leader"])
    html = client.get(reverse("ecoindex:table") + "?month=2026-09").content.decode()
    assert not INLINE.search(html)
    assert html.index("市财政局") < html.index("市民政局")
    assert "-28.33" in html  # 市民政局: 100 → 71.67
    by_selection = client.get(reverse("ecoindex:table") + "?month=2026-09&sort=selection")
    body = by_selection.content.decode()
    assert body.index("市民政局") < body.index("市财政局")  # lowest 选人用人公信度 first
    area = closed.county.pk
    html = client.get(reverse("ecoindex:table") + f"?month=2026-09&area={area}").content.decode()
    assert "红云街道" in html and "市财政局" not in html
    response = client.get(reverse("ecoindex:table_xlsx") + "?month=2026-09")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("名次", "单位", "所在区县", "指数", "颜色", "较上月")
    yellow_row = next(i for i, row in enumerate(rows, start=1) if row[1] == "市民政局")
    assert sheet.cell(row=yellow_row, column=5).fill.fgColor.rgb.endswith("FBEFB0")
    assert AuditLog.objects.filter(action="export", summary__contains="政治生态指数表").exists()


def test_unit_page_tree_and_leaf_drill_down(closed):
    client = login(closed.users["leader"])
    unit = closed.unit_b
    html = client.get(reverse("ecoindex:unit", args=[unit.pk]) + "?month=2026-09").content.decode()
    assert not INLINE.search(html)
    assert "71.67" in html and "选人用人公信度" in html and "“带病提拔”问题数" in html
    assert 'data-chart="line"' in html
    leaf = reverse("ecoindex:leaf", args=[unit.pk, "2026-09", "sick_promotion"])
    html = client.get(leaf).content.decode()
    assert "组织部" in html and "第2行" in html and "4.00" in html
    leaf = reverse("ecoindex:leaf", args=[unit.pk, "2026-09", "problems_found"])
    assert client.get(leaf).status_code == 200


def test_scoping_county_sees_its_units_only(closed):
    client = login(closed.users["county"])
    html = client.get(reverse("ecoindex:table") + "?month=2026-09").content.decode()
    assert "红云街道" in html and "市财政局" not in html
    assert client.get(reverse("ecoindex:unit", args=[closed.unit_a.pk])).status_code == 404
    assert client.get(reverse("ecoindex:unit", args=[closed.township.pk])).status_code == 200
    api = client.get("/api/v1/ecoindex/snapshots/2026-09").json()
    assert [s["org"] for s in api["scores"]] == ["红云街道"]
    assert client.get(f"/api/v1/ecoindex/units/{closed.unit_b.pk}/series").status_code == 404
    warning = EcoWarning.objects.get()
    notice = reverse("ecoindex:warning_notice", args=[warning.pk])
    assert client.get(notice).status_code == 404
    # closing scores every unit: a county may not
    assert client.post(reverse("ecoindex:close"), {"month": "2026-10"}).status_code == 403


def _docx_text(data: bytes) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_warning_notice_and_analysis_docx(closed):
    client = login(closed.users["stats"])
    warning = EcoWarning.objects.get()
    response = client.get(reverse("ecoindex:warning_notice", args=[warning.pk]))
    text = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert "政治生态预警通知书" in text and warning.number in text
    assert "被纳入黄色管理。请分析原因，抓好整改" in text and "选人用人公信度" in text
    response = client.get(reverse("ecoindex:analysis", args=["2026-09"]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    text = archive.read("word/document.xml").decode()
    assert "2026年9月政治生态分析研判报告" in text and "市民政局" in text
    text = _docx_text(response.content)
    images = [archive.read(n) for n in archive.namelist() if n.endswith(".png")]
    assert len(images) == 2
    for data in images:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            assert image.format == "PNG" and 800 <= image.width <= 2000
            assert 300 <= image.height <= 1000
    assert "图1 各颜色单位数（从左至右：绿 2、黄 1、橙 0、红 0）" in text
    assert "图2 各板块平均得分（从左至右：" in text and "选人用人公信度 " in text
    assert "本机无中文字体" not in text
    assert client.get(reverse("ecoindex:warning_list")).status_code == 200


def test_analysis_without_a_cjk_font_lists_the_names_under_the_charts(closed, monkeypatch):
    monkeypatch.setattr(documents, "cjk_font", lambda: None)
    client = login(closed.users["stats"])
    response = client.get(reverse("ecoindex:analysis", args=["2026-09"]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    text = _docx_text(response.content)
    assert "图中以序号标示，名称列于图下：1为绿色；2为黄色；3为橙色；4为红色" in text
    assert "图1 各颜色单位数（从左至右：绿 2、黄 1、橙 0、红 0）" in text
    assert sum(1 for n in archive.namelist() if n.endswith(".png")) == 2


def test_close_button_submits_a_background_task(closed, django_capture_on_commit_callbacks):
    client = login(closed.users["stats"])
    response = client.post(reverse("ecoindex:close"), {"month": "2026-09"})
    assert response.status_code == 302 and Task.objects.count() == 0  # closed: needs a reason
    response = client.post(reverse("ecoindex:close"), {"month": "2026-09", "reason": "补报"})
    task = Task.objects.get()
    assert task.kind == "ecoindex.close" and response["Location"].endswith(f"/tasks/{task.pk}/")


def test_api_trees_and_series(closed):
    client = login(closed.users["leader"])
    trees = client.get("/api/v1/ecoindex/trees").json()
    assert trees[0]["version"] == 1
    tree = client.get("/api/v1/ecoindex/trees/1").json()
    assert sum(1 for n in tree["nodes"] if n["level"] == 3) == 46
    assert client.get("/api/v1/ecoindex/trees/9").status_code == 404
    series = client.get(f"/api/v1/ecoindex/units/{closed.unit_b.pk}/series").json()
    assert [(p["month"], p["index"], p["colour"]) for p in series["points"]] == [
        ("2026-08", 100.0, "green"), ("2026-09", 71.67, "yellow"),
    ]  # fmt: skip
    assert client.get("/api/v1/ecoindex/snapshots/2030-01").status_code == 404
    assert client.get("/api/v1/ecoindex/snapshots/2026-09?version=99999999999").status_code == 404
    assert client.get("/api/v1/ecoindex/trees/99999999999").status_code == 404
    assert client.get("/api/v1/ecoindex/snapshots/2026-09?version=1").json()["version"] == 1


def test_bar_png_is_a_png_of_the_size_asked():
    data = bar_png([3, 1, 0, 2], ["green", "yellow", "orange", "red"],
                   labels=["绿色", "黄色", "橙色", "红色"], title="各颜色单位数",
                   width=800, height=400)  # fmt: skip
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size == (800, 400)
        # not blank: the bars' colours are drawn
        colours = {c for _, c in image.convert("RGB").getcolors(maxcolors=1 << 20)}
    assert (63, 159, 95) in colours and (200, 49, 43) in colours


def test_city_leader_home_shows_the_map(closed):
    html = login(closed.users["leader"]).get("/").content.decode()
    assert 'data-chart="map"' in html and "政治生态“一图”" in html
    html = login(closed.users["county"]).get("/").content.decode()
    assert 'data-chart="map"' not in html
