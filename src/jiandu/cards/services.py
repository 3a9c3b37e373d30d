"""Writes of the 主体责任提醒卡: list templates (versioned, archived, never deleted), cards
(draft, items edited per card, issued with a 文号 and a printable file whose QR code
opens the card's page, voided with a reason), bulk issue for a quarter, the leader's
quarterly summary per item, and spot checks whose findings are problems of the
rectification loop.

Every function is keyword-only with ``actor=``, atomic, validated, and writes its audit
row (and a :class:`CardEvent` for a card's moves, checked against
``lifecycle.TRANSITIONS``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jiandu.cards.choices import CardAction, CardStatus, LeaderCategory, ListKind
from jiandu.cards.lifecycle import CardTransitionError, next_status
from jiandu.cards.models import (
    CardAttachment,
    CardEvent,
    CardItem,
    ListTemplate,
    ListTemplateItem,
    ReminderCard,
    SpotCheck,
)
from jiandu.cards.reference import SUMMARY_STEP
from jiandu.cards.selectors import card_sides, quarter_bounds
from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.deadlines import deadline_compute
from jiandu.core.files import stored_file_add
from jiandu.documents.choices import DocumentType
from jiandu.documents.services import document_issue, document_void
from jiandu.oversight.models import Problem, ProblemCategory, ProblemSource
from jiandu.oversight.selectors import acting_org_ids
from jiandu.oversight.services import Upload, problem_create

if TYPE_CHECKING:
    from jiandu.documents import renderers

CARD_RECORD = "cards.remindercard"
SPOT_CHECK_ORIGIN = "cards.spotcheck"
# The problem source of a spot check's findings (oversight reference data).
SPOT_CHECK_SOURCE = "card_check"
# The category a finding is filed under when none is given (the first one in force).
SPOT_CHECK_CATEGORIES = ("主体责任落实", "其他")
MAX_ITEMS = 30


def _clean_items(items: Sequence[str], *, field: str = "items") -> list[str]:
    cleaned = [" ".join(str(text).split()) for text in items]
    cleaned = [text for text in cleaned if text]
    if not cleaned:
        raise ValidationError({field: "至少需要一项事项"})
    if len(cleaned) > MAX_ITEMS:
        raise ValidationError({field: f"事项不能超过{MAX_ITEMS}项"})
    for i, text in enumerate(cleaned, start=1):
        if len(text) > 500:
            raise ValidationError({field: f"第{i}项超过500字"})
    return cleaned


# --- list templates -----------------------------------------------------------------


def _add_template_items(template: ListTemplate, items: list[str]) -> None:
    ListTemplateItem.objects.bulk_create(
        ListTemplateItem(template=template, order=i, text=text)
        for i, text in enumerate(items, start=1)
    )


@transaction.atomic
def list_template_create(
    *, actor: Any, key: str, name: str, kind: str, items: Sequence[str], description: str = ""
) -> ListTemplate:
    """A new list (version 1)."""
    items = _clean_items(items)
    if kind not in ListKind.values:
        raise ValidationError({"kind": f"未知的清单类型：{kind}"})
    if ListTemplate.objects.filter(key=key).exists():
        raise ValidationError({"key": f"代码“{key}”已被使用"})
    template = ListTemplate(
        key=key,
        version=1,
        name=name.strip(),
        kind=kind,
        description=description.strip(),
        created_by=actor,
    )
    template.full_clean()
    template.save()
    _add_template_items(template, items)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=template,
        summary=f"新建清单模板“{template.name}”（{len(items)}项）",
        changes={"key": key, "kind": kind, "items": items},
    )
    return template


@transaction.atomic
def list_template_revise(
    *, actor: Any, template: ListTemplate, name: str, items: Sequence[str], description: str = ""
) -> ListTemplate:
    """Change a list: the version in force is archived and the next version added with
    the new name and items. Cards already made keep the items they were given."""
    items = _clean_items(items)
    current = ListTemplate.objects.select_for_update().get(pk=template.pk)
    if current.is_archived:
        raise ValidationError({"template": f"“{current}”已归档，请修改现行版本"})
    current.archived_at = timezone.now()
    current.archived_by = actor
    current.archive_reason = f"修订为第{current.version + 1}版"
    current.save(update_fields=["archived_at", "archived_by", "archive_reason", "updated_at"])
    revised = ListTemplate(
        key=current.key,
        version=current.version + 1,
        name=name.strip() or current.name,
        kind=current.kind,
        description=description.strip(),
        created_by=actor,
    )
    revised.full_clean()
    revised.save()
    _add_template_items(revised, items)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=revised,
        summary=f"修订清单模板“{revised.name}”为第{revised.version}版（{len(items)}项）",
        changes={
            "previous": current.pk,
            "before": list(current.items.values_list("text", flat=True)),
            "after": items,
        },
    )
    return revised


@transaction.atomic
def list_template_archive(*, actor: Any, template: ListTemplate, reason: str) -> ListTemplate:
    """Stop using a list (archived with who, when, why; never deleted)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请填写停用原因"})
    template = ListTemplate.objects.select_for_update().get(pk=template.pk)
    if template.is_archived:
        raise ValidationError({"template": f"“{template}”已归档"})
    template.archived_at = timezone.now()
    template.archived_by = actor
    template.archive_reason = reason[:200]
    template.save(update_fields=["archived_at", "archived_by", "archive_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=template,
        summary=f"停用清单模板“{template}”",
        changes={"reason": reason},
    )
    return template


# --- cards --------------------------------------------------------------------------


def _event(
    *, actor: Any, card: ReminderCard, action: str, from_status: str, note: str = ""
) -> None:
    CardEvent.objects.create(
        card=card,
        action=action,
        from_status=from_status,
        to_status=card.status,
        note=note,
        actor=actor,
        at=timezone.now(),
    )


def _require_issuer(actor: Any, card_or_committee: Any) -> None:
    committee = getattr(card_or_committee, "committee", card_or_committee)
    if committee.pk not in jurisdiction_org_ids(actor):
        raise ValidationError({"committee": f"{committee}不在您的管辖范围内"})


def summary_due_for(year: int, quarter: int) -> dt.date:
    """When the quarter's summary is due, under the deadline table's rule in force
    (default: the 5th working day after the quarter's last day)."""
    return deadline_compute(SUMMARY_STEP, quarter_bounds(year, quarter)[1]).due


def _template_items(template: ListTemplate | None) -> list[str]:
    if template is None:
        return []
    return list(template.items.order_by("order").values_list("text", flat=True))


def _check_template(template: ListTemplate | None, kind: str, field: str) -> None:
    if template is None:
        return
    if template.is_archived:
        raise ValidationError({field: f"“{template}”已归档，请选择现行版本"})
    if template.kind != kind:
        raise ValidationError({field: f"“{template.name}”不是{ListKind(kind).label}"})


@transaction.atomic
def card_create(
    *,
    actor: Any,
    committee: Any,
    post: Any,
    year: int,
    quarter: int,
    template: ListTemplate | None = None,
    negative_list: ListTemplate | None = None,
    items: Sequence[str] | None = None,
    category: str = "",
) -> ReminderCard:
    """Draft a card for the leader holding ``post`` (a current post of the registry):
    items from ``items`` or else from the template."""
    from jiandu.cards.selectors import leader_category

    _require_issuer(actor, committee)
    if committee.is_commission:
        raise ValidationError({"committee": "提醒卡以党委（党组）名义印发，请选择党委（党组）"})
    if post.end_date is not None:
        raise ValidationError({"leader": f"{post.person}已不在“{post.org}{post.title}”任上"})
    if post.org_id not in jurisdiction_org_ids(actor):
        raise ValidationError({"leader": f"{post.org}不在您的管辖范围内"})
    if not 1 <= int(quarter) <= 4:
        raise ValidationError({"quarter": "季度应为1至4"})
    _check_template(template, ListKind.RESPONSIBILITY, "template")
    _check_template(negative_list, ListKind.NEGATIVE, "negative_list")
    texts = _clean_items(items if items is not None else _template_items(template))
    category = category or leader_category(post=post, committee=committee)
    if category not in LeaderCategory.values:
        raise ValidationError({"category": f"未知的提醒对象类别：{category}"})
    taken = ReminderCard.objects.filter(
        committee=committee, leader=post.person, year=year, quarter=quarter
    ).exclude(status=CardStatus.VOID)
    if taken.exists():
        raise ValidationError(
            {"leader": f"{post.person}已有{year}年第{quarter}季度{committee}的提醒卡"}
        )
    card = ReminderCard(
        committee=committee,
        prepared_by_org=actor.org,
        leader=post.person,
        leader_org=post.org,
        leader_title=post.title,
        category=category,
        year=year,
        quarter=quarter,
        template=template,
        negative_list=negative_list,
        summary_due=summary_due_for(year, quarter),
        created_by=actor,
    )
    card.full_clean(exclude=["document"])
    card.save()
    CardItem.objects.bulk_create(
        CardItem(card=card, order=i, text=text) for i, text in enumerate(texts, start=1)
    )
    _event(actor=actor, card=card, action=CardAction.CREATE, from_status="", note=f"{len(texts)}项")
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=card,
        summary=f"起草提醒卡：{card.quarter_label} {post.org}{post.title}{post.person}",
        changes={
            "committee": committee.pk,
            "leader": post.person_id,
            "leader_org": post.org_id,
            "year": year,
            "quarter": quarter,
            "items": len(texts),
        },
    )
    return card


