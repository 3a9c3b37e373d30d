"""New versions of the colour and grading tables: dated today or later, after the
current one; earlier as-of dossiers keep the version then in force."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jiandu.dossiers import selectors, services
from jiandu.dossiers.choices import ItemKind
from jiandu.dossiers.models import ColourTable, DossierItem, GradingTable
from jiandu.dossiers.reference import DEFAULT_COLOURS

D = dt.date
pytestmark = pytest.mark.django_db


def test_a_new_colour_version_changes_only_later_dossiers(dw):
    today = timezone.localdate()
    DossierItem.objects.create(person=dw.wang, kind=ItemKind.POLICE_RECORD, title="违章",
                               occurred_on=today - dt.timedelta(days=30), source_body="公安",
                               created_by=dw.stats)  # fmt: skip
    with pytest.raises(ValidationError, match="不能早于今天"):
        services.colour_table_add(actor=dw.stats, version="v2", valid_from=D(2020, 1, 1),
                                  colours=DEFAULT_COLOURS)  # fmt: skip
    services.colour_table_add(actor=dw.stats, version="v2", valid_from=today,
                              colours=dict(DEFAULT_COLOURS, police_record="blue"))  # fmt: skip
    yesterday = selectors.person_dossier(dw.wang, as_of=today - dt.timedelta(days=1))
    now = selectors.person_dossier(dw.wang, as_of=today)
    assert [x.colour for x in yesterday.dots] == ["yellow"]
    assert [x.colour for x in now.dots] == ["blue"]
    with pytest.raises(ValidationError, match="应晚于现行版本"):
        services.colour_table_add(actor=dw.stats, version="v3", valid_from=today,
                                  colours=DEFAULT_COLOURS)  # fmt: skip


def test_grading_versions_are_checked(dw):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.grading_table_add(actor=dw.stats, version="g2", valid_from=today,
                                   window_months=12, weights={"red": 1}, caps=[],
                                   bands=[[0, "甲"], [5, "乙"]])  # fmt: skip
    services.grading_table_add(
        actor=dw.stats, version="g2", valid_from=today, window_months=12,
        weights={"red": 1, "blue": 0, "yellow": -1, "black": -3},
        bands=[[1, "好"], [-9999, "一般"]], caps=[["black", 1, "一般"]],
    )  # fmt: skip
    assert GradingTable.objects.count() == 2
    d = selectors.person_dossier(dw.wang, as_of=today)
    assert d.grading_table.version == "g2" and d.grade.grade == "一般"


def test_the_tables_page(dw, client):
    client.force_login(dw.stats)
    url = reverse("dossiers:tables")
    page = client.get(url)
    assert page.status_code == 200 and "年度考核优秀" in page.content.decode()
    today = timezone.localdate().isoformat()
    form = {"table": "colour", "version": "2027-01", "valid_from": today, "note": "调整"}
    form |= {f"c_{k}": c for k, c in DEFAULT_COLOURS.items()}
    assert client.post(url, form).status_code == 302
    assert ColourTable.objects.filter(version="2027-01").exists()
    client.force_login(dw.leader)
    assert client.get(url).status_code == 200
    assert client.post(url, dict(form, version="x")).status_code == 403


def test_grading_caps_are_written_with_chinese_colour_names(dw, client):
    client.force_login(dw.stats)
    url = reverse("dossiers:tables")
    page = client.get(url).content.decode()
    assert "黑 1 较差" in page and "black 1" not in page
    today = timezone.localdate().isoformat()
    form = {"table": "grading", "version": "g9", "valid_from": today, "window_months": 24,
            "red": 2, "blue": 0, "yellow": -2, "black": -6, "bands": "2 好\n-9999 一般",
            "caps": "黑 1 一般"}  # fmt: skip
    bad = client.post(url, dict(form, caps="绿 1 一般"))
    assert "颜色应为红、蓝、黄或黑" in bad.content.decode()
    assert client.post(url, form).status_code == 302
    assert GradingTable.objects.get(version="g9").caps == [["black", 1, "一般"]]


def test_the_stats_command(dw):
    import io
    import json

    from django.core.management import call_command

    services.batch_create(actor=dw.stats, owner_org=dw.stats.org, requester="市委组织部",
                          purpose="提拔任用", as_of=D(2026, 1, 31), received_on=D(2026, 2, 1),
                          people=[dw.li, dw.wang], orgs=[dw.rw.world.unit_b])  # fmt: skip
    out = io.StringIO()
    call_command("dossier", "stats", "--user", dw.stats.username, "--json", stdout=out)
    row = json.loads(out.getvalue())[0]
    assert (row["year"], row["batches"], row["people"], row["units"]) == (2026, 1, 2, 1)
    assert row["people_objections"] == 1  # 李华's open 初步核实
