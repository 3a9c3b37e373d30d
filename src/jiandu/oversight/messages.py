"""Inbox messages of the rectification loop: a problem opened for a unit tells its 整改落实
staff; a rectification report submitted asks the supervising body to accept it."""

from __future__ import annotations

from typing import Any

from jiandu.inbox.choices import MessageKind
from jiandu.inbox.models import Message
from jiandu.inbox.services import message_send, message_send_many, record_link
from jiandu.oversight.choices import RectificationAction, RectificationStatus
from jiandu.oversight.models import Rectification

PROBLEM_RECORD = "oversight.problem"
# The responsible unit's 整改落实 staff, and the supervising body that accepts.
RECTIFY_PERM = "oversight.rectify_problem"
ACCEPT_PERM = "oversight.accept_rectification"


def problem_opened_message(problem: Any, rectification: Any) -> dict[str, Any] | None:
    """The keyword arguments of the message telling a unit's 整改落实 staff about a
    problem opened for it (None when it was rectified on the spot, 立行立改, and so
    closed at once)."""
    if rectification.status == RectificationStatus.CLOSED:
        return None
    return {
        "kind": MessageKind.ASSIGNMENT,
        "record_type": PROBLEM_RECORD,
        "record_id": problem.pk,
        "title": f"新问题待整改：{problem.number}",
        "body": f"{problem.supervising_org}发现{problem.org}的问题（{problem.source}）："
        f"{problem.description[:200]}。整改期限 {rectification.due_on.isoformat()}。",
        "link": record_link("oversight:problem_detail", problem.pk),
        "perm": RECTIFY_PERM,
        "org_id": problem.org_id,
    }


def message_problem_opened(*, actor: Any, problem: Any) -> list[Message]:
    """A problem opened for a unit: its 整改落实 staff are told (not when it was
    rectified on the spot, 立行立改, and so closed at once)."""
    rectification = Rectification.objects.get(problem_id=problem.pk)
    message = problem_opened_message(problem, rectification)
    if message is None:
        return []
    return message_send(**message, actor=actor)


def messages_problems_opened(*, actor: Any, problems: list[Any]) -> list[Message]:
    """:func:`message_problem_opened` for many problems at once (their rectifications
    at hand as ``problem.rectification``)."""
    items = [problem_opened_message(p, p.rectification) for p in problems]
    return message_send_many([i for i in items if i is not None], actor=actor)


def message_rectification_moved(*, actor: Any, rectification: Any, action: str) -> list[Message]:
    """A rectification report submitted: the supervising body is asked to accept it."""
    if action != RectificationAction.SUBMIT:
        return []
    problem = rectification.problem
    return message_send(
        kind=MessageKind.ACCEPTANCE,
        record_type=PROBLEM_RECORD,
        record_id=problem.pk,
        title=f"整改报告待验收：{problem.number}（{problem.org}）",
        body=f"{problem.org}已提交问题 {problem.number} 的整改报告，请验收。"
        f"{rectification.report[:200]}",
        link=record_link("oversight:problem_detail", problem.pk),
        perm=ACCEPT_PERM,
        org_id=problem.supervising_org_id,
        actor=actor,
    )
