"""Writes to the case registry. Each function is one transaction: it validates, writes,
appends the timeline event and the audit row, or does nothing at all."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from jiandu.clues import lifecycle
from jiandu.clues.choices import (
    ClueAction,
    ClueSource,
    ClueStatus,
    Conclusion,
    OutcomeKind,
    PetitionAction,
    PetitionStatus,
)
from jiandu.clues.messages import message_clue_moved
from jiandu.clues.models import (
    Attachment,
    Clue,
    ClueEvent,
    DomainTag,
    ExposureBatch,
    ExposureCase,
    Outcome,
    Petition,
    PetitionEvent,
    ReporterIdentity,
    domain_key,
)
from jiandu.core import idnumbers
from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.audit import StagedWrite, audit_record, model_snapshot
from jiandu.core.choices import AuditAction
from jiandu.core.crypto import search_key
from jiandu.core.db import reserve_ids
from jiandu.core.deadlines import deadline_compute
from jiandu.core.files import stored_file_add, upload_size_check
from jiandu.orgs.models import Org
from jiandu.people.models import Person

REPEAT_WINDOW_DAYS = 365
REPEAT_TITLE_SIMILARITY = 70


def _require_in_jurisdiction(actor: Any, org: Org, field: str) -> None:
    if org.pk not in jurisdiction_org_ids(actor):
        raise ValidationError({field: f"“{org}”不在您的管辖范围内"})


def _today() -> dt.date:
    return timezone.localdate()


# --- petitions -------------------------------------------------------------------


def _reporter_key(*, name: str, phone: str, id_number: str) -> str:
    if id_number:
        return search_key("id:" + id_number)
    if name and phone:
        return search_key(f"np:{name.strip()}:{phone.strip()}")
    return ""


def _find_repeat(petition: Petition) -> Petition | None:
    """An earlier petition (within a year) from the same reporter, or about the same
    person with a similar title: the 重复举报 this one repeats."""
    since = petition.received_date - dt.timedelta(days=REPEAT_WINDOW_DAYS)
    earlier = Petition.objects.filter(
        received_date__gte=since, received_date__lte=petition.received_date
    ).exclude(pk=petition.pk)
    if petition.reporter_key:
        match = earlier.filter(reporter_key=petition.reporter_key).order_by("received_date", "pk")
        first = match.first()
        if first is not None:
            return first.repeat_of or first
    people = list(petition.subject_people.values_list("pk", flat=True))
    if people:
        # Imported here: the clue services are loaded by commands (``jiandu import``)
        # that never compare titles, and rapidfuzz is some forty modules.
        from rapidfuzz import fuzz

        for candidate in (
            earlier.filter(subject_people__in=people).distinct().order_by("received_date", "pk")
        ):
            if fuzz.partial_ratio(candidate.title, petition.title) >= REPEAT_TITLE_SIMILARITY:
                return candidate.repeat_of or candidate
    return None


def _petition_event(
    petition: Petition,
    *,
    actor: Any,
    action: str,
    from_status: str,
    reason: str = "",
    from_org: Org | None = None,
    to_org: Org | None = None,
) -> PetitionEvent:
    return PetitionEvent.objects.create(
        petition=petition,
        action=action,
        from_status=from_status,
        to_status=petition.status,
        from_org=from_org,
        to_org=to_org,
        reason=reason,
        actor=actor,
        at=timezone.now(),
    )


@transaction.atomic
def petition_register(
    *,
    actor: Any,
    received_date: dt.date,
    channel: str,
    title: str,
    content: str,
    received_org: Org | None = None,
    is_real_name: bool = False,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_id_number: str = "",
    reporter_address: str = "",
    domains: list[DomainTag] | None = None,
    subject_people: list[Person] | None = None,
    subject_orgs: list[Org] | None = None,
) -> Petition:
    """Register a 信访举报 item at the actor's org (or ``received_org`` within the
    jurisdiction). A real-name report must give the reporter's name."""
    org = received_org or actor.org
    if org is None:
        raise ValidationError({"received_org": "请先为当前用户设置所属单位"})
    _require_in_jurisdiction(actor, org, "received_org")
    if received_date > _today():
        raise ValidationError({"received_date": "受理日期不能晚于今天"})
    id_number = ""
    if reporter_id_number:
        try:
            id_number = idnumbers.parse(reporter_id_number).number
        except idnumbers.IdNumberError as exc:
            raise ValidationError({"reporter_id_number": str(exc)}) from exc
    if is_real_name and not reporter_name.strip():
        raise ValidationError({"reporter_name": "实名举报须填写举报人姓名"})
    petition = Petition(
        received_date=received_date,
        channel=channel,
        is_real_name=is_real_name,
        received_org=org,
        handling_org=org,
        title=title.strip(),
        content=content.strip(),
        created_by=actor,
        reporter_key=_reporter_key(name=reporter_name, phone=reporter_phone, id_number=id_number),
    )
    petition.full_clean(exclude=["number", "created_by"])
    petition.save()
    petition.number = f"XF{received_date:%Y}{petition.pk:07d}"
    if domains:
        petition.domains.set(domains)
        petition.domain_key = domain_key(domains)
    if subject_people:
        petition.subject_people.set(subject_people)
    if subject_orgs:
        petition.subject_orgs.set(subject_orgs)
    repeat = _find_repeat(petition)
    petition.repeat_of = repeat
    petition.is_first_time = repeat is None
    petition.save(update_fields=["number", "repeat_of", "is_first_time", "domain_key"])
    if any([reporter_name, reporter_phone, id_number, reporter_address]):
        ReporterIdentity.objects.create(
            petition=petition,
            name=reporter_name.strip(),
            phone=reporter_phone.strip(),
            id_number=id_number,
            address=reporter_address.strip(),
        )
    _petition_event(petition, actor=actor, action=PetitionAction.REGISTER, from_status="")
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=petition,
        changes={**model_snapshot(petition), "has_reporter_identity": bool(reporter_name)},
    )
    return petition


