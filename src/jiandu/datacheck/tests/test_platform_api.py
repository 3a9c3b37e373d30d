"""The 大数据比对 API with personas: anonymous 401, no permission 403, outside the
jurisdiction 404; masked numbers unless permitted (full answers audited); runs started
and hits verified through the same services as the pages."""

import pytest
from django.test import Client

from jiandu.clues.models import Clue
from jiandu.core.choices import AuditAction, TaskStatus
from jiandu.core.idnumbers import mask
from jiandu.core.models import AuditLog
from jiandu.datacheck.models import Hit, Run

from .platform_data import P_WUHUA, import_files, small_files, small_run

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]

API = "/api/v1/datacheck"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def run(dc):
    return small_run(dc)


def test_anonymous_no_permission_and_outsider(dc, run):
    hit = Hit.objects.filter(run=run, region_code__startswith="530102").first()
    urls = [f"{API}/rules", f"{API}/datasets", f"{API}/runs", f"{API}/hits"]
    for url in urls:
        assert Client().get(url).status_code == 401, url
        assert _client(dc.users["petition_officer"]).get(url).status_code == 403, url
    outsider = _client(dc.outsider)
    assert outsider.get(f"{API}/runs/{run.pk}").status_code == 404
    assert outsider.get(f"{API}/hits/{hit.pk}").status_code == 404
    response = outsider.post(
        f"{API}/hits/{hit.pk}/assign",
        {"handling_org": dc.world.other_county.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert outsider.get(f"{API}/hits").json()["items"] == []
    assert outsider.get(f"{API}/runs").json()["items"] == []
    leader = _client(dc.users["leader"])  # may read, may not verify
    response = leader.post(f"{API}/hits/{hit.pk}/confirm", {}, content_type="application/json")
    assert response.status_code == 403


def test_rules_and_datasets(dc, run):
    client = _client(dc.city_data)
    rules = client.get(f"{API}/rules").json()
    assert [r["code"] for r in rules][:2] == ["R01", "R02"]
    assert rules[0]["parameters"] == [
        {
            "name": "grace_months",
            "label": "宽限月数",
            "default": 0,
            "display": "0个月",
            "unit": "个月",
            "help": "死亡当月之后允许的宽限月数",
        }
    ]
    datasets = {d["name"]: d for d in client.get(f"{API}/datasets").json()}
    assert datasets["payments"]["latest"]["rows_imported"] == 4
    assert datasets["persons"]["latest"] is None
    versions = client.get(f"{API}/datasets/deaths/versions").json()["items"]
    detail = client.get(f"{API}/versions/{versions[0]['id']}").json()
    assert detail["dataset"] == "deaths" and detail["errors"] == []


def test_hits_masked_unless_permitted_and_audited_when_full(dc, run):
    data = _client(dc.city_data).get(f"{API}/hits?run={run.pk}&rule=R01").json()
    assert data["full_ids"] is False
    assert {h["subject"] for h in data["items"]} >= {mask(P_WUHUA)}
    assert all(h["evidence"]["account_no"].count("*") for h in data["items"])
    assert not AuditLog.objects.filter(action=AuditAction.VIEW_PROTECTED).exists()

    data = _client(dc.identity).get(f"{API}/hits?run={run.pk}&limit=2").json()
    assert data["full_ids"] is True and data["next_cursor"]
    assert P_WUHUA in {h["subject"] for h in data["items"]}
    audit = AuditLog.objects.get(action=AuditAction.VIEW_PROTECTED)
    assert sorted(audit.changes["hits"]) == sorted(h["id"] for h in data["items"])
    more = _client(dc.identity).get(f"{API}/hits?run={run.pk}&after={data['next_cursor']}")
    assert len(more.json()["items"]) == 1


def test_verification_moves(dc, run):
    client = _client(dc.city_data)
    hit = Hit.objects.filter(run=run, period="2024-05").get()
    url = f"{API}/hits/{hit.pk}"

    response = client.post(f"{url}/confirm", {}, content_type="application/json")
    assert response.status_code == 409
    assert "不能执行“确认问题”" in response.json()["detail"]

    response = client.post(
        f"{url}/assign", {"handling_org": dc.world.county.pk}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "assigned"
    assert response.json()["allowed_actions"] == ["assign", "confirm", "exclude"]

    response = client.post(f"{url}/exclude", {"reason": ""}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == {"reason": ["排除疑点须填写理由"]}

    client.post(f"{url}/confirm", {"reason": "属实"}, content_type="application/json")
    response = client.post(f"{url}/convert", {}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    clue = Clue.objects.get()
    assert body["status"] == "converted" and body["clue_id"] == clue.pk
    assert [e["action"] for e in body["events"]] == ["assign", "confirm", "convert"]


def test_start_a_run(dc):
    import_files(dc.city_data, small_files(dc.tmp), "530100")
    client = _client(dc.city_data)
    response = client.post(
        f"{API}/runs",
        {"rules": ["R01"], "params": {"R01": {"grace_months": 1}}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    run = Run.objects.get()
    assert body["id"] == run.pk and body["status"] == TaskStatus.SUCCEEDED
    assert body["region_code"] == "530100"
    assert {v["dataset"] for v in body["dataset_versions"]} == {"payments", "deaths"}
    assert body["results"][0]["hits"] == 1

    response = client.post(f"{API}/runs", {"rules": ["R04"]}, content_type="application/json")
    assert response.status_code == 422
    assert "缺少数据集版本" in response.json()["detail"]
    response = client.post(f"{API}/runs", {"rules": ["R99"]}, content_type="application/json")
    assert response.status_code == 422
    assert (
        _client(dc.users["leader"])
        .post(f"{API}/runs", {}, content_type="application/json")
        .status_code
        == 403
    )
