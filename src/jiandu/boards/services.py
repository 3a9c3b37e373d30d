"""Writes of the 多色榜. Every function is keyword-only, atomic and audited.

* the indicator library and board definitions (:func:`indicator_create`,
  :func:`board_create`, :func:`board_update`, :func:`board_archive`,
  :func:`board_install_builtins`);
* the monthly close (:func:`board_close`): figures → calculator → an immutable
  :class:`~jiandu.boards.models.BoardSnapshot`, then the warnings it triggers;
* the follow-up of a warning (:func:`warning_send_notice`, :func:`warning_acknowledge`,
  :func:`warning_receive_rectification`).

Imports of reported figures are in :mod:`jiandu.boards.reported`; audited downloads in
:mod:`jiandu.boards.exports`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jiandu.boards import compute, lifecycle, ranking
from jiandu.boards.builtins import BOARDS, INDICATORS, POVERTY_DOMAIN, YELLOW_LABELS
from jiandu.boards.choices import (
    IndicatorSource,
    ParticipantRule,
    WarningAction,
    WarningKind,
    WarningStatus,
)
from jiandu.boards.messages import message_warning_moved
from jiandu.boards.models import (
    Board,
    BoardIndicator,
    BoardSnapshot,
    BoardWarning,
    Indicator,
    WarningEvent,
)
from jiandu.boards.selectors import latest_snapshot_ids
from jiandu.clues.models import DomainTag
from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.audit import audit_record, diff, model_snapshot
from jiandu.core.choices import AuditAction
from jiandu.core.db import server_side_binding
from jiandu.core.files import upload_size_check
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org, OrgLabel
from jiandu.orgs.services import org_label_get_or_create
from jiandu.oversight.services import problem_from_board_warning
from jiandu.people.models import Post

SNAPSHOT_FORMAT = 1


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


# --------------------------------------------------------------------------- the close


class MissingReportedValues(ValidationError):
    """Reported figures are missing and the close was not told to count them as 0.
    ``units`` names the units lacking figures."""

    def __init__(self, message: str, *, units: Sequence[str], missing: Sequence[dict[str, Any]]):
        super().__init__(message)
        self.units = list(units)
        self.missing = list(missing)


@dataclass
class CloseOutcome:
    """What a close did: the new snapshot, the warnings it issued, and the findings that
    matched a warning issued before (a recomputed month does not warn twice)."""

    snapshot: BoardSnapshot
    warnings: list[BoardWarning] = field(default_factory=list)
    repeated: list[BoardWarning] = field(default_factory=list)
    # Why a 末位 warning was not issued, e.g. “2020年5月末位并列18个单位，未发预警”.
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = self.snapshot.data
        return {
            "board": self.snapshot.board.key,
            "title": self.snapshot.board.title,
            "month": self.snapshot.month,
            "version": self.snapshot.version,
            "snapshot_id": self.snapshot.pk,
            "reason": self.snapshot.reason,
            "missing_as_zero": data.get("missing_as_zero", []),
            "units": len(data["units"]),
            "warnings": [
                {"id": w.pk, "kind": w.kind, "org": w.org.name, "description": w.description}
                for w in self.warnings
            ],
            "already_issued": [w.pk for w in self.repeated],
            "notes": list(self.notes),
        }


def parse_month(value: Any, *, today: dt.date | None = None) -> str:
    """A month to close: ``YYYY-MM``, not after the current month."""
    try:
        month = ranking.parse_month(value)
    except ValueError as exc:
        raise ValidationError({"month": str(exc)}) from None
    today = today or timezone.localdate()
    if month > f"{today.year:04d}-{today.month:02d}":
        raise ValidationError({"month": f"{ranking.month_label(month)}尚未到来，不能结账"})
    return month


def _current_part(board: Board, months: Sequence[str], *keys: str) -> dict[str, tuple[int, Any]]:
    """month → (snapshot id, ``{key: value}`` of those keys of its ``figures``) of each
    month's latest version; only those keys are read."""
    if not months:
        return {}
    latest = latest_snapshot_ids(board, months)
    rows = BoardSnapshot.objects.filter(pk__in=list(latest.values())).values_list(
        "pk", "month", *(f"figures__{key}" for key in keys)
    )
    return {row[1]: (row[0], dict(zip(keys, row[2:], strict=True))) for row in rows}


