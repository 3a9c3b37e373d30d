"""Pages of the 多色榜: the board list, a board (coloured table by month, cumulative or
quarter, any snapshot version; every cell opens the records behind it; a unit's rank
trend; downloads; the close form), board definitions, the library, reported figures
(template and upload) and the warnings with their follow-up.

Views stay thin: a permission check, a selector (404 outside the user's reach), a form,
one service call. htmx requests get the partial they target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiandu.boards import ranking, selectors, services
from jiandu.boards.choices import BoardPeriod, WarningAction, WarningKind, WarningStatus
from jiandu.boards.forms import (
    ArchiveForm,
    BoardForm,
    CloseForm,
    IndicatorForm,
    ReportedTemplateForm,
    ReportedUploadForm,
    WarningActionForm,
    WarningFilterForm,
    add_service_errors,
)
from jiandu.boards.lifecycle import WarningTransitionError
from jiandu.boards.models import BoardSnapshot
from jiandu.boards.tasks import CLOSE_TASK
from jiandu.core.contenttypes import DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE
from jiandu.core.tasks import task_submit
from jiandu.core.views import HtmxHttpRequest
from jiandu.oversight.views import STATUS_TONES as PROBLEM_TONES

if TYPE_CHECKING:
    pass

VIEW = "boards.view_board"

STATUS_TONES: dict[str, str] = {
    WarningStatus.ISSUED: "red",
    WarningStatus.NOTICE_SENT: "orange",
    WarningStatus.ACKNOWLEDGED: "blue",
    WarningStatus.RECTIFICATION_RECEIVED: "green",
}
KIND_TONES: dict[str, str] = {
    WarningKind.CONSECUTIVE_LAST: "orange",
    WarningKind.QUARTER_LAST: "red",
    WarningKind.CUMULATIVE_BOTTOM: "yellow",
}


def _targets(request: HtmxHttpRequest, element_id: str) -> bool:
    return bool(request.htmx) and request.htmx.target == element_id


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


def _require_full(access: selectors.BoardAccess) -> None:
    if not access.sees_all_rows:
        raise PermissionDenied("本多色榜只向参评单位显示本单位一行，不能下载全榜")


# --- the board list --------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def board_list(request: HttpRequest) -> HttpResponse:
    accesses = selectors.board_list(user=request.user)
    latest = selectors.latest_snapshots(boards=[a.board for a in accesses])
    rows = [(a, latest.get(a.board.pk)) for a in accesses]
    return render(request, "boards/board_list.html", {"rows": rows})


# --- a board ---------------------------------------------------------------------


def _pick_snapshot(
    infos: list[selectors.SnapshotInfo], month: str, version: str
) -> tuple[selectors.SnapshotInfo | None, list[selectors.SnapshotInfo]]:
    if not infos:
        return None, []
    months = [i.month for i in infos]
    if month not in months:
        month = infos[0].month
    versions = [i for i in infos if i.month == month]
    chosen = next((i for i in versions if str(i.version) == version), versions[0])
    return chosen, versions


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def board_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    access = selectors.board_get(user=request.user, pk=pk)
    board = access.board
    infos = selectors.snapshot_infos(board=board)
    info, versions = _pick_snapshot(
        infos, request.GET.get("month", ""), request.GET.get("version", "")
    )
    period = request.GET.get("view", BoardPeriod.MONTH)
    if period not in BoardPeriod.values:
        period = BoardPeriod.MONTH
    context: dict[str, Any] = {
        "access": access,
        "board": board,
        "month_options": list(dict.fromkeys((i.month, i.month_label) for i in infos)),
        "versions": versions,
        "info": info,
        "period": period,
        "close_form": CloseForm(initial={"month": _default_close_month(infos)}),
        "has_reported": board.board_indicators.filter(indicator__source="reported").exists(),
        "bulletin": selectors.bulletin_issued(board=board, month=info.month)
        if info is not None and access.full
        else None,
    }
    if info is not None:
        snapshot = BoardSnapshot.objects.get(pk=info.pk)
        if period == BoardPeriod.QUARTER and not snapshot.data.get("quarter"):
            period = BoardPeriod.MONTH
        cell_url = reverse("boards:cell_detail", args=[board.pk, snapshot.pk])
        table = selectors.board_table(
            snapshot=snapshot, period=period, access=access, cell_url=cell_url
        )
        warnings = [
            {
                "warning": w,
                "kind_tone": KIND_TONES.get(w.kind, "gray"),
                "status_tone": STATUS_TONES.get(w.status, "gray"),
            }
            for w in selectors.warnings_for_snapshot_month(board=board, month=snapshot.month)
            if access.sees_warning(w)
        ]
        context.update(
            snapshot=snapshot,
            table=table,
            period=period,
            has_quarter=bool(snapshot.data.get("quarter")),
            warnings=warnings,
            colours=snapshot.data["result"]["settings"]["colours"],
            yellow_note=_yellow_note(snapshot),
            cumulative_label=_short_span(snapshot.data["months"]),
            own_row=next((r for r in table.rows if r.own), None),
        )
    if _targets(request, "board-table"):
        return render(request, "boards/board_detail.html#table", context)
    return render(request, "boards/board_detail.html", context)


def _yellow_note(snapshot: BoardSnapshot) -> str:
    labels = list(dict.fromkeys(snapshot.data["result"]["settings"]["yellow_units"].values()))
    return f"黄色为{'和'.join(labels)}" if labels else ""


def _short_span(months: list[str]) -> str:
    """``1—9月`` for January to September."""
    first, last = int(months[0][5:]), int(months[-1][5:])
    return f"{first}月" if first == last else f"{first}—{last}月"


def _default_close_month(infos: list[selectors.SnapshotInfo]) -> str:
    today = timezone.localdate()
    previous = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    return previous


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def cell_detail(request: HtmxHttpRequest, pk: int, snapshot_pk: int) -> HttpResponse:
    access = selectors.board_get(user=request.user, pk=pk)
    snapshot = selectors.snapshot_get(access=access, pk=snapshot_pk)
    drill = selectors.cell_records(
        user=request.user,
        access=access,
        snapshot=snapshot,
        period=request.GET.get("period", BoardPeriod.MONTH),
        unit_key=request.GET.get("unit", ""),
        indicator_key=request.GET.get("indicator", ""),
    )
    context = {"access": access, "board": access.board, "drill": drill}
    if request.htmx:
        return render(request, "boards/cell_detail.html#panel", context)
    return render(request, "boards/cell_detail.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def unit_trend(request: HtmxHttpRequest, pk: int, unit: str) -> HttpResponse:
    access = selectors.board_get(user=request.user, pk=pk)
    try:
        org_id = int(unit)
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404("记录不存在") from None
    if not access.sees_unit(org_id):
        raise Http404("记录不存在")
    points = selectors.rank_trend(access=access, unit_key=unit, year=year)
    most = max((p["participants"] for p in points), default=1)
    chart = {
        "categories": [p["label"] for p in points],
        "series": [{"name": "综合排名", "data": [p["rank"] for p in points]}],
        "integer": True,
        "labels": True,
        "option": {
            "yAxis": [
                {
                    "type": "value",
                    "name": "名次",
                    "inverse": True,
                    "min": 1,
                    "max": most,
                    "minInterval": 1,
                }
            ],
            "tooltip": {"trigger": "axis"},
        },
    }
    context = {
        "access": access,
        "board": access.board,
        "points": points,
        "chart": chart,
        "chart_id": f"trend-{access.board.pk}-{org_id}",
        "unit_name": request.GET.get("name", ""),
        "year": year,
    }
    if request.htmx:
        return render(request, "boards/unit_trend.html#panel", context)
    return render(request, "boards/unit_trend.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def board_xlsx(request: HttpRequest, pk: int, snapshot_pk: int) -> HttpResponse:
    from jiandu.boards import exports

    access = selectors.board_get(user=request.user, pk=pk)
    _require_full(access)
    snapshot = selectors.snapshot_get(access=access, pk=snapshot_pk)
    data = exports.board_xlsx(actor=request.user, snapshot=snapshot)
    name = f"{access.board.title}_{snapshot.month}_第{snapshot.version}版.xlsx"
    return _download(data, name, XLSX_CONTENT_TYPE)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def bulletin_docx(request: HttpRequest, pk: int, month: str) -> HttpResponse:
    """The month's 通报: downloaded (GET) once issued; issued with its 文号 and downloaded
    (POST, 签发) by the board's managers. A GET never numbers a document."""
    from jiandu.boards import exports

    access = selectors.board_get(user=request.user, pk=pk)
    try:
        month = ranking.parse_month(month)
    except ValueError:
        raise Http404("记录不存在") from None
    if not access.full:
        raise PermissionDenied("通报汇总主管单位的全部多色榜，只有主管单位可以下载")
    issue = request.method == "POST"
    if issue and not access.can_change:
        raise PermissionDenied("只有多色榜的管理人员可以签发通报")
    try:
        done = exports.bulletin_docx(
            actor=request.user, board=access.board, month=month, issue=issue
        )
    except ValueError as exc:
        raise Http404(str(exc)) from None
    if done is None:
        messages.info(request, f"{ranking.month_label(month)}通报尚未签发，签发后即可下载")
        return redirect(reverse("boards:board_detail", args=[pk]) + f"?month={month}")
    data, name = done
    return _download(data, name, DOCX_CONTENT_TYPE)


