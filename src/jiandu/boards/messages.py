"""Inbox messages of the 多色榜: a warning delivered (送达) tells the warned unit's officers."""

from __future__ import annotations

from typing import Any

from jiandu.boards.choices import WarningAction
from jiandu.inbox.choices import MessageKind
from jiandu.inbox.models import Message
from jiandu.inbox.services import message_send, record_link

WARNING_RECORD = "boards.boardwarning"
# The warned unit's officers, who sign for the warning and report.
WARNED_PERM = "boards.change_boardwarning"


def message_warning_moved(*, actor: Any, warning: Any, action: str) -> list[Message]:
    """A board warning delivered (送达): the warned unit's officers are told to sign
    for it and report their rectification."""
    if action != WarningAction.SEND_NOTICE:
        return []
    return message_send(
        kind=MessageKind.WARNING,
        record_type=WARNING_RECORD,
        record_id=warning.pk,
        title=f"{warning.get_kind_display()}：{warning.board.title}",
        body=f"{warning.description}。请签收并报送整改报告。",
        link=record_link("boards:warning_detail", warning.pk),
        perm=WARNED_PERM,
        org_id=warning.org_id,
        actor=actor,
    )
