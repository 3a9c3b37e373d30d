"""The monthly close of the political-ecology index, read top-down.

:func:`index_close` is the pipeline:

1. the tree version — the month's own when it was closed before (unless told otherwise),
   else the latest version applying from that month;
2. the values of every participating unit, set-based: one grouped query per computed leaf
   (:mod:`jiandu.ecoindex.sources`), one query for every reported value of the month;
3. the scores — :func:`jiandu.ecoindex.calc.compute_month`, the calculator's own code —
   and 复绿 from the colours frozen in the months before;
4. the immutable snapshot with one score row per unit (bulk), and the audit row;
5. the loop: a unit turning 黄/橙/红 gets a warning (预警通知书 with its 文号) and a
   problem in the rectification loop with its supervising commission; a 复绿 closes the
   unit's open warning with the months that proved it.

A closed month is never changed silently: closing it again needs a reason and makes the
next version.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from jiandu.boards.compute import month_bounds
from jiandu.boards.ranking.formats import parse_month
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.db import insert_rows
from jiandu.ecoindex import calc
from jiandu.ecoindex.choices import LABEL_BY_COLOUR, EcoColour, EcoWarningStatus, LeafSource
from jiandu.ecoindex.models import (
    EcoWarning,
    IndexNode,
    IndexScore,
    IndexSnapshot,
    IndexTree,
    IndexValue,
    month_label,
    rules_from_nodes,
)
from jiandu.ecoindex.sources import SOURCES
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org

Progress = Callable[[float, str], None]
SUPERVISING_KINDS = (OrgKind.COMMISSION, OrgKind.COUNTY)


@dataclass
class CloseOutcome:
    snapshot: IndexSnapshot
    warnings: list[EcoWarning] = field(default_factory=list)
    regreened: list[EcoWarning] = field(default_factory=list)
    missing_reported: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = self.snapshot.data
        return {
            "month": self.snapshot.month,
            "version": self.snapshot.version,
            "snapshot_id": self.snapshot.pk,
            "tree_version": self.snapshot.tree.version,
            "reason": self.snapshot.reason,
            "units": data["units"],
            "colours": data["colours"],
            "missing_reported": self.missing_reported,
            "warnings": [
                {"number": w.number, "org": w.org.name, "colour": w.get_colour_display()}
                for w in self.warnings
            ],
            "regreened": [
                {"number": w.number, "org": w.org.name, "months": w.proving_months}
                for w in self.regreened
            ],
        }


# How the problem a warning opens names it (``oversight.origins`` links it back).
WARNING_ORIGIN = "ecoindex.ecowarning"


def lock_closes() -> None:
    """One close at a time. Every close first locks the tree versions' rows (in id order;
    PostgreSQL ``SELECT … FOR UPDATE``; SQLite has one writer anyway), so a second close
    started meanwhile waits for the first to commit and then sees what it wrote: the
    month's snapshot (a close without a reason is refused with the usual message, one
    with a reason makes the next version), the units it warned (not warned twice) and the
    month's warning numbers (its own continue after them) — never a database error."""
    list(IndexTree.objects.select_for_update().order_by("pk").values_list("pk", flat=True))


def tree_for_month(month: str) -> IndexTree:
    tree = IndexTree.objects.filter(effective_from__lte=month).order_by("-effective_from").first()
    if tree is None:
        raise ValidationError(f"{month_label(month)}没有适用的指标体系版本")
    return tree


def participants(tree: IndexTree) -> list[Org]:
    return list(
        Org.objects.filter(kind__in=tree.participant_kinds, archived_at__isnull=True)
        .only("pk", "name", "path", "parent_id", "region_code", "kind")
        .order_by("path")
    )


def latest_snapshot(month: str) -> IndexSnapshot | None:
    return IndexSnapshot.objects.filter(month=month).order_by("-version").first()


def leaf_nodes(tree: IndexTree) -> list[IndexNode]:
    return [n for n in tree.nodes.all() if n.method]


