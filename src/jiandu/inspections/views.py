"""Pages of the 巡察 rounds: the list, a round (targets, teams, draws, stage, findings),
and its writes (draw, stage move, finding). Outside the jurisdiction: 404."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
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
        "avoid": selectors.draw_avoid_rows(draws[0]) if draws else [],
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

    from jiandu.core.contenttypes import DOCX_CONTENT_TYPE
    from jiandu.documents.services import document_file_read

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

    from jiandu.core.contenttypes import XLSX_CONTENT_TYPE
    from jiandu.core.xlsx import Column, export_rows

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


# --- 单元制 supervision units (seed 000) -------------------------------------------------

UNIT_VIEW = "inspections.view_supervisionunit"


def _year(request: HttpRequest) -> int:
    """The ``year`` of the address (2000–2100, as the plan form takes), else this year."""
    from django.utils import timezone

    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return this_year
    return year if 2000 <= year <= 2100 else this_year


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


@login_required
@permission_required(UNIT_VIEW, raise_exception=True)
@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    from django.db.models import Count

    year = _year(request)
    units_ = list(
        selectors.unit_list(user=request.user).annotate(
            covered_count=Count("covered", distinct=True),
            check_count=Count("checks", distinct=True),
        )
    )
    return render(
        request,
        "inspections/unit_list.html",
        {"units": units_, "year": year,
         "can_add": request.user.has_perm("inspections.add_supervisionunit")},
    )  # fmt: skip


@login_required
@permission_required("inspections.add_supervisionunit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    from jiandu.inspections import units
    from jiandu.inspections.forms import UnitCreateForm

    form = UnitCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            unit = units.unit_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                members=form.members(),
                covered=list(form.cleaned_data["covered"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已建立{unit.name}，下一步制定年度监督计划")
            return redirect("inspections:unit_detail", pk=unit.pk)
    return render(request, "inspections/unit_form.html", {"form": form},
                  status=422 if form.errors else 200)  # fmt: skip


@login_required
@permission_required(UNIT_VIEW, raise_exception=True)
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from jiandu.inspections import units
    from jiandu.inspections.forms import CheckCreateForm, CoveragePlanForm

    unit = selectors.unit_get(user=request.user, pk=pk)
    year = _year(request)
    plans = list(unit.plans.filter(year=year).select_related("org").order_by("org__path"))
    plan_form = None
    if selectors.may_plan_unit(request.user, unit):
        plan_form = CoveragePlanForm(
            unit=unit,
            initial={"year": year, "orgs": [p.org for p in plans],
                     "key": [p.org for p in plans if p.key_check]},
        )  # fmt: skip
    run = selectors.may_run_checks(request.user, unit)
    context = {
        "unit": unit,
        "year": year,
        "members": list(unit.members.select_related("org").order_by("role", "org__path")),
        "covered": list(unit.covered.order_by("path")),
        "plans": plans,
        "coverage": units.coverage(unit, year),
        "figures": units.unit_figures(unit, year),
        "checks": list(unit.checks.prefetch_related("targets").order_by("-held_on", "-pk")),
        "open_problems": units.open_problems(unit),
        "plan_form": plan_form,
        "check_form": CheckCreateForm(unit=unit) if run else None,
    }
    return render(request, "inspections/unit_detail.html", context)


@login_required
@permission_required("inspections.change_supervisionunit", raise_exception=True)
@require_POST
def unit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    from jiandu.inspections import units
    from jiandu.inspections.forms import CoveragePlanForm

    unit = selectors.unit_get(user=request.user, pk=pk)
    if not selectors.may_plan_unit(request.user, unit):
        raise PermissionDenied("只有建立监督单元的纪委监委可以制定监督计划")
    form = CoveragePlanForm(request.POST, unit=unit)
    year = _year(request)
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            units.coverage_plan_set(actor=request.user, unit=unit, year=year,
                                    orgs=list(form.cleaned_data["orgs"]),
                                    key=list(form.cleaned_data["key"]))  # fmt: skip
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"已保存{year}年监督计划")
    else:
        messages.error(request, "请选择年度和年度监督单位")
    return redirect(f"{reverse('inspections:unit_detail', args=[unit.pk])}?year={year}")


def _run_unit(request: HttpRequest, unit: Any) -> None:
    if not selectors.may_run_checks(request.user, unit):
        raise PermissionDenied("只有监督单元的派驻组、镇（园区）纪（工）委和组织单位可以开展检查")


@login_required
@permission_required("inspections.add_specialcheck", raise_exception=True)
@require_POST
def check_create(request: HttpRequest, pk: int) -> HttpResponse:
    from jiandu.inspections import units
    from jiandu.inspections.forms import CheckCreateForm

    unit = selectors.unit_get(user=request.user, pk=pk)
    _run_unit(request, unit)
    form = CheckCreateForm(request.POST, unit=unit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            check = units.check_create(
                actor=request.user, unit=unit, name=data["name"], topic=data["topic"].name,
                held_on=data["held_on"], targets=list(data["targets"]),
                team_size=data["team_size"], required_skills=form.skills(),
            )  # fmt: skip
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"已建立{check.name}，下一步抽取检查组")
            return redirect("inspections:check_detail", pk=check.pk)
    else:
        messages.error(request, "请填写名称、类别、检查日期和被检查单位")
    return redirect("inspections:unit_detail", pk=unit.pk)


def _next_step(check: Any) -> Any:
    from jiandu.inspections.choices import CHECK_STEP_ORDER, CheckStep

    index = CHECK_STEP_ORDER.index(check.step)
    return CheckStep(CHECK_STEP_ORDER[index + 1]) if index + 1 < len(CHECK_STEP_ORDER) else None


@login_required
@permission_required(UNIT_VIEW, raise_exception=True)
@require_GET
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from jiandu.inspections.choices import CHECK_STEP_ORDER, CheckStep
    from jiandu.inspections.forms import CheckFindingForm, CheckOutcomeForm, DrawForm

    check = selectors.check_get(user=request.user, pk=pk)
    run = selectors.may_run_checks(request.user, check.unit)
    index = CHECK_STEP_ORDER.index(check.step)
    draw = check.draw or {}
    names = dict(check.members.values_list("pk", "name"))
    leader = names.get(int(draw["leader"])) if draw.get("leader") else None
    context = {
        "check": check,
        "steps": [
            {"label": CheckStep(s).label, "current": s == check.step, "done": i < index}
            for i, s in enumerate(CHECK_STEP_ORDER)
        ],
        "targets": list(check.targets.order_by("path")),
        "leader": leader,
        "members": [n for p, n in sorted(names.items(), key=lambda x: x[1]) if n != leader],
        "infeasible": (draw.get("result") or {}).get("infeasible", []),
        "seed": draw.get("seed"),
        "problems": list(
            check.problems.select_related("problem__org", "problem__rectification").order_by("pk")
        ),
        "outcomes": list(check.outcomes.select_related("org").order_by("recorded_at", "pk")),
        "run": run,
        "next_step": _next_step(check) if run else None,
        "draw_form": DrawForm() if run and check.step == CheckStep.PROBLEMS else None,
        "finding_form": (
            CheckFindingForm(check=check)
            if run
            and index <= CHECK_STEP_ORDER.index(CheckStep.RECTIFY)
            and request.user.has_perm("oversight.add_problem")
            else None
        ),
        "outcome_form": CheckOutcomeForm(check=check) if run else None,
    }
    return render(request, "inspections/check_detail.html", context)


def _run_check(request: HttpRequest, pk: int) -> Any:
    check = selectors.check_get(user=request.user, pk=pk)
    _run_unit(request, check.unit)
    return check


@login_required
@permission_required("inspections.change_specialcheck", raise_exception=True)
@require_POST
def check_draw(request: HttpRequest, pk: int) -> HttpResponse:
    from jiandu.inspections import units
    from jiandu.inspections.forms import DrawForm

    check = _run_check(request, pk)
    form = DrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "随机种子应为非负整数")
        return redirect("inspections:check_detail", pk=check.pk)
    try:
        drawn = units.check_draw(actor=request.user, check=check, seed=form.cleaned_data["seed"])
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if drawn["result"].get("teams"):
            messages.success(request, f"已抽取检查组（随机种子 {drawn['seed']}）")
        else:
            messages.error(request, "检查组组不齐，见抽组结果中的原因")
    return redirect("inspections:check_detail", pk=check.pk)


@login_required
@permission_required("inspections.change_specialcheck", raise_exception=True)
@require_POST
def check_step(request: HttpRequest, pk: int) -> HttpResponse:
    from jiandu.inspections import units
    from jiandu.inspections.choices import CheckStep

    check = _run_check(request, pk)
    to_step = request.POST.get("to_step", "")
    try:
        units.check_advance(actor=request.user, check=check, to_step=to_step)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"已进入“{CheckStep(to_step).label}”")
    return redirect("inspections:check_detail", pk=check.pk)


@login_required
@permission_required("oversight.add_problem", raise_exception=True)
@require_POST
def check_finding(request: HttpRequest, pk: int) -> HttpResponse:
    from jiandu.inspections import units
    from jiandu.inspections.forms import CheckFindingForm

    check = _run_check(request, pk)
    form = CheckFindingForm(request.POST, check=check)
    if form.is_valid():
        data = form.cleaned_data
        try:
            problem = units.check_finding_add(actor=request.user, check=check, org=data["org"],
                                              description=data["description"],
                                              category=data["category"])  # fmt: skip
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"已登记问题 {problem.number}，进入整改闭环")
    else:
        messages.error(request, "请填写被检查单位、问题类别和问题描述")
    return redirect("inspections:check_detail", pk=check.pk)


@login_required
@permission_required("inspections.change_specialcheck", raise_exception=True)
@require_POST
def check_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    from jiandu.inspections import units
    from jiandu.inspections.forms import CheckOutcomeForm

    check = _run_check(request, pk)
    form = CheckOutcomeForm(request.POST, check=check)
    if form.is_valid():
        data = form.cleaned_data
        try:
            outcome = units.check_outcome_record(
                actor=request.user, check=check, kind=data["kind"], org=data["org"],
                person_name=data["person_name"], note=data["note"],
            )  # fmt: skip
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"已记录{outcome.get_kind_display()}")
    else:
        messages.error(request, "请选择处理和单位")
    return redirect("inspections:check_detail", pk=check.pk)


# --- 双报告 ------------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def round_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's reports per target; the team (巡察办 for it) files them in 报告阶段."""
    from jiandu.inspections.forms import ReportFileForm

    item = selectors.round_get(user=request.user, pk=pk)
    manage = selectors.may_manage(request.user, item)
    may_file = (manage and item.stage == RoundStage.REPORTING
                and request.user.has_perm("inspections.add_roundreport"))  # fmt: skip
    form = ReportFileForm(request.POST or None, request.FILES or None, round=item)
    if request.method == "POST":
        if not may_file:
            raise PermissionDenied("只有报告阶段、组织本轮巡察的单位可以提交报告")
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    report = services.report_file(actor=request.user, round=item,
                                                  org=data["target"].org, kind=data["kind"],
                                                  text=data["text"])  # fmt: skip
                    upload = data.get("file")
                    if upload is not None:
                        services.report_file_attach(
                            actor=request.user, report=report, name=upload.name,
                            data=upload.read(), content_type=upload.content_type or "",
                        )  # fmt: skip
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已提交{report}")
                return redirect("inspections:report_detail", pk=report.pk)
    reports = list(
        item.reports.select_related("target__org", "filed_by")
        .annotate(comment_count=Count("comments", distinct=True),
                  file_count=Count("files", distinct=True))
        .order_by("target__org__path", "kind")
    )  # fmt: skip
    return render(
        request,
        "inspections/round_reports.html",
        {"round": item, "reports": reports, "form": form if may_file else None},
        status=422 if form.errors else 200,
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from jiandu.inspections.forms import ReportCommentForm

    report = selectors.report_get(user=request.user, pk=pk)
    review = selectors.may_manage(request.user, report.round) and request.user.has_perm(
        "inspections.add_reportcomment"
    )
    context = {
        "report": report,
        "round": report.round,
        "files": list(report.files.order_by("uploaded_at", "pk")),
        "comments": list(
            report.comments.select_related("author", "problem", "clue").order_by("at", "pk")
        ),
        "comment_form": ReportCommentForm() if review else None,
    }
    return render(request, "inspections/report_detail.html", context)


@login_required
@permission_required("inspections.add_reportcomment", raise_exception=True)
@require_POST
def report_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """巡察办's review comment; 发现问题 / 发现问题线索 opens it in one click."""
    from jiandu.inspections.forms import ReportCommentForm

    report = selectors.report_get(user=request.user, pk=pk)
    if not selectors.may_manage(request.user, report.round):
        raise PermissionDenied("只有组织本轮巡察的单位可以审核报告")
    form = ReportCommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment = services.report_comment(
                actor=request.user, report=report, text=data["text"], outcome=data["outcome"],
                category=data["category"], clue_title=data["clue_title"],
            )  # fmt: skip
        except ValidationError as exc:
            _errors(request, exc)
        else:
            opened = comment.problem or comment.clue
            messages.success(
                request, f"已提出审核意见{f'，已登记 {opened.number}' if opened else ''}"
            )
    else:
        messages.error(request, "请填写审核意见")
    return redirect("inspections:report_detail", pk=report.pk)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def report_file_download(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    from django.http import Http404
    from django.utils.http import content_disposition_header

    report = selectors.report_get(user=request.user, pk=pk)
    row = report.files.filter(pk=file_id).first()
    if row is None:
        raise Http404("记录不存在")
    audit_record(actor=request.user, action=AuditAction.EXPORT, obj=row,
                 summary=f"下载{report}文件“{row.original_name}”")  # fmt: skip
    with row.file.open("rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type=row.content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, row.original_name) or ""
    return response


# --- 提级 on the clue page -------------------------------------------------------------


@login_required
@permission_required(
    ["inspections.change_escalationsuggestion", "clues.change_clue"], raise_exception=True
)
@require_POST
def escalation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The handler confirms or declines a 提级 suggestion with a reason (from the clue's
    page); outside the clue's jurisdiction: 404."""
    from django.http import Http404

    from jiandu.clues.selectors import clue_list
    from jiandu.core.access import jurisdiction_org_ids
    from jiandu.inspections.forms import EscalationDecideForm
    from jiandu.inspections.models import EscalationSuggestion

    suggestion = EscalationSuggestion.objects.filter(
        pk=pk, clue__in=clue_list(user=request.user).values("pk")
    ).select_related("clue").first()  # fmt: skip
    if suggestion is None:
        raise Http404("记录不存在")
    if suggestion.clue.handling_org_id not in jurisdiction_org_ids(request.user):
        raise PermissionDenied("只有承办单位可以确认提级建议")
    form = EscalationDecideForm(request.POST)
    if form.is_valid():
        try:
            services.escalation_decide(
                actor=request.user, suggestion=suggestion,
                confirm=form.cleaned_data["decision"] == "confirm",
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "已确认提级" if form.cleaned_data["decision"] == "confirm"
                             else "已决定不提级")  # fmt: skip
    else:
        messages.error(request, "请选择决定并填写理由")
    return redirect("clues:clue_detail", pk=suggestion.clue_id)


# --- 三本账 ------------------------------------------------------------------------------

LEDGER_VIEW = "inspections.view_ledgerrow"


def _month(request: HttpRequest) -> Any:
    import datetime as dt

    from django.utils import timezone

    try:
        return dt.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
@permission_required(LEDGER_VIEW, raise_exception=True)
@require_GET
def ledger_overview(request: HttpRequest) -> HttpResponse:
    """Where each county stands: per ledger, rows, 已办结 and reported this month; each
    count opens its rows."""
    from jiandu.inspections import ledgers

    month = _month(request)
    rows = ledgers.city_overview(user=request.user, month=month)
    return render(request, "inspections/ledger_overview.html",
                  {"rows": rows, "month": month})  # fmt: skip


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else f"{text[: size - 1]}…"


def _with(base: str, key: str, cursor: str | None) -> str:
    if not cursor:
        return ""
    return f"?{base}&{key}={cursor}" if base else f"?{key}={cursor}"


# The list's 50 rows and its selects are built here rather than cell by cell in the
# template (a tag per cell cost more than the query); format_html escapes every value.
_LEDGER_ROW = (
    '<tr><td class="mono"><a href="{}{}/">{}</a></td><td class="nowrap">{}</td>'
    '<td class="nowrap">{}</td><td>{}</td><td class="nowrap">{}</td><td>{}</td></tr>'
)
_SELECTED = mark_safe(" selected")


def _ledger_rows_html(items: list[dict[str, Any]], row_url: str) -> str:
    return format_html_join(
        "\n",
        _LEDGER_ROW,
        (
            (row_url, r["id"], r["id"], r["county"]["name"], r["kind_label"],
             _short(r["title"], 50), r["status_label"], _short(r["progress"], 40) or "—")
            for r in items
        ),
    )  # fmt: skip


def _options(choices: Any, selected: Any) -> str:
    """``<option>``s after the 全部 option, ``selected`` marked."""
    return format_html_join(
        "", '<option value="{}"{}>{}</option>',
        ((value, _SELECTED if value == selected else "", label) for value, label in choices),
    )  # fmt: skip


def _report_links(counties: Any) -> str:
    return format_html_join(
        "；", '{}（<a href="{}">下载月报模板</a>，<a href="{}">上传月报</a>）',
        (
            (name, reverse("inspections:ledger_template", args=[pk]),
             reverse("inspections:ledger_upload", args=[pk]))
            for pk, name in counties
        ),
    )  # fmt: skip


# Per process: (language, county choices) -> the add form's fields, unbound. The HTML is
# a function of the choices alone, so an entry never goes stale.
_ledger_add_forms: dict[tuple[str, tuple[tuple[int, str], ...]], str] = {}


def _ledger_add_form_html(counties: tuple[tuple[int, str], ...]) -> str:
    from django import forms
    from django.template.loader import render_to_string
    from django.utils import translation

    from jiandu.core.access import remember
    from jiandu.inspections.forms import LedgerRowForm
    from jiandu.orgs.models import Org

    key = (translation.get_language() or "", counties)
    html = _ledger_add_forms.get(key)
    if html is None:
        form = LedgerRowForm(counties=Org.objects.none())
        cast(forms.ModelChoiceField, form.fields["county"]).choices = [("", "---------"), *counties]
        html = render_to_string("components/form.html", {"form": form, "layout": "grid"})
        remember(_ledger_add_forms, key, html)
    return mark_safe(html)  # rendered by the template engine: escaped there


@login_required
@permission_required(LEDGER_VIEW, raise_exception=True)
@require_GET
def ledger_list(request: HttpRequest) -> HttpResponse:
    """The rows, filtered by county, ledger and status, newest first, keyset-paged on the
    id (selectors.ledger_page: one query for the rows, counted up to 500 only)."""
    import datetime as dt

    from jiandu.inspections.choices import LedgerKind, LedgerStatus

    filters: dict[str, Any] = {}
    county = request.GET.get("county", "")
    if county.isdigit() and len(county) < 19:
        filters["county"] = int(county)
    kind = request.GET.get("kind", "")
    if kind in LedgerKind.values:
        filters["kind"] = kind
    status = request.GET.get("status", "")
    if status in LedgerStatus.values:
        filters["status"] = status
    month = None
    reported = request.GET.get("reported", "")
    if reported:
        try:
            month = dt.datetime.strptime(reported, "%Y-%m").date()
        except ValueError:
            pass
        else:
            filters["reported"] = reported
    page = selectors.ledger_page(
        user=request.user, county=filters.get("county"), kind=filters.get("kind"),
        status=filters.get("status"), reported=month, after=request.GET.get("after"),
        before=request.GET.get("before"),
    )  # fmt: skip
    query = request.GET.copy()
    for key in ("after", "before"):
        query.pop(key, None)
    base = query.urlencode()
    counties = selectors.ledger_county_choices(user=request.user)
    may_report = request.user.has_perm("inspections.add_ledgerreport")
    row_url = reverse("inspections:ledger_row", args=[0])[:-2]
    return render(
        request,
        "inspections/ledger_list.html",
        {
            "page": page,
            "rows_html": _ledger_rows_html(page.items, row_url),
            "next_url": _with(base, "after", page.next_cursor),
            "prev_url": _with(base, "before", page.prev_cursor),
            "filters": filters,
            "county_options": _options(counties, filters.get("county")),
            "kind_options": _options(LedgerKind.choices, filters.get("kind")),
            "status_options": _options(LedgerStatus.choices, filters.get("status")),
            "add_form": (
                _ledger_add_form_html(counties)
                if request.user.has_perm("inspections.add_ledgerrow")
                else None
            ),
            "report_links": _report_links(counties) if may_report else "",
        },
    )


@login_required
@permission_required("inspections.add_ledgerrow", raise_exception=True)
@require_POST
def ledger_row_create(request: HttpRequest) -> HttpResponse:
    from jiandu.clues.selectors import clue_list
    from jiandu.inspections import ledgers
    from jiandu.inspections.forms import LedgerRowForm
    from jiandu.oversight.selectors import problem_list

    counties = selectors.ledger_counties(user=request.user)
    form = LedgerRowForm(request.POST, counties=counties)
    if not form.is_valid():
        messages.error(request, "请选择县区、台账并填写事项")
        return redirect("inspections:ledger_list")
    data = form.cleaned_data
    try:
        clue = problem = None
        if data["clue_number"].strip():
            clue = clue_list(user=request.user).filter(number=data["clue_number"].strip()).first()
            if clue is None:
                raise ValidationError({"clue": f"没有编号为{data['clue_number']}的线索"})
        if data["problem_number"].strip():
            problem = (problem_list(user=request.user)
                       .filter(number=data["problem_number"].strip()).first())  # fmt: skip
            if problem is None:
                raise ValidationError({"problem": f"没有编号为{data['problem_number']}的问题"})
        link = getattr(clue, "inspection_link", None) if clue is not None else None
        row = ledgers.ledger_row_add(
            actor=request.user, county=data["county"], kind=data["kind"], title=data["title"],
            round=link.round if link is not None else None, clue=clue, problem=problem,
        )  # fmt: skip
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("inspections:ledger_list")
    messages.success(request, f"已记入{row.get_kind_display()}")
    return redirect("inspections:ledger_row", pk=row.pk)


@login_required
@permission_required(LEDGER_VIEW, raise_exception=True)
@require_GET
def ledger_row(request: HttpRequest, pk: int) -> HttpResponse:
    from django.utils import timezone

    from jiandu.inspections.choices import LedgerStatus
    from jiandu.inspections.forms import LedgerRowReportForm

    row = selectors.ledger_row_get(user=request.user, pk=pk)
    may_report = request.user.has_perm("inspections.add_ledgerreport")
    form = LedgerRowReportForm(
        initial={"month": timezone.localdate().replace(day=1), "status": row.status or
                 LedgerStatus.OPEN}
    )  # fmt: skip
    return render(
        request,
        "inspections/ledger_row.html",
        {
            "row": row,
            "reports": list(row.reports.select_related("reported_by").order_by("-month")),
            "may_report": may_report,
            "report_form": form if may_report else None,
        },
    )


@login_required
@permission_required("inspections.add_ledgerreport", raise_exception=True)
@require_POST
def ledger_row_report(request: HttpRequest, pk: int) -> HttpResponse:
    """One row's progress for a month, on the page."""
    from jiandu.inspections import ledgers
    from jiandu.inspections.forms import LedgerRowReportForm

    row = selectors.ledger_row_get(user=request.user, pk=pk)
    form = LedgerRowReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写月份（年-月）、状态和进展")
        return redirect("inspections:ledger_row", pk=row.pk)
    month = form.cleaned_data["month"]
    try:
        ledgers.monthly_report(
            actor=request.user, county=row.county, month=month,
            lines=[ledgers.ProgressLine(row.pk, form.cleaned_data["progress"],
                                        form.cleaned_data["status"])],
        )  # fmt: skip
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"已报送{month:%Y年%m月}进展")
    return redirect("inspections:ledger_row", pk=row.pk)


def _county(request: HttpRequest, county_id: int) -> Any:
    from django.http import Http404

    county = selectors.ledger_counties(user=request.user).filter(pk=county_id).first()
    if county is None:
        raise Http404("记录不存在")
    return county


@login_required
@permission_required("inspections.add_ledgerreport", raise_exception=True)
@require_GET
def ledger_template(request: HttpRequest, county_id: int) -> HttpResponse:
    """The county's month report template (.xlsx): one line per open row."""
    from django.utils.http import content_disposition_header

    from jiandu.core.contenttypes import XLSX_CONTENT_TYPE
    from jiandu.inspections import ledgers

    county = _county(request, county_id)
    data = ledgers.monthly_template(county)
    audit_record(actor=request.user, action=AuditAction.EXPORT, obj=county,
                 summary=f"下载{county.name}三本账月报模板")  # fmt: skip
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{county.name}-三本账月报.xlsx") or ""
    )
    return response


@login_required
@permission_required("inspections.add_ledgerreport", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ledger_upload(request: HttpRequest, county_id: int) -> HttpResponse:
    """The month report through the .xlsx template: all or nothing; every error names
    its row and column."""
    from jiandu.core.files import upload_size_check
    from jiandu.inspections import ledgers
    from jiandu.inspections.forms import LedgerProgressForm

    county = _county(request, county_id)
    form = LedgerProgressForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = upload.read()
            upload_size_check(name=upload.name, data=data, what="月报表")
            lines = ledgers.lines_from_xlsx(data)
            if not lines:
                raise ValidationError({"file": "表中没有填报任何条目"})
            saved = ledgers.monthly_report(actor=request.user, county=county,
                                           month=form.cleaned_data["month"], lines=lines,
                                           first_row=2)  # fmt: skip
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"已报送{len(saved)}条进展")
            return redirect(f"{reverse('inspections:ledger_list')}?county={county.pk}")
    return render(
        request,
        "inspections/ledger_upload.html",
        {"county": county, "form": form, "errors": errors},
        status=422 if errors or form.errors else 200,
    )


# --- statistics across rounds and per 单元 (inspections.statistics) ------------------


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
