"""Upward returns: prepared from the figures, cross-checked (the contradicting figures
named), submitted and locked, reopened only by the receiving level with a reason
(audited), consolidated by the city, exported in the form's layout; pages and API scoped."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from jiandu.accounts.models import User
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog
from jiandu.statcentre import services
from jiandu.statcentre.checks import cross_check
from jiandu.statcentre.layouts import layout
from jiandu.statcentre.models import StatReturn
from jiandu.statcentre.periods import parse_period
from jiandu.statcentre.tests import factories as f
from jiandu.testing import build_role_world

D = dt.date
pytestmark = pytest.mark.django_db
MARCH = parse_period("2026-03")


@pytest.fixture
def rw():
    rw = build_role_world()
    u = rw.accounts["wuhua"]
    county = rw.world.county
    f.petition(county, u, D(2026, 3, 2), closed=D(2026, 3, 3))
    f.petition(county, u, D(2026, 3, 5))
    f.clue(county, u, D(2026, 3, 2), disposed=D(2026, 3, 4), method="case_filed")
    f.petition(rw.world.city, u, D(2026, 3, 6))  # the city's own level
    return rw


def test_cross_checks_name_the_contradicting_figures():
    rows = layout("monthly").rows
    values = {k: 0 for k in rows if not k.startswith("#")}
    values.update(petitions_received=5, petitions_first=4, petitions_first_closed=6, petitions_closed=6,  # noqa: E501
                  clues_received=3, clues_source_petition=1)  # fmt: skip
    findings = cross_check(values, rows)
    assert "“初信初访办结”（6件）大于“初信初访”（4件）" in findings
    assert "“检举控告办结”（6件）大于“检举控告”（5件）" in findings
    assert any("之和（1件）不等于“受理问题线索”（3件）" in x for x in findings)
    values = {k: 0 for k in rows if not k.startswith("#")}
    values["petitions_backlog_resolved"] = -1
    assert cross_check(values, rows) == ["“积案化解”（-1）不能为负数"]


def test_county_prepares_corrects_submits_and_the_return_is_locked(rw):
    wuhua = rw.accounts["wuhua"]
    ret = services.return_prepare(
        actor=wuhua, org=rw.world.county, form_code="monthly", period=MARCH
    )
    assert ret.values["petitions_received"] == 2  # its own subtree only
    assert ret.values["clues_disposal_case_filed"] == 1
    bad = dict(ret.values, petitions_first="9")
    services.return_save(actor=wuhua, stat_return=ret, values=bad)
    with pytest.raises(ValidationError, match="初信初访"):
        services.return_submit(actor=wuhua, stat_return=ret)
    services.return_save(actor=wuhua, stat_return=ret, values=dict(ret.prepared_values))
    services.return_submit(actor=wuhua, stat_return=ret)
    ret.refresh_from_db()
    assert ret.status == "submitted"
    with pytest.raises(ValidationError, match="已上报的报表不能修改"):
        services.return_save(actor=wuhua, stat_return=ret, values=dict(ret.values))
    with pytest.raises(ValidationError, match="已锁定"):
        services.return_prepare(actor=wuhua, org=rw.world.county, form_code="monthly", period=MARCH)


def test_only_the_receiving_level_reopens_with_a_reason_and_it_is_audited(rw):
    wuhua, stats = rw.accounts["wuhua"], rw.accounts["stats"]
    ret = services.return_prepare(
        actor=wuhua, org=rw.world.county, form_code="monthly", period=MARCH
    )
    services.return_submit(actor=wuhua, stat_return=ret)
    with pytest.raises(PermissionDenied):
        services.return_reopen(actor=wuhua, stat_return=ret, reason="自己退回")
    with pytest.raises(ValidationError, match="退回理由"):
        services.return_reopen(actor=stats, stat_return=ret, reason=" ")
    services.return_reopen(actor=stats, stat_return=ret, reason="积案数与信访室台账不符")
    ret.refresh_from_db()
    assert ret.status == "reopened"
    assert AuditLog.objects.filter(
        action=AuditAction.TRANSITION, summary__contains="退回修改：积案数与信访室台账不符"
    ).exists()
    services.return_submit(actor=wuhua, stat_return=ret)


def test_the_audit_log_names_the_moves_of_a_return(rw, client):
    from jiandu.testing import code_like_text

    wuhua = rw.accounts["wuhua"]
    ret = services.return_prepare(
        actor=wuhua, org=rw.world.county, form_code="monthly", period=MARCH
    )
    services.return_submit(actor=wuhua, stat_return=ret)
    client.force_login(rw.accounts["auditor"])
    html = client.get("/audit/").content.decode()
    assert "statcentre.return_" not in html and code_like_text(html) == []
    assert ">新增<" in html and ">流转<" in html  # prepared, submitted


def test_the_city_consolidates_its_counties_returns_and_its_own_level(rw):
    wuhua, stats = rw.accounts["wuhua"], rw.accounts["stats"]
    ret = services.return_prepare(
        actor=wuhua, org=rw.world.county, form_code="monthly", period=MARCH
    )
    services.return_save(
        actor=wuhua,
        stat_return=ret,
        values=dict(ret.values, petitions_received="3", petitions_first="3"),
    )
    services.return_submit(actor=wuhua, stat_return=ret)
    city = services.return_prepare(
        actor=stats, org=rw.world.city, form_code="monthly", period=MARCH
    )
    # the county's submitted 3 (as corrected) + the city's own level 1
    assert city.values["petitions_received"] == 4
    services.return_submit(actor=stats, stat_return=city)
    city.refresh_from_db()
    assert city.is_locked  # no province account: stays locked
    with pytest.raises(PermissionDenied):
        services.return_reopen(actor=stats, stat_return=city, reason="省里退回")


def test_a_county_cannot_prepare_another_commissions_return(rw):
    with pytest.raises(PermissionDenied):
        services.return_prepare(
            actor=rw.accounts["wuhua"], org=rw.world.city, form_code="monthly", period=MARCH
        )


def test_pages_and_xlsx_follow_the_form_and_are_scoped(rw, client):
    wuhua = rw.accounts["wuhua"]
    ret = services.return_prepare(
        actor=wuhua, org=rw.world.county, form_code="monthly", period=MARCH
    )
    client.force_login(User.objects.get(username="wuhua"))
    assert client.get(f"/statistics/returns/{ret.pk}/").status_code == 200
    response = client.get(f"/statistics/returns/{ret.pk}/xlsx/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == layout("monthly").title
    labels = [sheet.cell(row=r, column=2).value for r in range(5, 12)]
    assert "检举控告" in labels
    response = client.post(f"/statistics/returns/{ret.pk}/submit/")
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.is_locked
    # another county's account: the return does not exist for it
    other = StatReturn.objects.get(pk=ret.pk)
    client.logout()
    from jiandu.accounts import roles as r
    from jiandu.testing import make_user

    make_user("panlong", rw.world.other_county, r.ROLE_RETURNS)
    client.force_login(User.objects.get(username="panlong"))
    assert client.get(f"/statistics/returns/{other.pk}/").status_code == 404
    assert client.get(f"/statistics/returns/{other.pk}/xlsx/").status_code == 404
    assert client.get(f"/api/v1/statistics/returns/{other.pk}").status_code == 404
    assert client.get(f"/statistics/?org={rw.world.county.pk}").status_code == 404
    assert (
        client.get(f"/api/v1/statistics/table?org={rw.world.county.pk}&period=2026-03").status_code
        == 404
    )
    assert (
        client.get(f"/statistics/records/petitions_received/?org={rw.world.county.pk}").status_code
        == 404
    )
    assert (
        client.get(
            f"/api/v1/statistics/figures/petitions_received/records?org={rw.world.county.pk}"
        ).status_code
        == 404
    )
    # its own page works
    assert client.get("/statistics/?period=2026-03").status_code == 200


def test_api_walks_the_return_through_its_life(rw, client):
    client.force_login(User.objects.get(username="wuhua"))
    created = client.post(
        "/api/v1/statistics/returns",
        {"form": "monthly", "period": "2026-03"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    table = client.get(f"/api/v1/statistics/table?org={rw.world.county.pk}&period=2026-03").json()
    received = next(r for r in table["rows"] if r["key"] == "petitions_received")
    assert received["value"] == "2"
    satisfaction = next(r for r in table["rows"] if r["key"] == "real_name_satisfaction_rate")
    assert satisfaction["value"] is None
    records = client.get(
        f"/api/v1/statistics/figures/petitions_received/records?org={rw.world.county.pk}&period=2026-03"
    ).json()
    assert records["count"] == 2 and len(records["items"]) == 2
    values = dict(created.json()["values"], petitions_first="5")
    saved = client.put(
        f"/api/v1/statistics/returns/{pk}/values",
        {"values": values},
        content_type="application/json",
    )
    assert saved.json()["findings"]
    refused = client.post(f"/api/v1/statistics/returns/{pk}/submit")
    assert refused.status_code in (400, 422)
    assert "初信初访" in str(refused.json())
    client.logout()
    client.force_login(User.objects.get(username="stats"))
    assert client.post(f"/api/v1/statistics/returns/{pk}/submit").status_code == 403


def test_the_statistics_page_renders_for_the_city_leader(rw, client):
    client.force_login(User.objects.get(username="leader"))
    response = client.get("/statistics/?period=2026-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert "口径：" in html and "实名举报满意率" in html and 'data-chart="bar"' in html
    from jiandu.testing import code_like_text

    assert code_like_text(html) == []
    key = "petitions_received"
    drill = client.get(f"/statistics/records/{key}/?org={rw.world.city.pk}&period=2026-03")
    assert "共 <strong>3</strong> 条记录" in drill.content.decode()
