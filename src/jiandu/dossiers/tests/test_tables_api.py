"""The colour and grading table versions over the API: list and detail with the dossier
permission, new versions with the tables permission (as on the tables page), checked by
the same service (施行日期 today or later, after the current one), audited."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from jiandu.core.models import AuditLog
from jiandu.dossiers.models import ColourTable, GradingTable
from jiandu.dossiers.reference import DEFAULT_COLOURS, DEFAULT_VERSION

pytestmark = pytest.mark.django_db
BASE = "/api/v1/dossiers"


def post(client, url, body):
    return client.post(url, data=json.dumps(body, default=str), content_type="application/json")


def test_list_and_detail_of_the_shipped_versions(dw, client):
    client.force_login(dw.leader)
    colours = client.get(f"{BASE}/colour-tables/").json()
    assert [t["version"] for t in colours] == [DEFAULT_VERSION]
    assert colours[0]["in_force_today"]
    rules = {r["item_kind"]: (r["colour"], r["colour_label"]) for r in colours[0]["rules"]}
    assert rules["board_top"] == ("red", "红色") and rules["outcome_party"] == ("black", "黑色")
    detail = client.get(f"{BASE}/colour-tables/{colours[0]['id']}/").json()
    assert detail == colours[0]
    grading = client.get(f"{BASE}/grading-tables/").json()
    assert grading[0]["window_months"] == 36 and grading[0]["bands"][0] == [2, "好"]
    assert "回看36个月" in grading[0]["description"]
    assert client.get(f"{BASE}/grading-tables/{grading[0]['id']}/").json() == grading[0]
    assert client.get(f"{BASE}/grading-tables/999999/").status_code == 404


def test_new_versions_need_the_tables_permission_and_are_audited(dw, client):
    today = timezone.localdate()
    body = {"version": "2027-01", "valid_from": today, "note": "警情改蓝",
            "colours": dict(DEFAULT_COLOURS, police_record="blue")}  # fmt: skip
    client.force_login(dw.leader)  # 审批 holds view_dossier only
    assert post(client, f"{BASE}/colour-tables/", body).status_code == 403
    client.force_login(dw.stats)
    created = post(client, f"{BASE}/colour-tables/", body)
    assert created.status_code == 201, created.content
    rules = {r["item_kind"]: r["colour"] for r in created.json()["rules"]}
    assert rules["police_record"] == "blue" and created.json()["in_force_today"]
    table = ColourTable.objects.get(version="2027-01")
    assert AuditLog.objects.filter(object_type="dossiers.colourtable", object_id=str(table.pk),
                                   actor=dw.stats).exists()  # fmt: skip
    grading = {"version": "2027-01", "valid_from": today, "window_months": 24,
               "weights": {"red": 3, "blue": 0, "yellow": -2, "black": -6},
               "bands": [[3, "好"], [0, "较好"], [-4, "一般"], [-9999, "较差"]],
               "caps": [["black", 1, "较差"]]}  # fmt: skip
    made = post(client, f"{BASE}/grading-tables/", grading)
    assert made.status_code == 201, made.content
    assert made.json()["window_months"] == 24 and made.json()["caps"] == [["black", 1, "较差"]]
    assert AuditLog.objects.filter(object_type="dossiers.gradingtable",
                                   object_id=str(GradingTable.objects.get(version="2027-01").pk))\
        .exists()  # fmt: skip


def test_bad_versions_are_refused_with_the_field_named(dw, client):
    client.force_login(dw.stats)
    today = timezone.localdate()
    past = post(client, f"{BASE}/colour-tables/",
                {"version": "old", "valid_from": today - dt.timedelta(days=1),
                 "colours": DEFAULT_COLOURS})  # fmt: skip
    assert past.status_code == 422 and "valid_from" in past.json()["detail"]
    unknown = post(
        client,
        f"{BASE}/colour-tables/",
        {"version": "x", "valid_from": today, "colours": {"no_such": "red"}},
    )
    assert unknown.status_code == 422 and "no_such" in unknown.json()["detail"]
    bands = post(client, f"{BASE}/grading-tables/",
                 {"version": "g", "valid_from": today, "window_months": 12,
                  "weights": {"red": 1}, "bands": [[0, "好"], [5, "较好"]]})  # fmt: skip
    assert bands.status_code == 422 and "从高到低" in bands.json()["detail"]
    assert not ColourTable.objects.exclude(version=DEFAULT_VERSION).exists()
    assert not GradingTable.objects.exclude(version=DEFAULT_VERSION).exists()


def test_anonymous_is_refused(db, client):
    assert client.get(f"{BASE}/colour-tables/").status_code == 401
