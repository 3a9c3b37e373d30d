"""举报人信息 is protected: without ``clues.view_reporter_identity`` the page holds no
identity and the reveal endpoint refuses; with it, each reveal is audited."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.clues.services import petition_register
from jiandu.core import idnumbers
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog

REPORTER_ID = idnumbers.make("530103", dt.date(1968, 2, 14), 35)


@pytest.fixture
def petition(world, users):
    # Registered by the 信访室 (the identity holder's own org), seen by the city too.
    return petition_register(
        actor=users["petition_officer"],
        received_date=dt.date(2020, 3, 2),
        channel="visit",
        title="反映低保评定优亲厚友",
        content="村干部将亲属纳入低保。",
        is_real_name=True,
        reporter_name="赵举报",
        reporter_phone="13911112222",
        reporter_id_number=REPORTER_ID,
        reporter_address="红云街道幸福小区",
    )


def _identity_in(html):
    return [v for v in ("赵举报", "13911112222", REPORTER_ID, "幸福小区") if v in html]


def test_without_the_permission_nothing_of_the_identity_is_sent(client, users, petition):
    client.force_login(users["city"])
    response = client.get(reverse("clues:petition_detail", args=[petition.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "举报人信息受保护" in html
    assert "查看举报人信息" not in html
    assert _identity_in(html) == []

    reveal = client.post(
        reverse("clues:petition_reporter", args=[petition.pk]), headers={"HX-Request": "true"}
    )
    assert reveal.status_code == 403
    assert _identity_in(reveal.content.decode()) == []
    assert not AuditLog.objects.filter(action=AuditAction.VIEW_PROTECTED).exists()


def test_with_the_permission_the_reveal_shows_it_and_is_audited(client, users, petition):
    officer = users["petition_officer"]
    client.force_login(officer)
    detail = client.get(reverse("clues:petition_detail", args=[petition.pk])).content.decode()
    assert "查看举报人信息" in detail
    assert _identity_in(detail) == []  # only after an explicit, audited reveal

    response = client.post(
        reverse("clues:petition_reporter", args=[petition.pk]),
        headers={"HX-Request": "true", "HX-Target": "reporter-panel"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert len(_identity_in(html)) == 4
    assert "<html" not in html  # the panel partial, not the page
    row = AuditLog.objects.get(action=AuditAction.VIEW_PROTECTED)
    assert (row.actor, row.object_type, row.object_id) == (
        officer,
        "clues.petition",
        str(petition.pk),
    )
    assert REPORTER_ID not in str(row.changes) and "赵举报" not in row.summary


def test_reveal_is_a_post_only_action(client, users, petition):
    client.force_login(users["petition_officer"])
    response = client.get(reverse("clues:petition_reporter", args=[petition.pk]))
    assert response.status_code == 405
    assert not AuditLog.objects.filter(action=AuditAction.VIEW_PROTECTED).exists()
