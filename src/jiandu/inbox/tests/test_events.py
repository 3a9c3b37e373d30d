"""Event messages, written by the business write itself: a problem opened for a unit, a
clue handed down, a rectification report to accept, a board warning delivered — each to
the officers who act on it, never to the one who made the move."""

from __future__ import annotations

import datetime as dt

from tests.api.records import make_clue

from jiandu.accounts.models import User
from jiandu.boards.services import board_close, warning_send_notice
from jiandu.clues.services import clue_assign_down, clue_escalate
from jiandu.inbox.choices import MessageKind as K
from jiandu.inbox.models import Message
from jiandu.oversight.choices import RectificationAction
from jiandu.oversight.models import ProblemCategory, ProblemSource
from jiandu.oversight.services import Upload, problem_create, rectification_move
from jiandu.testing import make_user


def inbox_of(user):
    return list(Message.objects.filter(recipient=user).values_list("kind", "record_type"))


def test_a_problem_opened_for_a_unit_tells_its_rectification_officers(iw):
    assert inbox_of(iw.officer) == [(K.ASSIGNMENT, "oversight.problem")]
    message = Message.objects.get(recipient=iw.officer)
    assert message.title == f"新问题待整改：{iw.problem.number}"
    assert message.link == f"/oversight/problems/{iw.problem.pk}/"
    assert "派驻第一纪检监察组发现市财政局的问题" in message.body
    # Not the colleague without the role, not the supervisor who registered it.
    assert inbox_of(iw.colleague) == [] and inbox_of(iw.supervisor) == []


def test_a_problem_rectified_on_the_spot_tells_nobody(iw):
    Message.objects.all().delete()
    problem_create(
        actor=iw.supervisor,
        org=iw.world.unit_a,
        description="办公用房超标，已当场腾退",
        category=ProblemCategory.objects.get(name="惠民资金管理"),
        source=ProblemSource.objects.get(key="supervision"),
        found_on=dt.date(2026, 9, 1),
        supervising_org=iw.world.group1,
        evidence=[Upload("照片.jpg", b"jpeg")],
        immediate_reason="当场整改完毕",
    )
    assert not Message.objects.exists()


def test_a_submitted_report_asks_the_supervising_body_to_accept(iw):
    rect = iw.problem.rectification
    rectification_move(actor=iw.officer, rectification=rect, action=RectificationAction.PLAN,
                       text="补齐台账")  # fmt: skip
    assert inbox_of(iw.supervisor) == []
    rectification_move(actor=iw.officer, rectification=rect, action=RectificationAction.SUBMIT,
                       text="台账已补齐", files=[Upload("台账.pdf", b"%PDF-1")])  # fmt: skip
    assert inbox_of(iw.supervisor) == [(K.ACCEPTANCE, "oversight.problem")]
    message = Message.objects.get(recipient=iw.supervisor)
    assert message.title == f"整改报告待验收：{iw.problem.number}（市财政局）"
    assert "台账已补齐" in message.body
    assert [k for k, _ in inbox_of(iw.officer)] == [K.ASSIGNMENT]  # nothing new for the unit


def test_a_clue_handed_down_tells_the_new_handling_units_clue_officers(iw):
    world = iw.world
    clue = make_clue(world, user="city", org=world.city)
    trial_only = make_user("county_trial", world.county, "案件审理")
    clue = clue_assign_down(actor=world.users["city"], clue=clue, to_org=world.county, note="交办")
    assert inbox_of(world.users["county"]) == [(K.ASSIGNMENT, "clues.clue")]
    message = Message.objects.get(recipient=world.users["county"])
    assert message.title == f"交办线索：{clue.number} {clue.title}"
    assert message.link == f"/clues/clues/{clue.pk}/"
    # 案件审理 also may change clues; the city officer made the move; others are outside.
    assert inbox_of(world.users["city"]) == [] and inbox_of(world.users["outsider"]) == []
    assert inbox_of(trial_only) == [(K.ASSIGNMENT, "clues.clue")]


def test_an_escalated_clue_tells_the_higher_commission(iw):
    world = iw.world
    clue = make_clue(world)  # 五华区
    clue_escalate(actor=world.users["city"], clue=clue, to_org=world.city, note="提级")
    # The city's officer made the move; the county, which handed it up, is not told.
    assert not Message.objects.filter(record_type="clues.clue").exists()
    other = make_user("city2", world.city, "线索管理")
    clue2 = make_clue(world, title="另一条线索")
    clue_escalate(actor=world.users["city"], clue=clue2, to_org=world.city, note="提级")
    assert inbox_of(other) == [(K.ASSIGNMENT, "clues.clue")]
    assert Message.objects.get(recipient=other).title.startswith("提级查办线索：")


def test_a_delivered_warning_tells_the_warned_units_officers(bw):
    for month in (1, 2):
        for org in (bw.world.county, bw.dongchuan):
            bw.receive(org, month, 1)
        outcome = board_close(
            actor=bw.users["city"], board=bw.counties_board, month=f"2020-{month:02d}"
        )
    (warning,) = outcome.warnings
    warned = bw.officer(warning.org)
    unit_officers = set(User.objects.filter(org=warning.org, groups__name="线索管理"))
    assert warned in unit_officers
    before = set(Message.objects.filter(kind=K.WARNING).values_list("pk", flat=True))
    warning_send_notice(actor=bw.users["city"], warning=warning, note="已送达")
    new = Message.objects.filter(kind=K.WARNING).exclude(pk__in=before)
    assert {m.recipient for m in new} == unit_officers
    message = new.first()
    assert message.link == f"/boards/warnings/{warning.pk}/"
    assert message.record_type == "boards.boardwarning" and message.record_id == warning.pk
    assert message.title.endswith(bw.counties_board.title)
    assert not Message.objects.filter(kind=K.WARNING, recipient=bw.users["city"]).exists()