@transaction.atomic
def card_edit_items(*, actor: Any, card: ReminderCard, items: Sequence[str]) -> ReminderCard:
    """Replace a draft card's items (the leader's items for the quarter)."""
    card = ReminderCard.objects.select_for_update().get(pk=card.pk)
    _require_issuer(actor, card)
    next_status(card.status, CardAction.EDIT)
    texts = _clean_items(items)
    before = list(card.items.values_list("text", flat=True))
    card.items.all().delete()  # a draft's items are not yet a record of anything
    CardItem.objects.bulk_create(
        CardItem(card=card, order=i, text=text) for i, text in enumerate(texts, start=1)
    )
    card.save(update_fields=["updated_at"])
    _event(actor=actor, card=card, action=CardAction.EDIT, from_status=card.status)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=card,
        summary=f"修改提醒卡事项（{len(texts)}项）",
        changes={"before": before, "after": texts},
    )
    return card


def card_url(card: ReminderCard, base_url: str = "") -> str:
    """The absolute address of a card's page: what its QR code holds."""
    base = (base_url or settings.JIANDU_SITE_URL).rstrip("/")
    return f"{base}{reverse('cards:card_detail', args=[card.pk])}"


def card_render_data(
    card: ReminderCard, *, number: str, day: dt.date, base_url: str = ""
) -> renderers.ReminderCard:
    """The renderer's data of a card (the printed file and the print page share it)."""
    from jiandu.documents import renderers

    title = card.leader_title
    if card.leader_org.name not in title:
        title = f"{card.leader_org.name}{title}"
    notes: list[str] = []
    if card.negative_list is not None:
        negatives = _template_items(card.negative_list)
        notes.append(
            f"附：{card.negative_list.name}（共{len(negatives)}项），请对照自查、管好身边人："
        )
        notes += [f"{i}．{text}" for i, text in enumerate(negatives, start=1)]
    return renderers.ReminderCard(
        organ=card.committee.name,
        leader_name=card.leader.name,
        leader_title=title,
        year=card.year,
        quarter=card.quarter,
        items=[item.text for item in card.items.order_by("order")],
        url=card_url(card, base_url),
        date=day,
        number=number,
        summary_due=card.summary_due,
        notes=tuple(notes),
    )


