"""Writes of the upward returns (统计报表). Every write takes ``actor=``, runs in one
transaction, checks who may do it, moves the status only along ``TRANSITIONS`` and
writes a ``ReturnEvent`` and an audit row.

- A commission (county, or the city for its own return) prepares its return: the
  counts are computed from the figures (the city's: its counties' submitted returns
  plus the city's own level), may be corrected while not submitted, are cross-checked
  and submitted; a submitted return is locked.
- Only the receiving level (the parent commission's statistics office) reopens a
  submitted return, with a reason. The city's return goes to the province, which has no
  account here: once submitted it stays locked.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.figures import CountFigure, RatioFigure, figure
from jiandu.orgs.models import Org
from jiandu.statcentre import compute
from jiandu.statcentre.checks import cross_check
from jiandu.statcentre.choices import TRANSITIONS, ReturnAction, ReturnStatus
from jiandu.statcentre.layouts import FormLayout, layout
from jiandu.statcentre.models import ReturnEvent, StatReturn
from jiandu.statcentre.periods import Period
from jiandu.statcentre.selectors import commission_of, reporting_units

PREPARE = "statcentre.prepare_return"
RECEIVE = "statcentre.receive_return"


def count_keys(form: FormLayout) -> list[str]:
    keys = []
    for row in form.rows:
        if row.startswith("#"):
            continue
        if not isinstance(figure(row), RatioFigure):
            keys.append(row)
    return keys


def decode(values: dict[str, Any]) -> dict[str, int | Decimal]:
    """Stored values as numbers (amounts are kept as decimal strings)."""
    out: dict[str, int | Decimal] = {}
    for key, value in values.items():
        out[key] = Decimal(value) if isinstance(value, str) else int(value)
    return out


def encode(values: dict[str, int | Decimal]) -> dict[str, Any]:
    return {k: (f"{v:.2f}" if isinstance(v, Decimal) else int(v)) for k, v in values.items()}


def figure_values(
    *, org: Org, form: FormLayout, period: Period, exclude: list[Org] | None = None
) -> dict[str, int | Decimal]:  # type: ignore[assignment]
    """The form's counts for ``org`` and its subtree, less the subtrees in ``exclude``."""
    ids = set(Org.objects.filter(path__startswith=org.path).values_list("pk", flat=True))
    for other in exclude or []:
        ids -= set(Org.objects.filter(path__startswith=other.path).values_list("pk", flat=True))
    counts = [f for f in (figure(k) for k in count_keys(form)) if isinstance(f, CountFigure)]
    grouped = compute.grouped_counts(
        counts, org_ids=sorted(ids), periods={"current": period}, by_org=False
    )
    return {f.key: compute.value_of(f, grouped, "current") for f in counts}  # type: ignore[misc]


def prepared_values(*, org: Org, form: FormLayout, period: Period) -> dict[str, int | Decimal]:
    """A county's counts from its figures; a level with reporting units (the city):
    the sum of their submitted returns plus the figures of its own level."""
    units = reporting_units(org)
    own = figure_values(org=org, form=form, period=period, exclude=units)
    if not units:
        return own
    submitted = StatReturn.objects.filter(
        org__in=units, form=form.code, period_start=period.start, status=ReturnStatus.SUBMITTED
    )
    total = dict(own)
    for ret in submitted:
        for key, value in decode(ret.values).items():
            if key in total:
                total[key] = total[key] + value
    return total


# The audit action of each move of a return (its label is in the summary).
_AUDIT_ACTIONS: dict[str, AuditAction] = {
    ReturnAction.PREPARE: AuditAction.CREATE,
    ReturnAction.SAVE: AuditAction.UPDATE,
}


def _event(ret: StatReturn, *, actor: Any, action: str, from_status: str, reason: str = "") -> None:
    ReturnEvent.objects.create(
        stat_return=ret,
        action=action,
        from_status=from_status,
        to_status=ret.status,
        reason=reason,
        actor=actor,
        at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=_AUDIT_ACTIONS.get(action, AuditAction.TRANSITION),
        obj=ret,
        summary=f"{ret.org}{layout(ret.form).title}（{ret.period_start:%Y-%m-%d}至{ret.period_end:%Y-%m-%d}）"
        f"{ReturnAction(action).label}" + (f"：{reason}" if reason else ""),
        changes={"status": [from_status, ret.status]},
    )


def _move(ret: StatReturn, action: str) -> str:
    before = ret.status
    after = TRANSITIONS.get((ReturnStatus(before), ReturnAction(action)))
    if after is None:
        raise ValidationError(f"{ReturnStatus(before).label}的报表不能{ReturnAction(action).label}")
    ret.status = after
    return before


def _require_preparer(actor: Any, org: Org) -> None:
    if not actor.has_perm(PREPARE) or commission_of(actor.org) != org:
        raise PermissionDenied("只有本单位的统计填报人员可以填报和上报本单位的报表")


