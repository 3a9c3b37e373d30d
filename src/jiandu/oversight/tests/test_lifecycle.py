"""The rectification loop's core: every legal move by the side allowed to make it, every
illegal one refused with its name, deadlines from the deadline table on the calendar,
立行立改 with evidence, extensions, 回头看 and recurrence, and scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.http import Http404

from jiandu.core.deadlines import calendar_import
from jiandu.oversight.choices import FollowUpStatus, RectificationAction, RectificationStatus
from jiandu.oversight.lifecycle import TRANSITIONS, TransitionError
from jiandu.oversight.models import FollowUp, ProblemCategory, ProblemSource, Rectification
from jiandu.oversight.selectors import problem_get, problem_list, problem_status_counts
from jiandu.oversight.services import Upload, follow_up_record, problem_create, rectification_move
from jiandu.testing import make_user

pytestmark = pytest.mark.django_db
A = RectificationAction
S = RectificationStatus
FOUND = dt.date(2026, 9, 1)


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    for attr in ("_perm_cache", "_user_perm_cache"):
        if hasattr(user, attr):
            delattr(user, attr)
    return user


@pytest.fixture
def people(world):
    calendar_import(
        actor=world.users["city"],
        rows=[["2026-10-01", "休"], ["2026-10-02", "休"], ["2026-10-05", "休"]],
    )
    supervisor = grant(world.users["group"], "accept_rectification")
    staff = grant(make_user("caizheng", world.unit_a), "rectify_problem", "view_problem")
    return world, supervisor, staff


def new_problem(world, supervisor, **extra):
    return problem_create(
        actor=supervisor,
        org=world.unit_a,
        description="惠民资金发放台账不全",
        category=ProblemCategory.objects.get(name="惠民资金管理"),
        source=ProblemSource.objects.get(key="supervision"),
        found_on=FOUND,
        supervising_org=world.group1,
        **extra,
    )


def test_due_date_from_the_table_on_the_calendar(people):
    world, supervisor, _staff = people
    problem = new_problem(world, supervisor)
    rect = problem.rectification
    # 30 days from 09-01 is 10-01, a holiday; 10-02 too; 10-03/04 weekend; 10-05 holiday
    assert rect.due_on == dt.date(2026, 10, 6)
    assert rect.deadline_rule.step == "oversight.rectification"
    assert problem.number == f"WT2026{problem.pk:07d}"


def test_the_whole_loop_as_the_two_sides(people):
    world, supervisor, staff = people
    rect = new_problem(world, supervisor).rectification
    rectification_move(actor=staff, rectification=rect, action=A.SIGN)
    rectification_move(actor=staff, rectification=rect, action=A.PLAN, text="补齐台账，逐户核对")
    rectification_move(
        actor=staff,
        rectification=rect,
        action=A.SUBMIT,
        text="已补齐",
        files=[Upload("台账.pdf", b"%PDF-1")],
    )
    with pytest.raises(ValidationError):
        rectification_move(actor=supervisor, rectification=rect, action=A.REJECT)
    rectification_move(actor=supervisor, rectification=rect, action=A.REJECT, reason="缺少签字")
    rectification_move(actor=staff, rectification=rect, action=A.SUBMIT, text="已补签字")
    rectification_move(
        actor=supervisor, rectification=rect, action=A.ACCEPT, on_date=dt.date(2026, 10, 20)
    )
    rect.refresh_from_db()
    assert rect.status == S.CLOSED and rect.rejection_count == 1
    assert rect.closed_on == dt.date(2026, 10, 20) and rect.signed_by == staff
    assert [e.action for e in rect.events.all()] == [
        A.SIGN,
        A.PLAN,
        A.SUBMIT,
        A.REJECT,
        A.SUBMIT,
        A.ACCEPT,
    ]
    follow_up = FollowUp.objects.get(problem=rect.problem)
    assert follow_up.due_on == dt.date(2027, 4, 20)


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(A))
def test_every_move_legal_or_refused(people, status, action):
    world, supervisor, staff = people
    rect = new_problem(world, supervisor).rectification
    Rectification.objects.filter(pk=rect.pk).update(status=status)
    rect.refresh_from_db()
    legal = (status, action) in TRANSITIONS
    kwargs = {
        "reason": "理由",
        "text": "内容",
        "new_due": rect.due_on + dt.timedelta(days=10),
        "files": [Upload("证据.jpg", b"jpg")],
    }
    if not legal:
        for actor in (staff, supervisor):
            with pytest.raises(TransitionError):
                rectification_move(actor=actor, rectification=rect, action=action, **kwargs)
        return
    new_status, side = TRANSITIONS[(status, action)]
    wrong, right = (supervisor, staff) if side.value == "unit" else (staff, supervisor)
    with pytest.raises(TransitionError, match="应由"):
        rectification_move(actor=wrong, rectification=rect, action=action, **kwargs)
    rectification_move(actor=right, rectification=rect, action=action, **kwargs)
    rect.refresh_from_db()
    assert rect.status == new_status


def test_immediate_needs_evidence_and_closes_at_once(people):
    world, supervisor, _staff = people
    with pytest.raises(ValidationError):
        new_problem(world, supervisor, immediate_reason="现场责令整改")
    problem = new_problem(
        world, supervisor, immediate_reason="现场责令整改", evidence=[Upload("现场.jpg", b"jpg")]
    )
    rect = problem.rectification
    assert rect.status == S.CLOSED and rect.immediate and rect.closed_on == FOUND


def test_extension_moves_the_due_date_with_reason_and_approver(people):
    world, supervisor, _staff = people
    rect = new_problem(world, supervisor).rectification
    with pytest.raises(ValidationError):
        rectification_move(
            actor=supervisor,
            rectification=rect,
            action=A.EXTEND,
            reason="涉及外单位",
            new_due=rect.due_on,
        )
    rectification_move(
        actor=supervisor,
        rectification=rect,
        action=A.EXTEND,
        reason="涉及外单位",
        new_due=dt.date(2026, 11, 6),
    )
    rect.refresh_from_db()
    event = rect.events.get(action=A.EXTEND)
    assert rect.due_on == dt.date(2026, 11, 6)
    assert (event.due_before, event.due_after, event.approved_by) == (
        dt.date(2026, 10, 6),
        dt.date(2026, 11, 6),
        supervisor,
    )


def test_follow_up_recurrence_opens_a_linked_problem(people):
    world, supervisor, _staff = people
    problem = new_problem(
        world, supervisor, immediate_reason="当场整改", evidence=[Upload("现场.jpg", b"jpg")]
    )
    follow_up = FollowUp.objects.get(problem=problem)
    follow_up_record(
        actor=supervisor,
        follow_up=follow_up,
        recurred=True,
        note="台账又缺",
        checked_on=dt.date(2026, 11, 2),
    )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.RECURRED
    again = follow_up.recurrence
    assert again.recurrence_of == problem and again.source.key == "follow_up"
    assert again.rectification.status == S.PENDING
    with pytest.raises(TransitionError):
        follow_up_record(actor=supervisor, follow_up=follow_up, recurred=False, note="x")


def test_outside_the_jurisdiction_a_problem_does_not_exist(people):
    world, supervisor, _staff = people
    problem = new_problem(world, supervisor)
    assert problem_get(user=world.users["group"], pk=problem.pk) == problem
    with pytest.raises(Http404):
        problem_get(user=world.users["outsider"], pk=problem.pk)
    assert not problem_list(user=world.users["outsider"]).exists()


def test_status_counts_like_the_seed(people):
    world, supervisor, staff = people
    new_problem(world, supervisor)
    moving = new_problem(world, supervisor).rectification
    rectification_move(actor=staff, rectification=moving, action=A.PLAN, text="方案")
    new_problem(world, supervisor, immediate_reason="当场", evidence=[Upload("a.jpg", b"1")])
    counts = problem_status_counts(problem_list(user=supervisor))
    assert (counts.immediate, counts.in_progress, counts.pending, counts.closed) == (1, 1, 1, 0)
