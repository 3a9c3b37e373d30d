"""Pages of the 主体责任提醒卡: the card list (overdue summaries flagged), issuing for a
quarter (one committee, its leaders ticked, drafted or issued at once), the card with
its items, the leader's summary, spot checks, the printed card and its QR code, the
statistics with every number opening its records, and the list templates.

Views stay thin: a permission check, a selector (404 outside the jurisdiction), a form,
one service call.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiandu.cards import selectors, services
from jiandu.cards.choices import CardStatus
from jiandu.cards.forms import (
    CardFilterForm,
    IssueSetupForm,
    ItemsForm,
    ReasonForm,
    SpotCheckForm,
    SummaryForm,
    TemplateCreateForm,
    TemplateForm,
)
from jiandu.cards.lifecycle import CardTransitionError
from jiandu.cards.models import CardAttachment
from jiandu.cards.selectors import Side
from jiandu.core.access import get_or_404
from jiandu.core.ids import parse_id
from jiandu.core.pagination import keyset_paginate
from jiandu.documents.services import document_file_read
from jiandu.orgs.forms import add_service_errors
from jiandu.oversight.forms import uploads

VIEW = "cards.view_remindercard"
ISSUE = "cards.issue_reminder_card"
PAGE_SIZE = 50
STATUS_TONES = {CardStatus.DRAFT: "gray", CardStatus.ISSUED: "blue", CardStatus.VOID: "red"}


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


# --- cards ---------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def card_list(request: HttpRequest) -> HttpResponse:
    form = CardFilterForm(request.GET, user=request.user)
    qs = selectors.card_list(user=request.user, filters=form.filters())
    page = keyset_paginate(
        qs,
        after=request.GET.get("after"),
        size=PAGE_SIZE,
        date_field="summary_due",
        query=request.GET,
    )
    today = timezone.localdate()
    for card in page.items:
        card.is_overdue = (  # type: ignore[attr-defined]
            card.status == CardStatus.ISSUED
            and card.summary_due < today
            and card.summarised_count < card.item_count  # type: ignore[attr-defined]
        )
        card.status_tone = STATUS_TONES.get(card.status, "gray")  # type: ignore[attr-defined]
    return render(request, "cards/card_list.html", {"filter_form": form, "page": page})


@login_required
@permission_required(ISSUE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def card_issue_batch(request: HttpRequest) -> HttpResponse:
    """Choose a committee, quarter and lists; tick the leaders; draft or issue."""
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = IssueSetupForm(data, user=request.user)
    candidates: list[selectors.Candidate] = []
    if form.is_bound and form.is_valid():
        committee = form.cleaned_data["committee"]
        candidates = selectors.leader_candidates(user=request.user, committee=committee)
        if request.method == "POST":
            chosen = {int(v) for v in request.POST.getlist("post") if v.isdigit()}
            posts = [c.post for c in candidates if c.post.pk in chosen]
            mode = request.POST.get("mode", "issue")
            try:
                if not posts:
                    raise ValidationError({"post": "请至少勾选一名提醒对象"})
                if mode == "draft":
                    cards = [
                        services.card_create(
                            actor=request.user,
                            committee=committee,
                            post=post,
                            year=form.cleaned_data["year"],
                            quarter=form.cleaned_data["quarter"],
                            template=form.cleaned_data["template"],
                            negative_list=form.cleaned_data["negative_list"],
                        )
                        for post in posts
                    ]
                else:
                    cards = services.cards_issue_bulk(
                        actor=request.user,
                        committee=committee,
                        year=form.cleaned_data["year"],
                        quarter=form.cleaned_data["quarter"],
                        posts=posts,
                        template=form.cleaned_data["template"],
                        negative_list=form.cleaned_data["negative_list"],
                        base_url=_base_url(request),
                    ).cards
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                done = "起草" if mode == "draft" else "印发"
                messages.success(request, f"已{done}提醒卡{len(cards)}张")
                if len(cards) == 1:
                    return redirect("cards:card_detail", pk=cards[0].pk)
                query = urlencode(
                    {
                        "year": form.cleaned_data["year"],
                        "quarter": form.cleaned_data["quarter"],
                        "committee": committee.pk,
                    }
                )
                return redirect(f"{reverse('cards:card_list')}?{query}")
    status = 422 if form.is_bound and form.errors and request.method == "POST" else 200
    return render(
        request,
        "cards/card_issue.html",
        {"form": form, "candidates": candidates},
        status=status,
    )


def _card_context(request: HttpRequest, card: Any, **extra: Any) -> dict[str, Any]:
    sides = selectors.card_sides(request.user, card)
    is_issuer = Side.ISSUER in sides
    can_issue = is_issuer and request.user.has_perm(ISSUE)
    events = [
        {
            "at": e.at,
            "actor": e.actor.display_name,
            "title": e.get_action_display(),
            "note": e.note,
            "tone": "green" if e.action == "issue" else ("red" if e.action == "void" else ""),
        }
        for e in selectors.card_timeline(card=card)
    ]
    unit = Side.UNIT in sides and card.status == CardStatus.ISSUED
    return {
        "card": card,
        "items": list(card.items.order_by("order").select_related("summarised_by")),
        "status_tone": STATUS_TONES.get(card.status, "gray"),
        "overdue": selectors.card_is_overdue(card),
        "events": events,
        "attachments": list(card.attachments.select_related("uploaded_by")),
        "checks": selectors.spot_checks(card=card),
        "followed": selectors.card_follow_records(user=request.user, card=card),
        "can_edit": can_issue and card.status == CardStatus.DRAFT,
        "can_issue": can_issue and card.status == CardStatus.DRAFT,
        "can_void": can_issue and card.status != CardStatus.VOID,
        "can_check": Side.CHECKER in sides and card.status == CardStatus.ISSUED,
        "summary_form": extra.pop("summary_form", None)
        or (SummaryForm(card=card) if unit else None),
        "negative_items": list(card.negative_list.items.order_by("order"))
        if card.negative_list
        else [],
        **extra,
    }


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def card_detail(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get(user=request.user, pk=pk)
    return render(request, "cards/card_detail.html", _card_context(request, card))


@login_required
@permission_required(ISSUE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def card_edit(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get(user=request.user, pk=pk)
    if Side.ISSUER not in selectors.card_sides(request.user, card):
        raise PermissionDenied
    initial = {"items": "\n".join(card.items.order_by("order").values_list("text", flat=True))}
    form = ItemsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.card_edit_items(
                actor=request.user, card=card, items=form.cleaned_data["items"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except CardTransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存提醒事项")
            return redirect("cards:card_detail", pk=card.pk)
    status = 422 if form.errors else 200
    return render(request, "cards/card_edit.html", {"card": card, "form": form}, status=status)


@login_required
@permission_required(ISSUE, raise_exception=True)
@require_POST
def card_issue(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get(user=request.user, pk=pk)
    try:
        card = services.card_issue(actor=request.user, card=card, base_url=_base_url(request))
    except (ValidationError, CardTransitionError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"已印发提醒卡，文号 {card.number}")
    return redirect("cards:card_detail", pk=card.pk)


@login_required
@permission_required(ISSUE, raise_exception=True)
@require_POST
def card_void(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "作废提醒卡须填写原因")
        return redirect("cards:card_detail", pk=card.pk)
    try:
        services.card_void(actor=request.user, card=card, reason=form.cleaned_data["reason"])
    except (ValidationError, CardTransitionError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "已作废提醒卡")
    return redirect("cards:card_detail", pk=card.pk)


@login_required
@permission_required("cards.submit_card_summary", raise_exception=True)
@require_POST
def card_summary(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get(user=request.user, pk=pk)
    form = SummaryForm(request.POST, request.FILES, card=card)
    if form.is_valid():
        try:
            services.card_summary_submit(
                actor=request.user,
                card=card,
                summaries=form.summaries(),
                files=uploads(form.cleaned_data["attachments"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except CardTransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已报送履责小结")
            return redirect("cards:card_detail", pk=card.pk)
    context = _card_context(request, card, summary_form=form)
    return render(request, "cards/card_detail.html", context, status=422)


@login_required
@permission_required("cards.spot_check_card", raise_exception=True)
@require_http_methods(["GET", "POST"])
def spot_check(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get(user=request.user, pk=pk)
    form = SpotCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.spot_check_record(
                actor=request.user,
                card=card,
                note=data["note"],
                checked_on=data["checked_on"],
                checklist=data["checklist"],
                findings=[services.Finding(text, data["category"]) for text in data["findings"]],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except CardTransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已记录抽查")
            return redirect("cards:card_detail", pk=card.pk)
    status = 422 if form.errors else 200
    return render(request, "cards/spot_check.html", {"card": card, "form": form}, status=status)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def card_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The card as issued (the register's stored file)."""
    card = selectors.card_get(user=request.user, pk=pk)
    if card.document is None:
        raise Http404("提醒卡尚未印发")
    data = document_file_read(actor=request.user, document=card.document)
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(card.document.file_name)}"
    )
    return response


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def card_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The card's QR code (PNG): its page's address."""
    from jiandu.documents.layout import qr_png

    card = selectors.card_get(user=request.user, pk=pk)
    return HttpResponse(
        qr_png(services.card_url(card, _base_url(request))), content_type="image/png"
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def card_print(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get(user=request.user, pk=pk)
    data = services.card_render_data(
        card,
        number=card.number,
        day=card.issued_on or timezone.localdate(),
        base_url=_base_url(request),
    )
    return render(request, "cards/card_print.html", {"card": card, "data": data})


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_or_404(CardAttachment.objects.select_related("card"), pk=pk)
    selectors.card_get(user=request.user, pk=attachment.card_id)  # 404 outside
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
    )


# --- statistics ------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    year, quarter = _int(request.GET.get("year")), _int(request.GET.get("quarter"))
    rows = selectors.card_stats(user=request.user, year=year, quarter=quarter)
    return render(
        request,
        "cards/stats.html",
        {
            "rows": rows,
            "total": list(selectors.stats_total(rows).items()),
            "metrics": list(selectors.METRICS.items()),
            "year": year,
            "quarter": quarter,
            "years": sorted({r.year for r in rows}, reverse=True),
        },
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def stats_records(request: HttpRequest) -> HttpResponse:
    metric = request.GET.get("metric", "")
    if metric not in selectors.METRICS:
        raise Http404("没有这项统计")
    drill = selectors.stats_records(
        user=request.user,
        metric=metric,
        year=_int(request.GET.get("year")),
        quarter=_int(request.GET.get("quarter")),
        committee_id=parse_id(request.GET.get("committee")),
    )
    return render(request, "cards/stats_records.html", {"drill": drill, "query": request.GET})


# --- list templates ----------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    templates = selectors.list_templates(include_archived=True)
    return render(request, "cards/template_list.html", {"templates": templates})


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.list_template_get(pk=pk)
    versions = selectors.list_templates(include_archived=True).filter(key=template.key)
    return render(
        request,
        "cards/template_detail.html",
        {
            "template": template,
            "items": list(template.items.order_by("order")),
            "versions": versions,
            "archive_form": ReasonForm(),
        },
    )


@login_required
@permission_required("cards.change_listtemplate", raise_exception=True)
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    form = TemplateCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            template = services.list_template_create(
                actor=request.user,
                key=data["key"],
                name=data["name"],
                kind=data["kind"],
                items=data["items"],
                description=data["description"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已新建清单“{template.name}”")
            return redirect("cards:template_detail", pk=template.pk)
    status = 422 if form.errors else 200
    return render(request, "cards/template_form.html", {"form": form}, status=status)


@login_required
@permission_required("cards.change_listtemplate", raise_exception=True)
@require_http_methods(["GET", "POST"])
def template_revise(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.list_template_get(pk=pk)
    initial = {
        "name": template.name,
        "description": template.description,
        "items": "\n".join(template.items.order_by("order").values_list("text", flat=True)),
    }
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revised = services.list_template_revise(
                actor=request.user,
                template=template,
                name=data["name"],
                items=data["items"],
                description=data["description"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已修订为第{revised.version}版")
            return redirect("cards:template_detail", pk=revised.pk)
    status = 422 if form.errors else 200
    return render(
        request, "cards/template_form.html", {"form": form, "template": template}, status=status
    )


@login_required
@permission_required("cards.change_listtemplate", raise_exception=True)
@require_POST
def template_archive(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.list_template_get(pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.list_template_archive(
                actor=request.user, template=template, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已停用该清单")
    else:
        messages.error(request, "停用清单须填写原因")
    return redirect("cards:template_detail", pk=template.pk)