def petition_reveal_reporter(*, actor: Any, petition: Petition) -> ReporterIdentity | None:
    """The reporter's identity, for holders of ``clues.view_reporter_identity`` only.
    Every look is audited (even when the petition has no identity recorded)."""
    if not actor.has_perm("clues.view_reporter_identity"):
        raise PermissionError("没有查看举报人身份信息的权限")
    identity = ReporterIdentity.objects.filter(petition=petition).first()
    audit_record(
        actor=actor,
        action=AuditAction.VIEW_PROTECTED,
        obj=petition,
        summary="查看举报人身份信息",
    )
    return identity


def _petition_transition(
    petition: Petition, *, actor: Any, action: str, reason: str, to_org: Org | None = None
) -> str:
    if not reason.strip():
        raise ValidationError({"reason": "请填写办理理由"})
    from_status = petition.status
    petition.status = lifecycle.next_petition_status(from_status, action)
    return from_status


@transaction.atomic
def petition_convert_to_clue(
    *,
    actor: Any,
    petition: Petition,
    reason: str,
    title: str = "",
    handling_org: Org | None = None,
    on_date: dt.date | None = None,
) -> Clue:
    """转为问题线索: the petition becomes a clue handled by ``handling_org`` (default:
    the petition's handling org), carrying its subjects and domains."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if on_date is not None and on_date < petition.received_date:
        raise ValidationError({"on_date": "转线索日期不能早于信访件受理日期"})
    from_status = _petition_transition(
        petition, actor=actor, action=PetitionAction.CONVERT, reason=reason
    )
    petition.closed_at = timezone.now()
    petition.save(update_fields=["status", "closed_at", "updated_at"])
    clue = clue_create(
        actor=actor,
        source=ClueSource.PETITION,
        title=title or petition.title,
        content=petition.content,
        received_date=on_date or _today(),
        handling_org=handling_org or petition.handling_org,
        domains=list(petition.domains.all()),
        subject_people=list(petition.subject_people.all()),
        subject_orgs=list(petition.subject_orgs.all()),
        petition=petition,
    )
    _petition_event(
        petition,
        actor=actor,
        action=PetitionAction.CONVERT,
        from_status=from_status,
        reason=reason,
        to_org=clue.handling_org,
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=petition,
        summary=f"转为问题线索 {clue.number}",
        changes={"status": {"before": from_status, "after": petition.status}, "reason": reason},
    )
    return clue


@transaction.atomic
def petition_assign(*, actor: Any, petition: Petition, to_org: Org, reason: str) -> Petition:
    """交办: hand the petition to an org within the jurisdiction (usually lower)."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    _require_in_jurisdiction(actor, to_org, "to_org")
    if to_org.pk == petition.handling_org_id:
        raise ValidationError({"to_org": "交办单位与当前承办单位相同"})
    from_status = _petition_transition(
        petition, actor=actor, action=PetitionAction.ASSIGN, reason=reason
    )
    from_org = petition.handling_org
    petition.handling_org = to_org
    petition.save(update_fields=["status", "handling_org", "updated_at"])
    _petition_event(
        petition,
        actor=actor,
        action=PetitionAction.ASSIGN,
        from_status=from_status,
        reason=reason,
        from_org=from_org,
        to_org=to_org,
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=petition,
        summary=f"交办至{to_org}",
        changes={"handling_org": {"before": from_org.pk, "after": to_org.pk}, "reason": reason},
    )
    return petition


