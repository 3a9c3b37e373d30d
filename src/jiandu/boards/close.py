"""The monthly close (结账) of a 多色榜, read top-down.

:func:`board_close` is the pipeline; each step is one function below it, in order:

1. :func:`count` — this month's figures counted from the case records, and the figures
   the units reported for January to this month;
2. :func:`carry` — the months before: carried from the latest closed snapshots where
   they were drawn on the same definitions, counted again otherwise;
3. :func:`rank` — the month, January to the month and (at a quarter's end) the quarter
   ranked by the calculator (:mod:`jiandu.boards.ranking`), and who is last in each;
4. :func:`warn` — the warnings the ranking triggers (consecutive months last, last of a
   quarter, the bottom K of the cumulative period) and why none was issued where none was;
5. :func:`store` — the immutable snapshot, the warnings with their events and problems,
   and the audit row.

:mod:`jiandu.boards.compute` holds the Django-side building blocks the steps use
(participants, columns, counting one month); the steps themselves are all here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jiandu.boards import compute, ranking
from jiandu.boards.choices import WarningAction, WarningKind, WarningStatus
from jiandu.boards.models import Board, BoardSnapshot, BoardWarning, WarningEvent
from jiandu.boards.selectors import latest_snapshot_ids
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.db import server_side_binding
from jiandu.oversight.services import problem_from_board_warning
from jiandu.people.models import Post

SNAPSHOT_FORMAT = 1


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


@dataclass(frozen=True)
class CloseJob:
    """What is closed: the locked board, the month, January to it (``months``), the
    board's columns and participants now, the calculator's spec, the reason for closing
    again, whether missing reported figures count as 0, and the month's latest version
    so far (None: never closed)."""

    board: Board
    month: str
    months: list[str]
    columns: list[compute.Column]
    units: list[compute.BoardUnit]
    spec: ranking.BoardSpec
    reason: str
    missing_as_zero: bool
    latest_version: int | None
    # The board's newest snapshot (any month) when the close was drawn.
    newest_snapshot: int | None = None

    @property
    def names(self) -> dict[str, str]:
        return {u.key: u.name for u in self.units}


@dataclass(frozen=True)
class Ranked:
    """The calculator's output for a close: the month and the cumulative period
    (``result``), the quarter at its end, who is last in each (``lasts``: ``month``,
    ``cumulative``, ``quarter``), the bottom K of the cumulative period in the board's
    month, and the reported figures counted as 0."""

    result: ranking.BoardResult
    quarter: ranking.PeriodResult | None
    lasts: dict[str, ranking.LastPlace]
    bottom: ranking.BottomList | None
    missing: list[ranking.MissingValue]


@dataclass
class Warned:
    """The warnings a close triggers, before any is stored: each finding with the
    months whose snapshots prove it, the snapshot of each earlier month, and why a
    warning was not issued where none was."""

    findings: list[tuple[ranking.WarningFinding, list[str]]] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the pipeline


# A close drawn while someone else changed the board (its definition, or a snapshot of
# it) is drawn again, at most this many times in all.
CLOSE_ATTEMPTS = 3


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

    Counting, ranking and building the snapshot are done before the write transaction,
    reading only; the transaction locks the board, checks that nothing the close read
    about it changed meanwhile (its definition, participants, or any of its snapshots;
    else the close is drawn again) and stores. On SQLite, where a write transaction
    holds the only write lock, other users' writes and logins wait for the storing only
    (ADR 0010).
    """
    for _attempt in range(CLOSE_ATTEMPTS):
        job = open_job(
            board=board, month=month, missing_as_zero=missing_as_zero, reason=reason, today=today
        )
        figures = count(job)
        carry(job, figures)
        ranked = rank(job, figures)
        warned = warn(job, ranked)
        snapshot = freeze(actor=actor, job=job, figures=figures, ranked=ranked)
        with transaction.atomic():
            if still_current(job):
                return store(actor=actor, job=job, snapshot=snapshot, warned=warned)
    raise ValidationError("结账期间该多色榜的设置或快照被他人改动，请稍后重新结账")


def open_job(
    *, board: Board, month: str, missing_as_zero: bool, reason: str, today: dt.date | None
) -> CloseJob:
    """Read the board and check it can be closed for ``month`` (no lock: the close is
    drawn first and checked against the board when stored, :func:`still_current`)."""
    month = parse_month(month, today=today)
    board = Board.objects.select_related("owner_org", "domain").get(pk=board.pk)
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
    months = compute.year_months(month)
    return CloseJob(
        board=board,
        month=month,
        months=months,
        columns=columns,
        units=units,
        spec=compute.board_spec(board=board, columns=columns, units=units, months=months),
        reason=reason,
        missing_as_zero=missing_as_zero,
        latest_version=latest,
        newest_snapshot=_newest_snapshot(board),
    )


