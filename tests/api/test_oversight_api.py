"""/api/v1/oversight/: problems, rectification moves, 回头看, the calendar and the deadline
table, per side (unit staff, supervisor, outsider 404), errors in the shared shape."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiandu.accounts import roles
from jiandu.core.deadlines import deadline_rule_set
from jiandu.core.models import CalendarDay
from jiandu.oversight.models import ProblemCategory, ProblemSource
from jiandu.oversight.services import problem_create
from jiandu.testing import make_user

pytestmark = pytest.mark.django_db
BASE = "/api/v1/oversight"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.fixture
def staff(world):
    return make_user("caizheng", world.unit_a, roles.ROLE_RECTIFICATION)


def register(world, found_on=None):
    return problem_create(
        actor=world.users["group"],
        org=world.unit_a,
        description="惠民资金发放台账不全",
        category=ProblemCategory.objects.get(name="惠民资金管理"),
        source=ProblemSource.objects.get(key="supervision"),
        found_on=found_on or dt.date.today() - dt.timedelta(days=3),
        supervising_org=world.group1,
    )


def test_supervisor_creates_and_unit_walks_the_loop(world, login, staff):
    client = login(world.users["group"])
    created = client.post(
        f"{BASE}/problems",
        {
            "org": world.unit_a.pk,
            "description": "公务用车私用",
            "source": "supervision",
            "category": ProblemCategory.objects.get(name="作风建设（四风）").pk,
            "found_on": dt.date.today().isoformat(),
            "supervising_org": world.group1.pk,
            "evidence": [{"name": "照片.jpg", "data_base64": b64(b"jpg")}],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    pk = body["id"]
    assert body["status"] == "pending"
    assert [a["action"] for a in body["actions"]] == ["immediate", "extend"]
    assert body["workdays_left"] > 0 and len(body["attachments"]) == 1

    unit = login(staff)
    moves = f"{BASE}/problems/{pk}/moves"
    detail = unit.get(f"{BASE}/problems/{pk}").json()
    assert [a["action"] for a in detail["actions"]] == ["sign", "plan"]
    assert unit.post(moves, {"action": "sign"}, content_type="application/json").status_code == 200
    unit.post(moves, {"action": "plan", "text": "整改方案"}, content_type="application/json")
    report = unit.post(
        moves,
        {
            "action": "submit",
            "text": "已整改",
            "files": [{"name": "报告.pdf", "data_base64": b64(b"%PDF")}],
        },
        content_type="application/json",
    )
    assert report.json()["status"] == "submitted"
    refused = unit.post(moves, {"action": "accept"}, content_type="application/json")
    assert refused.status_code == 409 and "监督单位" in refused.json()["detail"]

    supervisor = login(world.users["group"])
    no_reason = supervisor.post(moves, {"action": "reject"}, content_type="application/json")
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["errors"]
    accepted = supervisor.post(moves, {"action": "accept"}, content_type="application/json")
    assert accepted.json()["status"] == "closed"
    assert [e["action"] for e in accepted.json()["events"]] == [
        "sign",
        "plan",
        "submit",
        "accept",
    ]
    assert len(accepted.json()["follow_ups"]) == 1


def test_outsider_gets_404_everywhere(world, login):
    problem = register(world)
    client = login(world.users["outsider"])
    assert client.get(f"{BASE}/problems/{problem.pk}").status_code == 404
    moved = client.post(
        f"{BASE}/problems/{problem.pk}/moves", {"action": "sign"}, content_type="application/json"
    )
    assert moved.status_code == 404 and moved.json()["detail"]
    assert client.get(f"{BASE}/problems").json()["items"] == []


def test_create_outside_jurisdiction_is_422_naming_the_field(world, login):
    client = login(world.users["group"])
    response = client.post(
        f"{BASE}/problems",
        {
            "org": world.other_county.pk,
            "description": "越权",
            "source": "supervision",
            "category": ProblemCategory.objects.get(name="其他").pk,
            "found_on": dt.date.today().isoformat(),
            "supervising_org": world.group1.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422 and "org" in response.json()["errors"]


def test_unit_staff_cannot_create(world, login, staff):
    response = login(staff).post(f"{BASE}/problems", {}, content_type="application/json")
    assert response.status_code in (403, 422)
    assert login(staff).get(f"{BASE}/problems").status_code == 200


def test_list_filters_and_query_budget(world, login, staff):
    old = register(world, found_on=dt.date.today() - dt.timedelta(days=90))
    register(world)
    client = login(staff)
    overdue = client.get(f"{BASE}/problems", {"overdue": "true"}).json()["items"]
    assert [p["id"] for p in overdue] == [old.pk] and overdue[0]["workdays_left"] < 0
    assert client.get(f"{BASE}/problems", {"stage": "bogus"}).status_code == 422
    client.get(f"{BASE}/problems")
    with CaptureQueriesContext(connection) as few:
        client.get(f"{BASE}/problems")
    for _ in range(8):
        register(world)
    with CaptureQueriesContext(connection) as many:
        page = client.get(f"{BASE}/problems", {"limit": 5})
    assert len(many) == len(few)
    assert page.json()["next_cursor"]


def test_calendar_read_and_import_for_the_editor(world, login):
    sysadmin = make_user("calendar-admin", world.city, roles.ROLE_SYSTEM_ADMIN)
    reader = login(world.users["group"])
    denied = reader.post(
        f"{BASE}/calendar/import",
        {"rows": [["2027-01-01", "休"]]},
        content_type="application/json",
    )
    assert denied.status_code == 403
    editor = login(sysadmin)
    bad = editor.post(
        f"{BASE}/calendar/import",
        {
            "file": {
                "name": "2027.csv",
                "data_base64": b64("date,kind\n2027-01-01,休\n2027-02-30,休\n".encode()),
            }
        },
        content_type="application/json",
    )
    assert bad.status_code == 422 and "第3行" in bad.json()["detail"]
    assert not CalendarDay.objects.exists()
    good = editor.post(
        f"{BASE}/calendar/import",
        {
            "file": {
                "name": "2027.csv",
                "data_base64": b64("date,kind\n2027-01-01,休\n2027-02-07,班\n".encode()),
            }
        },
        content_type="application/json",
    )
    assert good.json() == {"years": [2027], "rest_days": 1, "work_days": 1, "replaced": 0}
    read = reader.get(f"{BASE}/calendar", {"year": 2027}).json()
    assert [d["kind"] for d in read["days"]] == ["休", "班"] and read["loaded_years"] == [2027]
    out_of_range = reader.get(f"{BASE}/calendar", {"year": 343898})
    assert out_of_range.status_code == 422 and "year" in out_of_range.json()["errors"]


def test_deadline_rules_read_with_history(world, login):
    deadline_rule_set(
        actor=world.users["city"],
        step="oversight.rectification",
        period_kind="workdays",
        length=20,
        reason="按新规定",
    )
    client = login(world.users["group"])
    in_force = {r["step"]: r for r in client.get(f"{BASE}/deadline-rules").json()}
    assert in_force["oversight.rectification"]["describe"] == "20个工作日"
    assert in_force["clues.talk_inquiry"]["length"] == 30
    history = client.get(f"{BASE}/deadline-rules", {"history": "true"}).json()
    old = [r for r in history if r["step"] == "oversight.rectification" and r["until"]]
    assert old and old[0]["change_reason"] == "按新规定"