@transaction.atomic
def return_prepare(*, actor: Any, org: Org, form_code: str, period: Period) -> StatReturn:
    """Create the return of ``org`` for ``period`` prefilled from the figures (or, while
    it is not submitted, refill an existing one)."""
    _require_preparer(actor, org)
    form = layout(form_code)
    if period.kind != form.period_kind:
        raise ValidationError(
            f"{form.title}按{'月' if form.period_kind == 'month' else '季度'}填报"
        )
    if period.end >= timezone.localdate():
        raise ValidationError(f"{period.label}尚未结束，不能填报")
    values = encode(prepared_values(org=org, form=form, period=period))
    ret = (
        StatReturn.objects.select_for_update()
        .filter(org=org, form=form.code, period_start=period.start)
        .first()
    )
    now = timezone.now()
    if ret is None:
        ret = StatReturn.objects.create(
            org=org,
            form=form.code,
            period_start=period.start,
            period_end=period.end,
            values=values,
            prepared_values=values,
            prepared_by=actor,
            prepared_at=now,
        )
        _event(ret, actor=actor, action=ReturnAction.PREPARE, from_status="")
        return ret
    if ret.is_locked:
        raise ValidationError("报表已上报，已锁定，不能重新生成")
    before = ret.status
    ret.values = values
    ret.prepared_values = values
    ret.prepared_by = actor
    ret.prepared_at = now
    ret.save()
    _event(ret, actor=actor, action=ReturnAction.PREPARE, from_status=before)
    return ret


def parse_values(form: FormLayout, raw: dict[str, Any]) -> dict[str, int | Decimal]:
    """Entered values (text) as numbers; a ValidationError naming each bad row."""
    out: dict[str, int | Decimal] = {}
    errors: list[str] = []
    for key in count_keys(form):
        fig = figure(key)
        text = str(raw.get(key, "")).strip().replace(",", "")
        try:
            if isinstance(fig, CountFigure) and fig.sum_field:
                number: int | Decimal = Decimal(text).quantize(Decimal("0.01"))
            else:
                number = int(text)
        except (ValueError, InvalidOperation):
            errors.append(
                f"“{fig.label}”应填写{'金额' if getattr(fig, 'sum_field', '') else '整数'}，现为“{text}”"  # noqa: E501
            )
            continue
        out[key] = number
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def return_save(*, actor: Any, stat_return: StatReturn, values: dict[str, Any]) -> StatReturn:
    ret = StatReturn.objects.select_for_update().get(pk=stat_return.pk)
    _require_preparer(actor, ret.org)
    parsed = parse_values(layout(ret.form), values)
    before = _move(ret, ReturnAction.SAVE)
    ret.values = encode(parsed)
    ret.save(update_fields=["values", "status"])
    _event(ret, actor=actor, action=ReturnAction.SAVE, from_status=before)
    return ret


def return_findings(stat_return: StatReturn) -> list[str]:
    form = layout(stat_return.form)
    return cross_check(decode(stat_return.values), form.rows)


@transaction.atomic
def return_submit(*, actor: Any, stat_return: StatReturn) -> StatReturn:
    ret = StatReturn.objects.select_for_update().get(pk=stat_return.pk)
    _require_preparer(actor, ret.org)
    findings = return_findings(ret)
    if findings:
        raise ValidationError(["报表数据相互矛盾，不能上报：", *findings])
    before = _move(ret, ReturnAction.SUBMIT)
    ret.submitted_by = actor
    ret.submitted_at = timezone.now()
    ret.save(update_fields=["status", "submitted_by", "submitted_at"])
    _event(ret, actor=actor, action=ReturnAction.SUBMIT, from_status=before)
    return ret


@transaction.atomic
def return_reopen(*, actor: Any, stat_return: StatReturn, reason: str) -> StatReturn:
    ret = StatReturn.objects.select_for_update().select_related("org").get(pk=stat_return.pk)
    receiver = ret.org.parent
    if (
        not actor.has_perm(RECEIVE)
        or receiver is None
        or commission_of(actor.org) != commission_of(receiver)
    ):
        raise PermissionDenied("只有接收报表的上级统计人员可以退回报表")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回理由"})
    before = _move(ret, ReturnAction.REOPEN)
    ret.save(update_fields=["status"])
    _event(ret, actor=actor, action=ReturnAction.REOPEN, from_status=before, reason=reason)
    return ret


def aggregate_rebuild(
    *,
    actor: Any = None,
    org_ids: list[int] | None = None,
    start: Any = None,
    end: Any = None,
) -> Any:
    """Recompute the daily aggregate (ADR 0016) from the raw records for ``org_ids``
    (all orgs when None) and the days in [start, end] (all when None), in one
    transaction, with an audit row (``actor`` None: the system, e.g. ``jiandu stats
    rebuild``). Idempotent."""
    from jiandu.core.choices import AuditAction
    from jiandu.statcentre import aggregate

    with transaction.atomic():
        result = aggregate.rebuild(org_ids=org_ids, start=start, end=end)
        where = "全部单位" if org_ids is None else f"{len(org_ids)}个单位"
        span = f"{start or '最早'}至{end or '最晚'}"
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="statcentre.dailyfigure",
            summary=f"重建统计日汇总：{where}，{span}，日汇总{result.daily_rows}行",
        )
    return result
