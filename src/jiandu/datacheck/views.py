"""Pages of 大数据比对: datasets (upload → column mapping → import report, versions),
the rule catalogue, runs (start, progress, results per rule, hits, export), a hit with
its evidence, source records, identity suggestions and verification, and the per-rule
precision over time.

Views stay thin: a permission check, a selector (404 outside the user's reach), a form,
one service call. htmx requests get the partial they target. Full ID numbers are shown
only to holders of ``people.view_id_number``, and every page or file that shows them is
audited through the services.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiandu.core.choices import TaskStatus
from jiandu.core.contenttypes import XLSX_CONTENT_TYPE
from jiandu.core.crypto import search_key
from jiandu.core.idnumbers import normalize
from jiandu.core.pagination import KeysetPage, ListPage, SortOption, paginate_list
from jiandu.core.views import HtmxHttpRequest
from jiandu.core.xlsx import Column, export_rows
from jiandu.datacheck import evidence as ev
from jiandu.datacheck import files, selectors, services
from jiandu.datacheck.choices import HitAction, HitStatus
from jiandu.datacheck.engine.catalog import (
    DATASETS,
    RULE_SPECS,
    DatasetError,
    readable_report_message,
)
from jiandu.datacheck.forms import (
    HitBulkForm,
    HitFilterForm,
    IdentifyForm,
    MappingForm,
    RunForm,
    UploadForm,
    action_form,
    add_service_errors,
)
from jiandu.datacheck.lifecycle import HitTransitionError, allowed_hit_actions
from jiandu.datacheck.models import Hit, Run
from jiandu.orgs.selectors import region_names

if TYPE_CHECKING:
    from jiandu.accounts.views import AuthenticatedRequest

VIEW = "datacheck.view_run"
VERIFY = "datacheck.verify_hit"
FULL_IDS = "people.view_id_number"
PAGE_SIZE = 50
VERSIONS_SHOWN = 20

STATUS_TONES: dict[str, str] = {
    HitStatus.PENDING: "orange",
    HitStatus.ASSIGNED: "blue",
    HitStatus.CONFIRMED: "red",
    HitStatus.EXCLUDED: "gray",
    HitStatus.CONVERTED: "green",
}
TASK_TONES: dict[str, str] = {
    TaskStatus.QUEUED: "gray",
    TaskStatus.RUNNING: "blue",
    TaskStatus.SUCCEEDED: "green",
    TaskStatus.FAILED: "red",
}


def _targets(request: HtmxHttpRequest, element_id: str) -> bool:
    return bool(getattr(request, "htmx", False)) and request.htmx.target == element_id


def _full_ids(request: HttpRequest) -> bool:
    return request.user.has_perm(FULL_IDS)


def _id_page(qs: Any, *, after: str | None, query: Any) -> KeysetPage:
    """Rows in id order after the cursor (the id of the previous page's last row)."""
    if after and after.isdigit():
        qs = qs.filter(pk__gt=int(after))
    rows = list(qs.order_by("pk")[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    params = query.copy()
    params.pop("after", None)
    return KeysetPage(
        items=rows,
        next_cursor=str(rows[-1].pk) if more and rows else None,
        prev_cursor=after or None,
        base_query=params.urlencode(),
    )


def _download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


# --- datasets --------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def dataset_list(request: HttpRequest) -> HttpResponse:
    context = {"datasets": selectors.dataset_overview(user=request.user)}
    return render(request, "datacheck/dataset_list.html", context)


@login_required
@permission_required("datacheck.add_datasetversion", raise_exception=True)
@require_http_methods(["GET", "POST"])
def dataset_upload(request: AuthenticatedRequest) -> HttpResponse:
    initial = {"dataset": request.GET.get("dataset", "")}
    form = UploadForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            staged = files.stage_upload(
                uploaded=form.cleaned_data["file"],
                user_id=request.user.pk,
                dataset=form.cleaned_data["dataset"],
                region_code=form.cleaned_data["region_code"],
            )
        except DatasetError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("datacheck:dataset_mapping", token=staged.token)
    status = 422 if request.method == "POST" else 200
    return render(request, "datacheck/dataset_upload.html", {"form": form}, status=status)


@login_required
@permission_required("datacheck.add_datasetversion", raise_exception=True)
@require_http_methods(["GET", "POST"])
def dataset_mapping(request: HttpRequest, token: str) -> HttpResponse:
    staged = files.staged_upload(token)
    if staged is None or staged.user_id != request.user.pk:
        raise Http404("上传的文件不存在或已过期，请重新上传")
    form = MappingForm(request.POST or None, staged=staged)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.dataset_import(
                actor=request.user,
                dataset=staged.dataset,
                region_code=staged.region_code,
                path=staged.path,
                source_name=staged.filename,
                mapping=form.cleaned_data["mapping"],
            )
        except DatasetError as exc:
            form.add_error(None, f"文件未导入：{exc}")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            files.discard_upload(staged)
            messages.success(request, f"已导入{version}")
            return redirect("datacheck:version_detail", pk=version.pk)
    context = {"form": form, "staged": staged, "spec": DATASETS[staged.dataset]}
    status = 422 if request.method == "POST" else 200
    return render(request, "datacheck/dataset_mapping.html", context, status=status)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def dataset_versions(request: HttpRequest, name: str) -> HttpResponse:
    spec = DATASETS.get(name)
    if spec is None:
        raise Http404("没有这个数据集")
    qs = selectors.dataset_version_list(user=request.user, dataset=name)
    after = request.GET.get("after")
    if after and after.isdigit():
        qs = qs.filter(pk__lt=int(after))
    rows = list(qs.order_by("-pk")[: PAGE_SIZE + 1])
    page = KeysetPage(
        items=rows[:PAGE_SIZE],
        next_cursor=str(rows[PAGE_SIZE - 1].pk) if len(rows) > PAGE_SIZE else None,
        prev_cursor=after or None,
    )
    rules = [r for r in RULE_SPECS.values() if name in r.datasets]
    context = {"spec": spec, "page": page, "rules": rules}
    return render(request, "datacheck/dataset_versions.html", context)


def _report_row(row: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    return {
        **row,
        "label": labels.get(row["column"], ""),
        "message": readable_report_message(str(row.get("message", ""))),
    }


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.dataset_version_get(user=request.user, pk=pk)
    spec = DATASETS[version.dataset]
    labels = {c.name: c.label for c in spec.columns}
    report = version.report or {}
    context = {
        "version": version,
        "spec": spec,
        "errors": [_report_row(e, labels) for e in report.get("errors", [])],
        "warnings": [_report_row(w, labels) for w in report.get("warnings", [])],
        "mapping": [
            (header, target, labels.get(target, "")) for header, target in version.mapping.items()
        ],
        "runs": list(selectors.run_list(user=request.user).filter(dataset_versions=version)[:10]),
    }
    return render(request, "datacheck/version_detail.html", context)


# --- rules -----------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    return render(request, "datacheck/rule_list.html", {"rules": selectors.rule_catalogue()})


# --- runs ------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.run_list(user=request.user)
    after = request.GET.get("after")
    if after and after.isdigit():
        qs = qs.filter(pk__lt=int(after))
    rows = list(qs[: PAGE_SIZE + 1])
    page = KeysetPage(
        items=[
            {"run": run, "tone": TASK_TONES.get(run.status, "gray")} for run in rows[:PAGE_SIZE]
        ],
        next_cursor=str(rows[PAGE_SIZE - 1].pk) if len(rows) > PAGE_SIZE else None,
        prev_cursor=after or None,
    )
    return render(request, "datacheck/run_list.html", {"page": page})


@login_required
@permission_required([VIEW, "datacheck.add_run"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def run_start(request: HttpRequest) -> HttpResponse:
    versions = list(
        selectors.dataset_version_list(user=request.user)
        .order_by("dataset", "-created_at", "-pk")
        .select_related("org")
    )
    shown: dict[str, int] = {}
    offered = []
    for version in versions:
        shown[version.dataset] = shown.get(version.dataset, 0) + 1
        if shown[version.dataset] <= VERSIONS_SHOWN:
            offered.append(version)
    form = RunForm(request.POST or None, user=request.user, versions=offered)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_start(
                actor=request.user,
                rules=form.cleaned_data["rules"],
                versions=form.cleaned_data["versions"],
                region_code=form.cleaned_data["region_code"],
                params=form.cleaned_data["params"],
                backend=form.cleaned_data["backend"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已提交{run}，正在后台执行")
            return redirect("datacheck:run_detail", pk=run.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "datacheck/run_start.html", {"form": form}, status=status)


def _hit_rows(request: HttpRequest, hits: list[Hit], *, full: bool) -> list[dict[str, Any]]:
    places = region_names({hit.region_code for hit in hits}, nearest=True)
    return [
        {
            "hit": hit,
            "place": places.get(hit.region_code, ""),
            "subject": hit.subject if full else hit.subject_masked,
            "summary": ev.summary(hit.rule_code, hit.evidence, full=full),
            "tone": STATUS_TONES.get(hit.status, "gray"),
        }
        for hit in hits
    ]


# The columns of the hit list users sort by (URL key → fields).
HIT_PAGE_SIZE = 50
HIT_SORTS = [
    SortOption("id", "id", "序号"),
    SortOption("rule", "rule_code", "规则"),
    SortOption("name", "subject_name", "姓名"),
    SortOption("period", "period", "所属月份"),
    SortOption("amount", "amount", "涉及金额（元）"),
    SortOption("region", "region_code", "所在地区"),
    SortOption("status", "status", "核查状态"),
]
GROUP_SORTS = [
    SortOption("rule", "rule_code", "规则"),
    SortOption("count", "n", "疑点数"),
    SortOption("amount", "money", "涉及金额（元）"),
    SortOption("period", "last_period", "所属月份"),
]


def _hit_page(
    request: HttpRequest, *, run: Run | None, where: str
) -> tuple[HitFilterForm, ListPage, list[dict[str, Any]], bool]:
    """The hit list of a run (``run``) or across runs (the latest finding of each
    identity): filtered, sorted, numbered; ``?view=groups`` one row per person and
    rule (``rows`` are then HitGroups)."""
    form = HitFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    # Page and sort links carry the searched number's blind index, never the number.
    query = request.GET.copy()
    subject_key = query.get("subject_key", "")
    if not re.fullmatch(r"[0-9a-f]{64}", subject_key):
        subject_key = ""
    if data.get("subject"):
        subject_key = search_key(normalize(data["subject"]))
    query.pop("subject", None)
    query.pop("subject_key", None)
    if subject_key:
        query["subject_key"] = subject_key
    filters = selectors.HitFilters(
        run_id=run.pk if run else None,
        rule=data.get("rule") or "",
        status=data.get("status") or "",
        subject_key=subject_key,
        presence=data.get("presence") or "",
        current_only=run is None,
    )
    qs = selectors.hit_list(user=request.user, filters=filters)
    full = _full_ids(request)
    if data.get("view") == "groups":
        page = paginate_list(
            selectors.hit_group_rows(qs=qs),
            params=query,
            sorts=GROUP_SORTS,
            default_sort="rule",
            size=HIT_PAGE_SIZE,
            key="first",
            cursors=False,
        )
        groups = selectors.hit_groups_expand(qs=qs, rows=page.items)
        if full:
            firsts = [g.first for g in groups]
            services.hits_reveal(actor=request.user, hits=firsts, where=where, run=run)
        rows = [
            {
                "group": g,
                "subject": g.first.subject if full else g.first.subject_masked,
                "hit": g.first,
            }
            for g in groups
        ]
        return form, page, rows, full
    # Numbered pages without cursors: a user's findings are one commission's (thousands,
    # counted exactly), and amounts may be empty.
    page = paginate_list(
        qs, params=query, sorts=HIT_SORTS, default_sort="id", size=HIT_PAGE_SIZE, cursors=False
    )
    if full:
        services.hits_reveal(actor=request.user, hits=page.items, where=where, run=run)
    return form, page, _hit_rows(request, page.items, full=full), full


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def run_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, pk=pk)
    context: dict[str, Any] = {"run": run, "tone": TASK_TONES.get(run.status, "gray")}
    if _targets(request, "run-status"):
        response = render(request, "datacheck/run_detail.html#status", context)
        if not run.is_running:
            response["HX-Refresh"] = "true"
        return response
    if _targets(request, "hit-results"):
        form, page, rows, full = _hit_page(request, run=run, where=f"比对任务#{run.pk}")
        context.update({"filter_form": form, "page": page, "rows": rows, "full": full})
        return render(request, "datacheck/run_detail.html#hits", context)
    context["versions"] = selectors.run_versions(run=run)
    context["params"] = [
        (
            code,
            RULE_SPECS[code].name,
            RULE_SPECS[code].parameter_rows(run.params.get(code)),
        )
        for code in run.rules
        if code in RULE_SPECS and RULE_SPECS[code].defaults
    ]
    if run.succeeded:
        results = selectors.run_rule_results(user=request.user, run=run)
        form, page, rows, full = _hit_page(request, run=run, where=f"比对任务#{run.pk}")
        context.update(
            {
                "results": results,
                "presence": selectors.run_presence(user=request.user, run=run),
                "total_hits": sum(r.hits for r in results),
                "total_amount": sum((r.amount for r in results), Decimal("0.00")),
                "filter_form": form,
                "page": page,
                "rows": rows,
                "full": full,
                "export_url": reverse("datacheck:run_export", args=[run.pk])
                + (f"?{request.GET.urlencode()}" if request.GET else ""),
            }
        )
    return render(request, "datacheck/run_detail.html", context)


@dataclass(frozen=True)
class _HitSheet:
    """What an exported hit's cells depend on besides the hit: full or masked ID numbers,
    and the place names of the hits' region codes (one query for the sheet)."""

    full: bool
    places: dict[str, str]


HIT_COLUMNS: list[tuple[str, Callable[[Hit, _HitSheet], Any], int]] = [
    ("疑点编号", lambda h, sheet: h.pk, 10),
    ("规则", lambda h, sheet: f"{h.rule_code} {h.rule_name}", 18),
    ("比对对象", lambda h, sheet: h.subject if sheet.full else h.subject_masked, 22),
    ("姓名", lambda h, sheet: h.subject_name, 10),
    ("项目", lambda h, sheet: h.program, 16),
    ("所属月份", lambda h, sheet: h.period, 10),
    ("涉及金额（元）", lambda h, sheet: h.amount, 14),
    ("所在地区", lambda h, sheet: sheet.places.get(h.region_code, ""), 24),
    ("核查状态", lambda h, sheet: h.get_status_display(), 10),
    ("核查单位", lambda h, sheet: h.handling_org.name if h.handling_org else "", 18),
    ("核查结论说明", lambda h, sheet: h.decision_reason, 30),
    ("问题线索", lambda h, sheet: h.clue.number if h.clue else "", 16),
    (
        "比对证据",
        lambda h, sheet: "；".join(f"{k}：{v}" for k, v in ev.rows(h.evidence, full=sheet.full)),
        60,
    ),
]


def _hit_cell(fn: Callable[[Hit, _HitSheet], Any], sheet: _HitSheet) -> Callable[[Hit], Any]:
    """A column's value of a hit on this sheet."""
    return lambda hit: fn(hit, sheet)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def run_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's hits (as filtered on the page) as .xlsx; full ID numbers for holders of
    ``people.view_id_number``. Every export is audited."""
    run = selectors.run_get(user=request.user, pk=pk)
    form = HitFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.HitFilters(
        run_id=run.pk, rule=data.get("rule") or "", status=data.get("status") or ""
    )
    hits = list(selectors.hit_list(user=request.user, filters=filters).order_by("pk"))
    full = _full_ids(request)
    services.hits_export(
        actor=request.user,
        hits=hits,
        criteria={"run": run.pk, "rule": filters.rule, "status": filters.status},
        full_ids=full,
        run=run,
    )
    sheet = _HitSheet(
        full=full, places=region_names({hit.region_code for hit in hits}, nearest=True)
    )
    columns = [Column(header, _hit_cell(fn, sheet), width) for header, fn, width in HIT_COLUMNS]
    data_bytes = export_rows(title=f"比对任务{run.pk}疑点", columns=columns, rows=hits)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _download(data_bytes, f"比对任务{run.pk}疑点_{stamp}.xlsx")


# --- hits ------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def hit_list(request: HtmxHttpRequest) -> HttpResponse:
    form, page, rows, full = _hit_page(request, run=None, where="比对疑点列表")
    context = {"filter_form": form, "page": page, "rows": rows, "full": full}
    if _targets(request, "hit-results"):
        return render(request, "datacheck/hit_list.html#hits", context)
    return render(request, "datacheck/hit_list.html", context)


def _workflow_context(request: HttpRequest, hit: Hit, forms_by_action: dict | None = None) -> dict:
    actions = selectors.hit_next_actions(user=request.user, hit=hit)
    forms_by_action = forms_by_action or {}
    return {
        "hit": hit,
        "tone": STATUS_TONES.get(hit.status, "gray"),
        "actions": [
            {
                "action": action,
                "label": HitAction(action).label,
                "form": forms_by_action.get(action) or action_form(action, user=request.user),
            }
            for action in actions
        ],
        "events": [
            {
                "at": event.at,
                "actor": event.actor,
                "title": _event_title(event),
                "note": _event_note(event),
                "tone": STATUS_TONES.get(event.to_status, "gray"),
            }
            for event in selectors.hit_timeline(hit=hit)
        ],
    }


def _event_title(event: Any) -> str:
    title = event.get_action_display()
    if event.action == HitAction.ASSIGN and event.to_org:
        title += f"至{event.to_org}"
    if event.action == HitAction.CONVERT and event.data.get("clue_number"):
        title += f"（{event.data['clue_number']}）"
    return title


def _event_note(event: Any) -> str:
    if event.action == HitAction.IDENTIFY:
        # Masked for everyone: the timeline is also refreshed by actions, unaudited.
        who = event.data.get("id_masked", "")
        text = f"认定为：{event.data.get('name', '')}（{who}），相似度{event.data.get('score', '')}"
        return f"{text}\n{event.reason}" if event.reason else text
    return event.reason


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def hit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hit = selectors.hit_get(user=request.user, pk=pk)
    full = _full_ids(request)
    suggestions = None
    if selectors.identity_applicable(hit):
        suggestions = selectors.hit_identity_suggestions(hit=hit)
    if full:
        services.hits_reveal(actor=request.user, hits=[hit], where="比对疑点详情")
    rule = RULE_SPECS.get(hit.rule_code)
    context = {
        **_workflow_context(request, hit),
        "rule": rule,
        "full": full,
        "subject": hit.subject if full else hit.subject_masked,
        "run_visible": selectors.run_list(user=request.user).filter(pk=hit.run_id).exists(),
        "evidence": ev.rows(hit.evidence, full=full),
        "sources": selectors.hit_source_rows(hit=hit, full=full),
        "suggestions": suggestions,
        "candidates": [
            {
                "index": index,
                "candidate": c,
                "id_no": c.id_no if full else ev.protect(c.id_no, key="id_no"),
                "percent": round(c.score * 100, 1),
            }
            for index, c in enumerate(suggestions.candidates if suggestions else [])
        ],
        "can_verify": request.user.has_perm(VERIFY),
        "successor": selectors.hit_successor(user=request.user, hit=hit),
        "group_size": selectors.hit_group(user=request.user, hit=hit).count()
        if hit.is_current
        else 0,
    }
    return render(request, "datacheck/hit_detail.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def hit_group(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's (or account's) current hits under one rule, shown together, with
    分派 and 排除 for the ones chosen (all that allow it, by default)."""
    hit = selectors.hit_get(user=request.user, pk=pk)
    hits = list(selectors.hit_group(user=request.user, hit=hit).select_related("run"))
    if not hits:
        raise Http404("该疑点已被之后的比对再次发现")
    can_verify = request.user.has_perm(VERIFY)
    post = request.POST if request.method == "POST" else None
    form = HitBulkForm(post, user=request.user, hits=hits)
    error = ""
    if post is not None:
        if not can_verify:
            raise PermissionDenied("没有核查比对疑点的权限")
        action = post.get("action", "")
        if action not in (HitAction.ASSIGN, HitAction.EXCLUDE):
            raise Http404("未知的核查动作")
        if form.is_valid():
            chosen = [h for h in hits if h.pk in set(form.cleaned_data["hits"])]
            try:
                if action == HitAction.ASSIGN:
                    done = services.hits_assign(
                        actor=request.user,
                        hits=chosen,
                        handling_org=form.cleaned_data["handling_org"],
                        reason=form.cleaned_data["reason"],
                    )
                else:
                    done = services.hits_exclude(
                        actor=request.user, hits=chosen, reason=form.cleaned_data["reason"]
                    )
            except HitTransitionError as exc:
                error = str(exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已{HitAction(action).label}{len(done)}条疑点")
                return redirect("datacheck:hit_group", pk=hit.pk)
    full = _full_ids(request)
    if full:
        services.hits_reveal(actor=request.user, hits=hits, where="同一人员疑点")
    assignable = {h.pk for h in hits if HitAction.ASSIGN in allowed_hit_actions(h.status)}
    excludable = {h.pk for h in hits if HitAction.EXCLUDE in allowed_hit_actions(h.status)}
    context = {
        "hit": hit,
        "rule": RULE_SPECS.get(hit.rule_code),
        "subject": hit.subject if full else hit.subject_masked,
        "rows": _hit_rows(request, hits, full=full),
        "total_amount": sum((h.amount or Decimal("0") for h in hits), Decimal("0.00")),
        "periods": sorted({h.period for h in hits if h.period}),
        "can_verify": can_verify,
        "form": form,
        "assignable": assignable,
        "excludable": excludable,
        "actionable": assignable | excludable,
        "chosen": set(form.cleaned_data["hits"])
        if form.is_bound and form.is_valid()
        else (assignable | excludable),
        "error": error,
        "full": full,
    }
    status = 409 if error else (422 if post is not None else 200)
    return render(request, "datacheck/hit_group.html", context, status=status)


@login_required
@permission_required([VIEW, VERIFY], raise_exception=True)
@require_POST
def hit_action(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One verification move (分派核查, 确认, 排除, 转为问题线索); answers the refreshed
    workflow card for htmx, else goes back to the hit."""
    hit = selectors.hit_get(user=request.user, pk=pk)
    action = request.POST.get("action", "")
    if action not in HitAction.values or action == HitAction.IDENTIFY:
        raise Http404("未知的核查动作")
    if action == HitAction.CONVERT and not request.user.has_perm("clues.add_clue"):
        raise PermissionDenied("没有登记问题线索的权限")
    form = action_form(action, request.POST, user=request.user)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            hit = services.hit_apply(
                actor=request.user,
                hit=hit,
                action=action,
                handling_org=data.get("handling_org"),
                reason=data.get("reason", ""),
                title=data.get("title", ""),
            )
        except HitTransitionError as exc:
            error = str(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, f"已{HitAction(action).label}")
                return redirect("datacheck:hit_detail", pk=hit.pk)
            context = _workflow_context(request, hit)
            context["success"] = f"已{HitAction(action).label}"
            return render(request, "datacheck/hit_detail.html#workflow", context)
    if error and not request.htmx:
        messages.error(request, error)
        return redirect("datacheck:hit_detail", pk=hit.pk)
    hit.refresh_from_db()
    context = _workflow_context(request, hit, {action: form} if not error else None)
    context["error"] = error
    status = 409 if error else 422
    if request.htmx:
        return render(request, "datacheck/hit_detail.html#workflow", context, status=status)
    # ErrorList yields its messages as text; the stubs type its items as ValidationError | str.
    messages.error(request, "；".join(m for msgs in form.errors.values() for m in msgs))  # type: ignore[misc]
    return redirect("datacheck:hit_detail", pk=hit.pk)


@login_required
@permission_required([VIEW, VERIFY], raise_exception=True)
@require_POST
def hit_identify(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one identity suggestion as the actor's judgement (a note on the hit)."""
    hit = selectors.hit_get(user=request.user, pk=pk)
    if not selectors.identity_applicable(hit):
        raise Http404("该疑点不适用身份建议")
    form = IdentifyForm(request.POST)
    suggestions = selectors.hit_identity_suggestions(hit=hit)
    if not form.is_valid() or form.cleaned_data["candidate"] >= len(suggestions.candidates):
        messages.error(request, "请从身份建议中选择一人")
        return redirect("datacheck:hit_detail", pk=hit.pk)
    candidate = suggestions.candidates[form.cleaned_data["candidate"]]
    services.hit_identify(
        actor=request.user, hit=hit, candidate=candidate, note=form.cleaned_data["note"]
    )
    messages.success(request, f"已记录身份认定：{candidate.name}（仅作备注，未合并任何记录）")
    return redirect("datacheck:hit_detail", pk=hit.pk)


# --- precision -------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def precision(request: HttpRequest) -> HttpResponse:
    table = selectors.precision_table(user=request.user)
    rows = [
        {
            "code": code,
            "name": RULE_SPECS[code].name,
            "cells": [table.cells.get(code, {}).get(run.pk) for run in table.runs],
        }
        for code in table.rules
    ]
    context = {"table": table, "rows": rows, "chart": table.chart()}
    return render(request, "datacheck/precision.html", context)
