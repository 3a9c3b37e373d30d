"""Pages of the statistics centre: the figures table with 同比/环比 and charts, each
figure's records, and the upward returns (prepare, correct, submit, reopen, export)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiandu.core.contenttypes import XLSX_CONTENT_TYPE
from jiandu.core.figures import CountFigure, RatioFigure, figure
from jiandu.statcentre import selectors, services
from jiandu.statcentre.choices import ReturnStatus
from jiandu.statcentre.compute import Row, percent
from jiandu.statcentre.layouts import LAYOUTS, layout
from jiandu.statcentre.periods import Period, parse_period

if TYPE_CHECKING:
    pass

VIEW = "statcentre.view_statistics"


def signed(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{abs(value)}{unit}"


def shown(value: Any, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{value}%"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return f"{value:,}"


def _period(request: HttpRequest) -> Period:
    raw = request.GET.get("period") or str(timezone.localdate().year)
    try:
        return parse_period(raw)
    except ValueError:
        return parse_period(str(timezone.localdate().year))


def _org_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("org", "")
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > 2**31 - 1:
        raise Http404("记录不存在")
    return int(raw)


def _records_url(key: str, org: int, period: Period, which: str) -> str:
    query = urlencode({"org": org, "period": period.code, "which": which})
    return f"{reverse('statcentre:records', args=[key])}?{query}"


def _row(row: Row, org: int, period: Period) -> dict[str, Any]:
    fig = row.figure
    change_unit = "个百分点" if row.is_ratio else "%"
    out: dict[str, Any] = {
        "label": fig.label,
        "unit": fig.unit,
        "definition": fig.definition,
        "value": shown(row.value, fig.unit),
        "last_year": shown(row.last_year, fig.unit),
        "previous": shown(row.previous, fig.unit),
        "yoy": signed(row.yoy, change_unit),
        "mom": signed(row.mom, change_unit),
        "sub": fig.label.startswith("其中"),
    }
    if isinstance(fig, RatioFigure):
        out["parts"] = [
            {
                "label": figure(k).label.removeprefix("其中"),
                "url": _records_url(k, org, period, "current"),
            }
            for k in (fig.numerator, fig.denominator)
        ]
    else:
        out["url"] = _records_url(fig.key, org, period, "current")
        out["last_year_url"] = _records_url(fig.key, org, period, "last_year")
        out["previous_url"] = _records_url(fig.key, org, period, "previous")
    return out


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    org = selectors.stat_org(user=request.user, pk=_org_param(request))
    page = selectors.statistics_page(user=request.user, org=org, period=_period(request))
    today = timezone.localdate()
    quick = [
        ("本年", str(today.year)),
        ("本季度", f"{today.year}-Q{(today.month - 1) // 3 + 1}"),
        ("本月", f"{today:%Y-%m}"),
        ("上年", str(today.year - 1)),
    ]
    home = selectors.default_org(request.user)
    return render(
        request,
        "statcentre/index.html",
        {
            "page_title": "统计中心",
            "org": org,
            "home": home if home and home.pk != org.pk else None,
            "page": page,
            "groups": [
                (g, [_row(r, org.pk, page.period) for r in rows]) for g, rows in page.groups
            ],
            "children": page.scope.children,
            "period_code": page.period.code,
            "quick": [
                {"label": label, "url": "?" + urlencode({"org": org.pk, "period": code})}
                for label, code in quick
            ],
            "child_links": [
                {
                    "name": c.display_name,
                    "url": "?" + urlencode({"org": c.pk, "period": page.period.code}),
                }
                for c in page.scope.children
            ],
        },
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def records(request: HttpRequest, key: str) -> HttpResponse:
    org = selectors.stat_org(user=request.user, pk=_org_param(request))
    period = _period(request).clipped(timezone.localdate())
    which = request.GET.get("which", "current")
    chosen = {
        "current": period,
        "last_year": period.same_period_last_year(),
        "previous": period.previous(),
    }.get(which)
    if chosen is None:
        raise Http404("记录不存在")
    try:
        fig, qs = selectors.drill_records(user=request.user, org=org, key=key, period=chosen)
    except KeyError as exc:
        raise Http404(str(exc.args[0])) from exc
    pages = Paginator(qs.order_by("pk"), 50)
    page = pages.get_page(request.GET.get("page"))
    total = None
    if fig.sum_field:
        total = qs.aggregate(s=Sum(fig.sum_field))["s"] or Decimal("0.00")
    rows = [
        {"text": str(r), "date": selectors.record_date(r, fig), "url": _record_url(r)} for r in page
    ]
    return render(
        request,
        "statcentre/records.html",
        {
            "page_title": f"{fig.label}：{org.display_name} {chosen.label}",
            "figure": fig,
            "org": org,
            "period": chosen,
            "count": pages.count,
            "total": total,
            "rows": rows,
            "page": page,
            "back": reverse("statcentre:index")
            + "?"
            + urlencode({"org": org.pk, "period": period.code}),
            "query": urlencode({"org": org.pk, "period": period.code, "which": which}),
        },
    )


def _record_url(record: Any) -> str:
    from jiandu.clues.models import Clue, ExposureBatch, ExposureCase, Outcome, Petition

    if isinstance(record, Petition):
        return reverse("clues:petition_detail", args=[record.pk])
    if isinstance(record, Clue):
        return reverse("clues:clue_detail", args=[record.pk])
    if isinstance(record, Outcome):
        return reverse("clues:clue_detail", args=[record.clue_id])
    if isinstance(record, ExposureBatch):
        return reverse("clues:exposure_detail", args=[record.pk])
    if isinstance(record, ExposureCase):
        return reverse("clues:exposure_detail", args=[record.batch_id])
    batch = getattr(getattr(record, "exposurecase", None), "batch_id", None)
    return reverse("clues:exposure_detail", args=[batch]) if batch else ""


# --- returns ---------------------------------------------------------------------------


def _can_return(user: Any) -> bool:
    return user.has_perm(services.PREPARE) or user.has_perm(services.RECEIVE)


@login_required
@require_http_methods(["GET", "POST"])
def return_list(request: HttpRequest) -> HttpResponse:
    if not _can_return(request.user):
        raise PermissionDenied
    own = selectors.commission_of(request.user.org)  # type: ignore[union-attr]
    if request.method == "POST":
        if own is None:
            raise PermissionDenied
        try:
            form = layout(request.POST.get("form", ""))
            period = parse_period(request.POST.get("period", ""))
            ret = services.return_prepare(
                actor=request.user, org=own, form_code=form.code, period=period
            )
        except (KeyError, ValueError) as exc:
            messages.error(request, str(exc.args[0]))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "报表已按统计数据生成，请核对后上报")
            return redirect("statcentre:return_detail", ret.pk)
        return redirect("statcentre:return_list")
    returns = list(selectors.return_list(user=request.user).select_related("submitted_by")[:300])
    units = selectors.reporting_units(own) if own else []
    today = timezone.localdate()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    quarter_end_month = ((today.month - 1) // 3) * 3
    last_quarter = (
        f"{today.year}-Q{quarter_end_month // 3}" if quarter_end_month else f"{today.year - 1}-Q4"
    )
    return render(
        request,
        "statcentre/return_list.html",
        {
            "page_title": "统计报表",
            "own": own,
            "own_returns": [r for r in returns if own and r.org_id == own.pk],
            "unit_returns": [r for r in returns if not own or r.org_id != own.pk],
            "units": units,
            "layouts": LAYOUTS.values(),
            "can_prepare": own is not None and request.user.has_perm(services.PREPARE),
            "default_month": f"{last_month:%Y-%m}",
            "default_quarter": last_quarter,
            "consolidation": _consolidation(own, units, returns) if units else None,
        },
    )


def _consolidation(own: Any, units: list[Any], returns: list[Any]) -> list[dict[str, Any]]:
    """Per form and period the counties have returns for: which submitted, which not."""
    by_key: dict[tuple[str, Any], dict[int, Any]] = {}
    for ret in returns:
        if ret.org_id in {u.pk for u in units}:
            by_key.setdefault((ret.form, ret.period_start), {})[ret.org_id] = ret
    out = []
    for (form, start), rets in sorted(
        by_key.items(), key=lambda kv: (kv[0][1], kv[0][0]), reverse=True
    ):
        out.append(
            {
                "title": layout(form).title,
                "start": start,
                "units": [{"unit": u, "ret": rets.get(u.pk)} for u in units],
                "submitted": sum(1 for r in rets.values() if r.status == ReturnStatus.SUBMITTED),
                "count": len(units),
            }
        )
    return out[:12]


@login_required
@require_http_methods(["GET", "POST"])
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not (request.user.has_perm(VIEW) or _can_return(request.user)):
        raise PermissionDenied
    ret = selectors.return_get(user=request.user, pk=pk)
    form = layout(ret.form)
    own = selectors.commission_of(request.user.org)  # type: ignore[union-attr]
    can_edit = (
        own is not None
        and own.pk == ret.org_id
        and request.user.has_perm(services.PREPARE)
        and not ret.is_locked
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        try:
            services.return_save(actor=request.user, stat_return=ret, values=request.POST)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "报表数据已保存")
        return redirect("statcentre:return_detail", ret.pk)
    values = services.decode(ret.values)
    prepared = services.decode(ret.prepared_values)
    rows: list[dict[str, Any]] = []
    number = 0
    for key in form.rows:
        if key.startswith("#"):
            rows.append({"heading": key[1:]})
            continue
        number += 1
        fig = figure(key)
        if isinstance(fig, RatioFigure):
            share = percent(values.get(fig.numerator), values.get(fig.denominator))
            rows.append({"number": number, "label": fig.label, "unit": "%", "ratio": True,
                         "value": shown(share, "%"), "definition": fig.definition})  # fmt: skip
        else:
            value = values.get(key)
            rows.append(
                {"number": number, "key": key, "label": fig.label, "unit": fig.unit,
                 "value": value, "shown": shown(value, fig.unit), "definition": fig.definition,
                 "changed": prepared.get(key) != value,
                 "prepared": shown(prepared.get(key), fig.unit),
                 "step": "0.01" if isinstance(fig, CountFigure) and fig.sum_field else "1"}
            )  # fmt: skip
    receiver = ret.org.parent
    can_reopen = (
        ret.is_locked
        and receiver is not None
        and request.user.has_perm(services.RECEIVE)
        and own is not None
        and own == selectors.commission_of(receiver)
    )
    return render(
        request,
        "statcentre/return_detail.html",
        {
            "page_title": f"{ret.org.name}{form.title}",
            "ret": ret,
            "form": form,
            "rows": rows,
            "can_edit": can_edit,
            "can_reopen": can_reopen,
            "findings": services.return_findings(ret),
            "events": ret.events.select_related("actor"),
        },
    )


@login_required
@require_POST
def return_submit(request: HttpRequest, pk: int) -> HttpResponse:
    ret = selectors.return_get(user=request.user, pk=pk)
    try:
        services.return_submit(actor=request.user, stat_return=ret)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "报表已上报并锁定")
    return redirect("statcentre:return_detail", ret.pk)


@login_required
@require_POST
def return_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    ret = selectors.return_get(user=request.user, pk=pk)
    try:
        services.return_reopen(
            actor=request.user, stat_return=ret, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "报表已退回填报单位修改")
    return redirect("statcentre:return_detail", ret.pk)


@login_required
@require_GET
def return_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from jiandu.statcentre.exports import return_workbook

    if not (request.user.has_perm(VIEW) or _can_return(request.user)):
        raise PermissionDenied
    ret = selectors.return_get(user=request.user, pk=pk)
    response = HttpResponse(return_workbook(ret), content_type=XLSX_CONTENT_TYPE)
    filename = f"{ret.org.name}{layout(ret.form).title}{ret.period_start:%Y%m}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response
