"""API of the 主体责任提醒卡: cards (list, detail, draft, items, issue, void), bulk issue
for a quarter, the leader's summary, spot checks, the statistics with their records, and
the list templates.

Reads go through the card selectors (jurisdiction applied, 404 outside it); writes
through the services. A move the card's state does not allow is 409."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from jiandu.cards import selectors, services
from jiandu.cards.choices import CardStatus, ListKind
from jiandu.cards.models import ListTemplate, ReminderCard
from jiandu.cards.schemas import (
    BatchIssueIn,
    BatchIssueOut,
    CardCreateIn,
    CardDetailOut,
    CardPageOut,
    CardQuery,
    ItemsIn,
    ReasonIn,
    RecordsOut,
    RecordsQuery,
    SpotCheckIn,
    StatsOut,
    StatsQuery,
    SummaryIn,
    TemplateOut,
)
from jiandu.core.access import get_or_404, jurisdiction_org_ids, require_perm
from jiandu.core.pagination import decode_cursor, keyset_paginate
from jiandu.core.schemas import ERRORS, ERRORS_WITH_CONFLICT
from jiandu.oversight.models import ProblemCategory

router = Router(tags=["主体责任提醒卡"])

VIEW = "cards.view_remindercard"
ISSUE = "cards.issue_reminder_card"


def _card(card: ReminderCard, request: HttpRequest) -> dict[str, Any]:
    items = getattr(card, "item_count", None)
    summarised = getattr(card, "summarised_count", None)
    if items is None:
        items = card.items.count()
        summarised = card.items.filter(summarised_on__isnull=False).count()
    today = timezone.localdate()
    return {
        "id": card.pk,
        "number": card.number,
        "year": card.year,
        "quarter": card.quarter,
        "quarter_label": card.quarter_label,
        "committee": {"id": card.committee_id, "name": card.committee.name},
        "leader": {"id": card.leader_id, "name": card.leader.name},
        "leader_org": {"id": card.leader_org_id, "name": card.leader_org.name},
        "leader_title": card.leader_title,
        "category": card.category,
        "category_label": card.get_category_display(),
        "status": card.status,
        "status_label": card.get_status_display(),
        "summary_due": card.summary_due,
        "issued_on": card.issued_on,
        "items": items,
        "summarised": summarised,
        "overdue": card.status == CardStatus.ISSUED
        and card.summary_due < today
        and (summarised or 0) < items,
        "url": services.card_url(card, request.build_absolute_uri("/")),
    }


def _followed(record: Any) -> dict[str, Any]:
    if hasattr(record, "held_on"):
        return {
            "type": "interview",
            "id": record.pk,
            "date": record.held_on,
            "kind_label": record.get_kind_display(),
        }
    return {
        "type": "outcome",
        "id": record.pk,
        "date": record.decision_date,
        "kind_label": record.get_subtype_display() or record.get_kind_display(),
        "clue_id": record.clue_id,
    }


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    card = selectors.card_get(user=request.user, pk=pk)
    body = _card(card, request)
    body["item_list"] = [
        {
            "id": i.pk,
            "order": i.order,
            "text": i.text,
            "summary": i.summary,
            "summarised_on": i.summarised_on,
        }
        for i in card.items.order_by("order")
    ]
    body["negative_list"] = (
        list(card.negative_list.items.order_by("order").values_list("text", flat=True))
        if card.negative_list
        else []
    )
    body["spot_checks"] = [
        {
            "id": c.pk,
            "checked_on": c.checked_on,
            "note": c.note,
            "checked_by_org": {"id": c.checked_by_org_id, "name": c.checked_by_org.name},
            "problems": [
                {"id": p.pk, "number": p.number, "status": p.rectification.status}
                for p in c.problems  # type: ignore[attr-defined]
            ],
        }
        for c in selectors.spot_checks(card=card)
    ]
    body["followed"] = [
        _followed(r) for r in selectors.card_follow_records(user=request.user, card=card)
    ]
    return body


def _committee(user: Any, pk: int) -> Any:
    committee = selectors.committees(user).filter(pk=pk).first()
    if committee is None:
        raise ValidationError({"committee": "发卡党委不存在或不在您的管辖范围内"})
    return committee


def _post(user: Any, pk: int) -> Any:
    from jiandu.people.models import Post

    post = (
        Post.objects.current()
        .filter(pk=pk, org_id__in=jurisdiction_org_ids(user))
        .select_related("person", "org")
        .first()
    )
    if post is None:
        raise ValidationError({"post": f"任职记录（编号{pk}）不存在、已免职或不在您的管辖范围内"})
    return post


def _template(pk: int | None, kind: str, field: str) -> ListTemplate | None:
    if pk is None:
        return None
    template = ListTemplate.objects.filter(pk=pk, kind=kind, archived_at__isnull=True).first()
    if template is None:
        raise ValidationError({field: f"清单模板（编号{pk}）不存在、已归档或类型不符"})
    return template


# --- cards -----------------------------------------------------------------------------


@router.get("/cards", response={200: CardPageOut, **ERRORS}, summary="提醒卡列表")
def list_cards(request: HttpRequest, query: Query[CardQuery]):
    """Newest quarter first, keyset-paged (``after`` = the previous ``next_cursor``)."""
    require_perm(request, VIEW)
    if query.after and not decode_cursor(query.after):
        raise ValidationError({"after": "分页游标无效"})
    if query.status and query.status not in CardStatus.values:
        raise ValidationError({"status": f"取值无效，可选值为：{'、'.join(CardStatus.values)}"})
    filters = selectors.CardFilters(
        year=query.year,
        quarter=query.quarter,
        committee_id=query.committee,
        category=query.category,
        status=query.status,
        overdue=query.overdue,
        text=query.text,
    )
    qs = selectors.card_list(user=request.user, filters=filters)
    page = keyset_paginate(qs, after=query.after, size=query.limit, date_field="summary_due")
    return {"items": [_card(c, request) for c in page.items], "next_cursor": page.next_cursor}


@router.get("/cards/{int:card_id}", response={200: CardDetailOut, **ERRORS}, summary="提醒卡详情")
def get_card(request: HttpRequest, card_id: int):
    require_perm(request, VIEW)
    return _detail(request, card_id)


@router.post("/cards", response={201: CardDetailOut, **ERRORS}, summary="起草提醒卡")
def create_card(request: HttpRequest, payload: CardCreateIn):
    require_perm(request, ISSUE)
    user = request.user
    card = services.card_create(
        actor=user,
        committee=_committee(user, payload.committee),
        post=_post(user, payload.post),
        year=payload.year,
        quarter=payload.quarter,
        template=_template(payload.template, ListKind.RESPONSIBILITY, "template"),
        negative_list=_template(payload.negative_list, ListKind.NEGATIVE, "negative_list"),
        items=payload.items,
    )
    return Status(201, _detail(request, card.pk))


@router.put(
    "/cards/{int:card_id}/items",
    response={200: CardDetailOut, **ERRORS_WITH_CONFLICT},
    summary="修改草稿的提醒事项",
)
def edit_items(request: HttpRequest, card_id: int, payload: ItemsIn):
    require_perm(request, ISSUE)
    card = selectors.card_get(user=request.user, pk=card_id)
    services.card_edit_items(actor=request.user, card=card, items=payload.items)
    return _detail(request, card_id)


@router.post(
    "/cards/{int:card_id}/issue",
    response={200: CardDetailOut, **ERRORS_WITH_CONFLICT},
    summary="印发提醒卡（分配文号）",
)
def issue_card(request: HttpRequest, card_id: int):
    require_perm(request, ISSUE)
    card = selectors.card_get(user=request.user, pk=card_id)
    services.card_issue(actor=request.user, card=card, base_url=request.build_absolute_uri("/"))
    return _detail(request, card_id)


@router.post(
    "/cards/{int:card_id}/void",
    response={200: CardDetailOut, **ERRORS_WITH_CONFLICT},
    summary="作废提醒卡",
)
def void_card(request: HttpRequest, card_id: int, payload: ReasonIn):
    require_perm(request, ISSUE)
    card = selectors.card_get(user=request.user, pk=card_id)
    services.card_void(actor=request.user, card=card, reason=payload.reason)
    return _detail(request, card_id)


@router.post(
    "/issue-batch", response={201: BatchIssueOut, **ERRORS}, summary="按季度批量印发提醒卡"
)
def issue_batch(request: HttpRequest, payload: BatchIssueIn):
    """One card per post, all or nothing."""
    require_perm(request, ISSUE)
    user = request.user
    result = services.cards_issue_bulk(
        actor=user,
        committee=_committee(user, payload.committee),
        year=payload.year,
        quarter=payload.quarter,
        posts=[_post(user, pk) for pk in payload.posts],
        template=_template(payload.template, ListKind.RESPONSIBILITY, "template"),
        negative_list=_template(payload.negative_list, ListKind.NEGATIVE, "negative_list"),
        base_url=request.build_absolute_uri("/"),
    )
    cards = [selectors.card_get(user=user, pk=c.pk) for c in result.cards]
    return Status(
        201,
        {"cards": [_card(c, request) for c in cards], "items": sum(c.item_count for c in cards)},  # type: ignore[attr-defined]
    )


@router.post(
    "/cards/{int:card_id}/summary",
    response={200: CardDetailOut, **ERRORS_WITH_CONFLICT},
    summary="报送履责小结（提醒对象所在单位）",
)
def submit_summary(request: HttpRequest, card_id: int, payload: SummaryIn):
    require_perm(request, "cards.submit_card_summary")
    card = selectors.card_get(user=request.user, pk=card_id)
    services.card_summary_submit(
        actor=request.user,
        card=card,
        summaries=payload.summaries,
        files=[f.upload() for f in payload.files],
    )
    return _detail(request, card_id)


@router.post(
    "/cards/{int:card_id}/spot-checks",
    response={201: CardDetailOut, **ERRORS_WITH_CONFLICT},
    summary="记录抽查（发现的问题进入整改闭环）",
)
def record_spot_check(request: HttpRequest, card_id: int, payload: SpotCheckIn):
    require_perm(request, "cards.spot_check_card")
    card = selectors.card_get(user=request.user, pk=card_id)
    checklist = None
    if payload.checklist is not None:
        checklist = ListTemplate.objects.filter(
            pk=payload.checklist, archived_at__isnull=True
        ).first()
        if checklist is None:
            raise ValidationError({"checklist": "对照清单不存在或已归档"})
    category = None
    if payload.category is not None:
        category = ProblemCategory.objects.filter(
            pk=payload.category, archived_at__isnull=True
        ).first()
        if category is None:
            raise ValidationError({"category": "问题类别不存在或已停用"})
    services.spot_check_record(
        actor=request.user,
        card=card,
        note=payload.note,
        checked_on=payload.checked_on,
        checklist=checklist,
        findings=[services.Finding(text, category) for text in payload.findings],
    )
    return Status(201, _detail(request, card_id))


# --- statistics ------------------------------------------------------------------------


@router.get("/stats", response={200: StatsOut, **ERRORS}, summary="提醒卡统计")
def stats(request: HttpRequest, query: Query[StatsQuery]):
    """Per quarter and issuing committee: 人次, 事项, 小结, 抽查, and the 提醒谈话, 诫勉
    and 处分 that followed; ``/stats/records`` lists the records of each number."""
    require_perm(request, VIEW)
    rows = selectors.card_stats(user=request.user, year=query.year, quarter=query.quarter)
    return {
        "metrics": selectors.METRICS,
        "rows": [
            {
                "year": r.year,
                "quarter": r.quarter,
                "committee": {"id": r.committee_id, "name": r.committee},
                "values": r.values,
            }
            for r in rows
        ],
        "total": selectors.stats_total(rows),
    }


def _record(kind: str, r: Any) -> dict[str, Any]:
    if kind == "cards":
        return {"type": "card", "id": r.pk, "number": r.number, "leader": r.leader.name}
    if kind == "items":
        return {"type": "item", "id": r.pk, "card_id": r.card_id, "text": r.text}
    if kind == "checks":
        return {"type": "spot_check", "id": r.pk, "card_id": r.card_id, "date": r.checked_on}
    if kind == "problems":
        return {"type": "problem", "id": r.pk, "number": r.number}
    return _followed(r)


@router.get("/stats/records", response={200: RecordsOut, **ERRORS}, summary="统计数字对应的记录")
def stats_records(request: HttpRequest, query: Query[RecordsQuery]):
    require_perm(request, VIEW)
    if query.metric not in selectors.METRICS:
        raise ValidationError({"metric": f"取值无效，可选值为：{'、'.join(selectors.METRICS)}"})
    drill = selectors.stats_records(
        user=request.user,
        metric=query.metric,
        year=query.year,
        quarter=query.quarter,
        committee_id=query.committee,
    )
    return {
        "metric": drill.metric,
        "label": drill.label,
        "kind": drill.kind,
        "count": len(drill.records),
        "records": [_record(drill.kind, r) for r in drill.records],
    }


# --- list templates ----------------------------------------------------------------------


def _template_out(t: ListTemplate) -> dict[str, Any]:
    return {
        "id": t.pk,
        "key": t.key,
        "version": t.version,
        "name": t.name,
        "kind": t.kind,
        "kind_label": t.get_kind_display(),
        "archived": t.is_archived,
        "items": list(t.items.order_by("order").values_list("text", flat=True)),
    }


@router.get("/templates", response={200: list[TemplateOut], **ERRORS}, summary="清单模板")
def list_templates(request: HttpRequest, include_archived: bool = False):
    require_perm(request, VIEW)
    templates = selectors.list_templates(include_archived=include_archived).prefetch_related(
        "items"
    )
    return [_template_out(t) for t in templates]


@router.get(
    "/templates/{int:template_id}", response={200: TemplateOut, **ERRORS}, summary="清单模板详情"
)
def get_template(request: HttpRequest, template_id: int):
    require_perm(request, VIEW)
    return _template_out(get_or_404(ListTemplate.objects.all(), pk=template_id))
