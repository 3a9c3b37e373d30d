"""Pages of the 巡察 rounds: the list, a round (targets, teams, draws, stage, findings),
and its writes (draw, stage move, finding). Outside the jurisdiction: 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.inspections import selectors, services
from jiandu.inspections.choices import STAGE_ORDER, RoundStage
from jiandu.inspections.forms import DrawForm, FindingForm, RoundCreateForm, StageForm
from jiandu.inspections.models import InspectionRound
from jiandu.orgs.forms import add_service_errors

VIEW = "inspections.view_inspectionround"


def _managed(request: HttpRequest, pk: int) -> InspectionRound:
    item = selectors.round_get(user=request.user, pk=pk)
    if not selectors.may_manage(request.user, item):
        raise PermissionDenied("只有组织本轮巡察的单位可以操作")
    return item


def _next_stage(item: InspectionRound) -> RoundStage | None:
    index = STAGE_ORDER.index(item.stage)
    return RoundStage(STAGE_ORDER[index + 1]) if index + 1 < len(STAGE_ORDER) else None


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = list(selectors.round_list(user=request.user))
    return render(request, "inspections/round_list.html", {"rounds": rounds})


@login_required
@permission_required("inspections.add_inspectionround", raise_exception=True)
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    form = RoundCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        targets = list(data["targets"])
        try:
            item = services.round_create(
                actor=request.user,
                name=data["name"],
                form=data["form"],
                level=data["level"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                targets=targets,
                focus_items={t.pk: list(data["focus_items"]) for t in targets},
                team_size=data["team_size"],
                required_skills=form.skills(),
                cooldown_months=data["cooldown_months"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已建立巡察轮次，下一步抽取巡察组")
            return redirect("inspections:round_detail", pk=item.pk)
    return render(request, "inspections/round_form.html", {"form": form})


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.round_get(user=request.user, pk=pk)
    manage = selectors.may_manage(request.user, item)
    draws = list(item.draws.all()[:10]) if manage else []
    names = {}
    for d in draws:
        names.update({t["org_id"]: t["name"] for t in d.inputs.get("targets", [])})
    context = {
        "round": item,
        "stages": [(RoundStage(s).label, s == item.stage) for s in STAGE_ORDER],
        "targets": list(item.targets.select_related("org").prefetch_related("focus_items")),
        "teams": selectors.teams(item),
        "draws": [
            {
                "draw": d,
                "infeasible": [
                    {"target": names.get(r["target"], r["target"]), "reason": r["reason"]}
                    for r in d.result.get("infeasible", [])
                ],
            }
            for d in draws
        ],
        "findings": list(
            item.problems.select_related("problem", "problem__org", "focus_item").order_by("pk")
        ),
        "clues": list(item.clues.select_related("clue", "target__org").order_by("pk")),
        "figures": selectors.round_figures(item),
        "manage": manage,
        "next_stage": _next_stage(item) if manage else None,
        "draw_form": DrawForm() if manage and item.stage == RoundStage.PREPARING else None,
        "stage_form": StageForm(),
        "finding_form": (
            FindingForm(round=item)
            if manage
            and item.stage in services.FINDING_STAGES
            and request.user.has_perm("oversight.add_problem")
            else None
        ),
    }
    return render(request, "inspections/round_detail.html", context)


@login_required
@permission_required("inspections.add_teamdraw", raise_exception=True)
@require_POST
def round_draw(request: HttpRequest, pk: int) -> HttpResponse:
    item = _managed(request, pk)
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            draw = services.round_draw(
                actor=request.user, round=item, seed=form.cleaned_data["seed"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            if draw.feasible:
                messages.success(request, f"已抽取巡察组（随机种子 {draw.seed}）")
            else:
                messages.error(request, "有单位组不齐，见抽组记录中的原因")
    else:
        messages.error(request, "随机种子应为非负整数")
    return redirect("inspections:round_detail", pk=item.pk)


@login_required
@permission_required("inspections.change_inspectionround", raise_exception=True)
@require_POST
def round_stage(request: HttpRequest, pk: int) -> HttpResponse:
    item = _managed(request, pk)
    form = StageForm(request.POST)
    target = request.POST.get("to_stage", "")
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.round_advance(actor=request.user, round=item, to_stage=target, note=note)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已进入“{RoundStage(target).label}”阶段")
    return redirect("inspections:round_detail", pk=item.pk)


@login_required
@permission_required("oversight.add_problem", raise_exception=True)
@require_POST
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _managed(request, pk)
    form = FindingForm(request.POST, round=item)
    if form.is_valid():
        data = form.cleaned_data
        try:
            problem = services.finding_add(
                actor=request.user,
                round=item,
                org=data["target"].org,
                description=data["description"],
                category=data["category"],
                focus_item=data["focus_item"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已登记问题 {problem.number}，进入整改闭环")
    else:
        messages.error(request, "请填写被巡察单位、问题类别和问题描述")
    return redirect("inspections:round_detail", pk=item.pk)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def draw_inputs(request: HttpRequest, pk: int, draw_id: int) -> HttpResponse:
    """A stored draw's inputs and result as JSON (to check it with the calculator)."""
    import json

    item = _managed(request, pk)
    draw = item.draws.filter(pk=draw_id).first()
    if draw is None:
        from django.http import Http404

        raise Http404("记录不存在")
    audit_record(actor=request.user, action=AuditAction.EXPORT, obj=draw,
                 summary=f"{item.name}：导出抽组输入（随机种子 {draw.seed}）")  # fmt: skip
    body = {"seed": draw.seed, "inputs": draw.inputs, "result": draw.result}
    response = HttpResponse(json.dumps(body, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="draw-{draw.pk}.json"'
    return response


@login_required
@permission_required("documents.add_document", raise_exception=True)
@require_POST
def target_document(request: HttpRequest, pk: int, org_id: int, kind: str) -> HttpResponse:
    """Issue (or fetch the one already issued) 巡察进驻通知 / 巡察反馈意见 of a target and
    download it."""
    from django.http import Http404
    from django.utils.http import content_disposition_header

    from jiandu.documents.services import document_file_read
    from jiandu.documents.views import DOCX_CONTENT_TYPE

    item = _managed(request, pk)
    target = item.targets.select_related("org").filter(org_id=org_id).first()
    if target is None or kind not in ("entry", "feedback"):
        raise Http404("记录不存在")
    issue = services.entry_notice_issue if kind == "entry" else services.feedback_issue
    try:
        document = issue(actor=request.user, round=item, org=target.org)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("inspections:round_detail", pk=item.pk)
    data = document_file_read(actor=request.user, document=document)
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, document.file_name) or ""
    return response


PROBLEM_SHEET_COLUMNS = [
    ("问题编号", lambda link: link.problem.number, 16),
    ("被巡察单位", lambda link: link.problem.org.name, 24),
    ("重点事项", lambda link: link.focus_item.name if link.focus_item else "", 24),
    ("问题类别", lambda link: link.problem.category.name, 16),
    ("问题描述", lambda link: link.problem.description, 60),
    ("发现日期", lambda link: link.problem.found_on, 12),
    ("整改状态", lambda link: link.problem.rectification.get_status_display(), 14),
    ("整改期限", lambda link: link.problem.rectification.due_on, 12),
]


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def problem_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """问题底稿: the round's findings as .xlsx (the shared, formula-safe writer), audited."""
    from django.utils.http import content_disposition_header

    from jiandu.core.xlsx import XLSX_CONTENT_TYPE, Column, export_rows

    item = _managed(request, pk)
    links = item.problems.select_related(
        "problem__org", "problem__category", "problem__rectification", "focus_item"
    ).order_by("target__org__path", "pk")
    columns = [Column(h, f, w) for h, f, w in PROBLEM_SHEET_COLUMNS]
    data = export_rows(title="问题底稿", columns=columns, rows=links)
    audit_record(actor=request.user, action=AuditAction.EXPORT, obj=item,
                 summary=f"{item.name}：导出问题底稿（{len(links)}个问题）")  # fmt: skip
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{item.name}-问题底稿.xlsx") or ""
    )
    return response