def _newest_snapshot(board: Board) -> int | None:
    return BoardSnapshot.objects.filter(board=board).aggregate(pk=Max("pk"))["pk"]


def still_current(job: CloseJob) -> bool:
    """In the storing transaction: lock the board and tell whether what the close was
    drawn from still holds — the board's settings, columns and participants, and its
    snapshots (none added since: the months carried, the consecutive months last and
    the version number all come from them). A board archived meanwhile stops the close."""
    board = (
        Board.objects.select_for_update(of=("self",))
        .select_related("owner_org", "domain")
        .get(pk=job.board.pk)
    )
    if board.archived_at is not None:
        raise ValidationError("该多色榜已停用，不能结账")
    if _newest_snapshot(board) != job.newest_snapshot:
        return False
    columns = compute.board_columns(board)
    units = compute.board_units(board)
    spec = compute.board_spec(board=board, columns=columns, units=units, months=job.months)
    return columns == job.columns and units == job.units and spec == job.spec


def count(job: CloseJob) -> compute.MonthFigures:
    """This month counted from the case records; the reported figures of January to
    this month from the uploads."""
    figures = compute.MonthFigures()
    figures.computed[job.month] = compute.computed_month_values(
        columns=job.columns, units=job.units, month=job.month
    )
    figures.sources[job.month] = None
    figures.reported = compute.reported_values(
        board=job.board, columns=job.columns, units=job.units, months=job.months
    )
    return figures


def carry(job: CloseJob, figures: compute.MonthFigures) -> None:
    """The months before this one into ``figures``: each taken from its latest closed
    snapshot when that was drawn on the same definitions and subtrees, counted again
    otherwise.

    When the previous month's latest snapshot was drawn on the same definitions from
    exactly the snapshots that are still the latest of the months before it, its running
    totals stand for all of them (one snapshot read instead of one per month), and so
    do its totals of the quarter so far for a quarter ranked at its end.
    """
    board, columns, units = job.board, job.columns, job.units
    earlier = job.months[:-1]
    sig = compute.signature(columns=columns, units=units)
    singly = earlier
    if earlier and board.cumulative_mode == ranking.CumulativeMode.SUM_VALUES:
        carried = _carried_totals(board, earlier, sig)
        if carried is not None:
            pk, own = carried
            figures.carried[tuple(earlier)] = compute.frozen_values(
                own, columns=columns, units=units, part="totals"
            )
            figures.sources.update({**own["sources"], earlier[-1]: pk})
            # The quarter's months before this one: summed in the previous snapshot
            # (kept for the quarter's 约谈 ranking), else one by one.
            before = (
                tuple(compute.quarter_to_date(job.month)[:-1]) if board.quarter_interview else ()
            )
            if before and own["quarter"] is not None:
                figures.carried[before] = compute.frozen_values(
                    own, columns=columns, units=units, part="quarter"
                )
                before = ()
            singly = list(before)
    stored = _current_own(board, singly)
    for m in singly:
        row = stored.get(m)
        if row is not None and row[1].get("signature") == sig:
            figures.computed[m] = compute.frozen_values(row[1], columns=columns, units=units)
            figures.sources[m] = row[0]
        else:
            figures.computed[m] = compute.computed_month_values(
                columns=columns, units=units, month=m
            )
            figures.sources[m] = None
    figures.sources = {m: figures.sources[m] for m in job.months if m in figures.sources}


def rank(job: CloseJob, figures: compute.MonthFigures) -> Ranked:
    """The month and the cumulative period (and, at a quarter's end, the quarter's
    cumulative period) by the calculator's rules, and who is last in each by the board's
    rule, and in the board's month its bottom K. A missing reported figure stops here
    unless the job counts it as 0."""
    missing = compute.find_missing(
        figures=figures, columns=job.columns, units=job.units, months=job.months
    )
    if missing and not job.missing_as_zero:
        names = job.names
        message = compute.describe_missing_named(missing, spec=job.spec, names=names)
        raise MissingReportedValues(
            message + "\n如确认缺报的数据按0计，请勾选“缺报数据按0计”后再结账。",
            units=list(dict.fromkeys(names[m.unit] for m in missing)),
            missing=[m.to_dict() for m in missing],
        )
    try:
        result, quarter = _periods(job, figures, missing=missing)
    except ranking.BoardError as exc:
        raise ValidationError(str(exc)) from None
    previous = _previous_ranks(job, quarter=quarter)
    return Ranked(
        result=result,
        quarter=quarter,
        lasts=_last_places(job, result=result, quarter=quarter, previous=previous),
        bottom=_bottom(job, result=result, previous=previous),
        missing=missing,
    )