@transaction.atomic
def petition_transfer(
    *, actor: Any, petition: Petition, transferred_to: str, reason: str
) -> Petition:
    """转办: the matter belongs to another body (信访局, a department); closed here."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if not transferred_to.strip():
        raise ValidationError({"transferred_to": "请填写转办单位"})
    from_status = _petition_transition(
        petition, actor=actor, action=PetitionAction.TRANSFER, reason=reason
    )
    petition.transferred_to = transferred_to.strip()
    petition.closed_at = timezone.now()
    petition.save(update_fields=["status", "transferred_to", "closed_at", "updated_at"])
    _petition_event(
        petition,
        actor=actor,
        action=PetitionAction.TRANSFER,
        from_status=from_status,
        reason=f"转办至{petition.transferred_to}：{reason}",
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=petition,
        summary=f"转办至{petition.transferred_to}",
        changes={"status": {"before": from_status, "after": petition.status}, "reason": reason},
    )
    return petition


@transaction.atomic
def petition_file(*, actor: Any, petition: Petition, reason: str) -> Petition:
    """存档/了结: no further action (e.g. no specific matter, already handled)."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    from_status = _petition_transition(
        petition, actor=actor, action=PetitionAction.FILE, reason=reason
    )
    petition.closed_at = timezone.now()
    petition.save(update_fields=["status", "closed_at", "updated_at"])
    _petition_event(
        petition, actor=actor, action=PetitionAction.FILE, from_status=from_status, reason=reason
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=petition,
        summary="存档了结",
        changes={"status": {"before": from_status, "after": petition.status}, "reason": reason},
    )
    return petition


def petition_apply(
    *, actor: Any, petition: Petition, action: str, reason: str, **data: Any
) -> Petition | Clue:
    """Dispatch one triage action (分流) by name: 转为问题线索 answers the new clue, the
    others the petition. Pages, the API and imports reach it only through 呈批
    (``clues.decisions.petition_request_action``)."""
    if action not in lifecycle.TRIAGE_ACTIONS:
        raise lifecycle.TransitionError(f"未知的信访件办理动作“{action}”")
    # A move the petition's state does not allow is named before any missing field.
    status = Petition.objects.values_list("status", flat=True).get(pk=petition.pk)
    lifecycle.next_petition_status(status, action)
    if action == PetitionAction.CONVERT:
        return petition_convert_to_clue(
            actor=actor,
            petition=petition,
            reason=reason,
            title=data.get("title") or "",
            handling_org=data.get("handling_org"),
            on_date=data.get("on_date"),
        )
    if action == PetitionAction.ASSIGN:
        to_org = data.get("to_org")
        if to_org is None:
            raise ValidationError({"to_org": "请选择交办单位"})
        return petition_assign(actor=actor, petition=petition, to_org=to_org, reason=reason)
    if action == PetitionAction.TRANSFER:
        return petition_transfer(
            actor=actor,
            petition=petition,
            transferred_to=data.get("transferred_to") or "",
            reason=reason,
        )
    return petition_file(actor=actor, petition=petition, reason=reason)


# --- clues -----------------------------------------------------------------------


def _clue_event(
    clue: Clue,
    *,
    actor: Any,
    action: str,
    from_status: str,
    on_date: dt.date,
    note: str = "",
    from_org: Org | None = None,
    to_org: Org | None = None,
) -> ClueEvent:
    return ClueEvent.objects.create(
        clue=clue,
        action=action,
        from_status=from_status,
        to_status=clue.status,
        disposal_method=clue.disposal_method,
        from_org=from_org,
        to_org=to_org,
        note=note,
        actor=actor,
        on_date=on_date,
        at=timezone.now(),
        domain_key=clue.domain_key,
    )


def _due(start: dt.date, key: str) -> dt.date:
    """The stage's due date under the deadline table's rule in force when it starts;
    stored on the clue, so a later change of the table does not move it (ADR 0011)."""
    return deadline_compute(lifecycle.DEADLINE_STEPS[key], start).due


@transaction.atomic
def clue_create(
    *,
    actor: Any,
    source: str,
    title: str,
    received_date: dt.date,
    handling_org: Org | None = None,
    content: str = "",
    domains: list[DomainTag] | None = None,
    subject_people: list[Person] | None = None,
    subject_orgs: list[Org] | None = None,
    petition: Petition | None = None,
    funds_involved: Decimal | None = None,
    evidence: dict[str, Any] | None = None,
) -> Clue:
    """受理 a 问题线索 (from a petition, an inspection transfer, a comparison hit …)."""
    clue = clue_build(
        actor=actor,
        source=source,
        title=title,
        received_date=received_date,
        handling_org=handling_org,
        content=content,
        petition=petition,
        funds_involved=funds_involved,
        evidence=evidence,
    )
    org = clue.handling_org
    clue.save()
    clue.number = f"XS{received_date:%Y}{clue.pk:07d}"
    if domains:
        clue.domains.set(domains)
        clue.domain_key = domain_key(domains)
    clue.save(update_fields=["number", "domain_key"])
    if subject_people:
        clue.subject_people.set(subject_people)
    if subject_orgs:
        clue.subject_orgs.set(subject_orgs)
    _clue_event(
        clue,
        actor=actor,
        action=ClueAction.RECEIVE,
        from_status="",
        on_date=received_date,
        to_org=org,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=clue, changes=model_snapshot(clue))
    return clue


