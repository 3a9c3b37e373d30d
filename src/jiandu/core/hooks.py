"""Two small registries by which an app adds to a page or a meeting of an app below it
without the lower app importing it (the layer contracts forbid that):

- **Detail panels**: an app registers a function for a record kind (``"clues.clue"``);
  the lower app's detail view asks :func:`detail_panels` and includes each panel's
  template with its context. A function returns ``None`` when it has nothing to show.
- **Agenda records**: an app registers an :class:`AgendaSource` whose records a meeting
  of another app may put on its agenda (the 质询会 of ``reconciliation`` works on the
  三本账 rows of ``inspections``): the source lists a unit's records, resolves chosen
  ones and says whether a record may be struck off (销账).

Apps register in their ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelFunction = Callable[[Any, Any], "Panel | None"]  # (request, record) -> Panel | None

_panels: dict[str, list[PanelFunction]] = {}


def register_detail_panel(kind: str, function: PanelFunction) -> None:
    functions = _panels.setdefault(kind, [])
    if function not in functions:
        functions.append(function)


def detail_panels(kind: str, request: Any, record: Any) -> list[Panel]:
    """The panels other apps add to the detail page of ``record``."""
    found = (function(request, record) for function in _panels.get(kind, []))
    return [panel for panel in found if panel is not None]


@dataclass(frozen=True)
class AgendaRecord:
    """A record a meeting may put on its agenda, as the meeting shows and minutes it."""

    record_type: str
    record_id: int
    reference: str  # how people cite it (编号, 台账名)
    text: str  # what the meeting reads
    status: str  # its state in its own app, as people read it
    url: str = ""


class AgendaSource(Protocol):
    record_type: str
    label: str  # what the records are called (三本账条目)

    def records_for(self, user: Any, org_id: int) -> list[AgendaRecord]:
        """The unit's records the user may put on an agenda (within the jurisdiction)."""
        ...

    def resolve(self, user: Any, org_id: int, ids: Sequence[int]) -> list[AgendaRecord]:
        """The chosen records of the unit; unknown or foreign ids are left out."""
        ...

    def close_refusal(self, record_id: int) -> str:
        """Why the record may not be struck off (销账) now; empty when it may."""
        ...


_sources: dict[str, AgendaSource] = {}


def register_agenda_source(source: AgendaSource) -> None:
    _sources[source.record_type] = source


def agenda_sources() -> list[AgendaSource]:
    return list(_sources.values())


def agenda_source(record_type: str) -> AgendaSource | None:
    return _sources.get(record_type)
