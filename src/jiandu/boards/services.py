"""Writes of the 多色榜. Every function is keyword-only, atomic and audited.

* the indicator library and board definitions (:func:`indicator_create`,
  :func:`board_create`, :func:`board_update`, :func:`board_archive`,
  :func:`board_install_builtins`);
* the monthly close (:func:`board_close`, in :mod:`jiandu.boards.close`): count → carry
  → rank → warn → store, an immutable :class:`~jiandu.boards.models.BoardSnapshot` and
  the warnings it triggers;
* the follow-up of a warning (:func:`warning_send_notice`, :func:`warning_acknowledge`,
  :func:`warning_receive_rectification`).

Imports of reported figures are in :mod:`jiandu.boards.reported`; audited downloads in
:mod:`jiandu.boards.exports`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jiandu.boards import lifecycle, ranking
from jiandu.boards.builtins import BOARDS, INDICATORS, POVERTY_DOMAIN, YELLOW_LABELS
from jiandu.boards.choices import (
    IndicatorSource,
    ParticipantRule,
    WarningAction,
)

# The monthly close is a pipeline of its own module (count → carry → rank → warn → store),
# its service re-exported here with the other writes.
from jiandu.boards.close import (  # noqa: F401
    CloseOutcome,
    MissingReportedValues,
    board_close,
    missing_reported,
    parse_month,
)
from jiandu.boards.messages import message_warning_moved
from jiandu.boards.models import (
    Board,
    BoardIndicator,
    BoardWarning,
    Indicator,
    WarningEvent,
)
from jiandu.clues.models import DomainTag
from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.audit import audit_record, diff, model_snapshot
from jiandu.core.choices import AuditAction
from jiandu.core.files import upload_size_check
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org, OrgLabel
from jiandu.orgs.services import org_label_get_or_create

# --------------------------------------------------------------------------- library


@transaction.atomic
def indicator_create(
    *,
    actor: Any,
    key: str,
    name: str,
    unit: str = "",
    direction: str = "higher",
    source: str = IndicatorSource.COMPUTED,
    statistic: str = "",
    components: list[dict[str, Any]] | None = None,
    domain: DomainTag | None = None,
    description: str = "",
    is_builtin: bool = False,
) -> Indicator:
    """Add an indicator to the library (computed from a statistic, or reported)."""
    if Indicator.objects.filter(key=key).exists():
        raise ValidationError({"key": f"指标代码“{key}”已存在"})
    indicator = Indicator(
        key=key.strip(),
        name=name.strip(),
        unit=unit.strip(),
        direction=direction,
        source=source,
        statistic=statistic,
        components=components or [],
        domain=domain,
        description=description.strip(),
        is_builtin=is_builtin,
    )
    indicator.full_clean()
    indicator.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=indicator, changes=model_snapshot(indicator)
    )
    return indicator


# --------------------------------------------------------------------------- boards

_BOARD_FIELDS = (
    "title",
    "owner_org",
    "domain",
    "participant_rule",
    "participant_kinds",
    "red_points",
    "blue_points",
    "white_points",
    "top_n",
    "cumulative_mode",
    "consecutive_months",
    "quarter_interview",
    "bottom_k",
    "bottom_month",
    "tie_breakers",
    "max_tied_last",
    "visibility",
)


def _check_orgs(actor: Any, orgs: Sequence[Org], field: str) -> None:
    if getattr(actor, "pk", None) is None:
        return  # the command line's system actor
    allowed = jurisdiction_org_ids(actor)
    outside = [o.name for o in orgs if o.pk not in allowed]
    if outside:
        raise ValidationError({field: f"不在您的管辖范围内：{'、'.join(outside)}"})


def _set_relations(
    board: Board,
    *,
    indicators: Sequence[tuple[Indicator, str]] | None,
    participant_orgs: Sequence[Org] | None,
    participant_labels: Sequence[OrgLabel] | None,
    yellow_labels: Sequence[OrgLabel] | None,
) -> None:
    if indicators is not None:
        if not indicators:
            raise ValidationError({"indicators": "请至少选择一个指标"})
        seen: set[int] = set()
        names: set[str] = set()
        for indicator, label in indicators:
            name = (label or indicator.name).strip()
            if indicator.pk in seen:
                raise ValidationError({"indicators": f"指标“{indicator.name}”重复"})
            if name in names:
                raise ValidationError({"indicators": f"榜上名称“{name}”重复"})
            seen.add(indicator.pk)
            names.add(name)
        current = list(board.board_indicators.all())
        for row in current:
            row.delete()  # the column list is configuration, not a business record
        BoardIndicator.objects.bulk_create(
            BoardIndicator(board=board, indicator=indicator, position=i, label=label.strip())
            for i, (indicator, label) in enumerate(indicators, start=1)
        )
    if participant_orgs is not None:
        board.participant_orgs.set(participant_orgs)
    if participant_labels is not None:
        board.participant_labels.set(participant_labels)
    if yellow_labels is not None:
        board.yellow_labels.set(yellow_labels)
    keys = set(board.board_indicators.values_list("indicator__key", flat=True))
    strange = [k for k in board.tie_breakers or [] if k != ranking.PREVIOUS_RANK and k not in keys]
    if strange:
        raise ValidationError(
            {"tie_breakers": f"末位并列时比较的指标不在本榜上：{'、'.join(strange)}"}
        )
    if board.participant_rule == ParticipantRule.EXPLICIT and not board.participant_orgs.exists():
        raise ValidationError({"participant_orgs": "请选择参评单位"})
    if board.participant_rule == ParticipantRule.LABEL and not board.participant_labels.exists():
        raise ValidationError({"participant_labels": "请选择参评单位标签"})


def _relations_snapshot(board: Board) -> dict[str, Any]:
    return {
        "indicators": [
            [row.indicator.key, row.label]
            for row in board.board_indicators.select_related("indicator").order_by("position")
        ],
        "participant_orgs": sorted(board.participant_orgs.values_list("pk", flat=True)),
        "participant_labels": sorted(board.participant_labels.values_list("name", flat=True)),
        "yellow_labels": sorted(board.yellow_labels.values_list("name", flat=True)),
    }


@transaction.atomic
def board_create(
    *,
    actor: Any,
    key: str,
    title: str,
    owner_org: Org,
    indicators: Sequence[tuple[Indicator, str]],
    participant_orgs: Sequence[Org] = (),
    participant_labels: Sequence[OrgLabel] = (),
    yellow_labels: Sequence[OrgLabel] = (),
    is_builtin: bool = False,
    **settings_fields: Any,
) -> Board:
    """Define a board. ``indicators`` are (library indicator, name on this board) in
    column order; ``settings_fields`` are the other fields of :class:`Board`."""
    unknown = set(settings_fields) - set(_BOARD_FIELDS)
    if unknown:
        raise TypeError(f"unknown board fields: {sorted(unknown)}")
    _check_orgs(actor, [owner_org], "owner_org")
    _check_orgs(actor, participant_orgs, "participant_orgs")
    if Board.objects.filter(key=key).exists():
        raise ValidationError({"key": f"多色榜代码“{key}”已存在"})
    board = Board(
        key=key.strip(),
        title=title.strip(),
        owner_org=owner_org,
        is_builtin=is_builtin,
        created_by=actor if getattr(actor, "pk", None) else None,
        **settings_fields,
    )
    board.full_clean()
    board.save()
    _set_relations(
        board,
        indicators=indicators,
        participant_orgs=participant_orgs,
        participant_labels=participant_labels,
        yellow_labels=yellow_labels,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=board,
        changes=model_snapshot(board) | _relations_snapshot(board),
    )
    return board


@transaction.atomic
def board_update(
    *,
    actor: Any,
    board: Board,
    indicators: Sequence[tuple[Indicator, str]] | None = None,
    participant_orgs: Sequence[Org] | None = None,
    participant_labels: Sequence[OrgLabel] | None = None,
    yellow_labels: Sequence[OrgLabel] | None = None,
    **settings_fields: Any,
) -> Board:
    """Change a board's definition. Snapshots already closed keep the definition they
    were drawn with; the next close uses the new one."""
    unknown = set(settings_fields) - set(_BOARD_FIELDS)
    if unknown:
        raise TypeError(f"unknown board fields: {sorted(unknown)}")
    board = Board.objects.select_for_update().get(pk=board.pk)
    before = model_snapshot(board) | _relations_snapshot(board)
    if "owner_org" in settings_fields:
        _check_orgs(actor, [settings_fields["owner_org"]], "owner_org")
    if participant_orgs is not None:
        _check_orgs(actor, participant_orgs, "participant_orgs")
    for name, value in settings_fields.items():
        setattr(board, name, value)
    board.full_clean()
    board.save()
    _set_relations(
        board,
        indicators=indicators,
        participant_orgs=participant_orgs,
        participant_labels=participant_labels,
        yellow_labels=yellow_labels,
    )
    after = model_snapshot(board) | _relations_snapshot(board)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=board, changes=diff(before, after))
    return board


@transaction.atomic
def board_archive(*, actor: Any, board: Board, reason: str) -> Board:
    """Stop using a board (kept with its snapshots and warnings)."""
    if not reason.strip():
        raise ValidationError({"archive_reason": "停用须填写原因"})
    if board.archived_at is not None:
        raise ValidationError({"archive_reason": "该多色榜已停用"})
    board.archived_at = timezone.now()
    board.archived_by = actor if getattr(actor, "pk", None) else None
    board.archive_reason = reason.strip()
    board.save(update_fields=["archived_at", "archived_by", "archive_reason", "updated_at"])
    audit_record(actor=actor, action=AuditAction.ARCHIVE, obj=board, summary=reason)
    return board


def default_owner() -> Org | None:
    """The top commission (the only root 纪委监委), owner of the built-in boards."""
    roots = list(
        Org.objects.filter(parent__isnull=True, kind=OrgKind.COMMISSION, archived_at__isnull=True)
    )
    return roots[0] if len(roots) == 1 else None


@transaction.atomic
def board_install_builtins(*, actor: Any, owner: Org) -> list[Board]:
    """The built-in indicator library and the two seed boards, owned by ``owner``.
    Idempotent: what already exists (by key) is left as its users changed it."""
    domain, created = DomainTag.objects.get_or_create(
        code=POVERTY_DOMAIN[0], defaults={"name": POVERTY_DOMAIN[1]}
    )
    if created:
        audit_record(actor=actor, action=AuditAction.CREATE, obj=domain)
    library: dict[str, Indicator] = {i.key: i for i in Indicator.objects.all()}
    for spec in INDICATORS:
        if spec["key"] not in library:
            library[spec["key"]] = indicator_create(
                actor=actor,
                key=spec["key"],
                name=spec["name"],
                unit=spec["unit"],
                statistic=spec.get("statistic", ""),
                components=spec.get("components"),
                is_builtin=True,
            )
    labels = {name: org_label_get_or_create(actor=actor, name=name) for name in YELLOW_LABELS}
    boards = []
    for spec in BOARDS:
        existing = Board.objects.filter(key=spec["key"]).first()
        if existing is not None:
            boards.append(existing)
            continue
        boards.append(
            board_create(
                actor=actor,
                key=spec["key"],
                title=spec["title"],
                owner_org=owner,
                domain=domain,
                participant_rule=spec["participant_rule"],
                participant_kinds=[str(k) for k in spec["participant_kinds"]],
                participant_labels=[labels[name] for name in spec["participant_labels"]],
                yellow_labels=list(labels.values()),
                indicators=[(library[key], label) for key, label in spec["indicators"]],
                is_builtin=True,
            )
        )
    return boards


# --------------------------------------------------------------------------- warnings


def _store_file(event: WarningEvent, *, name: str, data: bytes) -> None:
    upload_size_check(name=name, data=data, what="文件")
    if not data:
        raise ValidationError({"file": f"文件“{name}”是空的"})
    event.sha256 = hashlib.sha256(data).hexdigest()
    event.original_name = name[:200]
    event.file.save(event.sha256, ContentFile(data), save=False)


@transaction.atomic
def warning_transition(
    *,
    actor: Any,
    warning: BoardWarning,
    action: str,
    note: str = "",
    file_name: str = "",
    file_data: bytes | None = None,
) -> BoardWarning:
    """One follow-up move (送达 / 签收 / 报送整改报告), refused unless the lifecycle
    table allows it. A rectification report is a file or a written record."""
    warning = BoardWarning.objects.select_for_update().get(pk=warning.pk)
    new_status = lifecycle.next_warning_status(warning.status, action)
    if action == WarningAction.RECEIVE_RECTIFICATION and not (file_data or note.strip()):
        raise ValidationError({"note": "请上传整改报告，或填写整改情况"})
    event = WarningEvent(
        warning=warning,
        action=action,
        from_status=warning.status,
        to_status=new_status,
        note=note.strip(),
        actor=actor if getattr(actor, "pk", None) else None,
    )
    if file_data is not None:
        _store_file(event, name=file_name or "整改报告", data=file_data)
    event.save()
    before = warning.status
    warning.status = new_status
    warning.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=warning,
        summary=f"预警跟踪：{WarningAction(action).label}",
        changes={
            "status": {"before": before, "after": new_status},
            "note": event.note,
            "file": event.original_name,
            "sha256": event.sha256,
        },
    )
    message_warning_moved(actor=actor, warning=warning, action=action)
    return warning


def warning_send_notice(*, actor: Any, warning: BoardWarning, note: str = "") -> BoardWarning:
    """送达: the notice (工作预警通知书 / 约谈通知) has reached the unit."""
    return warning_transition(
        actor=actor, warning=warning, action=WarningAction.SEND_NOTICE, note=note
    )


def warning_acknowledge(*, actor: Any, warning: BoardWarning, note: str = "") -> BoardWarning:
    """签收: the unit confirms it received the notice."""
    return warning_transition(
        actor=actor, warning=warning, action=WarningAction.ACKNOWLEDGE, note=note
    )


def warning_receive_rectification(
    *,
    actor: Any,
    warning: BoardWarning,
    note: str = "",
    file_name: str = "",
    file_data: bytes | None = None,
) -> BoardWarning:
    """整改报告: uploaded by the unit, or recorded by the board's managers."""
    return warning_transition(
        actor=actor,
        warning=warning,
        action=WarningAction.RECEIVE_RECTIFICATION,
        note=note,
        file_name=file_name,
        file_data=file_data,
    )