def clue_build(
    *,
    actor: Any,
    source: str,
    title: str,
    received_date: dt.date,
    handling_org: Org | None = None,
    content: str = "",
    petition: Petition | None = None,
    funds_involved: Decimal | None = None,
    evidence: dict[str, Any] | None = None,
) -> Clue:
    """The clue :func:`clue_create` would 受理, built and checked (ValidationError naming
    the field) but not saved: for :func:`clues_stage`, which writes thousands of them."""
    org = handling_org or actor.org
    if org is None:
        raise ValidationError({"handling_org": "请指定承办单位"})
    _require_in_jurisdiction(actor, org, "handling_org")
    if received_date > _today():
        raise ValidationError({"received_date": "受理日期不能晚于今天"})
    clue = Clue(
        source=source,
        petition=petition,
        title=title.strip(),
        content=content.strip(),
        received_date=received_date,
        registered_org=actor.org or org,
        handling_org=org,
        funds_involved=funds_involved,
        evidence=evidence or {},
        due_date=_due(received_date, ClueStatus.RECEIVED),
        created_by=actor,
    )
    clue.full_clean(exclude=["number", "created_by", "registered_org"])
    return clue


def clues_stage(
    *,
    actor: Any,
    clues: list[tuple[Clue, list[DomainTag], list[Person]]],
    staged: StagedWrite,
) -> list[Clue]:
    """Stage the 受理 of clues built by :func:`clue_build` (each with its 领域 and
    被反映人), outside any transaction: ids reserved and numbers given, then the clues,
    their links, their 受理 events and one audit row each — what :func:`clue_create`
    writes — written where nobody sees them until ``staged.publish()`` runs in the
    caller's transaction (ADR 0010)."""
    from jiandu.clues.search import search_entries_ahead, text_grams

    built = [clue for clue, _domains, _people in clues]
    domain_links = []
    people_links = []
    events = []
    now = timezone.now()
    for (clue, domains, people), pk in zip(clues, reserve_ids(Clue, len(clues)), strict=True):
        clue.pk = pk
        clue.number = f"XS{clue.received_date:%Y}{pk:07d}"
        clue.search_grams = text_grams(clue.title, clue.content)
        if domains:
            clue.domain_key = domain_key(domains)
        domain_links += [Clue.domains.through(clue_id=pk, domaintag_id=d.pk) for d in domains]
        people_links += [Clue.subject_people.through(clue_id=pk, person_id=p.pk) for p in people]
        events.append(
            ClueEvent(
                clue=clue,
                action=ClueAction.RECEIVE,
                from_status="",
                to_status=clue.status,
                disposal_method=clue.disposal_method,
                to_org=clue.handling_org,
                actor=actor,
                on_date=clue.received_date,
                at=now,
                domain_key=clue.domain_key,
            )
        )
    staged.add(Clue, built)
    staged.add(Clue.domains.through, domain_links, with_pk=False)
    staged.add(Clue.subject_people.through, people_links, with_pk=False)
    staged.add(ClueEvent, events, with_pk=False)
    # SQLite: their search entries go into the index now, in short transactions, not
    # while the publishing transaction holds the write lock (ADR 0013).
    staged.add_ahead(search_entries_ahead(Clue, [(c.pk, c.search_grams) for c in built]))
    staged.add_audit(
        [
            {
                "actor": actor,
                "action": AuditAction.CREATE,
                "obj": clue,
                "changes": model_snapshot(clue),
            }
            for clue in built
        ]
    )
    return built


def _lock(clue: Clue) -> Clue:
    return Clue.objects.select_for_update().get(pk=clue.pk)


def _check_date(clue: Clue, on_date: dt.date, field: str = "on_date") -> None:
    if on_date < clue.received_date:
        raise ValidationError({field: "日期不能早于线索受理日期"})
    if on_date > _today():
        raise ValidationError({field: "日期不能晚于今天"})


def _audit_transition(clue: Clue, *, actor: Any, summary: str, before: dict, note: str) -> None:
    after = model_snapshot(clue, ["status", "disposal_method", "handling_org", "closed_at"])
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=clue,
        summary=summary,
        changes={
            k: {"before": before.get(k), "after": after.get(k)}
            for k in after
            if before.get(k) != after.get(k)
        }
        | ({"note": note} if note else {}),
    )


def _before(clue: Clue) -> dict:
    return model_snapshot(clue, ["status", "disposal_method", "handling_org", "closed_at"])


@transaction.atomic
def clue_dispose(
    *, actor: Any, clue: Clue, method: str, on_date: dt.date | None = None, note: str = ""
) -> Clue:
    """处置: choose one of the five disposal methods (谈话函询, 初步核实, 暂存待查,
    予以了结, 立案审查)."""
    clue = _lock(clue)
    on_date = on_date or _today()
    _check_date(clue, on_date)
    if method not in lifecycle.DISPOSAL_CHANGES:
        raise ValidationError({"method": "请选择处置方式"})
    before = _before(clue)
    from_status = clue.status
    clue.status = lifecycle.next_clue_status(from_status, ClueAction.DISPOSE)
    clue.disposal_method = method
    clue.disposed_at = on_date
    clue.due_date = _due(on_date, method)
    clue.save()
    _clue_event(
        clue,
        actor=actor,
        action=ClueAction.DISPOSE,
        from_status=from_status,
        on_date=on_date,
        note=note,
    )
    _audit_transition(
        clue,
        actor=actor,
        summary=f"处置：{clue.get_disposal_method_display()}",
        before=before,
        note=note,
    )
    return clue


