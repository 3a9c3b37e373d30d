"""Login, failed login, lockout (django-axes) and logout."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog
from jiandu.testing import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return make_user("alice", None, full_name="王丽")


def _login(client, username, password, **extra):
    data = {"username": username, "password": password, **extra}
    return client.post(reverse("accounts:login"), data)


def test_login_page_renders(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "用户登录" in content
    assert 'name="password"' in content
    assert f"连续输错密码{settings.AXES_FAILURE_LIMIT}次" in content


def test_login_ok_redirects_to_default_page(client, alice):
    response = _login(client, "alice", TEST_PASSWORD)
    assert response.status_code == 302
    assert response.url == resolve_url(settings.LOGIN_REDIRECT_URL)
    assert int(client.session["_auth_user_id"]) == alice.pk
    assert AuditLog.objects.filter(actor=alice, action=AuditAction.LOGIN).count() == 1


def test_login_ok_follows_safe_next(client, alice):
    target = reverse("accounts:api_tokens")
    response = _login(client, "alice", TEST_PASSWORD, next=target)
    assert response.status_code == 302
    assert response.url == target


def test_login_ignores_next_to_another_site(client, alice):
    response = _login(client, "alice", TEST_PASSWORD, next="https://example.org/phish")
    assert response.status_code == 302
    assert "example.org" not in response.url


def test_wrong_password_shows_error_and_attempts_left(client, alice):
    response = _login(client, "alice", "not-the-password")
    assert response.status_code == 200
    content = response.content.decode()
    assert "用户名或密码不正确" in content
    assert f"再连续失败 <strong>{settings.AXES_FAILURE_LIMIT - 1}</strong> 次" in content
    assert "_auth_user_id" not in client.session
    failed = AuditLog.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.changes == {"username": "alice"}


def test_lockout_after_failure_limit(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "alice", "not-the-password").status_code == 200
    response = _login(client, "alice", "not-the-password")
    assert response.status_code == 429
    assert "登录失败次数过多，账号已临时锁定" in response.content.decode()
    # While locked, even the right password is refused.
    response = _login(client, "alice", TEST_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(client, alice):
    client.force_login(alice)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert int(client.session["_auth_user_id"]) == alice.pk


def test_logout_post_logs_out_and_audits(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == resolve_url(settings.LOGOUT_REDIRECT_URL)
    assert "_auth_user_id" not in client.session
    row = AuditLog.objects.get(action=AuditAction.LOGOUT)
    assert row.actor == alice
    # The login page then confirms it.
    assert "您已安全退出系统" in client.get(response.url).content.decode()


def test_password_change_is_audited_and_keeps_session(client, alice):
    client.force_login(alice)
    new_password = "Changed-Passw0rd-2025"
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    alice.refresh_from_db()
    assert alice.check_password(new_password)
    assert AuditLog.objects.filter(
        actor=alice, action=AuditAction.UPDATE, summary="修改登录密码"
    ).exists()
    assert client.get(reverse("accounts:password_change_done")).status_code == 200


def test_password_change_rejects_weak_password(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "abc", "new_password2": "abc"},
    )
    assert response.status_code == 200
    assert "提交未成功" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(TEST_PASSWORD)
