"""A signed-in session slides its expiry forward, but is written at most once per
refresh interval rather than on every request."""

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiandu.core import middleware


def _session_writes(client, url="/"):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"]
            and not q["sql"].lstrip().upper().startswith("SELECT")]  # fmt: skip


def test_the_session_is_renewed_once_per_interval(client, users, monkeypatch, settings):
    clock = [1_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: clock[0])
    client.force_login(users["city"])
    assert _session_writes(client)  # first request after login: renewed
    key = client.session.session_key
    first_expiry = Session.objects.get(session_key=key).expire_date

    clock[0] += settings.SESSION_REFRESH_SECONDS - 1
    assert _session_writes(client) == []  # within the interval: no write

    clock[0] += 1
    assert _session_writes(client)  # interval over: renewed, expiry moved forward
    assert Session.objects.get(session_key=key).expire_date >= first_expiry


def test_an_anonymous_request_writes_no_session(client, db):
    with CaptureQueriesContext(connection) as ctx:
        client.get("/accounts/login/")
    assert not [q for q in ctx.captured_queries if "django_session" in q["sql"]]