@transaction.atomic
def clue_change_disposal(
    *, actor: Any, clue: Clue, method: str, on_date: dt.date | None = None, note: str = ""
) -> Clue:
    clue = _lock(clue)
    on_date = on_date or _today()
    _check_date(clue, on_date)
    from_status = clue.status
    new_status = lifecycle.next_clue_status(from_status, ClueAction.CHANGE_DISPOSAL)
    lifecycle.check_disposal_change(clue.disposal_method, method)
    if not note.strip():
        raise ValidationError({"note": "变更处置方式须说明理由"})
    before = _before(clue)
    clue.status = new_status
    clue.disposal_method = method
    clue.due_date = _due(on_date, method)
    clue.save()
    _clue_event(
        clue,
        actor=actor,
        action=ClueAction.CHANGE_DISPOSAL,
        from_status=from_status,
        on_date=on_date,
        note=note,
    )
    _audit_transition(
        clue,
        actor=actor,
        summary=f"变更处置方式：{clue.get_disposal_method_display()}",
        before=before,
        note=note,
    )
    return clue


@transaction.atomic
def clue_close(
    *,
    actor: Any,
    clue: Clue,
    conclusion: str,
    conclusion_text: str = "",
    on_date: dt.date | None = None,
) -> Clue:
    """办结 with a conclusion; a 立案审查 clue needs at least one recorded outcome."""
    clue = _lock(clue)
    on_date = on_date or _today()
    _check_date(clue, on_date)
    from_status = clue.status
    new_status = lifecycle.next_clue_status(from_status, ClueAction.CLOSE)
    requirement = lifecycle.CLOSE_REQUIREMENTS[clue.disposal_method]
    if requirement.conclusion_required and conclusion not in Conclusion.values:
        raise ValidationError({"conclusion": "办结须选择办结结论"})
    if requirement.outcome_required and not clue.outcomes.filter(archived_at__isnull=True).exists():
        raise ValidationError({"conclusion": "立案审查的线索须先录入处理结果才能办结"})
    if clue.disposed_at and on_date < clue.disposed_at:
        raise ValidationError({"on_date": "办结日期不能早于处置日期"})
    before = _before(clue)
    clue.status = new_status
    clue.conclusion = conclusion
    clue.conclusion_text = conclusion_text.strip()
    clue.closed_at = on_date
    clue.due_date = None
    clue.save()
    _clue_event(
        clue,
        actor=actor,
        action=ClueAction.CLOSE,
        from_status=from_status,
        on_date=on_date,
        note=conclusion_text,
    )
    _audit_transition(
        clue,
        actor=actor,
        summary=f"办结：{clue.get_conclusion_display()}",
        before=before,
        note=conclusion_text,
    )
    return clue


@transaction.atomic
def clue_extend(
    *, actor: Any, clue: Clue, new_due: dt.date, note: str, on_date: dt.date | None = None
) -> Clue:
    """延期: a later 办理期限 for the stage under way, with the reason. The deadline table
    sets the period when a stage starts (ADR 0011); only an extension moves it after."""
    clue = _lock(clue)
    on_date = on_date or _today()
    _check_date(clue, on_date)
    from_status = clue.status
    new_status = lifecycle.next_clue_status(from_status, ClueAction.EXTEND)
    if not note.strip():
        raise ValidationError({"note": "延期须说明理由"})
    if new_due is None:
        raise ValidationError({"new_due": "请填写延期后的办理期限"})
    if clue.due_date is None:
        raise ValidationError({"new_due": "该线索没有办理期限，无需延期"})
    if new_due <= clue.due_date:
        raise ValidationError(
            {"new_due": f"延期后的办理期限应晚于原期限（{clue.due_date:%Y-%m-%d}）"}
        )
    due_before = clue.due_date
    clue.status = new_status
    clue.due_date = new_due
    clue.save(update_fields=["status", "due_date", "updated_at"])
    text = f"办理期限由{due_before:%Y-%m-%d}延至{new_due:%Y-%m-%d}：{note.strip()}"
    _clue_event(
        clue,
        actor=actor,
        action=ClueAction.EXTEND,
        from_status=from_status,
        on_date=on_date,
        note=text,
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=clue,
        summary=f"延期：办理期限延至{new_due:%Y-%m-%d}",
        changes={
            "due_date": {"before": due_before.isoformat(), "after": new_due.isoformat()},
            "note": note.strip(),
        },
    )
    return clue


