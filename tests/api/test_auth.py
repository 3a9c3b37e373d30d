"""Who gets in: anonymous requests get 401 everywhere, bearer tokens act as their user
with the same scoping, revoked/expired tokens are refused, sessions are CSRF-checked."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from jiandu.approvals.models import ApprovalRequest
from jiandu.clues.choices import ClueStatus
from jiandu.testing import approve_request

ENDPOINTS = [
    ("get", "/api/v1/core/me"),
    ("get", "/api/v1/core/tasks/1"),
    ("get", "/api/v1/core/audit"),
    ("post", "/api/v1/core/audit/verify"),
    ("get", "/api/v1/orgs/"),
    ("get", "/api/v1/orgs/tree"),
    ("get", "/api/v1/orgs/1"),
    ("post", "/api/v1/orgs/"),
    ("patch", "/api/v1/orgs/1"),
    ("post", "/api/v1/orgs/1/archive"),
    ("put", "/api/v1/orgs/1/supervises"),
    ("get", "/api/v1/people/"),
    ("get", "/api/v1/people/1"),
    ("get", "/api/v1/people/1/id-number"),
    ("post", "/api/v1/people/"),
    ("patch", "/api/v1/people/1"),
    ("post", "/api/v1/people/1/posts"),
    ("post", "/api/v1/people/1/posts/1/end"),
    ("get", "/api/v1/clues/petitions"),
    ("get", "/api/v1/clues/petitions/1"),
    ("post", "/api/v1/clues/petitions"),
    ("get", "/api/v1/clues/petitions/1/reporter"),
    ("post", "/api/v1/clues/petitions/1/convert"),
    ("post", "/api/v1/clues/petitions/1/assign"),
    ("post", "/api/v1/clues/petitions/1/transfer"),
    ("post", "/api/v1/clues/petitions/1/file"),
    ("get", "/api/v1/clues/clues"),
    ("get", "/api/v1/clues/clues/1"),
    ("post", "/api/v1/clues/clues"),
    ("post", "/api/v1/clues/clues/1/actions"),
    ("get", "/api/v1/clues/clues/1/outcomes"),
    ("post", "/api/v1/clues/clues/1/outcomes"),
    ("post", "/api/v1/clues/outcomes/1/archive"),
    ("get", "/api/v1/clues/exposure-batches"),
    ("get", "/api/v1/clues/exposure-batches/1"),
    ("post", "/api/v1/clues/exposure-batches"),
    ("get", "/api/v1/clues/domains"),
    ("get", "/api/v1/clues/statistics/keys"),
    ("get", "/api/v1/clues/statistics"),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_requests_get_401_in_the_error_shape(db, method, url):
    # A real client: CSRF enforced, no session. It must read 401, not a CSRF error.
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(url, {}, content_type="application/json")
    assert response.status_code == 401
    body = response.json()
    assert body["errors"] == {}
    assert "未登录" in body["detail"]


def test_a_token_acts_as_its_user_with_the_same_scoping(bearer, users, county_clue, other_clue):
    client, token = bearer(users["county"])
    response = client.get("/api/v1/clues/clues")
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    assert ids == {county_clue.pk}
    assert client.get(f"/api/v1/clues/clues/{other_clue.pk}").status_code == 404
    assert client.get("/api/v1/core/me").json()["username"] == "county"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_client_can_write_without_a_csrf_token(bearer, users, county_clue):
    client, _ = bearer(users["county"], enforce_csrf_checks=True)
    response = client.post(
        f"/api/v1/clues/clues/{county_clue.pk}/actions",
        {"action": "dispose", "method": "shelved", "on_date": "2020-03-05"},
        content_type="application/json",
    )
    # 呈批: the action is a request; it takes effect once its route approves it.
    assert response.status_code == 202, response.content
    county_clue.refresh_from_db()
    assert county_clue.status == ClueStatus.RECEIVED
    approve_request(ApprovalRequest.objects.get(pk=response.json()["id"]))
    county_clue.refresh_from_db()
    assert county_clue.status == ClueStatus.DISPOSING


@pytest.mark.parametrize(
    "spoil",
    [
        {"revoked_at": timezone.now()},
        {"expires_at": timezone.now() - dt.timedelta(minutes=1)},
    ],
    ids=["revoked", "expired"],
)
def test_a_revoked_or_expired_token_gets_401(bearer, users, spoil):
    client, token = bearer(users["county"])
    assert client.get("/api/v1/core/me").status_code == 200
    for field, value in spoil.items():
        setattr(token, field, value)
    token.save()
    response = client.get("/api/v1/core/me")
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]


def test_a_token_of_a_disabled_user_or_an_unknown_token_gets_401(bearer, users):
    client, _ = bearer(users["county"])
    users["county"].is_active = False
    users["county"].save()
    assert client.get("/api/v1/core/me").status_code == 401
    stranger = Client(HTTP_AUTHORIZATION="Bearer jd_not-a-real-token")
    assert stranger.get("/api/v1/core/me").status_code == 401


def test_a_session_write_without_the_csrf_token_is_refused(users, county_clue):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["county"])
    response = client.post(
        f"/api/v1/clues/clues/{county_clue.pk}/actions",
        {"action": "dispose", "method": "shelved"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    county_clue.refresh_from_db()
    assert county_clue.status == ClueStatus.RECEIVED


def test_the_openapi_schema_and_docs_render_from_local_files(login, users, client):
    assert client.get("/api/v1/openapi.json").status_code == 302  # sign in first
    client = login(users["leader"])
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/clues/clues" in schema["paths"]
    assert "/api/v1/clues/petitions/{petition_id}/reporter" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_a_malformed_body_gets_a_chinese_error(login, users):
    client = login(users["city"])
    response = client.post("/api/v1/clues/clues", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的 JSON", "errors": {}}


def test_an_api_token_client_gets_no_session(bearer, users):
    """Sessions are for browsers: a token client's requests write no session row."""
    client, _ = bearer(users["county"])
    before = Session.objects.count()
    assert client.get("/api/v1/clues/clues").status_code == 200
    assert Session.objects.count() == before
    assert "sessionid" not in client.cookies