@transaction.atomic
def card_issue(
    *, actor: Any, card: ReminderCard, base_url: str = "", issued_on: dt.date | None = None
) -> ReminderCard:
    """Issue a draft card: the next 文号 of the committee's 提醒卡 sequence from the
    register, the printable .docx with the QR code stored with it."""
    card = (
        ReminderCard.objects.select_for_update(of=("self",))
        .select_related("committee", "leader", "leader_org", "negative_list")
        .get(pk=card.pk)
    )
    _require_issuer(actor, card)
    new_status = next_status(card.status, CardAction.ISSUE)
    issued_on = issued_on or timezone.localdate()

    def render(number: str, day: dt.date) -> bytes:
        from jiandu.documents import renderers

        data = card_render_data(card, number=number, day=day, base_url=base_url)
        return renderers.render_reminder_card_docx(card=data)

    document = document_issue(
        actor=actor,
        organ=card.committee,
        document_type=DocumentType.REMINDER_CARD,
        title=f"{card.quarter_label}党风廉政建设主体责任提醒卡（{card.leader.name}）",
        render=render,
        file_name=f"主体责任提醒卡_{card.year}Q{card.quarter}_{card.leader.name}.docx",
        issued_on=issued_on,
        recipient_org=card.leader_org,
        record_type=CARD_RECORD,
        record_id=card.pk,
    )
    old_status = card.status
    card.status = new_status
    card.document = document
    card.number = document.number
    card.issued_on = issued_on
    card.save(update_fields=["status", "document", "number", "issued_on", "updated_at"])
    _event(
        actor=actor, card=card, action=CardAction.ISSUE, from_status=old_status, note=card.number
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=card,
        summary=f"印发提醒卡 {card.number}：{card.leader}",
        changes={"from": old_status, "to": new_status, "number": card.number},
    )
    return card