def _current_own(board: Board, months: Sequence[str]) -> dict[str, tuple[int, dict[str, Any]]]:
    """month → (snapshot id, the ``signature`` and month ``values`` of its figures) of
    each month's latest version (the rest of the figures is not read)."""
    return _current_part(board, months, "signature", "values")


def _current_overall(board: Board, months: Sequence[str]) -> dict[str, tuple[int, dict[str, Any]]]:
    """month → (snapshot id, unit → [composite, overall rank]) of each month's latest
    version."""
    return {
        month: (pk, part["overall"] or {})
        for month, (pk, part) in _current_part(board, months, "overall").items()
    }


def _months_before(month: str, count: int) -> list[str]:
    year, number = (int(p) for p in month.split("-"))
    index = year * 12 + number - 1
    return [f"{(i // 12):04d}-{(i % 12) + 1:02d}" for i in range(index - count, index)]


def close_figures(
    *,
    board: Board,
    month: str,
    columns: Sequence[compute.Column],
    units: Sequence[compute.BoardUnit],
) -> compute.MonthFigures:
    """The figures of January to ``month``: this month counted now; each earlier month
    taken from its latest closed snapshot when that was drawn on the same definitions
    and subtrees, counted now otherwise. Reported figures come from the uploads.

    When the previous month's latest snapshot was drawn on the same definitions from
    exactly the snapshots that are still the latest of the months before it, its running
    totals stand for all of them (one snapshot read instead of one per month), and so
    do its totals of the quarter so far for a quarter ranked at its end.
    """
    months = compute.year_months(month)
    sig = compute.signature(columns=columns, units=units)
    figures = compute.MonthFigures()
    singly = months
    if len(months) > 1 and board.cumulative_mode == ranking.CumulativeMode.SUM_VALUES:
        carried = _carried_totals(board, months[:-1], sig)
        if carried is not None:
            pk, own = carried
            figures.carried[tuple(months[:-1])] = compute.frozen_values(
                own, columns=columns, units=units, part="totals"
            )
            figures.sources = {**own["sources"], months[-2]: pk}
            # The quarter's months before this one: summed in the previous snapshot
            # (kept for the quarter's 约谈 ranking), else one by one.
            before = tuple(compute.quarter_to_date(month)[:-1]) if board.quarter_interview else ()
            if before and own["quarter"] is not None:
                figures.carried[before] = compute.frozen_values(
                    own, columns=columns, units=units, part="quarter"
                )
                before = ()
            singly = [*before, month]
    earlier = _current_own(board, [m for m in singly if m != month])
    for m in singly:
        row = earlier.get(m)
        if m != month and row is not None and row[1].get("signature") == sig:
            figures.computed[m] = compute.frozen_values(row[1], columns=columns, units=units)
            figures.sources[m] = row[0]
        else:
            figures.computed[m] = compute.computed_month_values(
                columns=columns, units=units, month=m
            )
            figures.sources[m] = None
    figures.reported = compute.reported_values(
        board=board, columns=columns, units=units, months=months
    )
    return figures


def _carried_totals(
    board: Board, earlier: Sequence[str], sig: str
) -> tuple[int, dict[str, Any]] | None:
    """(snapshot id, figures) of the latest snapshot of the last of ``earlier`` when its
    running totals can stand for all of ``earlier``; None otherwise."""
    latest = latest_snapshot_ids(board, earlier)
    previous = earlier[-1]
    if previous not in latest:
        return None
    keys = ("signature", "totals", "sources", "quarter")
    row = (
        BoardSnapshot.objects.filter(pk=latest[previous])
        .values_list(*(f"figures__{key}" for key in keys))
        .get()
    )
    own = dict(zip(keys, row, strict=True))
    if own["signature"] != sig or own["totals"] is None:
        return None
    sources = own["sources"] or {}
    if any(sources.get(m) is None or sources.get(m) != latest.get(m) for m in earlier[:-1]):
        return None
    return latest[previous], own


