"""The 校验哈希链 button: reports an intact chain, and the first tampered row."""

from django.db import connection
from django.urls import reverse

from jiandu.core.audit import audit_record, audit_seal
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog


def test_intact_chain_is_reported_ok(client, world):
    client.force_login(world.users["auditor"])
    response = client.post(
        reverse("core:audit_verify"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="verify-result"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "哈希链完整" in html
    assert f"已校验 {AuditLog.objects.count()} 条" in html
    assert "<html" not in html


def test_tampered_row_is_named_with_the_reason(client, world):
    row = audit_record(actor=world.users["city"], action=AuditAction.EXPORT, summary="导出名单")
    audit_record(actor=world.users["city"], action=AuditAction.EXPORT, summary="之后的记录")
    audit_seal()  # the test's transaction never commits: seal as a commit would
    row.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditLog._meta.db_table} SET summary = %s WHERE id = %s",
            ["什么也没导出", row.pk],
        )
    client.force_login(world.users["auditor"])
    response = client.post(reverse("core:audit_verify"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"第 {row.sequence} 条记录异常" in html
    assert "记录内容与其哈希不符" in html


def test_only_the_auditor_may_verify(client, world):
    client.force_login(world.users["city"])
    assert client.post(reverse("core:audit_verify")).status_code == 403
    client.force_login(world.users["auditor"])
    assert client.get(reverse("core:audit_verify")).status_code == 405
