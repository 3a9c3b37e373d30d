"""The figure registry of the statistics centre (统计中心): every figure a commission
reports is declared here once, and every page, API answer, drill-down and upward return
reads it from here.

An app contributes figures in its own ``<app>/figures.py`` (imported on first use with
``autodiscover_modules("figures")``, as the inbox does with ``reminders``)::

    from django.db.models import Q
    from jiandu.core.figures import CountFigure, RatioFigure, register

    register(CountFigure(
        key="satisfied_replies",            # unique, English
        label="满意答复",                     # Chinese, as a person reads it
        unit="件",
        group="信访举报",                     # the section of the figures table
        definition="受理日期在期间内的实名举报中…",  # 口径: shown on hover and in the glossary
        model=Feedback,                       # the records counted
        org_field="petition__received_org",   # the field placing a record with an org
        date_field="replied_on",              # the date it counts by …
        date_label="答复日期",                # … and its name
        condition=lambda start, end: Q(replied_on__range=(start, end), reply="satisfied"),
    ))
    register(RatioFigure(key="satisfaction_rate", label="实名举报满意率", group="信访举报",
                         numerator="satisfied_replies", denominator="replies",
                         definition="满意答复 ÷ 答复"))

That is the whole API:

- :class:`CountFigure` — a number of records (or, with ``sum_field``, the sum of a
  decimal field over them). ``condition(start, end)`` is a ``Q`` over ``model`` for the
  closed date range [start, end]; it alone decides which records count, so the figure
  and its drill-down (``model`` filtered by the org field and the condition) are the
  same set by construction. All figures of one model are counted together in ONE
  grouped query (``GROUP BY`` their org fields, one conditional aggregate per figure
  and period); ``envelope(start, end)`` narrows that query's WHERE to the rows a period
  can count (default: ``date_field`` in the range), ``query_key`` names figures sharing
  an envelope (default: ``date_field``).
- ``daily`` (default True) says the condition is "``date_field`` in the range" plus
  fixed filters on ``model``, with ``date_field`` a date (not a moment): the statistics
  centre then keeps the figure in its daily aggregate and reads it from there
  (ADR 0016). Set it False for any other condition.
- :class:`RatioFigure` — numerator ÷ denominator (two count keys) as a percentage with
  one decimal place (``ROUND_HALF_UP``); no value when the denominator is 0.
- :func:`register` adds or replaces a figure by key; :func:`figures` lists them in
  registration order; :func:`figure` finds one (``KeyError`` with a Chinese message).

The computation (periods, 同比/环比, scoping, drill-down) is the statistics centre's
(``jiandu.statcentre``); a module registering figures imports nothing from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

Condition = Callable[[dt.date, dt.date], Q]


@dataclass(frozen=True)
class CountFigure:
    key: str
    label: str
    unit: str
    group: str
    definition: str
    model: Any
    org_field: str
    date_field: str
    date_label: str
    condition: Condition
    sum_field: str = ""  # sum this decimal field instead of counting records
    query_key: str = ""  # figures with the same (model, org_field, query_key) share a query
    envelope: Condition | None = None
    # ``condition(start, end)`` is "``date_field`` in [start, end]" and fixed filters, so
    # the figure is a sum of days kept in the statistics centre's daily aggregate. A
    # figure counted otherwise (e.g. "by period end") sets False and is computed from raw
    # rows, or composed by the statistics centre from daily parts (ADR 0016).
    daily: bool = True

    @property
    def is_ratio(self) -> bool:
        return False

    @property
    def source(self) -> tuple[Any, str, str]:
        return (self.model, self.org_field, self.query_key or self.date_field)

    def where(self, start: dt.date, end: dt.date) -> Q:
        if self.envelope is not None:
            return self.envelope(start, end)
        return Q(**{f"{self.date_field}__range": (start, end)})


@dataclass(frozen=True)
class RatioFigure:
    key: str
    label: str
    group: str
    definition: str
    numerator: str
    denominator: str
    unit: str = "%"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_ratio(self) -> bool:
        return True


Figure = CountFigure | RatioFigure

_FIGURES: dict[str, Figure] = {}
_DISCOVERED = False


def register(figure: Figure) -> Figure:
    """Add ``figure`` (or replace the one with its key)."""
    _FIGURES[figure.key] = figure
    return figure


def _discover() -> None:
    global _DISCOVERED
    if not _DISCOVERED:
        _DISCOVERED = True
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("figures")


def figures() -> list[Figure]:
    _discover()
    return list(_FIGURES.values())


def figure(key: str) -> Figure:
    _discover()
    try:
        return _FIGURES[key]
    except KeyError:
        raise KeyError(f"未知的统计指标“{key}”") from None
