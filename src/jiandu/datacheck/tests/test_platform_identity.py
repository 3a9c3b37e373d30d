"""Identity suggestions for a hit whose ID number fails the check (R06): candidates from
the population register with score and reasons; recording "认定为此人" is a note on the
hit and nothing else."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.core.choices import AuditAction
from jiandu.core.idnumbers import CHECK_CHARS, mask
from jiandu.core.models import AuditLog
from jiandu.datacheck.choices import HitAction, HitStatus
from jiandu.datacheck.models import Hit
from jiandu.datacheck.services import run_start

from .platform_data import import_files, payment, small_run, valid_id, write_csv

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]

WANG_LI = valid_id("530102", dt.date(1950, 3, 1), 24)
BROKEN = WANG_LI[:17] + CHECK_CHARS[(CHECK_CHARS.index(WANG_LI[17]) + 1) % 11]
OTHER = valid_id("530102", dt.date(1961, 7, 9), 35)


@pytest.fixture
def r06_hit(dc):
    persons = [
        {"id_no": WANG_LI, "name": "王丽", "gender": "女", "birth_date": "1950-03-01",
         "region_code": "530102001001", "household_no": "H1", "relation_to_head": "户主"},
        {"id_no": OTHER, "name": "赵强", "gender": "男", "birth_date": "1961-07-09",
         "region_code": "530102001001", "household_no": "H2", "relation_to_head": "户主"},
    ]  # fmt: skip
    pay = payment("Q1", BROKEN, "2024-02", "530102") | {"name": "王莉"}
    paths = {
        "persons": write_csv(dc.tmp / "persons.csv", persons),
        "payments": write_csv(dc.tmp / "payments.csv", [pay]),
    }
    versions = import_files(dc.city_data, paths, "530102")
    run = run_start(actor=dc.city_data, rules=["R06"], versions=versions, region_code="530102")
    return Hit.objects.get(run=run)


def test_suggestions_with_score_and_reasons(client, dc, r06_hit):
    assert r06_hit.subject == BROKEN and r06_hit.subject_name == "王莉"
    client.force_login(dc.city_data)
    page = client.get(reverse("datacheck:hit_detail", args=[r06_hit.pk]))
    candidates = page.context["candidates"]
    assert [c["candidate"].name for c in candidates] == ["王丽"]
    best = candidates[0]
    assert best["id_no"] == mask(WANG_LI)  # masked without the permission
    assert 50 < best["percent"] <= 100
    text = page.content.decode()
    assert "姓名读音相同（wang li）：王莉 / 王丽" in text
    assert "出生日期一致（1950-03-01）" in text
    assert "身份证号码仅1位不同" in text
    assert "认定为此人" in text


def test_identify_is_a_note_and_nothing_more(client, dc, r06_hit):
    client.force_login(dc.city_data)
    response = client.post(
        reverse("datacheck:hit_identify", args=[r06_hit.pk]),
        {"candidate": "0", "note": "经村委会核实为同一人"},
    )
    assert response.status_code == 302
    hit = Hit.objects.get(pk=r06_hit.pk)
    assert hit.status == HitStatus.PENDING and hit.subject == BROKEN  # no merge
    event = hit.events.get()
    assert event.action == HitAction.IDENTIFY
    assert event.from_status == event.to_status == HitStatus.PENDING
    assert event.identified_id_no == WANG_LI and event.data["name"] == "王丽"
    assert event.reason == "经村委会核实为同一人"
    audit = AuditLog.objects.get(
        action=AuditAction.UPDATE, object_type="datacheck.hit", object_id=str(hit.pk)
    )
    assert audit.changes["identified_as"] == mask(WANG_LI)
    page = client.get(reverse("datacheck:hit_detail", args=[hit.pk])).content.decode()
    assert f"认定为：王丽（{mask(WANG_LI)}）" in page and WANG_LI not in page


def test_identify_only_where_suggestions_apply(client, dc):
    run = small_run(dc)
    hit = Hit.objects.filter(run=run).first()
    client.force_login(dc.city_data)
    page = client.get(reverse("datacheck:hit_detail", args=[hit.pk]))
    assert page.context["suggestions"] is None
    response = client.post(reverse("datacheck:hit_identify", args=[hit.pk]), {"candidate": "0"})
    assert response.status_code == 404
