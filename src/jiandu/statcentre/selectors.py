"""Reads of the statistics centre, always within the user's jurisdiction: the org a
person looks at (with its subtree), the figures table with 同比/环比, the charts, the
drill-down, and the upward returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from jiandu.core.access import WholeTree, get_or_404, jurisdiction_org_ids
from jiandu.core.figures import CountFigure, RatioFigure, figure, figures
from jiandu.orgs.choices import ACTED_FOR_KINDS
from jiandu.orgs.models import Org
from jiandu.orgs.selectors import org_get
from jiandu.statcentre import compute
from jiandu.statcentre.figures import FORM_KEYS
from jiandu.statcentre.models import StatReturn
from jiandu.statcentre.periods import Period

TREND_KEYS = ["petitions_received", "clues_received"]
BAR_KEYS = ["petitions_received", "clues_received", "discipline_forms"]


def commission_of(org: Org | None) -> Org | None:
    """The commission an org works for: itself (市/县纪委监委) or, for an internal
    office, its parent; None for rooms, groups and supervised units."""
    if org is None:
        return None
    if org.kind in ACTED_FOR_KINDS:
        return org
    if org.acts_for_commission and org.parent is not None:
        return org.parent
    return None


def default_org(user: Any) -> Org | None:
    org = getattr(user, "org", None)
    return commission_of(org) or org


def stat_org(*, user: Any, pk: int | None) -> Org:
    """The org whose figures are asked for (404 outside the jurisdiction)."""
    if pk is None:
        org = default_org(user)
        if org is None:
            raise Http404("您的账号没有所属单位")
        pk = org.pk
    return org_get(user=user, pk=pk)


@dataclass
class Scope:
    org: Org
    ids: list[int]
    child_of: dict[int, int]  # org id in scope -> the direct child of ``org`` above it
    children: list[Org] = field(default_factory=list)
    whole: bool = False  # the whole tree: no org filter needed

    @property
    def filter_ids(self) -> list[int] | None:
        return None if self.whole else self.ids


def scope(*, user: Any, org: Org) -> Scope:
    """``org`` and its subtree, within the jurisdiction (one query)."""
    allowed = jurisdiction_org_ids(user)
    rows = Org.objects.filter(path__startswith=org.path).values_list("id", "path")
    ids, child_of = [], {}
    depth = len(org.ancestor_ids())
    for pk, path in rows:
        if pk not in allowed:
            continue
        ids.append(pk)
        parts = path.strip("/").split("/")
        if len(parts) > depth:
            child_of[pk] = int(parts[depth])
    children = list(
        Org.objects.filter(parent=org, pk__in=ids, archived_at__isnull=True).order_by(
            "sort_order", "path"
        )
    )
    whole = isinstance(allowed, WholeTree) and org.parent_id is None
    return Scope(org=org, ids=ids, child_of=child_of, children=children, whole=whole)


def table_keys() -> list[str]:
    return [f.key for f in figures()]


@dataclass
class StatisticsPage:
    scope: Scope
    period: Period
    last_year: Period
    previous: Period
    groups: list[tuple[str, list[compute.Row]]]
    bars: dict[str, Any]
    forms_chart: dict[str, Any]
    trends: list[dict[str, Any]]


def statistics_page(
    *, user: Any, org: Org, period: Period, today: dt.date | None = None
) -> StatisticsPage:
    today = today or timezone.localdate()
    period = period.clipped(today)
    sc = scope(user=user, org=org)
    periods = compute.compare_periods(period)
    keys = table_keys()
    # The trend lines' months ride in the same queries (one per model).
    months = period.months()
    extra: list[compute.Request] = []
    for key in TREND_KEYS:
        fig = figure(key)
        if isinstance(fig, CountFigure):
            for i, month in enumerate(months):
                extra += [(fig, f"m{i}", month), (fig, f"y{i}", month.same_period_last_year())]
    grouped = compute.grouped_counts(
        compute.needed_counts(keys), org_ids=sc.filter_ids, periods=periods, extra=extra
    )
    rows = compute.table(keys, grouped)
    groups: dict[str, list[compute.Row]] = {}
    for row in rows:
        groups.setdefault(row.figure.group, []).append(row)
    # Bars by unit: the same grouped rows summed per direct child.
    per_child: dict[int, dict[str, int]] = {}
    for org_id, values in grouped.by_org["current"].items():
        child = sc.child_of.get(org_id)
        if child is None:
            continue
        bucket = per_child.setdefault(child, {})
        for key, value in values.items():
            if isinstance(value, int):
                bucket[key] = bucket.get(key, 0) + value
    names = [c.display_name for c in sc.children]
    bars = {
        "categories": names,
        "series": [
            {
                "name": figure(k).label,
                "data": [per_child.get(c.pk, {}).get(k, 0) for c in sc.children],
            }
            for k in BAR_KEYS
        ],
        "unit": "",
        "integer": True,
    }
    forms_chart = {
        "categories": names,
        "series": [
            {
                "name": figure(k).label.removeprefix("其中"),
                "stack": "forms",
                "data": [per_child.get(c.pk, {}).get(k, 0) for c in sc.children],
            }
            for k in FORM_KEYS
        ],
        "unit": "人次",
        "integer": True,
    }
    return StatisticsPage(
        scope=sc,
        period=period,
        last_year=periods["last_year"],
        previous=periods["previous"],
        groups=list(groups.items()),
        bars=bars,
        forms_chart=forms_chart,
        trends=trends(grouped, period),
    )


def trends(grouped: compute.Grouped, period: Period) -> list[dict[str, Any]]:
    """Monthly lines of the trend figures with the same months a year earlier, from the
    page's grouped counts (periods ``m0``… and ``y0``…)."""
    months = period.months()
    out = []
    for key in TREND_KEYS:
        fig = figure(key)
        out.append(
            {
                "key": key,
                "chart_id": f"trend-{key}",
                "title": f"{fig.label}（各月，{fig.unit}）",
                "chart": {
                    "categories": [f"{m.start.month}月" for m in months],
                    "series": [
                        {
                            "name": "本期",
                            "data": [grouped.total(f"m{i}", key) for i in range(len(months))],
                        },
                        {
                            "name": "上年同期",
                            "data": [grouped.total(f"y{i}", key) for i in range(len(months))],
                        },
                    ],
                    "unit": fig.unit,
                    "integer": True,
                },
            }
        )
    return out