@dataclass(frozen=True)
class BulkIssueResult:
    cards: list[ReminderCard]

    @property
    def items(self) -> int:
        return sum(card.items.count() for card in self.cards)


@transaction.atomic
def cards_issue_bulk(
    *,
    actor: Any,
    committee: Any,
    year: int,
    quarter: int,
    posts: Sequence[Any],
    template: ListTemplate | None,
    negative_list: ListTemplate | None = None,
    base_url: str = "",
    issued_on: dt.date | None = None,
) -> BulkIssueResult:
    """Draft and issue one card per post for the quarter, all or nothing: one leader
    who already has a card for the quarter (or any other error) stops the whole batch,
    with the message naming the leader."""
    if not posts:
        raise ValidationError({"posts": "请至少选择一名提醒对象"})
    if template is None:
        raise ValidationError({"template": "请选择主体责任清单"})
    cards = []
    for post in posts:
        card = card_create(
            actor=actor,
            committee=committee,
            post=post,
            year=year,
            quarter=quarter,
            template=template,
            negative_list=negative_list,
        )
        cards.append(card_issue(actor=actor, card=card, base_url=base_url, issued_on=issued_on))
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="cards.remindercard",
        summary=f"批量印发{year}年第{quarter}季度提醒卡{len(cards)}张（{committee}）",
        changes={"committee": committee.pk, "cards": [c.pk for c in cards]},
    )
    return BulkIssueResult(cards=cards)


@transaction.atomic
def card_void(*, actor: Any, card: ReminderCard, reason: str) -> ReminderCard:
    """Void a card with a reason; an issued card's 文号 is voided in the register too
    (never reused). The leader may then be given a new card for the quarter."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "作废提醒卡须填写原因"})
    card = ReminderCard.objects.select_for_update().get(pk=card.pk)
    _require_issuer(actor, card)
    new_status = next_status(card.status, CardAction.VOID)
    if card.document is not None and not card.document.is_void:
        document_void(actor=actor, document=card.document, reason=reason)
    old_status = card.status
    card.status = new_status
    card.save(update_fields=["status", "updated_at"])
    _event(actor=actor, card=card, action=CardAction.VOID, from_status=old_status, note=reason)
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=card,
        summary=f"作废提醒卡 {card.number or card.pk}：{reason}"[:300],
        changes={"from": old_status, "to": new_status, "reason": reason},
    )
    return card


# --- the leader's side: the quarterly summary ----------------------------------------------


def _store(*, actor: Any, card: ReminderCard, item: CardItem | None, upload: Upload) -> None:
    stored_file_add(
        CardAttachment(card=card, item=item),
        actor=actor,
        name=upload.name,
        data=upload.data,
        content_type=upload.content_type,
        what="材料",
        summary=f"上传履责材料“{upload.name}”",
        changes={"card": card.pk},
    )


@transaction.atomic
def card_summary_submit(
    *,
    actor: Any,
    card: ReminderCard,
    summaries: dict[int, str],
    files: list[Upload] | None = None,
    on_date: dt.date | None = None,
) -> ReminderCard:
    """The leader's quarterly summary (一季一总结), item by item, entered by the leader's
    unit staff: ``summaries`` maps item ids to text; an empty text leaves an item as it
    was. A summary sent again replaces the earlier one (the audit row keeps both).
    Files are optional."""
    from jiandu.cards.selectors import Side

    card = ReminderCard.objects.select_for_update().get(pk=card.pk)
    if Side.UNIT not in card_sides(actor, card):
        raise CardTransitionError("履责小结应由提醒对象所在单位报送")
    next_status(card.status, CardAction.SUMMARY)
    on_date = on_date or timezone.localdate()
    start, _end = quarter_bounds(card.year, card.quarter)
    if on_date < start:
        raise ValidationError({"summaries": f"{card.quarter_label}尚未开始，不能报送小结"})
    items = {item.pk: item for item in card.items.select_for_update()}
    unknown = [pk for pk in summaries if pk not in items]
    if unknown:
        raise ValidationError({"summaries": "事项不属于这张提醒卡"})
    changed = {}
    for pk, text in summaries.items():
        text = (text or "").strip()
        if not text:
            continue
        if len(text) > 2000:
            raise ValidationError({"summaries": f"第{items[pk].order}项小结超过2000字"})
        item = items[pk]
        changed[item.order] = {"before": item.summary, "after": text}
        item.summary = text
        item.summarised_on = on_date
        item.summarised_by = actor
        item.save(update_fields=["summary", "summarised_on", "summarised_by"])
    if not changed and not files:
        raise ValidationError({"summaries": "请至少填写一项履责小结"})
    for upload in files or []:
        _store(actor=actor, card=card, item=None, upload=upload)
    card.save(update_fields=["updated_at"])
    _event(
        actor=actor,
        card=card,
        action=CardAction.SUMMARY,
        from_status=card.status,
        note=f"报送第{'、'.join(str(o) for o in sorted(changed))}项小结" if changed else "补充材料",
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=card,
        summary=f"报送提醒卡履责小结 {card.number}（{len(changed)}项）",
        changes={"items": changed, "files": len(files or [])},
    )
    return card


# --- spot checks ----------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One finding of a spot check: what was found, and optionally its category."""

    description: str
    category: ProblemCategory | None = None


