"""The two small lifecycles of the app as data: a reconciliation (对账中 → 已销账, and back
with a reason) and a 质询会 (筹备中 → 已召开 → 纪要已印发). Services consult the tables
and refuse anything else with a message naming the move."""

from __future__ import annotations

from jiandu.reconciliation.choices import InquiryAction as IA
from jiandu.reconciliation.choices import InquiryStatus as IS
from jiandu.reconciliation.choices import ReconciliationAction as RA
from jiandu.reconciliation.choices import ReconciliationStatus as RS


class TransitionError(Exception):
    """An illegal move; the message says which move and why."""


RECONCILIATION_TRANSITIONS: dict[tuple[str, str], str] = {
    (RS.OPEN, RA.CLOSE): RS.CLOSED,
    (RS.CLOSED, RA.REOPEN): RS.OPEN,
}

INQUIRY_TRANSITIONS: dict[tuple[str, str], str] = {
    (IS.PLANNED, IA.HOLD): IS.HELD,
    (IS.HELD, IA.ISSUE_MINUTES): IS.MINUTED,
}


def reconciliation_next(status: str, action: str) -> str:
    try:
        return RECONCILIATION_TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionError(f"“{RS(status).label}”的对账不能“{RA(action).label}”") from None


def inquiry_next(status: str, action: str) -> str:
    try:
        return INQUIRY_TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionError(f"“{IS(status).label}”的质询会不能“{IA(action).label}”") from None
