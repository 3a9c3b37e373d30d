"""The card's lifecycle as data: which move is allowed from which state, and to which
state it leads. A move not in the table raises :class:`CardTransitionError` naming it."""

from __future__ import annotations

from jiandu.cards.choices import CardAction, CardStatus
from jiandu.oversight.lifecycle import TransitionError

# (from state, move) -> to state
TRANSITIONS: dict[tuple[str, str], str] = {
    (CardStatus.DRAFT, CardAction.EDIT): CardStatus.DRAFT,
    (CardStatus.DRAFT, CardAction.ISSUE): CardStatus.ISSUED,
    (CardStatus.DRAFT, CardAction.VOID): CardStatus.VOID,
    (CardStatus.ISSUED, CardAction.VOID): CardStatus.VOID,
    (CardStatus.ISSUED, CardAction.SUMMARY): CardStatus.ISSUED,
    (CardStatus.ISSUED, CardAction.SPOT_CHECK): CardStatus.ISSUED,
}


class CardTransitionError(TransitionError):
    """A move the card's state does not allow (answered 409 by the API)."""


def next_status(status: str, action: str) -> str:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise CardTransitionError(
            f"提醒卡状态为“{CardStatus(status).label}”，不能“{CardAction(action).label}”"
        ) from None


def allowed(status: str) -> list[str]:
    return [action for (state, action) in TRANSITIONS if state == status]
