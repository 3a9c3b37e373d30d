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