@login_required
@permission_required("boards.close_board", raise_exception=True)
@require_POST
def board_close(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.board_get(user=request.user, pk=pk)
    if not access.full:
        raise PermissionDenied("只有主管单位可以结账")
    board = access.board
    form = CloseForm(request.POST)
    back = reverse("boards:board_detail", args=[board.pk])
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                # ErrorList yields its messages as text; the stubs type them ValidationError | str.
                messages.error(request, f"{label}：{error}" if label else error)  # type: ignore[arg-type]
        return redirect(back + "#close")
    month = form.cleaned_data["month"]
    try:
        month = services.parse_month(month)
        closed = selectors.snapshot_current(board=board, month=month)
        if closed is not None and not form.cleaned_data["reason"].strip():
            raise ValidationError(
                f"{ranking.month_label(month)}已结账（第{closed.version}版），重新计算须填写原因"
            )
        if not form.cleaned_data["missing_as_zero"]:
            missing = services.missing_reported(board=board, month=month)
            if missing:
                units = "、".join(dict.fromkeys(m["unit"] for m in missing))
                raise ValidationError(
                    f"以下单位缺少填报数据：{units}。请先上传填报数据，"
                    "或勾选“缺报数据按0计”后再结账"
                )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back + "#close")
    task = task_submit(
        actor=request.user,
        kind=CLOSE_TASK,
        params={
            "board_id": board.pk,
            "month": month,
            "missing_as_zero": form.cleaned_data["missing_as_zero"],
            "reason": form.cleaned_data["reason"],
        },
    )
    return redirect("core:task_detail", pk=task.pk)


