"""Pages of the 政治生态档案 (精准画像 of a cadre or a unit, opened with a stated
purpose, audited) and of the 廉政意见 batches (request, review, approval, 函复)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.contenttypes import XLSX_CONTENT_TYPE
from jiandu.documents.services import document_file_read
from jiandu.dossiers import dots, import_kinds, selectors, services
from jiandu.dossiers.choices import BatchStatus
from jiandu.dossiers.forms import (
    CAP_NAMES,
    BatchForm,
    ColourTableForm,
    GradingTableForm,
    OpenForm,
    ReviewForm,
    SanctionDetailForm,
)
from jiandu.dossiers.models import ColourTable, GradingTable, SanctionDetail
from jiandu.orgs.models import Org

if TYPE_CHECKING:
    pass

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
VIEW = "dossiers.view_dossier"
BATCH_VIEW = "dossiers.view_opinionbatch"


def _dots_context(d: selectors.Dossier) -> dict[str, Any]:
    deciding = set(id(x) for x in (d.grade.deciding if d.grade else ()))
    return {
        "dossier": d,
        "dot_rows": [
            {
                "dot": x,
                "label": dots.COLOUR_LABELS[x.colour],
                "meaning": dots.COLOUR_MEANINGS[x.colour],
                "kind": selectors.KIND_LABEL.get(x.item.kind, x.item.kind),
                "sanction": x.item.kind in ("outcome_party", "outcome_government"),
                "deciding": id(x) in deciding,
                "url": selectors.evidence_url(x.item),
            }
            for x in d.dots
        ],
        "annulled_rows": [
            {"item": i, "kind": selectors.KIND_LABEL.get(i.kind, i.kind)} for i in d.annulled
        ],
        "counts": [(dots.COLOUR_LABELS[c], c, d.count(c)) for c in dots.COLOURS],
        "uncoloured": [(selectors.KIND_LABEL.get(i.kind, i.kind), i) for i in d.uncoloured],
    }


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def dossier_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    people = []
    if query:
        people = list(selectors.dossier_people(user=request.user).filter(name__contains=query)[:50])
    posts = selectors.current_posts([p.pk for p in people])
    return render(request, "dossiers/search.html", {
        "query": query, "people": [(p, posts.get(p.pk, [])) for p in people],
    })  # fmt: skip


def _open(request: HttpRequest, subject: Any) -> tuple[OpenForm, bool]:
    """The dossier opens only with a stated purpose, and each opening is audited."""
    form = OpenForm(request.GET if "reason" in request.GET else None)
    if form.is_bound and form.is_valid():
        services.dossier_opened(
            actor=request.user, subject=subject, reason=form.cleaned_data["reason"],
            as_of=form.cleaned_data["as_of"],
        )  # fmt: skip
        return form, True
    return form, False


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def person_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.dossier_person(user=request.user, pk=pk)
    form, opened = _open(request, person)
    context: dict[str, Any] = {"person": person, "form": form, "opened": opened}
    if opened:
        data = form.cleaned_data
        d = selectors.person_dossier(person, as_of=data["as_of"], purpose=data["purpose"])
        context.update(_dots_context(d))
        context["posts"] = person.posts.select_related("org").order_by("-start_date")
        context["opinion_lines"] = d.opinion.lines()
    return render(request, "dossiers/person.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def org_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.dossier_org(user=request.user, pk=pk)
    form, opened = _open(request, org)
    context: dict[str, Any] = {"org": org, "form": form, "opened": opened}
    if opened:
        as_of = form.cleaned_data["as_of"]
        context.update(_dots_context(selectors.org_dossier(org, as_of=as_of)))
        cadres = selectors.org_cadres(user=request.user, org=org)
        context["aggregate"] = selectors.cadre_aggregate(cadres, as_of=as_of)
        context["aggregate_counts"] = [
            (dots.COLOUR_LABELS[c], c, context["aggregate"]["colours"][c]) for c in dots.COLOURS
        ]
    return render(request, "dossiers/org.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def warnings(request: HttpRequest) -> HttpResponse:
    as_of = timezone.localdate()
    flags = selectors.pre_black_flags(user=request.user, as_of=as_of)
    audit_record(
        actor=request.user, action=AuditAction.VIEW_PROTECTED, object_type="dossiers.warnings",
        summary=f"查阅预黑预警名单（{len(flags)}人）", changes={"as_of": as_of},
    )  # fmt: skip
    return render(request, "dossiers/warnings.html", {
        "flags": flags, "as_of": as_of, "rules": selectors.pre_black_settings(),
    })  # fmt: skip


@login_required
@permission_required("dossiers.record_sanction_detail", raise_exception=True)
@require_http_methods(["GET", "POST"])
def sanction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The effective date, 留党察看 period, early lift or annulment of a sanction."""
    outcome = selectors.sanction_outcome(user=request.user, pk=pk)
    detail = SanctionDetail.objects.filter(outcome=outcome).first()
    initial = {}
    if detail is not None:
        initial = {
            f: getattr(detail, f)
            for f in (
                "effective_on",
                "period_months",
                "lifted_on",
                "lift_reason",
                "annulled_on",
                "annul_reason",
            )
        }
    form = SanctionDetailForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.sanction_detail_set(actor=request.user, outcome=outcome, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                for error in exc.messages:
                    form.add_error(None, error)
        else:
            messages.success(request, "已登记处分影响期信息")
            return redirect("dossiers:sanction_detail", outcome.pk)
    return render(request, "dossiers/sanction_form.html", {"outcome": outcome, "form": form})


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def tables(request: HttpRequest) -> HttpResponse:
    """The colour and grading tables, every version; new versions (施行日期 today or
    later) by holders of ``dossiers.manage_dossier_tables``."""
    manage = request.user.has_perm("dossiers.manage_dossier_tables")
    colour_versions = list(ColourTable.objects.prefetch_related("rules"))
    grading_versions = list(GradingTable.objects.all())
    latest = colour_versions[0] if colour_versions else None
    current = {r.item_kind: r.colour for r in latest.rules.all()} if latest else {}
    g = grading_versions[0] if grading_versions else None
    grading_initial = {}
    if g is not None:
        grading_initial = {
            "window_months": g.window_months, **{c: g.weights.get(c, 0) for c in dots.COLOURS},
            "bands": "\n".join(f"{s} {n}" for s, n in g.bands),
            "caps": "\n".join(f"{CAP_NAMES[c]} {n} {x}" for c, n, x in g.caps),
        }  # fmt: skip
    which = request.POST.get("table") if request.method == "POST" else None
    colour_form = ColourTableForm(request.POST if which == "colour" else None, current=current)
    grading_form = GradingTableForm(request.POST if which == "grading" else None,
                                    initial=grading_initial)  # fmt: skip
    if which and not manage:
        raise PermissionDenied("没有维护档案颜色表和评定表的权限")
    if which == "colour" and colour_form.is_valid():
        data = colour_form.cleaned_data
        try:
            services.colour_table_add(actor=request.user, version=data["version"],
                                      valid_from=data["valid_from"], note=data["note"],
                                      colours=colour_form.colours())  # fmt: skip
        except ValidationError as exc:
            _add_errors(colour_form, exc)
        else:
            messages.success(request, "已新增颜色表版本")
            return redirect("dossiers:tables")
    if which == "grading" and grading_form.is_valid():
        data = grading_form.cleaned_data
        try:
            services.grading_table_add(
                actor=request.user, version=data["version"], valid_from=data["valid_from"],
                window_months=data["window_months"],
                weights={c: data[c] for c in dots.COLOURS}, bands=data["bands"],
                caps=data["caps"], note=data["note"],
            )  # fmt: skip
        except ValidationError as exc:
            _add_errors(grading_form, exc)
        else:
            messages.success(request, "已新增评定表版本")
            return redirect("dossiers:tables")
    colour_rows = [
        (str(label), [(t, dots.COLOUR_LABELS.get(
            next((r.colour for r in t.rules.all() if r.item_kind == kind), ""), "（不上色）"))
            for t in colour_versions])
        for kind, label in selectors.ItemKind.choices
    ]  # fmt: skip
    described = {t.version: t.describe() for t in selectors.grading_tables()}
    grading_rows = [(t, described[t.version]) for t in grading_versions]
    return render(request, "dossiers/tables.html", {
        "colour_versions": colour_versions, "colour_rows": colour_rows,
        "grading_rows": grading_rows, "manage": manage,
        "colour_form": colour_form, "grading_form": grading_form,
    })  # fmt: skip


# --- batches -------------------------------------------------------------------------------


@login_required
@permission_required(BATCH_VIEW, raise_exception=True)
@require_GET
def batch_list(request: HttpRequest) -> HttpResponse:
    return render(request, "dossiers/batch_list.html", {
        "batches": selectors.batch_list(user=request.user)[:200],
        "statistics": selectors.batch_statistics(user=request.user),
    })  # fmt: skip


@login_required
@permission_required("dossiers.add_opinionbatch", raise_exception=True)
@require_GET
def batch_template(request: HttpRequest) -> HttpResponse:
    from jiandu.core.xlsx import Column, export_rows

    data = export_rows(
        title="名单", columns=[Column("姓名", lambda r: r[0], 12),
                             Column("身份证号码", lambda r: r[1], 22)], rows=[],
    )  # fmt: skip
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(True, "廉政意见名单模板.xlsx") or ""
    )
    return response


