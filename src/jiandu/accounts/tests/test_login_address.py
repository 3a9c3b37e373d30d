"""The client address (audit rows, lock-out) comes from proxy headers only as far as the
deployment trusts proxies; the lock-out is per account and address, and failures while
locked out do not prolong it."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog
from jiandu.testing import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return make_user("alice", None, full_name="王丽")


def _login(client, password, *, forwarded="", real_ip=""):
    headers = {"REMOTE_ADDR": "127.0.0.1"}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    if real_ip:
        headers["HTTP_X_REAL_IP"] = real_ip
    return client.post(
        reverse("accounts:login"), {"username": "alice", "password": password}, **headers
    )


def test_forwarding_headers_are_ignored_without_trusted_proxies(client, alice):
    assert settings.TRUSTED_PROXIES == 0
    _login(client, TEST_PASSWORD, forwarded="10.1.1.1", real_ip="10.9.9.9")
    row = AuditLog.objects.get(action=AuditAction.LOGIN)
    assert row.ip_address == "127.0.0.1"


def test_behind_one_trusted_proxy_the_address_it_saw_is_used(client, alice, settings):
    settings.TRUSTED_PROXIES = 1
    # The client forged a first entry; the proxy appended the address it really saw.
    _login(client, TEST_PASSWORD, forwarded="6.6.6.6, 10.0.0.5", real_ip="6.6.6.6")
    row = AuditLog.objects.get(action=AuditAction.LOGIN)
    assert row.ip_address == "10.0.0.5"


def test_a_stranger_cannot_lock_the_account_for_everyone(client, alice, settings):
    settings.TRUSTED_PROXIES = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "not-the-password", forwarded="10.0.0.66")
    assert _login(client, TEST_PASSWORD, forwarded="10.0.0.66").status_code == 429
    # Alice, from her own address behind the same proxy, still signs in.
    assert _login(client, TEST_PASSWORD, forwarded="10.0.0.5").status_code == 302


def test_failures_during_lockout_do_not_extend_it(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "not-the-password")
    assert _login(client, TEST_PASSWORD).status_code == 429
    cool_off = dt.timedelta(hours=settings.AXES_COOLOFF_TIME)

    def age_attempts(by):
        for attempt in AccessAttempt.objects.all():
            AccessAttempt.objects.filter(pk=attempt.pk).update(
                attempt_time=attempt.attempt_time - by
            )

    age_attempts(cool_off - dt.timedelta(minutes=1))
    # Someone keeps trying during the last minute of the lock-out ...
    assert _login(client, "not-the-password").status_code == 429
    age_attempts(dt.timedelta(minutes=2))
    # ... and the lock-out still ends when it was due.
    assert _login(client, TEST_PASSWORD).status_code == 302
