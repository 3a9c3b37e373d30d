"""Pages of 线索大起底: the campaigns (and starting one), a campaign with its counts (each
opening its clues) and the review of each clue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from jiandu.clues.lifecycle import TransitionError
from jiandu.orgs.forms import add_service_errors
from jiandu.sweeps import selectors, services
from jiandu.sweeps.forms import ReviewForm, SweepForm

PAGE = 200


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


@login_required
@permission_required("clues.view_clue", raise_exception=True)
@require_http_methods(["GET", "POST"])
def sweep_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    can_start = bool(user.has_perm("clues.change_clue") and user.org_id)
    form = SweepForm(request.POST or None, user=user)
    if request.method == "POST" and can_start and form.is_valid():
        data = dict(form.cleaned_data)
        name = data.pop("name")
        try:
            sweep = services.sweep_create(actor=user, name=name, org=user.org, filters=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已发起线索大起底，纳入线索 {sweep.items.count()} 条")
            return redirect("sweeps:sweep_detail", pk=sweep.pk)
    return render(
        request,
        "sweeps/sweep_list.html",
        {
            "sweeps": list(selectors.sweep_list(user=request.user)[:100]),
            "form": form,
            "can_start": can_start,
        },
        status=422 if form.errors else 200,
    )


@login_required
@permission_required("clues.view_clue", raise_exception=True)
@require_http_methods(["GET"])
def sweep_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sweep = selectors.sweep_get(user=request.user, pk=pk)
    bucket = request.GET.get("bucket", "unreviewed")
    if bucket not in selectors.BUCKETS:
        bucket = "unreviewed"
    items = list(selectors.sweep_items(user=request.user, sweep=sweep, bucket=bucket)[:PAGE])
    return render(
        request,
        "sweeps/sweep_detail.html",
        {
            "sweep": sweep,
            "counts": selectors.sweep_counts(user=request.user, sweep=sweep),
            "bucket": bucket,
            "bucket_label": selectors.BUCKETS[bucket][0],
            "items": items,
            "can_review": request.user.has_perm("clues.change_clue"),
            "review_form": ReviewForm(),
        },
    )


@login_required
@permission_required(["clues.view_clue", "clues.change_clue"], raise_exception=True)
@require_POST
def item_review(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    sweep = selectors.sweep_get(user=request.user, pk=pk)
    item = selectors.sweep_item_get(user=request.user, sweep=sweep, pk=item_pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.sweep_review(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, f"{item.clue.number}：{_errors(exc)}")
        except TransitionError as exc:
            messages.error(request, f"{item.clue.number}：{exc}")
        else:
            messages.success(request, f"已复核 {item.clue.number}")
    else:
        messages.error(request, f"{item.clue.number}：请选择复核意见")
    return redirect(f"{request.path.rsplit('/items/', 1)[0]}/?bucket=unreviewed")


# --- 集体排查 ------------------------------------------------------------------------


@login_required
@permission_required("clues.view_clue", raise_exception=True)
@require_http_methods(["GET", "POST"])
def review_list(request: HttpRequest) -> HttpResponse:
    from jiandu.sweeps.forms import CollectiveReviewForm
    from jiandu.sweeps.models import CollectiveReview

    user: Any = request.user
    can_record = bool(user.has_perm("clues.change_clue") and user.org_id)
    form = CollectiveReviewForm(request.POST or None)
    if request.method == "POST" and can_record and form.is_valid():
        try:
            review = services.collective_review_record(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, "已记录集体排查，各项决定已逐件呈批")
            return redirect("sweeps:review_detail", pk=review.pk)
    reviews = list(CollectiveReview.objects.restrict(user).select_related("org")[:100])
    return render(
        request,
        "sweeps/review_list.html",
        {"reviews": reviews, "form": form, "can_record": can_record},
    )


@login_required
@permission_required("clues.view_clue", raise_exception=True)
@require_http_methods(["GET"])
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from jiandu.core.access import get_or_404
    from jiandu.sweeps.models import CollectiveReview

    review = get_or_404(CollectiveReview.objects.restrict(request.user), pk=pk)
    items = list(review.items.select_related("clue", "request"))
    return render(request, "sweeps/review_detail.html", {"review": review, "items": items})
