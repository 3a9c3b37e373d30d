"""The rectification pages as each side uses them: the supervisor registers and accepts,
the unit's staff sign, plan and report, an outsider finds nothing (404); the list costs
a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiandu.accounts import roles as r
from jiandu.core.deadlines import calendar_import
from jiandu.oversight.choices import RectificationStatus
from jiandu.oversight.models import (
    Interview,
    Problem,
    ProblemCategory,
    ProblemSource,
)
from jiandu.oversight.services import (
    Upload,
    interview_record,
    problem_create,
    rectification_move,
)
from jiandu.testing import make_user

pytestmark = pytest.mark.django_db
# Session, user, permissions, jurisdiction, the filter choices, the page with its joins,
# the calendar once, the banner's years.
MAX_LIST_QUERIES = 16


@pytest.fixture
def loop(world, client):
    today = dt.date.today()
    calendar_import(
        actor=world.users["city"],
        rows=[[f"{today.year}-10-01", "休"], [f"{today.year + 1}-01-01", "休"]],
    )
    staff = make_user("caizheng", world.unit_a, r.ROLE_RECTIFICATION)
    return world, world.users["group"], staff


def login(client, user):
    client.force_login(user)
    return client


def register(world, supervisor, **extra):
    return problem_create(
        actor=supervisor,
        org=world.unit_a,
        description="惠民资金发放台账不全",
        category=ProblemCategory.objects.get(name="惠民资金管理"),
        source=ProblemSource.objects.get(key="supervision"),
        found_on=dt.date.today() - dt.timedelta(days=40),
        supervising_org=world.group1,
        **extra,
    )


def test_supervisor_registers_a_problem_on_the_page(loop, client):
    world, supervisor, _staff = loop
    login(client, supervisor)
    page = client.get(reverse("oversight:problem_create"))
    assert page.status_code == 200
    # Only orgs of the jurisdiction are offered.
    assert "市财政局" in page.content.decode() and "盘龙区纪委监委" not in page.content.decode()
    response = client.post(
        reverse("oversight:problem_create"),
        {
            "org": world.unit_a.pk,
            "description": "公务接待超标准",
            "source": ProblemSource.objects.get(key="supervision").pk,
            "category": ProblemCategory.objects.get(name="财务管理").pk,
            "found_on": dt.date.today().isoformat(),
            "supervising_org": world.group1.pk,
            "evidence": SimpleUploadedFile("接待清单.pdf", b"%PDF-1"),
        },
    )
    problem = Problem.objects.get(description="公务接待超标准")
    assert response.status_code == 302
    assert response["Location"] == reverse("oversight:problem_detail", args=[problem.pk])
    assert problem.found_by == supervisor and problem.attachments.count() == 1


def test_registration_of_a_unit_outside_the_jurisdiction_is_refused(loop, client):
    world, supervisor, _staff = loop
    login(client, supervisor)
    response = client.post(
        reverse("oversight:problem_create"),
        {
            "org": world.other_county.pk,
            "description": "越权登记",
            "source": ProblemSource.objects.get(key="supervision").pk,
            "category": ProblemCategory.objects.get(name="财务管理").pk,
            "found_on": dt.date.today().isoformat(),
            "supervising_org": world.group1.pk,
        },
    )
    assert response.status_code == 422
    assert not Problem.objects.filter(description="越权登记").exists()


def test_immediate_rectification_needs_evidence_and_closes_at_once(loop, client):
    world, supervisor, _staff = loop
    login(client, supervisor)
    data = {
        "org": world.unit_a.pk,
        "description": "办公用房超标",
        "source": ProblemSource.objects.get(key="supervision").pk,
        "category": ProblemCategory.objects.get(name="财务管理").pk,
        "found_on": dt.date.today().isoformat(),
        "supervising_org": world.group1.pk,
        "immediate": "on",
        "immediate_reason": "当场腾退",
    }
    refused = client.post(reverse("oversight:problem_create"), data)
    assert refused.status_code == 422 and "立行立改须上传整改证据" in refused.content.decode()
    data["evidence"] = SimpleUploadedFile("腾退照片.jpg", b"jpg")
    client.post(reverse("oversight:problem_create"), data)
    rect = Problem.objects.get(description="办公用房超标").rectification
    assert rect.status == RectificationStatus.CLOSED and rect.immediate


def test_the_unit_signs_plans_and_reports_the_supervisor_rejects_then_accepts(loop, client):
    world, supervisor, staff = loop
    problem = register(world, supervisor)
    detail = reverse("oversight:problem_detail", args=[problem.pk])
    move = reverse("oversight:problem_move", args=[problem.pk])

    login(client, staff)
    page = client.get(detail).content.decode()
    assert 'data-action="sign"' in page and 'data-action="accept"' not in page
    assert client.post(move, {"action": "sign"}).status_code == 302
    assert client.post(move, {"action": "plan", "text": "逐户核对"}).status_code == 302
    report = SimpleUploadedFile("整改报告.pdf", b"%PDF-report")
    assert (
        client.post(move, {"action": "submit", "text": "已补齐", "attachments": report}).status_code
        == 302
    )
    # The unit cannot accept its own report.
    refused = client.post(move, {"action": "accept"})
    assert refused.status_code == 422 and "应由监督单位办理" in refused.content.decode()

    login(client, supervisor)
    page = client.get(detail).content.decode()
    assert 'data-action="accept"' in page and 'data-action="reject"' in page
    no_reason = client.post(move, {"action": "reject"})
    assert no_reason.status_code == 422 and "须填写理由" in no_reason.content.decode()
    assert client.post(move, {"action": "reject", "reason": "缺少签字"}).status_code == 302
    login(client, staff)
    client.post(move, {"action": "submit", "text": "已补签字"})
    login(client, supervisor)
    assert client.post(move, {"action": "accept"}).status_code == 302
    problem.rectification.refresh_from_db()
    assert problem.rectification.status == RectificationStatus.CLOSED
    assert problem.rectification.rejection_count == 1
    page = client.get(detail).content.decode()
    assert "验收不通过" in page and "缺少签字" in page and "整改报告.pdf" in page


def test_extension_with_a_new_date_and_reason(loop, client):
    world, supervisor, _staff = loop
    problem = register(world, supervisor)
    old_due = problem.rectification.due_on
    login(client, supervisor)
    new_due = old_due + dt.timedelta(days=20)
    response = client.post(
        reverse("oversight:problem_move", args=[problem.pk]),
        {"action": "extend", "new_due": new_due.isoformat(), "reason": "涉及跨部门协调"},
    )
    assert response.status_code == 302
    problem.rectification.refresh_from_db()
    assert problem.rectification.due_on == new_due


def test_outsider_and_other_units_get_404(loop, client):
    world, supervisor, _staff = loop
    problem = register(world, supervisor)
    attachment_problem = register(world, supervisor, evidence=[Upload("a.pdf", b"x")])
    other_staff = make_user("minzheng", world.unit_b, r.ROLE_RECTIFICATION)
    for user in (world.users["outsider"], other_staff):
        login(client, user)
        assert client.get(reverse("oversight:problem_detail", args=[problem.pk])).status_code == 404
        assert (
            client.post(
                reverse("oversight:problem_move", args=[problem.pk]), {"action": "sign"}
            ).status_code
            == 404
        )
        attachment = attachment_problem.attachments.get()
        url = reverse("oversight:attachment_download", args=[attachment.pk])
        assert client.get(url).status_code == 404
        listing = client.get(reverse("oversight:problem_list")).content.decode()
        assert problem.number not in listing


def test_list_shows_working_days_left_and_filters_overdue(loop, client):
    world, supervisor, staff = loop
    overdue = register(world, supervisor)
    fresh = problem_create(
        actor=supervisor,
        org=world.unit_a,
        description="新近发现",
        category=ProblemCategory.objects.get(name="其他"),
        source=ProblemSource.objects.get(key="inspection"),
        found_on=dt.date.today(),
        supervising_org=world.group1,
    )
    login(client, staff)
    page = client.get(reverse("oversight:problem_list")).content.decode()
    assert "个工作日" in page and "已超期" in page
    only_overdue = client.get(reverse("oversight:problem_list"), {"overdue": "on"}).content.decode()
    assert overdue.number in only_overdue and fresh.number not in only_overdue
    by_source = client.get(
        reverse("oversight:problem_list"),
        {"source": ProblemSource.objects.get(key="inspection").pk},
    ).content.decode()
    assert fresh.number in by_source and overdue.number not in by_source


def test_problem_list_query_budget(loop, client):
    world, supervisor, _staff = loop
    for _ in range(3):
        register(world, supervisor)
    login(client, supervisor)
    url = reverse("oversight:problem_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(12):
        register(world, supervisor)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) <= MAX_LIST_QUERIES


def test_counts_per_source_and_unit_drill_to_items(loop, client):
    world, supervisor, _staff = loop
    register(world, supervisor)
    register(world, supervisor)
    login(client, supervisor)
    page = client.get(reverse("oversight:problem_counts")).content.decode()
    source = ProblemSource.objects.get(key="supervision")
    assert f"?source={source.pk}&amp;stage=pending" in page
    assert f"?org={world.unit_a.pk}&amp;stage=pending" in page
    drilled = client.get(
        reverse("oversight:problem_list"), {"org": world.unit_a.pk, "stage": "pending"}
    ).content.decode()
    assert drilled.count("惠民资金发放台账不全") == 2


def test_interview_recorded_by_the_supervisor_only(loop, client):
    world, supervisor, staff = loop
    problem = register(world, supervisor)
    url = reverse("oversight:interview_create", args=[problem.pk])
    data = {
        "kind": "admonition_talk",
        "held_on": dt.date.today().isoformat(),
        "leader": "张某（市纪委常委）",
        "participants": "市财政局局长、分管副局长",
        "minutes": "指出问题，提出整改要求",
    }
    login(client, staff)
    assert client.post(url, data).status_code == 403
    login(client, supervisor)
    assert client.post(url, data).status_code == 302
    interview = Interview.objects.get()
    assert interview.org == world.unit_a and interview.problem == problem
    assert (
        "约谈"
        in client.get(reverse("oversight:problem_detail", args=[problem.pk])).content.decode()
    )
    login(client, world.users["outsider"])
    assert client.get(reverse("oversight:interview_detail", args=[interview.pk])).status_code == 404


def test_follow_up_recorded_on_the_page(loop, client):
    world, supervisor, _staff = loop
    problem = register(world, supervisor)
    rectification_move(
        actor=supervisor,
        rectification=problem.rectification,
        action="immediate",
        reason="当场整改",
        files=[Upload("证据.jpg", b"jpg")],
    )
    follow_up = problem.follow_ups.get()
    login(client, supervisor)
    assert (
        problem.number
        in client.get(reverse("oversight:follow_up_list"), {"status": "all"}).content.decode()
    )
    response = client.post(
        reverse("oversight:follow_up_record", args=[follow_up.pk]),
        {"recurred": "1", "checked_on": dt.date.today().isoformat(), "note": "台账又缺"},
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.recurrence.recurrence_of == problem


def test_banner_when_the_next_years_holidays_are_missing(world, client):
    login(client, world.users["group"])
    page = client.get(reverse("oversight:problem_list")).content.decode()
    assert 'id="calendar-banner"' in page
    year = dt.date.today().year
    calendar_import(
        actor=world.users["city"], rows=[[f"{year}-10-01", "休"], [f"{year + 1}-01-01", "休"]]
    )
    page = client.get(reverse("oversight:problem_list")).content.decode()
    assert 'id="calendar-banner"' not in page


def test_the_unit_role_sees_but_does_not_register(loop, client):
    _world, _supervisor, staff = loop
    login(client, staff)
    assert client.get(reverse("oversight:problem_list")).status_code == 200
    assert client.get(reverse("oversight:problem_create")).status_code == 403


def test_interview_without_a_problem_stays_in_the_jurisdiction(loop):
    world, supervisor, _staff = loop
    args = {
        "actor": supervisor,
        "kind": "reminder_talk",
        "held_on": dt.date.today(),
        "leader": "李某",
        "participants": "单位负责人",
        "minutes": "提醒",
    }
    assert interview_record(org=world.unit_b, **args).problem is None
    with pytest.raises(ValidationError):
        interview_record(org=world.other_county, **args)
