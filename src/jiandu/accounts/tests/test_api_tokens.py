"""Personal API tokens: shown once, stored as a hash, revocable, private to their user."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jiandu.accounts.models import ApiToken
from jiandu.accounts.services import api_token_create
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog
from jiandu.testing import make_user

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r"jd_[A-Za-z0-9_-]{40,}")


@pytest.fixture
def alice():
    return make_user("alice", None, full_name="王丽")


@pytest.fixture
def bob():
    return make_user("bob", None, full_name="赵强")


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("accounts:api_tokens"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_page_shows_user_in_header_and_logout_form(client, alice):
    client.force_login(alice)
    response = client.get(reverse("accounts:api_tokens"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "王丽" in content
    assert f'method="post" action="{reverse("accounts:logout")}"' in content
    assert "还没有API令牌" in content


def test_create_shows_token_once_and_stores_only_its_hash(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:api_tokens"), {"name": "市局数据交换接口", "validity": "90"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = TOKEN_RE.findall(response.content.decode())
    assert len(set(shown)) == 1
    token_str = shown[0]

    row = ApiToken.objects.get(user=alice)
    assert row.name == "市局数据交换接口"
    assert row.token_hash == ApiToken.hash(token_str)
    assert row.prefix == token_str[:8]
    assert token_str not in (row.token_hash, row.prefix, row.name)
    assert abs(row.expires_at - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(minutes=1)

    audit = AuditLog.objects.get(action=AuditAction.CREATE, object_id=str(row.pk))
    assert audit.actor == alice
    assert token_str not in audit.summary + str(audit.changes)

    # Never again: the list shows the prefix only.
    again = client.get(reverse("accounts:api_tokens")).content.decode()
    assert token_str not in again
    assert row.prefix in again
    assert not TOKEN_RE.search(again)


def test_create_without_expiry(client, alice):
    client.force_login(alice)
    client.post(reverse("accounts:api_tokens"), {"name": "长期接口", "validity": "none"})
    assert ApiToken.objects.get(user=alice).expires_at is None


def test_create_requires_a_name(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:api_tokens"), {"name": "  ", "validity": "90"})
    assert response.status_code == 200
    assert "提交未成功" in response.content.decode()
    assert not ApiToken.objects.exists()
    assert not AuditLog.objects.filter(action=AuditAction.CREATE).exists()


def test_revoke(client, alice):
    token, _token_str = api_token_create(actor=alice, name="脚本")
    client.force_login(alice)
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert response.url == reverse("accounts:api_tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not token.is_active
    assert AuditLog.objects.filter(
        action=AuditAction.UPDATE, object_id=str(token.pk), actor=alice
    ).exists()
    page = client.get(response.url).content.decode()
    assert "已吊销" in page


def test_revoke_twice_keeps_first_time(client, alice):
    token, _token_str = api_token_create(actor=alice, name="脚本")
    client.force_login(alice)
    client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    first = token.revoked_at
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]), follow=True)
    assert "已于" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at == first


def test_revoke_with_htmx_returns_the_table_and_message(client, alice):
    token, _token_str = api_token_create(actor=alice, name="脚本")
    client.force_login(alice)
    response = client.post(
        reverse("accounts:api_token_revoke", args=[token.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="token-table"')
    assert "已吊销" in content
    assert 'hx-swap-oob="true"' in content
    assert "<html" not in content


def test_revoke_requires_post(client, alice):
    token, _token_str = api_token_create(actor=alice, name="脚本")
    client.force_login(alice)
    response = client.get(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_other_users_token_is_404(client, alice, bob):
    token, _token_str = api_token_create(actor=bob, name="赵强的接口")
    client.force_login(alice)
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert "记录不存在或不在您的管辖范围内" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    # Nor is it listed.
    assert "赵强的接口" not in client.get(reverse("accounts:api_tokens")).content.decode()