def warn(job: CloseJob, ranked: Ranked) -> Warned:
    """The findings of this close: a run of consecutive months last reaching this
    month, the last of a quarter at its end, the bottom K of January to the board's
    month; and why no 末位 warning was issued where units tie."""
    board, month, result, lasts = job.board, job.month, ranked.result, ranked.lasts
    quarter = ranked.quarter
    warned = Warned()

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
            warned.notes.append(note)
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
    warned.sources = {m: pk for m, (pk, _, _) in earlier.items()}
    for finding in ranking.consecutive_last(
        periods=periods,
        months=board.consecutive_months,
        latest_only=True,
        spec=result.spec,
        lasts=decided,
    ):
        warned.findings.append((finding, [e.period for e in finding.evidence]))
    if quarter is not None:
        for finding in ranking.quarter_last(period=quarter, last=lasts["quarter"]):
            warned.findings.append((finding, [month]))
    if ranked.bottom is not None:
        if note := ranked.bottom.note(result.cumulative.label, result.spec):
            warned.notes.append(note)
        for finding in ranking.cumulative_bottom(
            period=result.cumulative, k=board.bottom_k, bottom=ranked.bottom
        ):
            warned.findings.append((finding, [month]))
    return warned


def freeze(
    *,
    actor: Any,
    job: CloseJob,
    figures: compute.MonthFigures,
    ranked: Ranked,
) -> BoardSnapshot:
    """The close as the month's next snapshot, built and checked but not yet saved
    (outside the write transaction: megabytes of JSON for a large board)."""
    board, month, months = job.board, job.month, job.months
    columns, units = job.columns, job.units
    result, quarter, lasts = ranked.result, ranked.quarter, ranked.lasts
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
    for (key, m, indicator, component), figure in figures.reported.items():
        slot = indicator + (f".{component}" if component else "")
        reported_sources.setdefault(m, {}).setdefault(key, {})[slot] = figure.value_id
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
        "quarter": quarter.to_dict(spec=job.spec) if quarter is not None else None,
        "month_sources": figures.sources,
        "reported": reported_sources,
        "missing_as_zero": [m.to_dict() for m in result.cumulative.missing_as_zero],
        "last": {key: found.to_dict() for key, found in lasts.items()},
        "bottom": ranked.bottom.to_dict() if ranked.bottom is not None else None,
        "computed_at": timezone.now().isoformat(),
    }
    snapshot = BoardSnapshot(
        board=board,
        month=month,
        version=(job.latest_version or 0) + 1,
        reason=job.reason.strip(),
        missing_as_zero=job.missing_as_zero,
        data=data,
        figures=own,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    # ``data`` and ``figures`` were built here from the calculator's output; checking
    # that megabytes of it serialise would only encode it twice. The version is unique
    # per board and month: checked when storing (``still_current``; the database's
    # constraint behind it), not here, before the board is locked.
    snapshot.full_clean(exclude=["data", "figures"], validate_constraints=False)
    return snapshot


def store(
    *,
    actor: Any,
    job: CloseJob,
    snapshot: BoardSnapshot,
    warned: Warned,
) -> CloseOutcome:
    """Save the frozen snapshot, issue the close's warnings (each with its event and the
    problem the unit rectifies) and write the audit row."""
    board, month, units = job.board, job.month, job.units
    data = snapshot.data
    # Megabytes of JSON: sent as a parameter rather than quoted into the SQL text.
    with server_side_binding():
        snapshot.save()
    outcome = CloseOutcome(snapshot=snapshot, notes=list(warned.notes))
    source_ids = warned.sources | {month: snapshot.pk}
    by_key = {u.key: u for u in units}
    for finding, proof in warned.findings:
        warned_unit = by_key.get(finding.unit)
        if warned_unit is None:
            continue  # a unit of an earlier month that no longer takes part
        _issue_warning(
            actor=actor,
            outcome=outcome,
            finding=finding,
            unit=warned_unit,
            evidence=[source_ids[m] for m in proof],
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


# --------------------------------------------------------------------------- helpers


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


def _months_before(month: str, count: int) -> list[str]:
    year, number = (int(p) for p in month.split("-"))
    index = year * 12 + number - 1
    return [f"{(i // 12):04d}-{(i % 12) + 1:02d}" for i in range(index - count, index)]


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


def _ranks(overall: Any) -> dict[str, int] | None:
    """unit → overall rank from a stored ``{unit: [composite, rank]}``."""
    if not overall:
        return None
    return {unit: int(pair[1]) for unit, pair in overall.items()}


def _periods(
    job: CloseJob,
    figures: compute.MonthFigures,
    *,
    missing: Sequence[ranking.MissingValue],
) -> tuple[ranking.BoardResult, ranking.PeriodResult | None]:
    """The month and the cumulative period (and, at a quarter's end, the quarter).

    Ranked on summed values (the default), each period is ranked once on its totals
    (``ranking.rank_period``); ranked on summed points, every month must be ranked, so
    the whole year goes through ``ranking.rank_board``.
    """
    spec, columns, units, month = job.spec, job.columns, job.units, job.month
    months = list(spec.months)
    span = compute.quarter_months(month) if job.board.quarter_interview else None
    policy = ranking.MissingPolicy.ZERO if job.missing_as_zero else ranking.MissingPolicy.ERROR
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


def _previous_ranks(
    job: CloseJob, *, quarter: ranking.PeriodResult | None
) -> dict[str, dict[str, int] | None]:
    """The overall ranks of the period before each period of the close, for the
    ``previous_rank`` tie-breaker: the month before, January to the month before, and
    the quarter before, as their latest snapshots froze them (None: not known)."""
    month = job.month
    (before,) = _months_before(month, 1)
    quarter_before = _months_before(month, 3)[0]
    wanted = [quarter_before, before] if quarter is not None else [before]
    parts = _current_part(job.board, wanted, "overall", "cumulative_overall", "quarter_overall")
    previous: dict[str, Any] = parts[before][1] if before in parts else {}
    earlier: dict[str, Any] = parts[quarter_before][1] if quarter_before in parts else {}
    return {
        "month": _ranks(previous.get("overall")),
        # The cumulative period starts again in January: no previous one then.
        "cumulative": _ranks(previous.get("cumulative_overall")) if month[5:] != "01" else None,
        "quarter": _ranks(earlier.get("quarter_overall")) if quarter is not None else None,
    }


def _last_places(
    job: CloseJob,
    *,
    result: ranking.BoardResult,
    quarter: ranking.PeriodResult | None,
    previous: dict[str, dict[str, int] | None],
) -> dict[str, ranking.LastPlace]:
    """Who is last in the month, the cumulative period and (at a quarter's end) the
    quarter, by the board's rule."""
    spec = job.spec
    lasts = {
        "month": ranking.last_place(result.latest_month, spec=spec, previous=previous["month"]),
        "cumulative": ranking.last_place(
            result.cumulative, spec=spec, previous=previous["cumulative"]
        ),
    }
    if quarter is not None:
        lasts["quarter"] = ranking.last_place(quarter, spec=spec, previous=previous["quarter"])
    return lasts


def _bottom(
    job: CloseJob, *, result: ranking.BoardResult, previous: dict[str, dict[str, int] | None]
) -> ranking.BottomList | None:
    """The bottom K of January to the board's month (the 集体诫勉谈话 list), cut by the
    board's tie-breakers; None in other months, and when there are no more than K
    participants (then "the bottom K" would single out everybody)."""
    board = job.board
    if not board.bottom_month or int(job.month[5:]) != board.bottom_month:
        return None
    if len(result.cumulative.rows) <= board.bottom_k:
        return None
    return ranking.bottom_list(
        result.cumulative, k=board.bottom_k, spec=job.spec, previous=previous["cumulative"]
    )


def _leader(org_id: int) -> Post | None:
    return (
        Post.objects.current()
        .filter(org_id=org_id, is_leader=True)
        .select_related("person")
        .order_by("-start_date", "-pk")
        .first()
    )


def _issue_warning(
    *,
    actor: Any,
    outcome: CloseOutcome,
    finding: ranking.WarningFinding,
    unit: compute.BoardUnit,
    evidence: list[int],
) -> None:
    """One warning of the close, unless this month already has it (a recomputed month
    adds its snapshot to the evidence instead of warning twice)."""
    snapshot = outcome.snapshot
    board, month = snapshot.board, snapshot.month
    kind = WarningKind(finding.kind.value)
    existing = BoardWarning.objects.filter(
        board=board, kind=kind, org_id=unit.org_id, month=month
    ).first()
    if existing is not None:
        existing.evidence.add(*evidence)
        outcome.repeated.append(existing)
        return
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
