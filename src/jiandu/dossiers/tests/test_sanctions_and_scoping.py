"""Sanction details on the page and the API (checked by the period rules, scoped), the
多色榜 warnings as a unit's dots, and every batch endpoint 404 outside the jurisdiction."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.core.models import AuditLog
from jiandu.dossiers import selectors, services
from jiandu.dossiers.models import SanctionDetail

D = dt.date
pytestmark = pytest.mark.django_db


def test_the_page_records_a_lift_and_the_dossier_follows(dw, client):
    client.force_login(dw.stats)
    url = reverse("dossiers:sanction_detail", args=[dw.warning.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"lifted_on": "2018-06-15", "lift_reason": "表现好"})
    assert "应晚于决定日期" in bad.content.decode()
    assert not SanctionDetail.objects.exists()
    client.post(url, {"lifted_on": "2018-12-01", "lift_reason": "表现好"})
    detail = SanctionDetail.objects.get()
    assert detail.lifted_on == D(2018, 12, 1)
    assert AuditLog.objects.filter(summary__startswith="登记处分影响期信息").exists()
    d = selectors.person_dossier(dw.zhang, as_of=D(2018, 12, 31))
    assert d.opinion.in_effect == ()
    client.force_login(dw.county_user)
    assert client.get(url).status_code == 404


def test_the_api_records_a_probation_period(dw, client):
    from jiandu.clues.choices import OutcomeKind, OutcomeSubtype
    from jiandu.clues.services import outcome_record

    probation = outcome_record(actor=dw.rw.world.users["city"], clue=dw.warning.clue,
                               kind=OutcomeKind.PARTY_DISCIPLINE,
                               subtype=OutcomeSubtype.PARTY_PROBATION,
                               decision_date=D(2018, 7, 31), person=dw.wang)  # fmt: skip
    d = selectors.person_dossier(dw.wang, as_of=D(2018, 8, 1))
    assert d.records.incomplete and "12 或 24" in d.records.incomplete[0]
    client.force_login(dw.stats)
    url = f"/api/v1/dossiers/sanctions/{probation.pk}/"
    bad = client.put(url, {"period_months": 18}, content_type="application/json")
    assert bad.status_code == 422
    good = client.put(url, {"period_months": 24}, content_type="application/json")
    assert good.status_code == 200, good.content
    assert good.json()["until"] == "2020-07-31"
    d = selectors.person_dossier(dw.wang, as_of=D(2018, 8, 1))
    assert [p.until for p in d.opinion.in_effect] == [D(2020, 7, 31)]
    client.force_login(dw.county_user)
    assert client.put(url, {"period_months": 12}, content_type="application/json").status_code \
        in (403, 404)  # fmt: skip


def test_board_warnings_are_yellow_dots_of_the_unit(dw):
    from jiandu.boards.choices import WarningKind
    from jiandu.boards.models import Board, BoardSnapshot, BoardWarning

    unit = dw.rw.world.unit_a
    board = Board.objects.create(key="test-board", title="测试多色榜",
                                 owner_org=dw.rw.world.city, created_by=dw.stats)  # fmt: skip
    snapshot = BoardSnapshot.objects.create(board=board, month="2025-03", version=1, data={})
    BoardWarning.objects.create(
        board=board, snapshot=snapshot, kind=WarningKind.values[0], org=unit, month="2025-03",
        description="连续两个月末位",
    )  # fmt: skip
    d = selectors.org_dossier(unit, as_of=D(2025, 4, 1))
    assert [(x.item.kind, x.colour, x.on) for x in d.dots] == [
        ("board_warning", "yellow", D(2025, 3, 31))
    ]
    assert "测试多色榜" in d.dots[0].item.label
    assert selectors.org_dossier(unit, as_of=D(2025, 3, 30)).dots == []


def test_every_batch_endpoint_is_404_outside_the_jurisdiction(dw, client):
    batch = services.batch_create(
        actor=dw.stats, owner_org=dw.stats.org, requester="市委组织部", purpose="提拔任用",
        as_of=D(2026, 1, 31), received_on=D(2026, 2, 1), people=[dw.li],
    )  # fmt: skip
    client.force_login(dw.county_user)
    for url in (f"/dossiers/batches/{batch.pk}/", f"/dossiers/batches/{batch.pk}/annex.xlsx",
                f"/dossiers/batches/{batch.pk}/reply.docx",
                f"/api/v1/dossiers/batches/{batch.pk}/"):  # fmt: skip
        assert client.get(url).status_code in (403, 404), url
    assert client.get("/api/v1/dossiers/batches/statistics/").json() == []
    for step in ("review", "approve", "issue"):
        assert client.post(f"/api/v1/dossiers/batches/{batch.pk}/{step}/", {},
                           content_type="application/json").status_code in (403, 404)  # fmt: skip
    client.force_login(dw.stats)
    assert client.get(f"/dossiers/batches/{batch.pk}/").status_code == 200
    assert client.get(f"/api/v1/dossiers/batches/{batch.pk}/").json()["lines"][0]["name"] == "李华"
    assert client.get(f"/dossiers/batches/{batch.pk}/reply.docx").status_code == 404  # not issued
    assert client.get(f"/dossiers/batches/{batch.pk}/annex.xlsx").status_code == 200
    assert AuditLog.objects.filter(summary__startswith="导出廉政意见明细表").count() == 1
    # the page and the API view were audited; the refused ones were not
    assert AuditLog.objects.filter(summary__startswith="查阅廉政意见").count() == 2
