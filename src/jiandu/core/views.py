"""Core pages: a background task's progress, and the audit log (for the 审计管理员
only). The home workbench is ``jiandu.workbench``."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from jiandu.core.access import get_or_404
from jiandu.core.audit import audit_log_list, audit_verify
from jiandu.core.choices import AuditAction, TaskStatus
from jiandu.core.models import AuditLog
from jiandu.core.pagination import KeysetPage
from jiandu.core.tasks import task_get, task_label, task_result_rows

AUDIT_PAGE_SIZE = 50


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _targets(request: HtmxHttpRequest, element_id: str) -> bool:
    """True for an htmx request aimed at ``element_id`` (answered with its partial)."""
    return bool(request.htmx) and request.htmx.target == element_id


# --- background tasks ------------------------------------------------------------


def _task_result(task: Any, request: HttpRequest) -> tuple[list[tuple[str, Any]], str]:
    """The result's plain values, and its ``url`` (the page showing the outcome) when
    that is a path on this site: a task result never sends the user elsewhere."""
    result = task.result if isinstance(task.result, dict) else {}
    items = task_result_rows(task.kind, result)
    url = result.get("url", "")
    safe = (
        isinstance(url, str)
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    )
    return items, url if safe else ""


@login_required
def task_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    task = task_get(user=request.user, pk=pk)
    result_items, result_url = _task_result(task, request)
    context = {
        "task": task,
        "kind_label": task_label(task.kind),
        "running": task.status in (TaskStatus.QUEUED, TaskStatus.RUNNING),
        "percent": round((task.progress or 0) * 100),
        "result_items": result_items,
        "result_url": result_url,
        "page_title": f"后台任务 #{task.pk}",
    }
    partial = _targets(request, f"task-{task.pk}")
    template = "core/task_detail.html#task" if partial else "core/task_detail.html"
    return render(request, template, context)


# --- audit log -------------------------------------------------------------------


# Models of installed libraries whose names are not translated (django-axes).
MODEL_NAMES_ZH = {
    "axes.accessattempt": "登录失败计数",
    "axes.accessattemptexpiration": "登录失败计数有效期",
    "axes.accessfailurelog": "登录失败记录",
    "axes.accesslog": "登录记录",
}


def _object_type_choices() -> list[tuple[str, str]]:
    """(model label, its Chinese name) for the audit filter, in the order of the names."""
    choices = [
        (m._meta.label_lower, MODEL_NAMES_ZH.get(m._meta.label_lower, str(m._meta.verbose_name)))
        for m in apps.get_models()
    ]
    return [("", "全部"), *sorted(choices, key=lambda c: c[1])]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label="操作", required=False, choices=[("", "全部"), *AuditAction.choices]
    )
    actor = forms.CharField(label="操作人账号", required=False, max_length=150)
    object_type = forms.ChoiceField(label="对象类型", required=False)
    object_id = forms.CharField(label="对象编号", required=False, max_length=64)
    start = forms.DateField(label="起始日期", required=False, widget=_date_input())
    end = forms.DateField(label="截止日期", required=False, widget=_date_input())

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = _object_type_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "截止日期不能早于起始日期")
        return data


def _sequence_page(rows_qs: Any, request: HttpRequest, size: int) -> KeysetPage:
    """Keyset pages over the chain, newest first: ``after`` is the last sequence shown."""
    after = request.GET.get("after", "")
    if after.isdigit():
        rows_qs = rows_qs.filter(sequence__lt=int(after))
    rows = list(rows_qs[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    params = request.GET.copy()
    params.pop("after", None)
    return KeysetPage(
        items=rows,
        # Rows not sealed yet (a moment after their commit) have no sequence to page by.
        next_cursor=str(rows[-1].sequence)
        if has_more and rows and rows[-1].sequence is not None
        else None,
        prev_cursor=after if after.isdigit() else None,
        base_query=params.urlencode(),
    )


@login_required
@permission_required("core.view_auditlog", raise_exception=True)
def audit_list(request: HtmxHttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        page = KeysetPage(items=[], next_cursor=None)
    else:
        filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_bound else {}
        page = _sequence_page(
            audit_log_list(user=request.user, **filters), request, AUDIT_PAGE_SIZE
        )
    labels = dict(_object_type_choices())
    rows = [(row, labels.get(row.object_type, row.object_type)) for row in page.items]
    context = {"filter_form": form, "page": page, "rows": rows, "page_title": "审计日志"}
    partial = _targets(request, "audit-results")
    template = "core/audit_list.html#results" if partial else "core/audit_list.html"
    return render(request, template, context)


@login_required
@permission_required("core.view_auditlog", raise_exception=True)
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row: AuditLog = get_or_404(audit_log_list(user=request.user), pk=pk)
    context = {
        "row": row,
        "object_type_label": dict(_object_type_choices()).get(row.object_type, row.object_type),
        "changes_json": json.dumps(row.changes, ensure_ascii=False, indent=2, sort_keys=True),
        "page_title": f"审计记录 #{row.sequence}",
    }
    return render(request, "core/audit_detail.html", context)


@login_required
@permission_required("core.view_auditlog", raise_exception=True)
@require_POST
def audit_verify_view(request: HtmxHttpRequest) -> HttpResponse:
    report = audit_verify()
    context = {"report": report, "checked_at": timezone.now()}
    partial = _targets(request, "verify-result")
    template = "core/audit_verify.html#verify-result" if partial else "core/audit_verify.html"
    return render(request, template, {**context, "page_title": "校验哈希链"})
