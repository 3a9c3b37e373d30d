"""The home page: my open clues by stage, overdue clues, pending petitions and the
clues received per month, each figure linking to the list of exactly what it counts."""

from __future__ import annotations

import calendar
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from jiandu.clues.choices import ClueStatus, DisposalMethod, PetitionStatus
from jiandu.clues.selectors import ClueFilters, clue_list, clue_received_by_month, workbench_for
from jiandu.core.views import HtmxHttpRequest


def _url_or_empty(name: str, **kwargs: Any) -> str:
    """A URL of another app's page, or "" while that page does not exist yet (the
    workbench then shows the figure without a link rather than failing)."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def _with_query(url: str, **params: Any) -> str:
    return f"{url}?{urlencode(params)}" if url else ""


def _stage_rows(open_by_stage: dict[str, int], org_id: int | None) -> list[dict[str, Any]]:
    """My open clues by stage, in lifecycle order, each with the clue-list query that
    lists exactly the clues counted."""
    list_url = _url_or_empty("clues:clue_list")
    rows = []
    stages: list[tuple[str, str, dict[str, Any]]] = [
        (ClueStatus.RECEIVED, "待处置（已受理）", {"status": ClueStatus.RECEIVED})
    ]
    stages += [
        (
            method.value,
            str(method.label),
            {"status": ClueStatus.DISPOSING, "disposal_method": method.value},
        )
        for method in DisposalMethod
    ]
    for key, label, params in stages:
        count = open_by_stage.get(key, 0)
        rows.append(
            {
                "key": key,
                "label": label,
                "count": count,
                "url": _with_query(list_url, **params, org=org_id or ""),
            }
        )
    return rows


def _monthly_chart(user: Any) -> dict[str, Any]:
    """The chart spec for JianduCharts.bar: clues received per month, each bar opening
    the clue list for that month."""
    list_url = _url_or_empty("clues:clue_list")
    categories, data, urls = [], [], []
    for first, count in clue_received_by_month(user=user, months=12):
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        categories.append(f"{first:%Y-%m}")
        data.append(count)
        urls.append(
            _with_query(list_url, received_from=first.isoformat(), received_to=last.isoformat())
        )
    return {
        "categories": categories,
        "series": [{"name": "受理问题线索", "data": data, "urls": urls}],
        "unit": "件",
        "integer": True,
    }


@login_required
def workbench(request: HtmxHttpRequest) -> HttpResponse:
    user: Any = request.user
    can_clues = user.has_perm("clues.view_clue")
    can_petitions = user.has_perm("clues.view_petition")
    context: dict[str, Any] = {
        "page_title": "我的工作台",
        "can_clues": can_clues,
        "can_petitions": can_petitions,
    }
    # Who handles no clue (a leader, a statistician) sees the jurisdiction's open clues;
    # a handler sees the clues on the own org's desk.
    whole = can_clues and not user.has_perm("clues.change_clue")
    context["whole_jurisdiction"] = whole
    # The city leader's home page opens on the political-ecology map (一图).
    if user.has_perm("ecoindex.view_indextree") and not user.has_perm("clues.change_clue"):
        from jiandu.ecoindex.selectors import sees_whole_city
        from jiandu.ecoindex.views import map_context

        if sees_whole_city(user):
            context["eco"] = map_context(user, None)
    if can_clues or can_petitions:
        bench = workbench_for(user=user, whole_jurisdiction=whole)
        context["bench"] = bench
        context["pending_url"] = _with_query(
            _url_or_empty("clues:petition_list"), status=PetitionStatus.PENDING
        )
    if can_clues:
        stages = _stage_rows(context["bench"].open_by_stage, None if whole else user.org_id)
        context["stages"] = stages
        context["open_total"] = sum(row["count"] for row in stages)
        today = timezone.localdate()
        context["overdue_rows"] = [
            {"clue": clue, "days": (today - clue.due_date).days}
            for clue in context["bench"].overdue
            if clue.due_date is not None
        ]
        context["overdue_total"] = clue_list(user=user, filters=ClueFilters(overdue=True)).count()
        context["overdue_url"] = _with_query(_url_or_empty("clues:clue_list"), overdue=1)
        context["chart"] = _monthly_chart(user)
        context["chart_empty"] = not any(context["chart"]["series"][0]["data"])
    context["followup"] = _followup_work(user)
    # 呈批: the requests waiting for this user's signature (室主任, 分管领导).
    from jiandu.approvals.selectors import requests_awaiting

    context["awaiting_approvals"] = requests_awaiting(user=user, limit=10)
    return render(request, "workbench/workbench.html", context)


def _followup_work(user: Any) -> dict[str, Any] | None:
    """The follow-up work on the desk of who does it: real-name feedback overdue or due
    within 3 working days (信访受理), overdue personnel and pay changes (案件审理),
    回访教育 due (线索管理) — each figure opening its list."""
    from jiandu.followup import selectors as followup

    feedback = user.has_perm("clues.change_petition")
    execution = user.has_perm("clues.change_outcome")
    visits = user.has_perm("clues.change_clue")
    if not (feedback or execution or visits):
        return None
    load = followup.workload(user=user, feedback=feedback, execution=execution, visits=visits)
    rows = []
    if feedback:
        rows += [
            ("告知反馈已超期", load.feedback_overdue, "followup:feedback_list", "overdue"),
            ("告知反馈3个工作日内到期", load.feedback_due_soon, "followup:feedback_list",
             "due_soon"),
        ]  # fmt: skip
    if execution:
        rows.append(
            ("职务工资变更已超期", load.execution_overdue, "followup:execution_list", "overdue")
        )
    if visits:
        rows.append(("回访教育到期未回访", load.visits_due, "followup:visit_list", "due"))
    return {
        "rows": [
            {"label": label, "count": n, "url": _with_query(_url_or_empty(name), state=state)}
            for label, n, name, state in rows
        ],
        "feedback": load.feedback_items,
        "today": timezone.localdate(),
    }
