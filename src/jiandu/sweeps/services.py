"""Writes of 线索大起底: start a campaign (its filters stored, the clues they select now
become its items), review one clue (维持 / 重新处置 → a 呈批件 on the clue's route)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiandu.clues.choices import ClueAction, ClueStatus, DisposalMethod
from jiandu.clues.decisions import clue_request_action
from jiandu.clues.lifecycle import TransitionError
from jiandu.clues.selectors import clue_list
from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.orgs.models import Org
from jiandu.sweeps import filters as sweep_filters
from jiandu.sweeps.choices import SweepDecision
from jiandu.sweeps.models import Sweep, SweepItem

MAX_ITEMS = 50_000


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def describe_filters(data: dict[str, Any]) -> str:
    """The stored filters in words (:func:`jiandu.sweeps.filters.describe`)."""
    return sweep_filters.describe(data)


@transaction.atomic
def sweep_create(*, actor: Any, name: str, org: Org, filters: dict[str, Any]) -> Sweep:
    """发起线索大起底 over the clues the filters (:mod:`jiandu.sweeps.filters`) select in
    the actor's jurisdiction now; the filters are stored with it and shown in words."""
    if not actor.has_perm("clues.change_clue"):
        raise PermissionDenied("没有办理问题线索的权限")
    if org.pk not in jurisdiction_org_ids(actor):
        raise ValidationError({"org": "组织单位不在您的管辖范围内"})
    if not name.strip():
        raise ValidationError({"name": "请填写名称"})
    data = sweep_filters.normalize(user=actor, filters=filters)
    clues = list(
        sweep_filters.clues_matching(user=actor, data=data)
        .order_by("pk")
        .values_list("pk", "disposal_method")[: MAX_ITEMS + 1]
    )
    if not clues:
        raise ValidationError({"filters": "按此条件没有可复核的线索"})
    if len(clues) > MAX_ITEMS:
        raise ValidationError({"filters": f"线索超过 {MAX_ITEMS} 条，请缩小范围"})
    sweep = Sweep.objects.create(
        name=name.strip(),
        org=org,
        filters=data,
        filters_text=sweep_filters.describe(data)[:300],
        created_by=actor,
    )
    SweepItem.objects.bulk_create(
        SweepItem(sweep=sweep, clue_id=pk, method_at_start=method) for pk, method in clues
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=sweep,
        summary=f"发起线索大起底：{sweep.name}（{len(clues)} 条）",
        changes={"filters": data, "items": len(clues)},
    )
    return sweep


@transaction.atomic
def sweep_review(
    *, actor: Any, item: SweepItem, decision: str, new_method: str = "", note: str = ""
) -> SweepItem:
    """复核 one clue: 维持原处置, or 重新处置 with a new 处置方式, which is submitted for
    approval on the route of the clue's handling unit (its 室主任, its commission's
    分管领导), not the reviewer's unit; drafted by the reviewer, its source the sweep. It
    takes effect when approved, as any disposal."""
    item = SweepItem.objects.select_for_update().select_related("clue").get(pk=item.pk)
    if not actor.has_perm("clues.change_clue"):
        raise PermissionDenied("没有办理问题线索的权限")
    # The pages never offer it (an item is in reach by its clue's handling unit); the
    # decision goes along that unit's route, so it must be in the reviewer's jurisdiction.
    if item.clue.handling_org_id not in jurisdiction_org_ids(actor):
        raise PermissionDenied("该线索的承办单位不在您的管辖范围内")
    if item.decision:
        raise ValidationError({"decision": "该线索已复核"})
    if decision not in (SweepDecision.MAINTAIN, SweepDecision.REDISPOSE):
        raise ValidationError({"decision": "请选择复核意见"})
    note = note.strip()
    if decision == SweepDecision.REDISPOSE:
        if new_method not in DisposalMethod.values:
            raise ValidationError({"new_method": "重新处置须选择处置方式"})
        if not note:
            raise ValidationError({"note": "重新处置须说明理由"})
        clue = item.clue
        action = (
            ClueAction.DISPOSE if clue.status == ClueStatus.RECEIVED else ClueAction.CHANGE_DISPOSAL
        )
        item.request = clue_request_action(
            actor=actor,
            clue=clue,
            action=action,
            method=new_method,
            note=f"线索大起底“{item.sweep.name}”复核：{note}",
            source=f"sweep:{item.sweep_id}",
        )
        item.new_method = new_method
    item.decision = decision
    item.note = note
    item.reviewer = actor
    item.reviewed_at = timezone.now()
    item.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=item,
        summary=f"线索大起底复核：{item.clue.number} {_label(SweepDecision, decision)}",
        changes={"decision": decision, "new_method": new_method, "note": note},
    )
    return item