def gather_values(
    *, tree: IndexTree, leaves: Sequence[IndexNode], month: str, org_ids: Sequence[int]
) -> dict[int, dict[str, Decimal]]:
    """org id → leaf key → value: the computed leaves counted (one query each), the
    reported ones from the latest upload of the month holding them."""
    start, end = month_bounds(month)
    out: dict[int, dict[str, Decimal]] = {i: {} for i in org_ids}
    wanted = set(org_ids)
    for leaf in leaves:
        if leaf.source != LeafSource.COMPUTED:
            continue
        source = SOURCES[leaf.statistic]
        for org_id, value in source.values(
            start=start, end=end, month=month, org_ids=org_ids
        ).items():
            out[org_id][leaf.key] = value
    reported = [leaf.key for leaf in leaves if leaf.source == LeafSource.REPORTED]
    if reported:
        rows = (
            IndexValue.objects.filter(month=month, leaf__in=reported)
            .order_by("upload_id", "pk")
            .values_list("org_id", "leaf", "value")
        )
        for org_id, key, value in rows.iterator(chunk_size=20000):
            if org_id in wanted:
                out[org_id][key] = value
    return out


def find_missing(
    leaves: Sequence[IndexNode], values: dict[int, dict[str, Decimal]], names: dict[int, str]
) -> list[dict[str, Any]]:
    """Units lacking reported values, by department: [{"department", "units": [...]}]."""
    by_department: dict[str, set[int]] = {}
    for leaf in leaves:
        if leaf.source != LeafSource.REPORTED:
            continue
        for org_id, own in values.items():
            if leaf.key not in own:
                by_department.setdefault(leaf.department, set()).add(org_id)
    return [
        {"department": d, "units": sorted(names[i] for i in ids)}
        for d, ids in sorted(by_department.items())
    ]


