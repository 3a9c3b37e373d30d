"""Inbox messages of the clues: a clue handed to a unit tells that unit's 线索管理 staff."""

from __future__ import annotations

from typing import Any

from jiandu.clues.choices import ClueAction
from jiandu.inbox.choices import MessageKind
from jiandu.inbox.models import Message
from jiandu.inbox.services import message_send, record_link

CLUE_RECORD = "clues.clue"
# The handling unit's staff who act on a clue (线索管理).
HANDLING_PERM = "clues.change_clue"


def message_clue_moved(*, actor: Any, clue: Any, action: str) -> list[Message]:
    """A clue handed to a unit (交办, 提级查办, 直查直办): its new handling unit's
    线索管理 staff are told."""
    label = ClueAction(action).label
    return message_send(
        kind=MessageKind.ASSIGNMENT,
        record_type=CLUE_RECORD,
        record_id=clue.pk,
        title=f"{label}线索：{clue.number} {clue.title}",
        body=f"问题线索“{clue.title}”已{label}至{clue.handling_org}，请按期办理（办理期限 "
        f"{clue.due_date.isoformat() if clue.due_date else '未设'}）。",
        link=record_link("clues:clue_detail", clue.pk),
        perm=HANDLING_PERM,
        org_id=clue.handling_org_id,
        actor=actor,
    )