# --- statistics across rounds and per 单元 (inspections.statistics) ------------------


def _year(request: HttpRequest) -> int:
    from django.utils import timezone

    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """巡察统计: the figures by round, form, level or target kind, and per 单元; every
    figure links to the records it counts."""
    from jiandu.inspections import statistics as stats

    by = request.GET.get("by", "round")
    if by not in stats.GROUPINGS:
        by = "round"
    year = _year(request)
    context = {
        "by": by,
        "groupings": list(stats.GROUPINGS.items()),
        "rows": stats.round_statistics(user=request.user, by=by),
        "units": stats.unit_statistics(user=request.user, year=year),
        "year": year,
    }
    return render(request, "inspections/statistics.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def statistics_records(request: HttpRequest) -> HttpResponse:
    """The records one figure of the round statistics counts."""
    from django.http import Http404

    from jiandu.inspections import statistics as stats

    figure, by, key = (request.GET.get(k, "") for k in ("figure", "by", "key"))
    try:
        records = list(stats.round_records(user=request.user, figure=figure, by=by, key=key))
        label = stats.group_label(user=request.user, by=by, key=key)
    except stats.StatisticsError as exc:
        raise Http404(str(exc)) from None
    context = {
        "figure": figure,
        "figure_label": stats.ROUND_FIGURES[figure],
        "group_label": f"{stats.GROUPINGS[by]}：{label}",
        "records": records,
        "by": by,
    }
    return render(request, "inspections/statistics_records.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def unit_statistics_records(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The records one figure of a 单元's statistics counts (outside the user's units: 404)."""
    from django.http import Http404

    from jiandu.inspections import statistics as stats

    unit = stats.units_visible(request.user).filter(pk=unit_id).first()
    figure = request.GET.get("figure", "")
    if unit is None:
        raise Http404("记录不存在")
    year = _year(request)
    try:
        records = list(stats.unit_records(user=request.user, unit_id=unit_id, figure=figure,
                                          year=year))  # fmt: skip
    except stats.StatisticsError as exc:
        raise Http404(str(exc)) from None
    labels = stats.UNIT_FIGURES | {"unchecked": "本年未检查"}
    context = {"unit": unit, "figure": figure, "figure_label": labels[figure], "year": year,
               "records": records}  # fmt: skip
    return render(request, "inspections/unit_statistics_records.html", context)
