"""Pages of the 文号 register: the register (numbers per organ, type and year with their
documents and voids), a document's download (audited), voiding a number, and issuing the
督促整改通知书 of a problem."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.contenttypes import DOCX_CONTENT_TYPE
from jiandu.documents import selectors, services
from jiandu.documents.choices import DEFAULT_TYPE_CHARACTERS, DocumentType
from jiandu.documents.forms import NumberingRuleForm, RegisterFilterForm, VoidForm
from jiandu.orgs.selectors import org_list
from jiandu.oversight.selectors import problem_get

REGISTER_LIMIT = 500


@login_required
@permission_required("documents.view_document", raise_exception=True)
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    documents = selectors.document_list(
        user=request.user,
        organ_id=filters.get("organ"),
        document_type=filters.get("document_type") or "",
        year=filters.get("year"),
        status=filters.get("status") or "",
    )
    summary = selectors.register_summary(documents)
    rows = list(documents[:REGISTER_LIMIT])
    return render(
        request,
        "documents/register.html",
        {
            "form": form,
            "summary": summary,
            "documents": rows,
            "total": sum(s.issued for s in summary),
            "truncated": len(rows) == REGISTER_LIMIT,
            # The recipient unit sees a document; only the issuing organ's side voids it.
            "void_organs": jurisdiction_org_ids(request.user)
            if request.user.has_perm("documents.void_document")
            else frozenset(),
        },
    )


@login_required
@permission_required("documents.view_document", raise_exception=True)
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    data = services.document_file_read(actor=request.user, document=document)
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, document.file_name) or ""
    return response


@login_required
@permission_required("documents.void_document", raise_exception=True)
@require_http_methods(["GET", "POST"])
def void(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    # The recipient unit sees the document; only the issuing organ's side voids it.
    if document.organ_id not in jurisdiction_org_ids(request.user):
        raise PermissionDenied("只有发文机关可以作废文号")
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_void(
                actor=request.user, document=document, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"文号{document.number}已作废，该文号不再使用")
            return redirect("documents:register")
    return render(request, "documents/void.html", {"document": document, "form": form})


@login_required
@permission_required("documents.add_document", raise_exception=True)
@require_http_methods(["GET", "POST"])
def rectification_notice(request: HttpRequest, problem_pk: int) -> HttpResponse:
    """Issue (POST) or look at (GET) the 督促整改通知书 of a problem; issued in the name
    of the supervising body, so only its side may issue it."""
    problem = problem_get(user=request.user, pk=problem_pk)
    if problem.supervising_org_id not in jurisdiction_org_ids(request.user):
        raise PermissionDenied("督促整改通知书由监督责任单位发出")
    existing = services.document_for_record(
        document_type=DocumentType.RECTIFICATION_NOTICE,
        record_type=services.RECTIFICATION_NOTICE_RECORD,
        record_id=problem.pk,
    )
    if request.method == "POST":
        document = services.rectification_notice_issue(actor=request.user, problem=problem)
        if existing is None:
            messages.success(request, f"已印发督促整改通知书，文号{document.number}")
        return redirect(reverse("documents:rectification-notice", args=[problem.pk]))
    return render(
        request,
        "documents/rectification_notice.html",
        {"problem": problem, "document": existing},
    )


@login_required
@permission_required("documents.view_document", raise_exception=True)
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    """The 文号 rules of the organs in the user's jurisdiction; setting one needs
    ``documents.add_numberingrule``."""
    can_set = request.user.has_perm("documents.add_numberingrule")
    form = NumberingRuleForm(request.POST or None, organs=org_list(user=request.user))
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied("没有设置文号规则的权限")
        if form.is_valid():
            try:
                rule = services.numbering_rule_set(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已设置文号规则：{rule.organ.name} {rule}")
                return redirect("documents:rules")
    defaults = [(label, DEFAULT_TYPE_CHARACTERS[value]) for value, label in DocumentType.choices]
    return render(
        request,
        "documents/rules.html",
        {
            "rules": selectors.numbering_rule_list(user=request.user),
            "form": form,
            "can_set": can_set,
            "defaults": defaults,
        },
    )


@login_required
@permission_required("approvals.view_approvalrequest", raise_exception=True)
@require_http_methods(["POST"])
def approval_form(request: HttpRequest, request_pk: int) -> HttpResponse:
    """The 呈批表 of an approved request (numbered on first use), downloaded (audited)."""
    from jiandu.approvals.selectors import request_get
    from jiandu.documents.approval_form import approval_form_issue

    approval = request_get(user=request.user, pk=request_pk)
    try:
        document = approval_form_issue(actor=request.user, request=approval)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("approvals:request_detail", pk=approval.pk)
    data = services.document_file_read(actor=request.user, document=document)
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, document.file_name) or ""
    return response


@login_required
@permission_required("clues.view_clue", raise_exception=True)
@require_http_methods(["POST"])
def collective_minutes(request: HttpRequest, review_pk: int) -> HttpResponse:
    """The 会议纪要 of a 集体排查 (.docx), downloaded (audited)."""
    from jiandu.core.access import get_or_404
    from jiandu.documents.collective_minutes import collective_minutes_read
    from jiandu.sweeps.models import CollectiveReview

    review = get_or_404(CollectiveReview.objects.restrict(request.user), pk=review_pk)
    data = collective_minutes_read(actor=request.user, review=review)
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    name = f"集体排查会议纪要-{review.held_on:%Y%m%d}.docx"
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response