def _default_category() -> ProblemCategory:
    category = (
        ProblemCategory.objects.filter(name__in=SPOT_CHECK_CATEGORIES, archived_at__isnull=True)
        .order_by("sort_order")
        .first()
    )
    if category is None:
        raise ValidationError({"findings": "问题类别“主体责任落实”已停用，请选择类别"})
    return category


@transaction.atomic
def spot_check_record(
    *,
    actor: Any,
    card: ReminderCard,
    note: str,
    checked_on: dt.date | None = None,
    checklist: ListTemplate | None = None,
    findings: Sequence[Finding] = (),
) -> SpotCheck:
    """Record a spot check of an issued card. Each finding becomes a problem of the
    rectification loop about the leader's unit (source 提醒卡抽查, the leader as 主体责任
    领导, supervised by the checking body), its origin this check."""
    from jiandu.cards.selectors import Side

    card = (
        ReminderCard.objects.select_for_update(of=("self",))
        .select_related("leader_org")
        .get(pk=card.pk)
    )
    if Side.CHECKER not in card_sides(actor, card):
        raise CardTransitionError("抽查应由监督提醒对象的纪检监察机关办理")
    next_status(card.status, CardAction.SPOT_CHECK)
    note = note.strip()
    if not note:
        raise ValidationError({"note": "请填写抽查情况"})
    checked_on = checked_on or timezone.localdate()
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": "抽查日期不能晚于今天"})
    if checklist is not None and checklist.is_archived:
        raise ValidationError({"checklist": f"“{checklist}”已归档"})
    orgs = acting_org_ids(actor)
    # An office acting for its commission checks in the commission's name.
    supervising = actor.org.parent if actor.org.acts_for_commission else actor.org
    assert supervising is not None and supervising.pk in orgs
    check = SpotCheck(
        card=card,
        checked_on=checked_on,
        checklist=checklist,
        note=note,
        checked_by=actor,
        checked_by_org=supervising,
    )
    check.full_clean()
    check.save()
    source = ProblemSource.objects.get(key=SPOT_CHECK_SOURCE)
    problems: list[Problem] = []
    for finding in findings:
        text = finding.description.strip()
        if not text:
            continue
        problems.append(
            problem_create(
                actor=actor,
                org=card.leader_org,
                person=card.leader,
                responsible_leader=card.leader,
                description=f"{card.quarter_label}主体责任提醒卡抽查：{text}",
                category=finding.category or _default_category(),
                source=source,
                found_on=checked_on,
                supervising_org=supervising,
                found_by_org=supervising,
                origin=(SPOT_CHECK_ORIGIN, check.pk),
            )
        )
    _event(
        actor=actor,
        card=card,
        action=CardAction.SPOT_CHECK,
        from_status=card.status,
        note=f"发现问题{len(problems)}个" if problems else "未发现问题",
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=check,
        summary=f"抽查提醒卡 {card.number}：发现问题{len(problems)}个",
        changes={"card": card.pk, "problems": [p.pk for p in problems]},
    )
    return check
