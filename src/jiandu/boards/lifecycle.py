"""The follow-up of a 多色榜 warning as data: one table of legal moves.

已发出 → 已送达 → 已签收 → 已收到整改报告. Services consult the table and refuse any other
move with a message naming it; each move writes one :class:`~jiandu.boards.models.
WarningEvent`.
"""

from __future__ import annotations

from jiandu.boards.choices import WarningAction, WarningStatus
from jiandu.clues.lifecycle import TransitionError

# (status, action) -> new status
WARNING_TRANSITIONS: dict[tuple[str, str], str] = {
    (WarningStatus.ISSUED, WarningAction.SEND_NOTICE): WarningStatus.NOTICE_SENT,
    (WarningStatus.NOTICE_SENT, WarningAction.ACKNOWLEDGE): WarningStatus.ACKNOWLEDGED,
    (
        WarningStatus.ACKNOWLEDGED,
        WarningAction.RECEIVE_RECTIFICATION,
    ): WarningStatus.RECTIFICATION_RECEIVED,
}

# Moves the warned unit itself may make (the board's managers may make every move).
UNIT_ACTIONS = frozenset({WarningAction.ACKNOWLEDGE, WarningAction.RECEIVE_RECTIFICATION})


class WarningTransitionError(TransitionError):
    """An illegal follow-up move on a warning (answered 409 by the API)."""


def _label(choices: type, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def next_warning_status(status: str, action: str) -> str:
    try:
        return WARNING_TRANSITIONS[(status, action)]
    except KeyError:
        allowed = allowed_warning_actions(status)
        hint = (
            "，当前可执行：" + "、".join(_label(WarningAction, a) for a in allowed)
            if allowed
            else "，预警跟踪已全部完成"
        )
        raise WarningTransitionError(
            f"预警状态为“{_label(WarningStatus, status)}”，"
            f"不能执行“{_label(WarningAction, action)}”{hint}"
        ) from None


def allowed_warning_actions(status: str) -> list[str]:
    return [action for (state, action) in WARNING_TRANSITIONS if state == status]
