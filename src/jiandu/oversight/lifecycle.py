"""The rectification lifecycle as data: one table of legal moves, with the side that may
make each (the responsible unit or the supervising body). Services consult it and refuse
anything else with a message naming the move."""

from __future__ import annotations

from enum import StrEnum

from jiandu.oversight.choices import RectificationAction as A
from jiandu.oversight.choices import RectificationStatus as S


class Side(StrEnum):
    """Who acts: the responsible unit's staff, or the supervising body's."""

    UNIT = "unit"
    SUPERVISOR = "supervisor"

    @property
    def label(self) -> str:
        return {"unit": "责任单位", "supervisor": "监督单位"}[self.value]


class TransitionError(Exception):
    """An illegal move; the message says which move and why."""


# (status, action) -> (new status, the side that may make the move)
TRANSITIONS: dict[tuple[str, str], tuple[str, Side]] = {
    (S.PENDING, A.SIGN): (S.PENDING, Side.UNIT),
    (S.PENDING, A.PLAN): (S.IN_PROGRESS, Side.UNIT),
    (S.PENDING, A.IMMEDIATE): (S.CLOSED, Side.SUPERVISOR),
    (S.IN_PROGRESS, A.PLAN): (S.IN_PROGRESS, Side.UNIT),
    (S.IN_PROGRESS, A.SUBMIT): (S.SUBMITTED, Side.UNIT),
    (S.SUBMITTED, A.ACCEPT): (S.CLOSED, Side.SUPERVISOR),
    (S.SUBMITTED, A.REJECT): (S.IN_PROGRESS, Side.SUPERVISOR),
    (S.PENDING, A.EXTEND): (S.PENDING, Side.SUPERVISOR),
    (S.IN_PROGRESS, A.EXTEND): (S.IN_PROGRESS, Side.SUPERVISOR),
}

# Moves that must say why.
REASON_REQUIRED = frozenset({A.REJECT, A.EXTEND, A.IMMEDIATE})


def next_status(status: str, action: str) -> tuple[str, Side]:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionError(f"“{S(status).label}”的整改不能“{A(action).label}”") from None


def allowed_actions(status: str, sides: set[Side]) -> list[str]:
    """The moves from ``status`` open to a user acting on ``sides``, in table order."""
    return [a for (s, a), (_new, side) in TRANSITIONS.items() if s == status and side in sides]