def _previous_colours(month: str, k: int, org_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """org id → month → colour from the latest snapshot of each of the k months before."""
    months = [calc.month_shift(month, -i) for i in range(1, k + 1)]
    latest = (
        IndexSnapshot.objects.filter(month__in=months)
        .values("month")
        .annotate(v=Max("version"))
        .values_list("month", "v")
    )
    ids = [
        s
        for m, v in latest
        for s in IndexSnapshot.objects.filter(month=m, version=v).values_list("pk", flat=True)
    ]
    out: dict[int, dict[str, str]] = {}
    for org_id, m, colour in IndexScore.objects.filter(snapshot_id__in=ids).values_list(
        "org_id", "month", "colour"
    ):
        out.setdefault(org_id, {})[m] = colour
    return out


def _supervisors(orgs: Sequence[Org]) -> dict[int, int]:
    """unit id → the nearest commission above it (its supervising body)."""
    commissions = dict(
        Org.objects.filter(kind__in=SUPERVISING_KINDS, archived_at__isnull=True).values_list(
            "pk", "kind"
        )
    )
    out: dict[int, int] = {}
    for org in orgs:
        ancestors = [int(p) for p in org.path.strip("/").split("/") if p][:-1]
        for pk in reversed(ancestors):
            if pk in commissions:
                out[org.pk] = pk
                break
    fallback = next(iter(commissions), None)
    found = {o.pk: out.get(o.pk, fallback) for o in orgs}
    return {pk: commission for pk, commission in found.items() if commission}


def pulled_down(rules: calc.IndexRules, nodes: dict[str, Any], *, limit: int = 3) -> list[dict]:
    """The weakest dimensions and, under them, the weakest leaves (lowest scores first)."""
    dims = [d for d in rules.tree.children if nodes.get(d.key) is not None]
    dims.sort(key=lambda d: nodes[d.key])
    out = []
    for dim in dims[:limit]:
        leaves = [leaf for leaf in dim.leaves() if nodes.get(leaf.key) is not None]
        leaves.sort(key=lambda n: nodes[n.key])
        out.append(
            {
                "key": dim.key,
                "name": dim.name,
                "score": round(float(nodes[dim.key]), 2),
                "leaves": [
                    {"key": n.key, "name": n.name, "score": round(float(nodes[n.key]), 2)}
                    for n in leaves[:limit]
                    if nodes[n.key] < 100
                ],
            }
        )
    return out


def warning_number(month: str, sequence: int) -> str:
    year = month[:4]
    return f"生态预〔{year}〕{int(month[5:]):02d}{sequence:03d}号"


@transaction.atomic
def index_close(
    *,
    actor: Any,
    month: str,
    reason: str = "",
    tree: IndexTree | None = None,
    progress: Progress | None = None,
) -> CloseOutcome:
    """Close ``month``: every unit scored, the snapshot frozen, warnings and 复绿."""
    report = progress or (lambda fraction, message: None)
    month = parse_month(month)
    lock_closes()
    previous = latest_snapshot(month)
    reason = reason.strip()
    if previous is not None and not reason:
        raise ValidationError(
            f"{month_label(month)}已结账（第{previous.version}版）；重新结账须写明原因"
        )
    if tree is None:
        tree = previous.tree if previous is not None else tree_for_month(month)
    nodes = list(tree.nodes.all())
    rules = rules_from_nodes(tree, nodes)
    leaves = [n for n in nodes if n.method]
    orgs = participants(tree)
    if not orgs:
        raise ValidationError("没有参评单位")
    names = {o.pk: o.name for o in orgs}
    org_ids = [o.pk for o in orgs]
    report(0.1, f"正在汇总{month_label(month)}的数据（{len(orgs)}个单位）")
    values = gather_values(tree=tree, leaves=leaves, month=month, org_ids=org_ids)
    missing = find_missing(leaves, values, names)
    report(0.5, "正在计算指数")
    by_key = {str(i): v for i, v in values.items()}
    scores = calc.compute_month(rules, by_key, units=[str(i) for i in org_ids], month=month)
    history = _previous_colours(month, rules.regreen_months, org_ids)
    for unit in scores.units:
        own = history.setdefault(int(unit.unit), {})
        if unit.colour is not None:
            own[month] = unit.colour
        unit.regreened = calc.regreened(own, month, k=rules.regreen_months, green=rules.green)
    report(0.7, "正在保存快照")
    distribution = {c.value: 0 for c in EcoColour}
    for unit in scores.units:
        if unit.colour:
            distribution[unit.colour] = distribution.get(unit.colour, 0) + 1
    snapshot = IndexSnapshot(
        month=month,
        version=(previous.version + 1) if previous is not None else 1,
        tree=tree,
        reason=reason,
        created_by=actor if getattr(actor, "pk", None) else None,
        data={
            "units": len(scores.units),
            "colours": distribution,
            "missing_rule": rules.missing.value,
            "missing_reported": missing,
        },
    )
    snapshot.save()
    write_scores(
        snapshot,
        [
            (
                int(u.unit), u.index, u.colour or "", u.rank, u.regreened,
                {k: (round(float(v), 4) if v is not None else None) for k, v in u.nodes.items()},
                {k: str(v) for k, v in values[int(u.unit)].items()},
            )
            for u in scores.units
        ],
    )  # fmt: skip
    outcome = CloseOutcome(snapshot=snapshot, missing_reported=missing)
    report(0.85, "正在发出预警、记录复绿")
    _loop(actor=actor, snapshot=snapshot, rules=rules, scores=scores, orgs=orgs, outcome=outcome)
    audit_record(
        actor=actor if getattr(actor, "pk", None) else None,
        action=AuditAction.CREATE,
        obj=snapshot,
        summary=f"政治生态指数结账：{month_label(month)}第{snapshot.version}版"
        + (f"（{reason}）" if reason else ""),
        changes={
            "month": month,
            "version": snapshot.version,
            "tree": tree.version,
            "colours": distribution,
        },
    )
    report(1.0, "结账完成")
    return outcome


SCORE_COLUMNS = ("snapshot_id", "org_id", "month", "index", "colour", "rank", "regreened",
                 "nodes", "values")  # fmt: skip


def write_scores(snapshot: IndexSnapshot, rows: Sequence[tuple[Any, ...]]) -> None:
    """The snapshot's score rows, each ``(org id, index, colour, rank, regreened, nodes,
    values)``: one ``COPY`` on PostgreSQL (the JSON documents sent as text, as the
    field would store them), ``executemany`` batches elsewhere — not ``bulk_create``,
    whose array form quotes every JSON document slowly."""
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        table = quote(IndexScore._meta.db_table)
        columns = ", ".join(quote(c) for c in SCORE_COLUMNS)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for org_id, index, colour, rank, regreened, nodes, values in rows:
                copy.write_row(
                    (snapshot.pk, org_id, snapshot.month, index, colour, rank, regreened,
                     json.dumps(nodes), json.dumps(values))
                )  # fmt: skip
        return
    insert_rows(
        IndexScore,
        (
            IndexScore(snapshot=snapshot, org_id=org_id, month=snapshot.month, index=index,
                       colour=colour, rank=rank, regreened=regreened, nodes=nodes,
                       values=values)
            for org_id, index, colour, rank, regreened, nodes, values in rows
        ),
        batch_size=1000,
    )  # fmt: skip


def _loop(
    *,
    actor: Any,
    snapshot: IndexSnapshot,
    rules: calc.IndexRules,
    scores: calc.MonthScores,
    orgs: Sequence[Org],
    outcome: CloseOutcome,
) -> None:
    from jiandu.oversight.models import Problem, ProblemCategory, ProblemSource
    from jiandu.oversight.services import ProblemSpec, problems_create_many

    month = snapshot.month
    open_warnings = {w.org_id: w for w in EcoWarning.objects.filter(status=EcoWarningStatus.OPEN)}
    by_id = {o.pk: o for o in orgs}
    warned = [
        u
        for u in scores.units
        if u.colour and u.colour != rules.green and int(u.unit) not in open_warnings
    ]
    now = timezone.now()
    closed = []
    for unit in scores.units:
        warning = open_warnings.get(int(unit.unit))
        if unit.regreened and warning is not None and warning.month < month:
            warning.status = EcoWarningStatus.REGREENED
            warning.regreened_month = month
            warning.proving_months = calc.proving_months(month, rules.regreen_months)
            warning.closed_at = now
            closed.append(warning)
    EcoWarning.objects.bulk_update(
        closed, ["status", "regreened_month", "proving_months", "closed_at"], batch_size=500
    )
    outcome.regreened.extend(closed)
    if not warned:
        return
    supervisors = _supervisors([by_id[int(u.unit)] for u in warned])
    supervising = Org.objects.in_bulk(set(supervisors.values()))
    source = ProblemSource.objects.filter(key="index_warning").first()
    category = (
        ProblemCategory.objects.filter(name__in=("主体责任落实", "其他"), archived_at__isnull=True)
        .order_by("sort_order")
        .first()
    )
    sequence = EcoWarning.objects.filter(month=month).count()
    found_on = min(timezone.localdate(), month_bounds(month)[1])
    if not isinstance(found_on, dt.date):
        found_on = timezone.localdate()
    warnings = []
    for unit in warned:
        org = by_id[int(unit.unit)]
        supervisor = supervisors.get(org.pk)
        # A warned unit has a colour, so an index (the colour is the index's band).
        if supervisor is None or unit.colour is None or unit.index is None:
            continue
        sequence += 1
        warnings.append(
            EcoWarning(
                org=org,
                month=month,
                snapshot=snapshot,
                colour=unit.colour,
                index=unit.index,
                number=warning_number(month, sequence),
                pulled_down=pulled_down(rules, unit.nodes),
                supervising_org_id=supervisor,
            )
        )
    EcoWarning.objects.bulk_create(warnings, batch_size=500)
    if source is not None and category is not None:
        specs = []
        for warning in warnings:
            colour = LABEL_BY_COLOUR.get(warning.colour, warning.colour)
            weak = "、".join(r["name"] for r in warning.pulled_down[:2])
            supervising_org = supervising[warning.supervising_org_id]
            specs.append(
                ProblemSpec(
                    org=warning.org,
                    description=f"{month_label(month)}政治生态指数{warning.index}，"
                    f"纳入{colour}色管理（{warning.number}）；得分较低的板块：{weak}。"
                    "请分析原因，抓好整改。",
                    category=category,
                    source=source,
                    found_on=found_on,
                    supervising_org=supervising_org,
                    found_by_org=supervising_org,
                    origin=(WARNING_ORIGIN, warning.pk),
                )
            )
        problems = problems_create_many(actor=actor, specs=specs)
        for warning, problem in zip(warnings, problems, strict=True):
            warning.problem = problem
        # Each warning's problem names it as its origin: one UPDATE links them all
        # (bulk_update's CASE of a few hundred branches costs more than the inserts).
        EcoWarning.objects.filter(snapshot=snapshot, problem__isnull=True).update(
            problem_id=Subquery(
                Problem.objects.filter(origin_type=WARNING_ORIGIN, origin_id=OuterRef("pk"))
                .order_by("pk")
                .values("pk")[:1]
            )
        )
    outcome.warnings.extend(warnings)