def assigning_path(org: Org) -> str:
    """Where a clue held by ``org`` may be handed down (交办) to: its subtree; for an
    office acting for its commission (ADR 0009), the commission's subtree."""
    if org.acts_for_commission and org.parent_id:
        return Org.objects.only("path").get(pk=org.parent_id).path
    return org.path


def _move(
    clue: Clue, *, actor: Any, action: str, to_org: Org, note: str, on_date: dt.date | None
) -> Clue:
    clue = _lock(clue)
    on_date = on_date or _today()
    _check_date(clue, on_date)
    if not note.strip():
        raise ValidationError({"note": "请填写理由"})
    from_status = clue.status
    new_status = lifecycle.next_clue_status(from_status, action)
    current = clue.handling_org
    if to_org.pk == current.pk:
        raise ValidationError({"to_org": "目标单位与当前承办单位相同"})
    _require_in_jurisdiction(actor, to_org, "to_org")
    if action in (ClueAction.ESCALATE, ClueAction.DIRECT_HANDLE):
        if not current.path.startswith(to_org.path) or not to_org.is_commission:
            raise ValidationError({"to_org": f"“{to_org}”不是“{current}”的上级纪检监察机关"})
        if action == ClueAction.ESCALATE:
            clue.is_escalated = True
        else:
            clue.is_direct = True
    elif action == ClueAction.ASSIGN_DOWN and (
        not to_org.path.startswith(assigning_path(current)) or not to_org.is_commission
    ):
        raise ValidationError({"to_org": f"“{to_org}”不是“{current}”的下级纪检监察机关"})
    before = _before(clue)
    clue.status = new_status
    clue.handling_org = to_org
    clue.save()
    _clue_event(
        clue,
        actor=actor,
        action=action,
        from_status=from_status,
        on_date=on_date,
        note=note,
        from_org=current,
        to_org=to_org,
    )
    label = ClueAction(action).label
    _audit_transition(
        clue, actor=actor, summary=f"{label}：{current} → {to_org}", before=before, note=note
    )
    message_clue_moved(actor=actor, clue=clue, action=action)
    return clue


@transaction.atomic
def clue_escalate(
    *, actor: Any, clue: Clue, to_org: Org, note: str, on_date: dt.date | None = None
) -> Clue:
    """提级查办: a higher commission takes over the clue; the history stays."""
    return _move(
        clue, actor=actor, action=ClueAction.ESCALATE, to_org=to_org, note=note, on_date=on_date
    )


@transaction.atomic
def clue_direct_handle(
    *, actor: Any, clue: Clue, to_org: Org, note: str, on_date: dt.date | None = None
) -> Clue:
    """直查直办: a higher commission handles a lower org's clue directly."""
    return _move(
        clue,
        actor=actor,
        action=ClueAction.DIRECT_HANDLE,
        to_org=to_org,
        note=note,
        on_date=on_date,
    )


@transaction.atomic
def clue_assign_down(
    *, actor: Any, clue: Clue, to_org: Org, note: str, on_date: dt.date | None = None
) -> Clue:
    """交办: hand a received clue down to a lower commission."""
    return _move(
        clue, actor=actor, action=ClueAction.ASSIGN_DOWN, to_org=to_org, note=note, on_date=on_date
    )


def clue_apply(*, actor: Any, clue: Clue, action: str, **data: Any) -> Clue:
    """Dispatch one lifecycle action by name (pages and API share it)."""
    handlers = {
        ClueAction.DISPOSE: clue_dispose,
        ClueAction.CHANGE_DISPOSAL: clue_change_disposal,
        ClueAction.CLOSE: clue_close,
        ClueAction.ESCALATE: clue_escalate,
        ClueAction.DIRECT_HANDLE: clue_direct_handle,
        ClueAction.ASSIGN_DOWN: clue_assign_down,
        ClueAction.EXTEND: clue_extend,
    }
    handler = handlers.get(action)  # type: ignore[call-overload]
    if handler is None:
        raise lifecycle.TransitionError(f"未知的线索办理动作“{action}”")
    return handler(actor=actor, clue=clue, **data)


# --- outcomes --------------------------------------------------------------------


