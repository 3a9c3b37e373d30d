"""The kinds of decision that go through 呈批, registered by the apps that own them.

An app above this one (clues) registers each decision kind with the function that
applies an approved request; the approvals services call it when the last step approves.
This keeps the dependency downward (ADR 0015): approvals knows no app's models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jiandu.approvals.choices import SignerRole

if TYPE_CHECKING:
    from jiandu.approvals.models import ApprovalRequest

# Where a commission configures no route: 室主任审核 → 分管领导审批.
DEFAULT_STEPS: tuple[str, ...] = (SignerRole.OFFICE_HEAD, SignerRole.LEADER)


@dataclass(frozen=True)
class DecisionKind:
    """One kind of decision. ``apply(actor=, request=)`` makes an approved request take
    effect (raising ValidationError when it no longer can); ``describe(payload)`` gives
    the (label, value) rows shown on the request page and the 呈批表; ``url(target_id)``
    links the target record."""

    key: str
    label: str
    target_type: str
    apply: Callable[..., Any]
    describe: Callable[[dict[str, Any]], list[tuple[str, str]]]
    url: Callable[[int], str]
    # The owning app's own "this move is not allowed now" errors: a final approval that
    # meets one is refused with its message (as a ValidationError).
    refusals: tuple[type[Exception], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


_kinds: dict[str, DecisionKind] = {}


def register(kind: DecisionKind) -> None:
    _kinds[kind.key] = kind


def get(key: str) -> DecisionKind:
    try:
        return _kinds[key]
    except KeyError:
        raise LookupError(f"未登记的呈批事项“{key}”") from None


def kinds() -> list[DecisionKind]:
    return list(_kinds.values())


def label(key: str) -> str:
    kind = _kinds.get(key)
    return kind.label if kind else key


def describe(request: ApprovalRequest) -> list[tuple[str, str]]:
    kind = _kinds.get(request.kind)
    return kind.describe(request.payload) if kind else []


# --- where a request comes from ------------------------------------------------------

# ``describe(user, id)`` of one source kind: the words shown on the request page (e.g.
# 线索大起底“…”) and the link to it, empty when ``user`` may not open it (or is None:
# the words only, for the API).
SourceDescriber = Callable[[Any, int], tuple[str, str]]
_sources: dict[str, SourceDescriber] = {}


def register_source(prefix: str, describe: SourceDescriber) -> None:
    """An app that drafts requests in bulk (``source="<prefix>:<id>"``, e.g. a
    线索大起底) says how to name and link them (it sits above this one, ADR 0015)."""
    _sources[prefix] = describe


def describe_source(user: Any, source: str) -> tuple[str, str] | None:
    """(words, link) of a request's ``source`` for ``user``; None for a source no app
    registered (or a request drafted one by one)."""
    prefix, _sep, ident = source.partition(":")
    describe = _sources.get(prefix)
    if describe is None or not ident.isdigit():
        return None
    return describe(user, int(ident))