def drill_records(*, user: Any, org: Org, key: str, period: Period) -> tuple[CountFigure, QuerySet]:
    """The records behind a count figure for ``org`` (with its subtree) and ``period``;
    KeyError for a ratio or an unknown key."""
    fig = figure(key)
    if isinstance(fig, RatioFigure):
        raise KeyError(f"“{fig.label}”是比率，请点开它的分子或分母")
    sc = scope(user=user, org=org)
    return fig, compute.records(fig, org_ids=sc.filter_ids, period=period)


# --- returns ---------------------------------------------------------------------------


def return_list(*, user: Any) -> QuerySet[StatReturn]:
    """Returns of the commissions in the user's jurisdiction."""
    return StatReturn.objects.filter(org_id__in=jurisdiction_org_ids(user)).select_related("org")


def return_get(*, user: Any, pk: int) -> StatReturn:
    return get_or_404(return_list(user=user), pk=pk)


def reporting_units(org: Org) -> list[Org]:
    """The commissions that report to ``org`` (its child county commissions)."""
    return list(
        Org.objects.filter(parent=org, kind__in=ACTED_FOR_KINDS, archived_at__isnull=True).order_by(
            "sort_order", "path"
        )
    )


def record_date(record: Any, fig: CountFigure) -> Any:
    """The date a record counts by (following ``date_field`` through relations)."""
    value: Any = record
    for part in fig.date_field.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date()
    return value


def aggregate_differences(
    *, org_ids: list[int] | None, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """Every count figure of every month in [start, end] and of each calendar year it
    touches, per org, read from the daily aggregate and counted from the raw records
    (``compute.raw_grouped_counts``); the differences (empty: they agree)."""
    from jiandu.statcentre.periods import parse_period

    counts = [f for f in figures() if isinstance(f, CountFigure)]
    periods: dict[str, Period] = {}
    day = start.replace(day=1)
    while day <= end:
        periods[f"{day:%Y-%m}"] = parse_period(f"{day:%Y-%m}")
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    for year in range(start.year, end.year + 1):
        periods[str(year)] = parse_period(str(year))
    ours = compute.grouped_counts(counts, org_ids=org_ids, periods=periods)
    raw = compute.raw_grouped_counts(counts, org_ids=org_ids, periods=periods)
    out = []
    for name in periods:
        mine, theirs = ours.by_org.get(name, {}), raw.by_org.get(name, {})
        for org_id in sorted(set(mine) | set(theirs)):
            for fig in counts:
                a = mine.get(org_id, {}).get(fig.key) or 0
                b = theirs.get(org_id, {}).get(fig.key) or 0
                if a != b:
                    row = {"期间": name, "指标": fig.label, "key": fig.key, "org_id": org_id}
                    out.append({**row, "日汇总": a, "原始记录": b})
    return out