# --- 集体排查 ------------------------------------------------------------------------


def parse_decisions(text: str) -> list[tuple[int, str, str, str]]:
    """The meeting's decisions, one a line: ``线索编号，处置方式，理由`` (Chinese or ASCII
    commas). Returns (line, number, method, note); a bad line raises naming it."""
    methods = {str(label): value for value, label in DisposalMethod.choices}
    rows = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace(",", "，").split("，", 2)]
        if len(parts) < 3 or not all(parts):
            raise ValidationError({"decisions": f"第{n}行应为“线索编号，处置方式，理由”"})
        number, method_label, note = parts
        if method_label not in methods:
            offered = "、".join(methods)
            message = f"第{n}行：处置方式“{method_label}”不存在（可选：{offered}）"
            raise ValidationError({"decisions": message})
        rows.append((n, number.upper(), methods[method_label], note))
    if not rows:
        raise ValidationError({"decisions": "请逐行填写排查决定"})
    return rows


@transaction.atomic
def collective_review_record(
    *,
    actor: Any,
    title: str,
    held_on: dt.date,
    attendees: str,
    minutes: str,
    decisions: str,
) -> Any:
    """Record a 集体排查 meeting and submit each decision for approval on the route of
    the clue's handling unit (all or nothing: a decision that cannot be submitted names
    its line)."""
    from jiandu.sweeps.models import CollectiveReview, CollectiveReviewItem

    if not actor.has_perm("clues.change_clue") or actor.org is None:
        raise PermissionDenied("没有办理问题线索的权限")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "会议日期不能晚于今天"})
    for field, value in (("title", title), ("attendees", attendees), ("minutes", minutes)):
        if not value.strip():
            raise ValidationError({field: "不能为空"})
    rows = parse_decisions(decisions)
    clues = {c.number: c for c in clue_list(user=actor).filter(number__in=[r[1] for r in rows])}
    review = CollectiveReview.objects.create(
        org=actor.org,
        title=title.strip(),
        held_on=held_on,
        attendees=attendees.strip(),
        minutes=minutes.strip(),
        created_by=actor,
    )
    items = []
    for line, number, method, note in rows:
        clue = clues.get(number)
        if clue is None:
            raise ValidationError({"decisions": f"第{line}行：线索“{number}”不存在"})
        if clue.handling_org_id not in jurisdiction_org_ids(actor):
            # Seen through its 登记单位 only: the decision is its handling unit's.
            message = f"第{line}行：线索“{number}”的承办单位不在您的管辖范围内"
            raise ValidationError({"decisions": message})
        action = (
            ClueAction.DISPOSE if clue.status == ClueStatus.RECEIVED else ClueAction.CHANGE_DISPOSAL
        )
        try:
            request = clue_request_action(
                actor=actor,
                clue=clue,
                action=action,
                method=method,
                note=f"{review.held_on:%Y-%m-%d}集体排查决定：{note}",
                source=f"collective:{review.pk}",
            )
        except ValidationError as exc:
            raise ValidationError({"decisions": f"第{line}行：{'；'.join(exc.messages)}"}) from exc
        except TransitionError as exc:
            raise ValidationError({"decisions": f"第{line}行：{exc}"}) from exc
        items.append(
            CollectiveReviewItem(
                review=review, clue=clue, method=method, note=note, request=request
            )
        )
    CollectiveReviewItem.objects.bulk_create(items)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=review,
        summary=f"集体排查：{review.title}（{len(items)} 条线索）",
        changes={"held_on": held_on.isoformat(), "items": len(items)},
    )
    return review
