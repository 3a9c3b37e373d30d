"""problems_create_many writes the same rows as problem_create called once per problem:
problems, rectifications (due under the deadline table on the calendar), audit rows and
the unit's inbox messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from jiandu.core.deadlines import calendar_import
from jiandu.core.models import AuditLog
from jiandu.inbox.models import Message
from jiandu.oversight.models import Problem, ProblemCategory, ProblemSource, Rectification
from jiandu.oversight.services import ProblemSpec, problem_create, problems_create_many
from jiandu.testing import make_user

pytestmark = pytest.mark.django_db


def _specs(world):
    category = ProblemCategory.objects.get(name="惠民资金管理")
    source = ProblemSource.objects.get(key="supervision")
    return [
        ProblemSpec(org=world.unit_a, description=" 台账不全 ", category=category,
                    source=source, found_on=dt.date(2026, 9, 1), supervising_org=world.group1),
        ProblemSpec(org=world.unit_a, description="公示缺失", category=category, source=source,
                    found_on=dt.date(2026, 9, 8), supervising_org=world.group1,
                    found_by_org=world.group1, origin=("boards.boardwarning", 7)),
    ]  # fmt: skip


def _rows(problems, actor):
    out = []
    for problem in problems:
        problem = Problem.objects.get(pk=problem.pk)
        rect = Rectification.objects.get(problem=problem)
        audit = AuditLog.objects.get(object_type="oversight.problem", object_id=str(problem.pk))
        messages = Message.objects.filter(record_type="oversight.problem", record_id=problem.pk)
        pk = str(problem.pk)
        out.append(
            {
                "problem": (problem.org_id, problem.description, problem.category_id,
                            problem.source_id, problem.found_on, problem.found_by_id,
                            problem.found_by_org_id, problem.supervising_org_id,
                            problem.origin_type, problem.origin_id,
                            problem.number == f"WT{problem.found_on:%Y}{problem.pk:07d}"),
                "rectification": (rect.status, rect.due_on, rect.deadline_rule_id,
                                  rect.events.count()),
                "audit": (audit.action, audit.actor_id,
                          audit.summary.replace(problem.number, "N"),
                          audit.object_repr.replace(problem.number, "N"),
                          {**audit.changes}),
                "messages": sorted(
                    (m.recipient_id, m.kind, m.title.replace(problem.number, "N"),
                     m.body, m.link.replace(pk, "ID"))
                    for m in messages
                ),
            }
        )  # fmt: skip
    return out


def test_bulk_writes_what_one_by_one_writes(world):
    calendar_import(actor=world.users["city"], rows=[["2026-10-01", "休"], ["2026-10-02", "休"]])
    actor = world.users["group"]
    for name in ("caizheng", "caizheng2"):
        staff = make_user(name, world.unit_a)
        staff.user_permissions.add(Permission.objects.get(codename="rectify_problem"))
    specs = _specs(world)
    one_by_one = [
        problem_create(
            actor=actor, org=s.org, description=s.description, category=s.category,
            source=s.source, found_on=s.found_on, supervising_org=s.supervising_org,
            found_by_org=s.found_by_org, origin=s.origin,
        )
        for s in specs
    ]  # fmt: skip
    bulk = problems_create_many(actor=actor, specs=specs)
    assert [p.rectification.pk for p in bulk] == [
        Rectification.objects.get(problem=p).pk for p in bulk
    ]
    expected, got = _rows(one_by_one, actor), _rows(bulk, actor)
    assert got == expected
    assert all(len(row["messages"]) == 2 for row in got)  # both 整改落实 staff told
    assert got[0]["rectification"][1] == dt.date(2026, 10, 5)  # 30 days, 10-01..04 skipped
    assert problems_create_many(actor=actor, specs=[]) == []
