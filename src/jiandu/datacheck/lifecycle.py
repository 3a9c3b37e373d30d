"""The verification of a comparison hit as data.

待核查 → 已分派 (to a handling org, 核查) → 已确认 / 已排除 → 已转线索. One table of legal
moves, one table of what each move requires; services consult both and refuse anything
else with a message naming the move. Every move writes one
:class:`~jiandu.datacheck.models.HitEvent`. Recording who a hit's person probably is
(身份认定) is a note, not a move: it never changes the status.
"""

from __future__ import annotations

from jiandu.clues.lifecycle import TransitionError
from jiandu.datacheck.choices import HitAction, HitStatus

# (status, action) -> new status
HIT_TRANSITIONS: dict[tuple[str, str], str] = {
    (HitStatus.PENDING, HitAction.ASSIGN): HitStatus.ASSIGNED,
    (HitStatus.ASSIGNED, HitAction.ASSIGN): HitStatus.ASSIGNED,
    (HitStatus.ASSIGNED, HitAction.CONFIRM): HitStatus.CONFIRMED,
    (HitStatus.ASSIGNED, HitAction.EXCLUDE): HitStatus.EXCLUDED,
    (HitStatus.CONFIRMED, HitAction.CONVERT): HitStatus.CONVERTED,
}

# What each move needs besides the hit: "handling_org" (an org within the actor's
# jurisdiction) and "reason" (a non-empty text).
HIT_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    HitAction.ASSIGN: ("handling_org",),
    HitAction.CONFIRM: (),
    HitAction.EXCLUDE: ("reason",),
    HitAction.CONVERT: (),
}

# Statuses that count as a decision for the per-rule precision: a converted hit was
# confirmed first.
CONFIRMED_STATUSES = frozenset({HitStatus.CONFIRMED, HitStatus.CONVERTED})
EXCLUDED_STATUSES = frozenset({HitStatus.EXCLUDED})


class HitTransitionError(TransitionError):
    """An illegal verification move on a hit (answered 409 by the API)."""


def _label(choices: type, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def allowed_hit_actions(status: str) -> list[str]:
    return [action for (state, action) in HIT_TRANSITIONS if state == status]


def next_hit_status(status: str, action: str) -> str:
    """The status after ``action``, or a HitTransitionError naming the refused move."""
    try:
        return HIT_TRANSITIONS[(status, action)]
    except KeyError:
        allowed = allowed_hit_actions(status)
        hint = (
            "，当前可执行：" + "、".join(_label(HitAction, a) for a in allowed)
            if allowed
            else "，该疑点的核查已经结束"
        )
        raise HitTransitionError(
            f"疑点状态为“{_label(HitStatus, status)}”，不能执行“{_label(HitAction, action)}”{hint}"
        ) from None