def outcome_build(
    *,
    actor: Any,
    clue: Clue,
    kind: str,
    decision_date: dt.date,
    person: Person | None = None,
    subject_name: str = "",
    subtype: str = "",
    responsibility_type: str = "",
    funds_recovered: Decimal | int | str = 0,
    decided_by: Org | None = None,
    note: str = "",
) -> Outcome:
    """The 处理结果 :func:`outcome_record` would record, built and checked
    (ValidationError naming the field) but not saved: for :func:`outcomes_stage`."""
    errors: dict[str, str] = {}
    if kind not in lifecycle.OUTCOME_SUBTYPES:
        raise ValidationError({"kind": "请选择处理类别"})
    allowed = lifecycle.OUTCOME_SUBTYPES[kind]
    if allowed and subtype not in allowed:
        errors["subtype"] = f"“{OutcomeKind(kind).label}”须选择具体处理方式"
    if not allowed and subtype:
        errors["subtype"] = f"“{OutcomeKind(kind).label}”不区分处理方式"
    if kind in lifecycle.RESPONSIBILITY_REQUIRED and not responsibility_type:
        errors["responsibility_type"] = "问责须选择责任类型"
    if person is None and kind not in lifecycle.PERSON_OPTIONAL:
        errors["person"] = "请选择处理对象"
    if person is None and not subject_name.strip():
        errors.setdefault("subject_name", "请填写对象姓名")
    if decision_date < clue.received_date:
        errors["decision_date"] = "决定日期不能早于线索受理日期"
    if decision_date > _today():
        errors["decision_date"] = "决定日期不能晚于今天"
    try:
        funds = Decimal(str(funds_recovered or 0))
    except ArithmeticError:
        errors["funds_recovered"] = "金额格式不正确"
        funds = Decimal(0)
    if funds < 0:
        errors["funds_recovered"] = "金额不能为负数"
    if errors:
        raise ValidationError(errors)
    outcome = Outcome(
        clue=clue,
        person=person,
        subject_name=(person.name if person else subject_name.strip()),
        kind=kind,
        subtype=subtype,
        responsibility_type=responsibility_type,
        discipline_form=lifecycle.discipline_form(kind, subtype),
        decision_date=decision_date,
        decided_by=decided_by or clue.handling_org,
        funds_recovered=funds,
        note=note,
        recorded_by=actor,
        domain_key=clue.domain_key,
    )
    # A clue built in the same import has no id until it is staged.
    outcome.full_clean(exclude=["recorded_by", *(["clue"] if clue.pk is None else [])])
    return outcome


def outcomes_stage(
    *,
    actor: Any,
    outcomes: list[Outcome],
    staged: StagedWrite,
    linked: set[tuple[int, int]] | None = None,
) -> list[Outcome]:
    """Stage 处理结果 built by :func:`outcome_build`, outside any transaction: ids
    reserved, the rows, each person linked to the clue as 被反映人 where not yet linked,
    and one audit row each — what :func:`outcome_record` writes — written where nobody
    sees them until ``staged.publish()`` runs in the caller's transaction; then
    :func:`outcomes_published` in it (ADR 0010). ``linked``: (clue id, person id)
    links staged already (the clues' own 被反映人 in the same import)."""
    for outcome, pk in zip(outcomes, reserve_ids(Outcome, len(outcomes)), strict=True):
        outcome.pk = pk
        outcome.clue_id = outcome.clue.pk  # a clue staged in the same import
    through = Clue.subject_people.through
    wanted = {(o.clue_id, o.person_id) for o in outcomes if o.person_id is not None}
    linked = set(linked or ())
    clue_ids = sorted({clue_id for clue_id, _ in wanted})
    for start in range(0, len(clue_ids), 500):
        linked.update(
            through.objects.filter(clue_id__in=clue_ids[start : start + 500]).values_list(
                "clue_id", "person_id"
            )
        )
    staged.add(Outcome, outcomes)
    staged.add(
        through,
        [through(clue_id=c, person_id=p) for c, p in sorted(wanted - linked)],
        with_pk=False,
    )
    staged.add_audit(
        [
            {"actor": actor, "action": AuditAction.CREATE, "obj": o, "changes": model_snapshot(o)}
            for o in outcomes
        ]
    )
    return outcomes


def outcomes_published(outcomes: list[Outcome]) -> None:
    """After staged outcomes are published, in the same transaction: what saving each
    would have set off (``post_save``: the 处分执行 row of a sanction, followup)."""
    for outcome in outcomes:
        post_save.send(
            sender=Outcome,
            instance=outcome,
            created=True,
            update_fields=None,
            raw=False,
            using=transaction.get_connection().alias,
        )


@transaction.atomic
def outcome_record(
    *,
    actor: Any,
    clue: Clue,
    kind: str,
    decision_date: dt.date,
    person: Person | None = None,
    subject_name: str = "",
    subtype: str = "",
    responsibility_type: str = "",
    funds_recovered: Decimal | int | str = 0,
    decided_by: Org | None = None,
    note: str = "",
) -> Outcome:
    """Record a 处理结果 for one person on a clue; the 四种形态 is derived."""
    outcome = outcome_build(
        actor=actor,
        clue=_lock(clue),
        kind=kind,
        decision_date=decision_date,
        person=person,
        subject_name=subject_name,
        subtype=subtype,
        responsibility_type=responsibility_type,
        funds_recovered=funds_recovered,
        decided_by=decided_by,
        note=note,
    )
    clue = outcome.clue
    outcome.save()
    if person is not None:
        clue.subject_people.add(person)
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=outcome, changes=model_snapshot(outcome)
    )
    return outcome


