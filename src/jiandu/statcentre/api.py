"""API of the statistics centre (``/api/v1/statistics/``): the registry of figures, the
figures table of an org (with its subtree) and period with 同比/环比, each figure's
records, and the upward returns. Scoped: an org outside the jurisdiction is a 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from jiandu.core.access import require_perm
from jiandu.core.figures import CountFigure, figures
from jiandu.core.schemas import ERRORS, ERRORS_WITH_CONFLICT
from jiandu.statcentre import selectors, services
from jiandu.statcentre.layouts import layout
from jiandu.statcentre.models import StatReturn
from jiandu.statcentre.periods import Period, parse_period
from jiandu.statcentre.schemas import (
    FigureOut,
    PrepareIn,
    RecordsOut,
    ReopenIn,
    ReturnOut,
    TableOut,
    ValuesIn,
)

router = Router(tags=["统计中心"])
VIEW = "statcentre.view_statistics"
MAX_INT = 2**31 - 1


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _period(text: str | None) -> Period:
    from django.utils import timezone

    try:
        return parse_period(text or str(timezone.localdate().year))
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc


def _org(request: HttpRequest, org: int | None) -> Any:
    if org is not None and not 0 < org <= MAX_INT:
        raise HttpError(404, "记录不存在")
    return selectors.stat_org(user=request.user, pk=org)


def _period_out(p: Period) -> dict[str, str]:
    return {
        "code": p.code,
        "label": p.label,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
    }


@router.get("/figures", response={200: list[FigureOut], **ERRORS}, summary="统计指标及口径")
def list_figures(request: HttpRequest):
    require_perm(request, VIEW)
    return [
        {"key": f.key, "label": f.label, "unit": f.unit, "group": f.group,
         "definition": f.definition, "is_ratio": f.is_ratio,
         "date_label": f.date_label if isinstance(f, CountFigure) else None}
        for f in figures()
    ]  # fmt: skip


@router.get("/table", response={200: TableOut, **ERRORS}, summary="统计表（含同比、环比）")
def get_table(request: HttpRequest, org: int | None = None, period: str | None = None):
    require_perm(request, VIEW)
    unit = _org(request, org)
    page = selectors.statistics_page(user=request.user, org=unit, period=_period(period))
    rows = []
    for _group, items in page.groups:
        for row in items:
            rows.append(
                {"key": row.key, "label": row.figure.label, "unit": row.figure.unit,
                 "value": _text(row.value), "last_year": _text(row.last_year),
                 "previous": _text(row.previous), "yoy": _text(row.yoy), "mom": _text(row.mom),
                 "change_unit": "个百分点" if row.is_ratio else "%"}
            )  # fmt: skip
    return {
        "org_id": unit.pk,
        "org": unit.name,
        "period": _period_out(page.period),
        "last_year": _period_out(page.last_year),
        "previous": _period_out(page.previous),
        "rows": rows,
    }


@router.get(
    "/figures/{key}/records", response={200: RecordsOut, **ERRORS}, summary="指标对应的记录"
)
def figure_records(
    request: HttpRequest,
    key: str,
    org: int | None = None,
    period: str | None = None,
    which: str = "current",
    limit: int = 100,
    offset: int = 0,
):
    require_perm(request, VIEW)
    unit = _org(request, org)
    chosen = _which(_period(period), which)
    try:
        fig, qs = selectors.drill_records(user=request.user, org=unit, key=key, period=chosen)
    except KeyError as exc:
        raise HttpError(404, str(exc.args[0])) from exc
    limit = max(1, min(limit, 500))
    offset = max(0, min(offset, MAX_INT))
    count = qs.count()
    total: Any = count
    if fig.sum_field:
        from django.db.models import Sum

        total = qs.aggregate(s=Sum(fig.sum_field))["s"] or Decimal("0.00")
    items = [
        {"id": r.pk, "text": str(r)[:200], "date": _text(selectors.record_date(r, fig))}
        for r in qs.order_by("pk")[offset : offset + limit]
    ]
    return {"key": fig.key, "label": fig.label, "count": count, "total": str(total),
            "date_label": fig.date_label, "items": items}  # fmt: skip


def _which(period: Period, which: str) -> Period:
    from django.utils import timezone

    period = period.clipped(timezone.localdate())
    if which == "current":
        return period
    if which == "last_year":
        return period.same_period_last_year()
    if which == "previous":
        return period.previous()
    raise HttpError(422, "which 应为 current（本期）、last_year（上年同期）或 previous（上期）")


def _return(ret: StatReturn) -> dict[str, Any]:
    return {
        "id": ret.pk,
        "org_id": ret.org_id,
        "org": ret.org.name,
        "form": ret.form,
        "form_title": layout(ret.form).title,
        "period_start": ret.period_start.isoformat(),
        "period_end": ret.period_end.isoformat(),
        "status": ret.status,
        "status_label": ret.get_status_display(),
        "values": {k: str(v) for k, v in ret.values.items()},
        "findings": services.return_findings(ret),
    }


def _get_return(request: HttpRequest, pk: int) -> StatReturn:
    if not 0 < pk <= MAX_INT:
        raise HttpError(404, "记录不存在")
    return selectors.return_get(user=request.user, pk=pk)


@router.get("/returns", response={200: list[ReturnOut], **ERRORS}, summary="统计报表")
def list_returns(request: HttpRequest):
    require_perm(request, VIEW)
    return [_return(r) for r in selectors.return_list(user=request.user)[:500]]


@router.get("/returns/{int:pk}", response={200: ReturnOut, **ERRORS}, summary="一份统计报表")
def get_return(request: HttpRequest, pk: int):
    require_perm(request, VIEW)
    return _return(_get_return(request, pk))


def _guarded(call: Any) -> Any:
    try:
        return call()
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc


@router.post(
    "/returns", response={201: ReturnOut, **ERRORS_WITH_CONFLICT}, summary="生成本单位的报表"
)
def prepare_return(request: HttpRequest, payload: PrepareIn):
    require_perm(request, services.PREPARE)
    org = selectors.commission_of(request.user.org)  # type: ignore[union-attr]
    if org is None:
        raise HttpError(403, "您的单位不是纪委监委，不填报统计报表")
    try:
        layout(payload.form)
    except KeyError as exc:
        raise HttpError(422, str(exc.args[0])) from exc
    period = _period(payload.period)
    ret = _guarded(
        lambda: services.return_prepare(
            actor=request.user, org=org, form_code=payload.form, period=period
        )
    )
    return 201, _return(ret)


@router.put(
    "/returns/{int:pk}/values",
    response={200: ReturnOut, **ERRORS_WITH_CONFLICT},
    summary="修改报表数据",
)
def save_values(request: HttpRequest, pk: int, payload: ValuesIn):
    require_perm(request, services.PREPARE)
    ret = _get_return(request, pk)
    ret = _guarded(
        lambda: services.return_save(actor=request.user, stat_return=ret, values=payload.values)
    )
    return _return(ret)


@router.post(
    "/returns/{int:pk}/submit",
    response={200: ReturnOut, **ERRORS_WITH_CONFLICT},
    summary="上报（上报后锁定）",
)
def submit_return(request: HttpRequest, pk: int):
    require_perm(request, services.PREPARE)
    ret = _get_return(request, pk)
    return _return(_guarded(lambda: services.return_submit(actor=request.user, stat_return=ret)))


@router.post(
    "/returns/{int:pk}/reopen",
    response={200: ReturnOut, **ERRORS_WITH_CONFLICT},
    summary="退回修改（上级）",
)
def reopen_return(request: HttpRequest, pk: int, payload: ReopenIn):
    require_perm(request, services.RECEIVE)
    ret = _get_return(request, pk)
    return _return(
        _guarded(
            lambda: services.return_reopen(
                actor=request.user, stat_return=ret, reason=payload.reason
            )
        )
    )