def missing_reported(*, board: Board, month: str) -> list[dict[str, Any]]:
    """Reported figures that January to ``month`` still lacks (for a page to warn before
    starting a close): ``[{"unit", "month", "indicator", "component"}]`` with names."""
    columns = compute.board_columns(board)
    if all(c.is_computed for c in columns):
        return []
    units = compute.board_units(board)
    months = compute.year_months(month)
    have = compute.reported_values(board=board, columns=columns, units=units, months=months)
    names = {u.key: u.name for u in units}
    return [
        {"unit": names[u.key], "month": m, "indicator": c.name, "component": s["name"]}
        for u in units
        for m in months
        for c in columns
        if not c.is_computed
        for s in c.slots
        if (u.key, m, c.key, s["key"]) not in have
    ]


@transaction.atomic
def board_close(
    *,
    actor: Any,
    board: Board,
    month: str,
    missing_as_zero: bool = False,
    reason: str = "",
    today: dt.date | None = None,
) -> CloseOutcome:
    """结账: draw the month and the cumulative board (January to ``month``), freeze them
    as the next version of the month's snapshot, and issue the warnings they trigger.

    A missing reported figure stops the close, naming the units, unless
    ``missing_as_zero`` (the snapshot then records which figures were counted as 0).
    Closing a month again needs a ``reason``; the earlier version stays as it was.
    """
    month = parse_month(month, today=today)
    board = (
        Board.objects.select_for_update(of=("self",))
        .select_related("owner_org", "domain")
        .get(pk=board.pk)
    )
    if board.archived_at is not None:
        raise ValidationError("该多色榜已停用，不能结账")
    latest = BoardSnapshot.objects.filter(board=board, month=month).aggregate(v=Max("version"))["v"]
    if latest and not reason.strip():
        raise ValidationError(
            {"reason": f"{ranking.month_label(month)}已结账（第{latest}版），重新计算须填写原因"}
        )
    columns = compute.board_columns(board)
    if not columns:
        raise ValidationError("该多色榜没有设置指标，不能结账")
    units = compute.board_units(board)
    if not units:
        raise ValidationError("该多色榜目前没有参评单位，不能结账")
    names = {u.key: u.name for u in units}
    months = compute.year_months(month)
    figures = close_figures(board=board, month=month, columns=columns, units=units)
    spec = compute.board_spec(board=board, columns=columns, units=units, months=months)
    missing = compute.find_missing(figures=figures, columns=columns, units=units, months=months)
    if missing and not missing_as_zero:
        message = compute.describe_missing_named(missing, spec=spec, names=names)
        raise MissingReportedValues(
            message + "\n如确认缺报的数据按0计，请勾选“缺报数据按0计”后再结账。",
            units=list(dict.fromkeys(names[m.unit] for m in missing)),
            missing=[m.to_dict() for m in missing],
        )
    try:
        result, quarter = _rank(
            board=board, spec=spec, figures=figures, columns=columns, units=units,
            month=month, missing=missing, missing_as_zero=missing_as_zero,
        )  # fmt: skip
    except ranking.BoardError as exc:
        raise ValidationError(str(exc)) from None
    lasts = _last_places(board=board, spec=spec, month=month, result=result, quarter=quarter)

    own = {
        "signature": compute.signature(columns=columns, units=units),
        "values": compute.own_values(figures.computed[month], columns=columns, units=units),
        # January to this month summed, and the snapshot each earlier month came from
        # (None: counted in this close), for the next month's close to carry forward.
        "totals": compute.own_values(figures.totals(months), columns=columns, units=units),
        "sources": {m: figures.sources.get(m) for m in months[:-1]},
        # The quarter so far summed, for the close at the quarter's end.
        "quarter": (
            compute.own_values(
                figures.totals(compute.quarter_to_date(month)), columns=columns, units=units
            )
            if board.quarter_interview and compute.quarter_months(month) is None
            else None
        ),
        "overall": compute.overall_of(result.latest_month),
        # Who is last by the board's rule, decided now, for the later closes looking for
        # consecutive months last; the cumulative and quarter ranks, for the
        # "previous period" of the next close's tie-breaker.
        "last": lasts["month"].to_dict(),
        "cumulative_overall": compute.overall_of(result.cumulative),
        "quarter_overall": compute.overall_of(quarter) if quarter is not None else None,
    }
    # The snapshot freezes this month and the cumulative period; the earlier months are
    # frozen in their own snapshots.
    frozen = ranking.BoardResult(
        spec=result.spec,
        missing_policy=result.missing_policy,
        months=(result.latest_month,),
        cumulative=result.cumulative,
    )
    reported_sources: dict[str, dict[str, dict[str, int]]] = {}
    for (unit, m, indicator, component), figure in figures.reported.items():
        slot = indicator + (f".{component}" if component else "")
        reported_sources.setdefault(m, {}).setdefault(unit, {})[slot] = figure.value_id
    data = {
        "format": SNAPSHOT_FORMAT,
        "board": {
            "key": board.key,
            "title": board.title,
            "owner_org": board.owner_org_id,
            "domain": board.domain.code if board.domain else "",
            "visibility": board.visibility,
        },
        "month": month,
        "months": months,
        "indicators": [c.to_dict() for c in columns],
        "units": [u.to_dict() for u in units],
        "result": frozen.to_dict(),
        "quarter": quarter.to_dict(spec=spec) if quarter is not None else None,
        "month_sources": figures.sources,
        "reported": reported_sources,
        "missing_as_zero": [m.to_dict() for m in result.cumulative.missing_as_zero],
        "last": {key: found.to_dict() for key, found in lasts.items()},
        "computed_at": timezone.now().isoformat(),
    }
    snapshot = BoardSnapshot(
        board=board,
        month=month,
        version=(latest or 0) + 1,
        reason=reason.strip(),
        missing_as_zero=missing_as_zero,
        data=data,
        figures=own,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    # ``data`` and ``figures`` were built here from the calculator's output; checking
    # that megabytes of it serialise would only encode it twice.
    snapshot.full_clean(exclude=["data", "figures"])
    # Megabytes of JSON: sent as a parameter rather than quoted into the SQL text.
    with server_side_binding():
        snapshot.save()
    outcome = CloseOutcome(snapshot=snapshot)
    _issue_warnings(
        actor=actor, outcome=outcome, result=result, quarter=quarter, units=units, lasts=lasts
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=snapshot,
        summary=f"多色榜结账：{board.title} {ranking.month_label(month)}（第{snapshot.version}版）",
        changes={
            "board": board.key,
            "month": month,
            "version": snapshot.version,
            "reason": snapshot.reason,
            "missing_as_zero": data["missing_as_zero"],
            "warnings": [w.pk for w in outcome.warnings],
            "notes": outcome.notes,
        },
    )
    return outcome


def _ranks(overall: Any) -> dict[str, int] | None:
    """unit → overall rank from a stored ``{unit: [composite, rank]}``."""
    if not overall:
        return None
    return {unit: int(pair[1]) for unit, pair in overall.items()}


def _last_places(
    *,
    board: Board,
    spec: ranking.BoardSpec,
    month: str,
    result: ranking.BoardResult,
    quarter: ranking.PeriodResult | None,
) -> dict[str, ranking.LastPlace]:
    """Who is last in the month, the cumulative period and (at a quarter's end) the
    quarter, by the board's rule; the previous period is the month before, January to
    the month before, and the quarter before, as their latest snapshots froze them."""
    (before,) = _months_before(month, 1)
    quarter_before = _months_before(month, 3)[0]
    wanted = [quarter_before, before] if quarter is not None else [before]
    parts = _current_part(board, wanted, "overall", "cumulative_overall", "quarter_overall")
    previous: dict[str, Any] = parts[before][1] if before in parts else {}
    lasts = {
        "month": ranking.last_place(
            result.latest_month, spec=spec, previous=_ranks(previous.get("overall"))
        ),
        # The cumulative period starts again in January: no previous one then.
        "cumulative": ranking.last_place(
            result.cumulative,
            spec=spec,
            previous=_ranks(previous.get("cumulative_overall")) if month[5:] != "01" else None,
        ),
    }
    if quarter is not None:
        earlier: dict[str, Any] = parts[quarter_before][1] if quarter_before in parts else {}
        lasts["quarter"] = ranking.last_place(
            quarter, spec=spec, previous=_ranks(earlier.get("quarter_overall"))
        )
    return lasts


def _rank(
    *,
    board: Board,
    spec: ranking.BoardSpec,
    figures: compute.MonthFigures,
    columns: Sequence[compute.Column],
    units: Sequence[compute.BoardUnit],
    month: str,
    missing: Sequence[ranking.MissingValue],
    missing_as_zero: bool,
) -> tuple[ranking.BoardResult, ranking.PeriodResult | None]:
    """The month and the cumulative period (and, at a quarter's end, the quarter's
    cumulative period) by the calculator's rules.

    Ranked on summed values (the default), each period is ranked once on its totals
    (``ranking.rank_period``); ranked on summed points, every month must be ranked, so
    the whole year goes through ``ranking.rank_board``.
    """
    months = list(spec.months)
    span = compute.quarter_months(month) if board.quarter_interview else None
    policy = ranking.MissingPolicy.ZERO if missing_as_zero else ranking.MissingPolicy.ERROR
    if spec.cumulative_mode is ranking.CumulativeMode.SUM_POINTS:
        result = ranking.rank_board(
            spec=spec,
            observations=figures.observations(columns=columns, months=months),
            missing=policy,
        )
        quarter = None
        if span:
            quarter = ranking.rank_board(
                spec=spec.with_months(span),
                observations=figures.observations(columns=columns, months=span),
                missing=policy,
            ).cumulative
        return result, quarter

    def period(span_months: Sequence[str], *, key: str, kind: ranking.PeriodKind) -> Any:
        wanted = set(span_months)
        return ranking.rank_period(
            spec=spec,
            values=compute.period_values(
                figures=figures, columns=columns, units=units, months=span_months
            ),
            key=key,
            label=ranking.months_label(list(span_months)),
            kind=kind,
            months=span_months,
            missing=[m for m in missing if m.month in wanted],
        )

    this_month = period([month], key=month, kind=ranking.PeriodKind.MONTH)
    cumulative = period(months, key="cumulative", kind=ranking.PeriodKind.CUMULATIVE)
    result = ranking.BoardResult(
        spec=spec, missing_policy=policy, months=(this_month,), cumulative=cumulative
    )
    quarter = period(span, key="cumulative", kind=ranking.PeriodKind.CUMULATIVE) if span else None
    return result, quarter


def _leader(org_id: int) -> Post | None:
    return (
        Post.objects.current()
        .filter(org_id=org_id, is_leader=True)
        .select_related("person")
        .order_by("-start_date", "-pk")
        .first()
    )


def _issue_warnings(
    *,
    actor: Any,
    outcome: CloseOutcome,
    result: ranking.BoardResult,
    quarter: ranking.PeriodResult | None,
    units: Sequence[compute.BoardUnit],
    lasts: dict[str, ranking.LastPlace],
) -> None:
    snapshot = outcome.snapshot
    board = snapshot.board
    month = snapshot.month
    by_key = {u.key: u for u in units}
    findings: list[tuple[ranking.WarningFinding, list[int]]] = []

    # N consecutive months last: this month plus the latest versions of the months before
    # (across a year's end too); a month never closed breaks the run.
    run_months = _months_before(month, max(board.consecutive_months - 1, 0) + 11)
    earlier = {
        m: (pk, part["overall"] or {}, part["last"])
        for m, (pk, part) in _current_part(board, run_months, "overall", "last").items()
    }
    # Who was last in each earlier month was decided at its close; a month closed before
    # that was stored is decided now on its composites (indicator tie-breakers need the
    # cells, which it does not keep: they are passed over).
    decided: dict[str, ranking.LastPlace] = {}
    for m, (_, overall, last) in earlier.items():
        if last:
            decided[m] = ranking.LastPlace.from_dict(last)
        else:
            (before,) = _months_before(m, 1)
            decided[m] = ranking.last_place(
                compute.light_period(m, overall),
                spec=result.spec,
                previous=_ranks(earlier[before][1]) if before in earlier else None,
            )
    decided[month] = lasts["month"]
    for key, label in (
        ("month", result.latest_month.label),
        ("quarter", quarter.label if quarter is not None else ""),
    ):
        if key in lasts and (note := lasts[key].note(label)):
            outcome.notes.append(note)
    # Only a run that reaches this month counts: walk back while some unit last now was
    # last in every month since (the months before cannot change a finding).
    running = set(lasts["month"].units)
    reaching: list[str] = []
    for m in reversed(run_months):
        if m not in decided:
            break
        running &= set(decided[m].units)
        if not running:
            break
        reaching.append(m)
    periods = [compute.light_period(m, earlier[m][1]) for m in reversed(reaching)]
    periods.append(result.latest_month)
    source_ids = {m: pk for m, (pk, _, _) in earlier.items()} | {month: snapshot.pk}
    for finding in ranking.consecutive_last(
        periods=periods,
        months=board.consecutive_months,
        latest_only=True,
        spec=result.spec,
        lasts=decided,
    ):
        findings.append((finding, [source_ids[e.period] for e in finding.evidence]))
    if quarter is not None:
        for finding in ranking.quarter_last(period=quarter, last=lasts["quarter"]):
            findings.append((finding, [snapshot.pk]))
    # "The bottom K" singles units out only when there are more than K of them.
    participants = len(result.cumulative.rows)
    if (
        board.bottom_month
        and int(month[5:]) == board.bottom_month
        and participants > board.bottom_k
    ):
        for finding in ranking.cumulative_bottom(period=result.cumulative, k=board.bottom_k):
            findings.append((finding, [snapshot.pk]))

    for finding, evidence in findings:
        unit = by_key.get(finding.unit)
        if unit is None:
            continue  # a unit of an earlier month that no longer takes part
        kind = WarningKind(finding.kind.value)
        existing = BoardWarning.objects.filter(
            board=board, kind=kind, org_id=unit.org_id, month=month
        ).first()
        if existing is not None:
            existing.evidence.add(*evidence)
            outcome.repeated.append(existing)
            continue
        leader = _leader(unit.org_id)
        warning = BoardWarning(
            board=board,
            snapshot=snapshot,
            kind=kind,
            org_id=unit.org_id,
            month=month,
            scope=finding.scope[:40],
            description=finding.describe(unit_name=unit.name)[:300],
            finding=finding.to_dict(),
            leader_name=leader.person.name if leader else "",
            leader_title=leader.title if leader else "",
        )
        warning.full_clean(exclude=["snapshot", "org"])
        warning.save()
        warning.evidence.add(*evidence)
        WarningEvent.objects.create(
            warning=warning,
            action=WarningAction.ISSUE,
            from_status="",
            to_status=WarningStatus.ISSUED,
            note=warning.description,
            actor=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=warning,
            summary=f"多色榜预警：{warning.description}"[:300],
            changes={"kind": kind, "org": unit.org_id, "month": month, "evidence": evidence},
        )
        # The warned unit rectifies in the loop (整改闭环): one problem per warning.
        problem_from_board_warning(actor=actor, warning=warning)
        outcome.warnings.append(warning)


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
