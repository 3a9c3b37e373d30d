"""Where a problem came from, as a link (“来源：…”) on its page — for records of apps
above the rectification loop (a 多色榜 warning, a 政治生态指数 warning, a dossier item),
which this app must not import.

A problem names its origin as ``origin_type`` / ``origin_id`` (``"boards.boardwarning"``,
``"ecoindex.ecowarning"`` …). Each app that opens problems registers, in its own
``origins`` module, a resolver for its origin types: given the viewing user and the id, it
returns the link, or ``None`` when the user may not see that record (so the source is
shown only to those who may open it). The modules are found on first use, as tasks and
import kinds are (``autodiscover_modules``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OriginLink:
    label: str  # “政治生态指数预警 衢政生预〔2026〕3号（2026年10月·黄色）”
    url: str


Resolver = Callable[[Any, int], OriginLink | None]

_RESOLVERS: dict[str, Resolver] = {}
_discovered = False


def register_origin(origin_type: str, resolver: Resolver) -> None:
    """Register how ``origin_type`` records are linked (called from an ``origins`` module)."""
    _RESOLVERS[origin_type] = resolver


def _discover() -> None:
    global _discovered
    if not _discovered:
        _discovered = True
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("origins")


def origin_link(user: Any, origin_type: str, origin_id: int | None) -> OriginLink | None:
    """The link to the record a problem came from, if its app registered one and the user
    may see the record; ``None`` otherwise (nothing is revealed about a hidden record)."""
    if not origin_type or origin_id is None:
        return None
    _discover()
    resolver = _RESOLVERS.get(origin_type)
    if resolver is None:
        return None
    return resolver(user, origin_id)