def _units(user: Any, text: str) -> tuple[list[Org], list[str]]:
    ids = selectors.jurisdiction_org_ids(user)
    found, errors = [], []
    for number, name in enumerate(text.splitlines(), start=1):
        name = name.strip()
        if not name:
            continue
        org = Org.objects.filter(pk__in=ids, name=name, archived_at__isnull=True).first()
        if org is None:
            errors.append(f"单位第{number}行“{name}”不存在或不在您的管辖范围内")
        else:
            found.append(org)
    return found, errors


@login_required
@permission_required("dossiers.add_opinionbatch", raise_exception=True)
@require_http_methods(["GET", "POST"])
def batch_create(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = BatchForm(request.POST or None, request.FILES or None,
                     initial={"as_of": today, "received_on": today})  # fmt: skip
    row_errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people: list[Any] = []
        upload = data.get("people_file")
        if upload is not None:
            people, row_errors = import_kinds.read_request_list(
                actor=request.user, data=upload.read()
            )
        orgs, unit_errors = _units(request.user, data.get("units") or "")
        for error in unit_errors:
            form.add_error("units", error)
        owner = getattr(request.user, "org", None)  # behind login_required: a User
        if owner is None:
            raise PermissionDenied("请先为当前用户设置所属单位")
        if not row_errors and not unit_errors:
            try:
                batch = services.batch_create(
                    actor=request.user, owner_org=owner,
                    requester=data["requester"], request_ref=data["request_ref"],
                    purpose=data["purpose"], as_of=data["as_of"],
                    award_year=data.get("award_year"), received_on=data["received_on"],
                    people=people, orgs=orgs, source_file=upload.name if upload else "",
                )  # fmt: skip
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"已起草{batch.lines.count()}条廉政意见")
                return redirect("dossiers:batch_detail", batch.pk)
    return render(request, "dossiers/batch_form.html", {"form": form, "row_errors": row_errors})