@transaction.atomic
def outcome_archive(*, actor: Any, outcome: Outcome, reason: str) -> Outcome:
    """Withdraw a wrongly recorded outcome (kept, marked archived, with the reason)."""
    if not reason.strip():
        raise ValidationError({"archive_reason": "撤销须填写原因"})
    if outcome.archived_at is not None:
        raise ValidationError({"archive_reason": "该处理结果已撤销"})
    outcome.archived_at = timezone.now()
    outcome.archived_by = actor
    outcome.archive_reason = reason.strip()
    outcome.save(update_fields=["archived_at", "archived_by", "archive_reason", "updated_at"])
    audit_record(actor=actor, action=AuditAction.ARCHIVE, obj=outcome, summary=reason)
    return outcome


# --- exposure batches ------------------------------------------------------------


@transaction.atomic
def exposure_batch_create(
    *,
    actor: Any,
    title: str,
    published_on: dt.date,
    cases: list[dict[str, Any]],
    org: Org | None = None,
    domains: list[DomainTag] | None = None,
    medium: str = "",
) -> ExposureBatch:
    """Publish a 通报曝光 batch. ``cases``: [{"title", "clue" (optional), "persons"}]."""
    org = org or actor.org
    _require_in_jurisdiction(actor, org, "org")
    if not cases:
        raise ValidationError({"cases": "通报曝光至少包含一起典型问题"})
    batch = ExposureBatch(
        title=title.strip(), published_on=published_on, org=org, medium=medium, created_by=actor
    )
    batch.full_clean(exclude=["created_by"])
    batch.save()
    if domains:
        batch.domains.set(domains)
        batch.domain_key = domain_key(domains)
        batch.save(update_fields=["domain_key"])
    for index, item in enumerate(cases, start=1):
        if not str(item.get("title", "")).strip():
            raise ValidationError({"cases": f"第{index}起典型问题缺少标题"})
        case = ExposureCase.objects.create(
            batch=batch, title=str(item["title"]).strip(), clue=item.get("clue")
        )
        persons = item.get("persons") or []
        if persons:
            case.persons.set(persons)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=batch,
        changes={**model_snapshot(batch), "cases": len(cases)},
    )
    return batch


# --- attachments -----------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *,
    actor: Any,
    name: str,
    data: bytes,
    content_type: str = "",
    petition: Petition | None = None,
    clue: Clue | None = None,
) -> Attachment:
    upload_size_check(name=name, data=data)
    if petition is None and clue is None:
        raise ValidationError({"file": "附件须属于信访件或问题线索"})
    attachment = stored_file_add(
        Attachment(petition=petition, clue=clue),
        actor=actor,
        name=name,
        data=data,
        content_type=content_type,
        changes={"name": name},
    )
    return attachment


__all__ = [
    "PetitionStatus",
    "attachment_add",
    "clue_apply",
    "clue_assign_down",
    "clue_change_disposal",
    "clue_close",
    "clue_create",
    "clue_direct_handle",
    "clue_dispose",
    "clue_escalate",
    "clue_extend",
    "exposure_batch_create",
    "outcome_archive",
    "outcome_record",
    "petition_apply",
    "petition_assign",
    "petition_convert_to_clue",
    "petition_file",
    "petition_register",
    "petition_reveal_reporter",
    "petition_transfer",
]


# --- registration with files -----------------------------------------------------


def _attach_files(
    *, actor: Any, files: list[Any], petition: Petition | None = None, clue: Clue | None = None
) -> list[Attachment]:
    """Store uploaded files on a petition or clue. Should anything fail, the files
    already written for this call are removed again (the rows roll back with the
    caller's transaction; storage does not)."""
    stored: list[Attachment] = []
    try:
        for upload in files:
            upload.seek(0)
            stored.append(
                attachment_add(
                    actor=actor,
                    name=upload.name,
                    data=upload.read(),
                    content_type=getattr(upload, "content_type", "") or "",
                    petition=petition,
                    clue=clue,
                )
            )
    except Exception:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return stored


@transaction.atomic
def petition_register_with_attachments(
    *, actor: Any, attachments: list[Any], **fields: Any
) -> Petition:
    """登记 a petition and its attached files as one unit: an oversized or unreadable
    file leaves nothing behind (no petition, no identity, no file)."""
    petition = petition_register(actor=actor, **fields)
    _attach_files(actor=actor, files=attachments, petition=petition)
    return petition


@transaction.atomic
def clue_create_with_attachments(*, actor: Any, attachments: list[Any], **fields: Any) -> Clue:
    """受理 a clue entered directly (巡察移交, 审计移交 …) with its files, all or nothing."""
    clue = clue_create(actor=actor, **fields)
    _attach_files(actor=actor, files=attachments, clue=clue)
    return clue


@transaction.atomic
def domain_tag_get_or_create(*, actor: Any, code: str, name: str, sort_order: int = 0) -> DomainTag:
    """The problem domain with ``code``, created (and audited) if it does not exist yet;
    an existing tag is returned unchanged (reference data is edited, never replaced)."""
    tag = DomainTag.objects.filter(code=code).first()
    if tag is not None:
        return tag
    tag = DomainTag(code=code, name=name.strip(), sort_order=sort_order)
    tag.full_clean()
    tag.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=tag, changes=model_snapshot(tag))
    return tag