# --- definitions -----------------------------------------------------------------


@login_required
@permission_required("boards.add_board", raise_exception=True)
@require_http_methods(["GET", "POST"])
def board_create(request: HttpRequest) -> HttpResponse:
    form = BoardForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            board = services.board_create(
                actor=request.user, key=form.cleaned_data["key"], **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已新建多色榜“{board.title}”")
            return redirect("boards:board_detail", pk=board.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "boards/board_form.html", {"form": form}, status=status)


@login_required
@permission_required("boards.change_board", raise_exception=True)
@require_http_methods(["GET", "POST"])
def board_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.board_get(user=request.user, pk=pk)
    if not access.full:
        raise PermissionDenied("只有主管单位可以修改多色榜")
    board = access.board
    form = BoardForm(request.POST or None, user=request.user, instance=board)
    if request.method == "POST" and form.is_valid():
        try:
            services.board_update(actor=request.user, board=board, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存。已结账的月份保持原样，下次结账起按新设置计算。")
            return redirect("boards:board_detail", pk=board.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "boards/board_form.html", {"form": form, "board": board}, status=status)


@login_required
@permission_required("boards.change_board", raise_exception=True)
@require_POST
def board_archive(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.board_get(user=request.user, pk=pk)
    if not access.full:
        raise PermissionDenied("只有主管单位可以停用多色榜")
    form = ArchiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "停用须填写原因")
        return redirect("boards:board_edit", pk=access.board.pk)
    try:
        services.board_archive(
            actor=request.user, board=access.board, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("boards:board_edit", pk=access.board.pk)
    messages.success(request, f"已停用多色榜“{access.board.title}”，其快照和预警仍可查看")
    return redirect("boards:board_list")


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def indicator_list(request: HttpRequest) -> HttpResponse:
    return render(request, "boards/indicator_list.html", {"indicators": selectors.indicator_list()})


@login_required
@permission_required("boards.add_board", raise_exception=True)
@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest) -> HttpResponse:
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            indicator = services.indicator_create(
                actor=request.user,
                key=data["key"],
                name=data["name"],
                unit=data["unit"],
                direction=data["direction"],
                source=data["source"],
                statistic=data["statistic"],
                components=data["components"],
                domain=data["domain"],
                description=data["description"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已新增指标“{indicator.heading}”")
            return redirect("boards:indicator_list")
    status = 422 if request.method == "POST" else 200
    return render(request, "boards/indicator_form.html", {"form": form}, status=status)


# --- reported figures ------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def reported_values(request: HttpRequest, pk: int) -> HttpResponse:
    from jiandu.boards import reported

    access = selectors.board_get(user=request.user, pk=pk)
    board = access.board
    form = ReportedUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = reported.reported_import(
                actor=request.user,
                board=board,
                month=form.cleaned_data["month"],
                filename=upload.name,
                data=upload.read(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if result.ok:
                messages.success(
                    request,
                    f"已导入“{upload.name}”：{result.rows}个单位的填报数据。"
                    "已结账的月份须重新结账后才会采用新数据。",
                )
                return redirect(
                    reverse("boards:reported", args=[board.pk])
                    + f"?month={form.cleaned_data['month']}"
                )
    month = request.GET.get("month") or _default_close_month([])
    context = {
        "access": access,
        "board": board,
        "form": form,
        "template_form": ReportedTemplateForm(initial={"month": month}),
        "result": result,
        "uploads": selectors.reported_uploads(access=access)[:50],
    }
    status = 422 if request.method == "POST" and (result is None or not result.ok) else 200
    return render(request, "boards/reported.html", context, status=status)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def reported_template(request: HttpRequest, pk: int) -> HttpResponse:
    from jiandu.boards import reported

    access = selectors.board_get(user=request.user, pk=pk)
    form = ReportedTemplateForm(request.GET)
    if not form.is_valid():
        messages.error(request, "请填写正确的填报月份（如2020-09）")
        return redirect("boards:reported", pk=access.board.pk)
    month = form.cleaned_data["month"]
    try:
        data = reported.reported_template(actor=request.user, board=access.board, month=month)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("boards:reported", pk=access.board.pk)
    name = f"{access.board.title}_{month}_填报模板.xlsx"
    return _download(data, name, XLSX_CONTENT_TYPE)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def reported_file(request: HttpRequest, pk: int, upload_pk: int) -> FileResponse:
    access = selectors.board_get(user=request.user, pk=pk)
    upload = selectors.reported_upload_get(access=access, pk=upload_pk)
    return FileResponse(upload.file.open("rb"), as_attachment=True, filename=upload.original_name)


# --- warnings --------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def warning_list(request: HtmxHttpRequest) -> HttpResponse:
    boards = [a.board for a in selectors.board_list(user=request.user, include_archived=True)]
    orgs = selectors.warning_orgs(user=request.user)
    params = request.GET.copy()
    params.pop("after", None)
    form = WarningFilterForm(params or None, boards=boards, orgs=orgs)
    filters = selectors.WarningFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.WarningFilters(
            board_id=int(data["board"]) if data.get("board") else None,
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            month=data.get("month") or "",
            org_id=int(data["org"]) if data.get("org") else None,
        )
    page, total = selectors.warning_page(
        user=request.user, filters=filters, after=request.GET.get("after"), query=request.GET
    )
    problems = _warning_problems(request, page.items)
    rows = [
        {
            "warning": warning,
            "kind_tone": KIND_TONES.get(warning.kind, "gray"),
            "status_tone": STATUS_TONES.get(warning.status, "gray"),
            **_problem_cell(problems.get(warning.pk)),
        }
        for warning in page.items
    ]
    context = {"filter_form": form, "rows": rows, "page": page, "total": total}
    if _targets(request, "warning-results"):
        return render(request, "boards/warning_list.html#results", context)
    return render(request, "boards/warning_list.html", context)


def _warning_problems(request: HttpRequest, warnings: Sequence[Any]) -> dict[int, Any]:
    """The problems the warnings opened (整改闭环), each with its rectification's
    state, for a viewer who may see problems: only those in the viewer's jurisdiction."""
    if not request.user.has_perm("oversight.view_problem"):
        return {}
    return selectors.warning_problems(user=request.user, warnings=warnings)


def _problem_cell(problem: Any) -> dict[str, Any]:
    """The context of ``boards/_warning_problem.html``: the problem (or None) and the
    tone of its rectification's state."""
    tone = PROBLEM_TONES.get(problem.rectification.status, "gray") if problem else "gray"
    return {"problem": problem, "problem_tone": tone}


def _warning_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    warning, access = selectors.warning_get(user=request.user, pk=pk)
    events = [
        {
            "at": e.at,
            "actor": e.actor.display_name if e.actor else "系统",
            "title": e.get_action_display(),
            "note": e.note,
            "tone": "green" if e.action == WarningAction.RECEIVE_RECTIFICATION else "blue",
            "file_url": reverse("boards:warning_file", args=[warning.pk, e.pk]) if e.file else "",
            "file_name": e.original_name,
        }
        for e in selectors.warning_events(warning=warning)
    ]
    actions = selectors.warning_actions(user=request.user, access=access, warning=warning)
    return {
        "warning": warning,
        "notice": selectors.warning_notice_issued(warning=warning),
        "status_tone": STATUS_TONES.get(warning.status, "gray"),
        **_problem_cell(_warning_problems(request, [warning]).get(warning.pk)),
        "access": access,
        "board": access.board,
        "events": events,
        "evidence_rows": _evidence_rows(warning),
        "actions": [(a, WarningAction(a).label) for a in actions],
        "action_form": WarningActionForm(),
    }


def _evidence_rows(warning: Any) -> list[dict[str, Any]]:
    """Each period behind the warning, linked to the snapshots (all versions) it was read
    from: a month's own board, a quarter's or the year's cumulative board."""
    snapshots = selectors.warning_evidence(warning=warning)
    detail = reverse("boards:board_detail", args=[warning.board_id])
    rows = []
    for item in warning.finding.get("evidence", []):
        if item["period"] == "cumulative":
            month = warning.month
            view = "quarter" if warning.kind == WarningKind.QUARTER_LAST else "cumulative"
        else:
            month, view = item["period"], "month"
        links = [
            {
                "url": f"{detail}?month={s.month}&version={s.version}&view={view}",
                "text": f"{s.month_label}第{s.version}版快照",
            }
            for s in snapshots
            if s.month == month
        ]
        # The place as the notice states it (after the tie-breakers for a unit found
        # last), with how a tie at the bottom was broken.
        evidence = ranking.Evidence.from_dict(item)
        place = f"{'并列第' if evidence.shared > 1 else '第'}{evidence.stated_place}位"
        rows.append({**item, "place": place, "links": links})
    return rows


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "boards/warning_detail.html", _warning_context(request, pk))


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def warning_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    warning, access = selectors.warning_get(user=request.user, pk=pk)
    if action not in WarningAction.values or action == WarningAction.ISSUE:
        raise Http404("记录不存在")
    if not selectors.warning_may(user=request.user, access=access, warning=warning, action=action):
        raise PermissionDenied("您不能对该预警执行此操作")
    form = WarningActionForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            services.warning_transition(
                actor=request.user,
                warning=warning,
                action=action,
                note=form.cleaned_data["note"],
                file_name=upload.name if upload else "",
                file_data=upload.read() if upload else None,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except WarningTransitionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已记录：{WarningAction(action).label}")
    else:
        messages.error(request, "提交的内容有误，请检查后重试")
    return redirect("boards:warning_detail", pk=warning.pk)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def warning_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The 工作预警通知书: downloaded (GET) once issued; issued with its 文号 and
    downloaded (POST, 签发) by the board's managers. A GET never numbers a document."""
    from jiandu.boards import exports

    warning, access = selectors.warning_get(user=request.user, pk=pk)
    issue = request.method == "POST"
    if issue and not access.can_change:
        raise PermissionDenied("只有多色榜的管理人员可以签发工作预警通知书")
    done = exports.warning_notice_docx(actor=request.user, warning=warning, issue=issue)
    if done is None:
        messages.info(request, "工作预警通知书尚未签发，签发后即可下载")
        return redirect("boards:warning_detail", pk=warning.pk)
    data, name = done
    return _download(data, name, DOCX_CONTENT_TYPE)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def warning_file(request: HttpRequest, pk: int, event_pk: int) -> FileResponse:
    warning, _access = selectors.warning_get(user=request.user, pk=pk)
    event = selectors.warning_event_get(warning=warning, pk=event_pk)
    return FileResponse(
        event.file.open("rb"), as_attachment=True, filename=event.original_name or "整改报告"
    )