@login_required
@permission_required(BATCH_VIEW, raise_exception=True)
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    services.batch_viewed(actor=request.user, batch=batch)
    lines = list(batch.lines.select_related("person", "org").order_by("order"))
    form = ReviewForm(lines=lines) if batch.status == BatchStatus.DRAFTED else None
    return render(request, "dossiers/batch_detail.html", {
        "batch": batch, "lines": lines, "form": form,
        "review_rows": [(line, form[f"v{line.pk}"], form[f"r{line.pk}"]) for line in lines]
        if form else [],
        "objections": sum(1 for line in lines if line.objection),
    })  # fmt: skip


def _transition(request: HttpRequest, action: Any, **kwargs: Any) -> None:
    try:
        action(actor=request.user, **kwargs)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)


@login_required
@permission_required("dossiers.review_opinion", raise_exception=True)
@require_POST
def batch_review(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    form = ReviewForm(request.POST, lines=list(batch.lines.all()))
    if form.is_valid():
        _transition(request, services.batch_review, batch=batch, decisions=form.decisions())
    else:
        messages.error(request, "审核意见填写有误")
    return redirect("dossiers:batch_detail", batch.pk)


@login_required
@permission_required("dossiers.approve_opinion", raise_exception=True)
@require_POST
def batch_approve(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    _transition(request, services.batch_approve, batch=batch)
    return redirect("dossiers:batch_detail", batch.pk)


@login_required
@permission_required("documents.add_document", raise_exception=True)
@require_POST
def batch_issue(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    _transition(request, services.batch_issue, batch=batch)
    return redirect("dossiers:batch_detail", batch.pk)


@login_required
@permission_required(BATCH_VIEW, raise_exception=True)
@require_GET
def batch_docx(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    if batch.document is None:
        raise selectors.not_found()
    data = document_file_read(actor=request.user, document=batch.document)
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{batch.document.number}廉政意见函复.docx") or ""
    )
    return response


@login_required
@permission_required(BATCH_VIEW, raise_exception=True)
@require_GET
def batch_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from jiandu.dossiers.documents import render_annex_xlsx

    batch = selectors.batch_get(user=request.user, pk=pk)
    data = render_annex_xlsx(services.reply_lines(batch))
    audit_record(
        actor=request.user, action=AuditAction.EXPORT, obj=batch,
        summary=f"导出廉政意见明细表：{batch}", changes={"format": "xlsx", "size": len(data)},
    )  # fmt: skip
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(True, f"廉政意见明细表-{batch.pk}.xlsx") or ""
    )
    return response


__all__ = ["dt"]
