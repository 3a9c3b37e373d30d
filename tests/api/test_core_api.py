"""/core: the current user, a task's progress (scoped), and the audit log (auditor only)."""

import pytest
from django.db import connection

from jiandu.core import tasks
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction, TaskStatus
from jiandu.core.models import AuditLog


@tasks.register("api-test-count")
def _count_task(task, progress):
    progress(0.5, "统计中")
    return {"rows": task.params["rows"]}


def test_me_names_the_user_org_roles_and_permissions(login, users, world):
    body = login(users["county"]).get("/api/v1/core/me").json()
    assert body["username"] == "county"
    assert body["org"] == {"id": world.county.pk, "name": "五华区纪委监委"}
    assert "线索管理" in body["roles"]
    assert "clues.change_clue" in body["permissions"]
    assert "clues.view_reporter_identity" not in body["permissions"]


def test_a_task_is_visible_within_its_jurisdiction_only(client, users):
    task = tasks.task_submit(actor=users["county"], kind="api-test-count", params={"rows": 7})
    url = f"/api/v1/core/tasks/{task.pk}"
    client.force_login(users["county"])
    body = client.get(url).json()
    assert body["status"] == TaskStatus.SUCCEEDED
    assert body["result"] == {"rows": 7}
    assert body["progress"] == 1.0
    client.force_login(users["city"])  # the county is within the city's jurisdiction
    assert client.get(url).status_code == 200
    client.force_login(users["outsider"])
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "记录不存在", "errors": {}}


@pytest.mark.parametrize("persona", ["city", "sysadmin", "leader"])
def test_the_audit_log_is_refused_to_everyone_but_its_reader(login, users, persona):
    client = login(users[persona])
    response = client.get("/api/v1/core/audit")
    assert response.status_code == 403
    assert "core.view_auditlog" in response.json()["detail"]
    assert client.post("/api/v1/core/audit/verify").status_code == 403


def test_the_auditor_pages_through_the_whole_log_newest_first(login, users):
    client = login(users["auditor"])
    total = AuditLog.objects.count()
    seen, after = [], None
    while True:
        params = {"limit": 7} | ({"after": after} if after else {})
        body = client.get("/api/v1/core/audit", params).json()
        seen += [row["sequence"] for row in body["items"]]
        after = body["next_cursor"]
        if after is None:
            break
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == len(set(seen)) == total > 7


def test_the_audit_log_filters_by_action_and_actor(login, users, world):
    audit_record(
        actor=users["county"], action=AuditAction.EXPORT, obj=world.county, summary="导出线索"
    )
    client = login(users["auditor"])
    rows = client.get("/api/v1/core/audit", {"action": "export", "actor": "county"}).json()
    assert [(r["action"], r["actor_name"], r["summary"]) for r in rows["items"]] == [
        ("export", "county", "导出线索")
    ]
    bad = client.get("/api/v1/core/audit", {"after": "xyz"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"after": ["分页游标无效"]}


def test_verify_reports_a_tampered_row(login, users):
    client = login(users["auditor"])
    assert client.post("/api/v1/core/audit/verify").json()["ok"] is True
    victim = AuditLog.objects.order_by("sequence")[2]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditLog._meta.db_table} SET summary = %s WHERE id = %s",
            ["篡改", victim.pk],
        )
    body = client.post("/api/v1/core/audit/verify").json()
    assert body["ok"] is False
    assert body["first_broken_sequence"] == victim.sequence
    assert "篡改" in body["reason"]
