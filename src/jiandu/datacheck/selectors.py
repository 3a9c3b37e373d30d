"""Reads of 大数据比对, always within the user's reach (404 outside it).

- Dataset versions and runs belong to an org: visible within its jurisdiction.
- A hit is visible when its run's org, or the org it was assigned to for verification,
  is in the user's jurisdiction, *and* its subject's region code lies in a region of an
  org in that jurisdiction (a county officer sees only the county's people).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from jiandu.core.access import get_or_404, jurisdiction_org_ids
from jiandu.core.crypto import search_key
from jiandu.core.idnumbers import is_valid, mask, normalize
from jiandu.datacheck import files
from jiandu.datacheck.choices import ACCOUNT_RULES, HitPresence, HitStatus
from jiandu.datacheck.engine.catalog import DATASETS, RULE_SPECS, list_rules
from jiandu.datacheck.lifecycle import (
    CONFIRMED_STATUSES,
    EXCLUDED_STATUSES,
    allowed_hit_actions,
)
from jiandu.datacheck.models import DatasetVersion, Hit, HitEvent, Run
from jiandu.datacheck.scope import region_q, user_region_prefixes

SOURCE_ROWS_LIMIT = 50


# --- datasets --------------------------------------------------------------------


def dataset_version_list(*, user: Any, dataset: str = "") -> QuerySet[DatasetVersion]:
    qs = DatasetVersion.objects.restrict(user)
    if dataset:
        qs = qs.filter(dataset=dataset)
    return qs.select_related("org", "uploaded_by").order_by("-created_at", "-pk")


def dataset_version_get(*, user: Any, pk: int) -> DatasetVersion:
    return get_or_404(dataset_version_list(user=user), pk=pk)


@dataclass
class DatasetOverview:
    """One canonical dataset: its definition, how many versions the user can see and
    the latest of them."""

    name: str
    label: str
    columns: list[dict[str, Any]]
    versions: int = 0
    latest: DatasetVersion | None = None
    rules: list[str] = field(default_factory=list)


def dataset_overview(*, user: Any) -> list[DatasetOverview]:
    """Every canonical dataset with the user's version count and latest version (two
    queries whatever the number of versions)."""
    visible = DatasetVersion.objects.restrict(user)
    stats = {
        row["dataset"]: row
        for row in visible.values("dataset").annotate(n=Count("id"), last=Max("id"))
    }
    latest = (
        DatasetVersion.objects.select_related("org", "uploaded_by").in_bulk(
            [row["last"] for row in stats.values()]
        )
        if stats
        else {}
    )
    out = []
    for spec in DATASETS.values():
        row = stats.get(spec.name)
        out.append(
            DatasetOverview(
                name=spec.name,
                label=spec.label,
                columns=[
                    {"name": c.name, "label": c.label, "required": c.required} for c in spec.columns
                ],
                versions=row["n"] if row else 0,
                latest=latest.get(row["last"]) if row else None,
                rules=[r.code for r in RULE_SPECS.values() if spec.name in r.datasets],
            )
        )
    return out


def latest_versions(*, user: Any) -> dict[str, DatasetVersion]:
    """The newest visible version of each dataset (the run form's defaults)."""
    return {o.name: o.latest for o in dataset_overview(user=user) if o.latest is not None}


# --- rules -----------------------------------------------------------------------


def rule_catalogue() -> list[dict[str, Any]]:
    """The engine's rules with Chinese dataset names, for the catalogue and the API."""
    rules = list_rules()
    for rule in rules:
        rule["dataset_labels"] = [DATASETS[d].label for d in rule["datasets"]]
    return rules


# --- runs ------------------------------------------------------------------------


def run_list(*, user: Any) -> QuerySet[Run]:
    return Run.objects.restrict(user).select_related("org", "task", "created_by").order_by("-pk")


def run_get(*, user: Any, pk: int) -> Run:
    return get_or_404(run_list(user=user), pk=pk)


def run_versions(*, run: Run) -> list[DatasetVersion]:
    order = list(DATASETS)
    versions = list(run.dataset_versions.select_related("org"))
    return sorted(versions, key=lambda v: order.index(v.dataset))


# --- hits ------------------------------------------------------------------------


@dataclass(frozen=True)
class HitFilters:
    """The hit list's filters (page, API and export share them)."""

    run_id: int | None = None
    rule: str = ""
    status: str = ""
    handling_org_id: int | None = None
    subject: str = ""
    # The subject's blind index (links carry it instead of the number itself).
    subject_key: str = ""
    # new / still / gone (see HitPresence); with a run: relative to that run.
    presence: str = ""
    # Only the latest finding of each identity (the hit list across runs).
    current_only: bool = False


def hit_list(*, user: Any, filters: HitFilters | None = None) -> QuerySet[Hit]:
    f = filters or HitFilters()
    ids = jurisdiction_org_ids(user)
    qs = Hit.objects.filter(Q(run__org_id__in=ids) | Q(handling_org_id__in=ids)).filter(
        region_q(user_region_prefixes(user))
    )
    if f.presence == HitPresence.GONE:
        # Hits that the run (or any later run) no longer found.
        qs = qs.filter(gone_in_run_id=f.run_id) if f.run_id else qs.exclude(gone_in_run=None)
    elif f.run_id:
        qs = qs.filter(run_id=f.run_id)
    if f.presence in (HitPresence.NEW, HitPresence.STILL):
        qs = qs.filter(presence=f.presence)
        if not f.run_id:
            qs = qs.filter(gone_in_run=None)
    if f.current_only:
        qs = qs.filter(is_current=True)
    if f.rule:
        qs = qs.filter(rule_code=f.rule)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.handling_org_id:
        qs = qs.filter(handling_org_id=f.handling_org_id)
    if f.subject.strip():
        qs = qs.filter(subject_key=search_key(normalize(f.subject)))
    elif f.subject_key:
        qs = qs.filter(subject_key=f.subject_key)
    return qs.select_related("handling_org", "clue")


def hit_get(*, user: Any, pk: int) -> Hit:
    qs = hit_list(user=user).select_related("run", "run__org", "run__created_by")
    return get_or_404(qs, pk=pk)


def hit_timeline(*, hit: Hit) -> QuerySet[HitEvent]:
    """The verification of the hit's identity: its own events and those of the same
    hit in the earlier runs it was linked to."""
    earlier = HitEvent.objects.filter(
        hit__identity_key=hit.identity_key, hit__run__org_id=hit.run.org_id, hit_id__lt=hit.pk
    )
    events = hit.events.all() | earlier if hit.identity_key else hit.events.all()
    return events.select_related("actor", "from_org", "to_org").order_by("at", "pk")


def hit_successor(*, user: Any, hit: Hit) -> Hit | None:
    """The latest finding of a superseded hit, when the user can see it."""
    if hit.is_current:
        return None
    return (
        hit_list(user=user)
        .filter(identity_key=hit.identity_key, run__org_id=hit.run.org_id, is_current=True)
        .first()
    )


def hit_group(*, user: Any, hit: Hit) -> QuerySet[Hit]:
    """The current hits of the same person (or account) under the same rule that the
    user can see: shown, assigned and excluded together."""
    return (
        hit_list(user=user, filters=HitFilters(current_only=True))
        .filter(rule_code=hit.rule_code, subject_key=hit.subject_key)
        .order_by("period", "pk")
    )


@dataclass
class HitGroup:
    """One person (or account) under one rule: how many current hits, which periods,
    the money, and how far their verification has come."""

    rule_code: str
    subject_key: str
    first: Hit
    count: int
    amount: Decimal | None
    periods: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    handling_orgs: list[str] = field(default_factory=list)

    @property
    def rule_name(self) -> str:
        spec = RULE_SPECS.get(self.rule_code)
        return spec.name if spec else self.rule_code

    @property
    def status_text(self) -> str:
        return "，".join(
            f"{HitStatus(s).label}{n}件" for s, n in sorted(self.statuses.items()) if n
        )


def hit_group_rows(*, qs: QuerySet[Hit]) -> QuerySet[Any]:
    """``qs`` grouped by rule and subject: one row per group with its count, money and
    first hit (the group's page), for paging and sorting."""
    return (
        qs.order_by()
        .values("rule_code", "subject_key")
        .annotate(n=Count("id"), money=Sum("amount"), first=Min("id"), last_period=Max("period"))
    )


def hit_groups_expand(*, qs: QuerySet[Hit], rows: list[dict[str, Any]]) -> list[HitGroup]:
    """The page's group rows with their first hit, periods and statuses (two queries)."""
    if not rows:
        return []
    firsts = Hit.objects.select_related("handling_org").in_bulk([r["first"] for r in rows])
    pairs = Q()
    for r in rows:
        pairs |= Q(rule_code=r["rule_code"], subject_key=r["subject_key"])
    periods: dict[tuple[str, str], list[str]] = defaultdict(list)
    statuses: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    orgs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rule, key, period, status, org in (
        qs.filter(pairs)
        .order_by("period")
        .values_list("rule_code", "subject_key", "period", "status", "handling_org__name")
    ):
        if period and period not in periods[(rule, key)]:
            periods[(rule, key)].append(period)
        if org and org not in orgs[(rule, key)]:
            orgs[(rule, key)].append(org)
        statuses[(rule, key)][status] += 1
    return [
        HitGroup(
            rule_code=r["rule_code"],
            subject_key=r["subject_key"],
            first=firsts[r["first"]],
            count=r["n"],
            amount=r["money"],
            periods=periods[(r["rule_code"], r["subject_key"])],
            statuses=dict(statuses[(r["rule_code"], r["subject_key"])]),
            handling_orgs=orgs[(r["rule_code"], r["subject_key"])],
        )
        for r in rows
    ]


def hit_next_actions(*, user: Any, hit: Hit) -> list[str]:
    """The verification moves the user may make on this hit now (none on a hit that a
    later run found again: its verification continues there)."""
    if not user.has_perm("datacheck.verify_hit") or not hit.is_current:
        return []
    actions = allowed_hit_actions(hit.status)
    if not user.has_perm("clues.add_clue"):
        actions = [a for a in actions if a != "convert"]
    return actions


@dataclass
class RuleResult:
    """One rule of a run as the user sees it: hits, money involved, decisions."""

    code: str
    name: str
    hits: int = 0
    amount: Decimal = Decimal("0.00")
    confirmed: int = 0
    excluded: int = 0
    pending: int = 0
    seconds: float | None = None
    total_hits: int | None = None

    @property
    def precision(self) -> float | None:
        decided = self.confirmed + self.excluded
        return round(self.confirmed / decided, 4) if decided else None


def run_rule_results(*, user: Any, run: Run) -> list[RuleResult]:
    """Per rule of the run: the visible hits, their money, and the verification so far
    (one query). ``total_hits`` and ``seconds`` are the engine's, for every region."""
    results = {
        code: RuleResult(
            code=code,
            name=RULE_SPECS[code].name if code in RULE_SPECS else code,
            seconds=(run.summary.get("rules", {}).get(code) or {}).get("seconds"),
            total_hits=(run.summary.get("rules", {}).get(code) or {}).get("hits"),
        )
        for code in run.rules
    }
    rows = (
        hit_list(user=user, filters=HitFilters(run_id=run.pk))
        .order_by()
        .values("rule_code", "status")
        .annotate(n=Count("id"), money=Sum("amount"))
    )
    for row in rows:
        result = results.setdefault(
            row["rule_code"], RuleResult(row["rule_code"], row["rule_code"])
        )
        result.hits += row["n"]
        result.amount += row["money"] or Decimal("0")
        if row["status"] in CONFIRMED_STATUSES:
            result.confirmed += row["n"]
        elif row["status"] in EXCLUDED_STATUSES:
            result.excluded += row["n"]
        else:
            result.pending += row["n"]
    return list(results.values())


def run_presence(*, user: Any, run: Run) -> dict[str, int]:
    """The run's visible hits compared with the earlier runs: 新发现, 仍存在, and the
    earlier hits it no longer found (已消失)."""
    visible = hit_list(user=user)
    counts = dict(
        visible.filter(run_id=run.pk)
        .order_by()
        .values_list("presence")
        .annotate(n=Count("id"))
        .values_list("presence", "n")
    )
    return {
        "new": counts.get(HitPresence.NEW, 0),
        "still": counts.get(HitPresence.STILL, 0),
        "gone": visible.filter(gone_in_run_id=run.pk).count(),
    }


@dataclass
class PrecisionTable:
    """Per rule and run: confirmed / (confirmed + excluded), oldest run first."""

    runs: list[Run]
    rules: list[str]
    cells: dict[str, dict[int, RuleResult]]

    def chart(self) -> dict[str, Any]:
        """The line chart's spec for ``JianduCharts.line`` (precision in %)."""
        series = []
        for code in self.rules:
            values = []
            for run in self.runs:
                cell = self.cells.get(code, {}).get(run.pk)
                precision = cell.precision if cell else None
                values.append(None if precision is None else round(precision * 100, 1))
            if any(v is not None for v in values):
                series.append({"name": f"{code} {RULE_SPECS[code].name}", "data": values})
        return {
            "categories": [
                f"#{r.pk} {timezone.localtime(r.created_at):%Y-%m-%d}" for r in self.runs
            ],
            "series": series,
            "unit": "%",
            "option": {"yAxis": [{"type": "value", "name": "%", "min": 0, "max": 100}]},
        }


def precision_table(*, user: Any, limit: int = 12) -> PrecisionTable:
    """The precision of each rule over the user's latest ``limit`` finished runs
    (two queries)."""
    runs = list(run_list(user=user).filter(finished_at__isnull=False)[:limit])
    runs.reverse()
    cells: dict[str, dict[int, RuleResult]] = defaultdict(dict)
    rows = (
        hit_list(user=user)
        .filter(run_id__in=[r.pk for r in runs])
        .order_by()
        .values("run_id", "rule_code", "status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        code = row["rule_code"]
        cell = cells[code].setdefault(
            row["run_id"], RuleResult(code, RULE_SPECS[code].name if code in RULE_SPECS else code)
        )
        cell.hits += row["n"]
        if row["status"] in CONFIRMED_STATUSES:
            cell.confirmed += row["n"]
        elif row["status"] in EXCLUDED_STATUSES:
            cell.excluded += row["n"]
        else:
            cell.pending += row["n"]
    rules = [code for code in RULE_SPECS if code in cells]
    return PrecisionTable(runs=runs, rules=rules, cells=dict(cells))


# --- source rows and identity suggestions ----------------------------------------


def _run_file(run: Run, dataset: str) -> Path | None:
    path = files.run_root(run.pk) / "input" / f"{dataset}.parquet"
    if path.exists():
        return path
    version = run.dataset_versions.filter(dataset=dataset).first()
    if version is not None and files.absolute(version.file_path).exists():
        return files.absolute(version.file_path)
    return None


def _related_ids(hit: Hit) -> set[str]:
    ids: set[str] = set()
    if hit.rule_code not in ACCOUNT_RULES:
        ids.add(hit.subject)
    evidence = hit.evidence or {}
    for key in ("cadre_id_no", "holder_id_no"):
        if isinstance(evidence.get(key), str):
            ids.add(evidence[key])
    if isinstance(evidence.get("id_nos"), list):
        ids.update(str(i) for i in evidence["id_nos"])
    return ids


@dataclass
class SourceTable:
    """Rows of one dataset behind a hit, as stored in the version the run read."""

    dataset: str
    label: str
    headers: list[str]
    rows: list[list[str]]
    truncated: bool = False


def hit_source_rows(*, hit: Hit, full: bool) -> list[SourceTable]:
    """The source records a hit rests on, from the files the run read: the payments it
    names (or all payments of the person / into the account), and the person's rows in
    the other datasets of the rule. ID and account numbers masked unless ``full``."""
    import pyarrow.dataset as ds

    rule = RULE_SPECS.get(hit.rule_code)
    if rule is None:
        return []
    evidence = hit.evidence or {}
    payment_ids = [evidence["payment_id"]] if isinstance(evidence.get("payment_id"), str) else []
    if isinstance(evidence.get("payment_ids"), list):
        payment_ids += [str(p) for p in evidence["payment_ids"]]
    ids = sorted(_related_ids(hit))
    tables = []
    for name in rule.datasets:
        path = _run_file(hit.run, name)
        if path is None:
            continue
        spec = DATASETS[name]
        dataset = ds.dataset(path, format="parquet")
        if name == "payments" and payment_ids:
            condition = ds.field("payment_id").isin(payment_ids)
        elif name == "payments" and hit.rule_code in ACCOUNT_RULES:
            condition = ds.field("account_no") == hit.subject
        elif name == "relations":
            condition = ds.field("id_no").isin(ids) | ds.field("relative_id_no").isin(ids)
        else:
            condition = ds.field(spec.id_column or "id_no").isin(ids)
        if name == "beneficiaries" and hit.program and hit.rule_code not in ACCOUNT_RULES:
            condition = condition & (ds.field("program") == hit.program)
        names = [c.name for c in spec.columns]
        extra = ["source_row"] if "source_row" in dataset.schema.names else []
        found = dataset.head(SOURCE_ROWS_LIMIT + 1, columns=names + extra, filter=condition)
        records = found.to_pylist()
        if not records:
            continue
        kinds = {c.name: c.kind for c in spec.columns}
        rows = []
        for record in records[:SOURCE_ROWS_LIMIT]:
            row = [str(record["source_row"]) if extra else ""]
            for column in names:
                value = record.get(column)
                text = "" if value is None else str(value)
                if not full and text and (kinds[column] == "id" or column == "account_no"):
                    text = mask(text)
                row.append(text)
            rows.append(row)
        headers = ["原文件行号", *[c.label for c in spec.columns]]
        tables.append(
            SourceTable(
                dataset=name,
                label=spec.label,
                headers=headers,
                rows=rows,
                truncated=len(records) > SOURCE_ROWS_LIMIT,
            )
        )
    return tables


def identity_applicable(hit: Hit) -> bool:
    """Identity suggestions are for hits whose ID number is missing, fails the check, or
    is unknown to the population register (R06)."""
    if hit.rule_code in ACCOUNT_RULES:
        return False
    return hit.rule_code == "R06" or not hit.subject or not is_valid(hit.subject)


@dataclass
class IdentitySuggestions:
    """Who the hit's person probably is: candidates (best first) or why there are none."""

    candidates: list[Any]
    message: str = ""


def hit_identity_suggestions(*, hit: Hit) -> IdentitySuggestions:
    """Candidates from the population register the run read, scored by the engine's
    ``suggest_identities`` on name (characters and pinyin), region, birth date and the
    broken number. A suggestion only."""
    import pyarrow.dataset as ds

    from jiandu.datacheck.engine.identity import Record, suggest_identities

    path = _run_file(hit.run, "persons")
    if path is None:
        return IdentitySuggestions([], "本次比对未读取户籍人口数据，无法提供身份建议")
    evidence = hit.evidence or {}
    name = str(evidence.get("name") or hit.subject_name or "")
    if not name:
        return IdentitySuggestions([], "疑点中没有姓名，无法提供身份建议")
    region = str(evidence.get("region_code") or hit.region_code or "")
    # The engine compares within the township (9 digits): nobody outside it can be a
    # candidate, so only that part of the register is read.
    block = region[:9] if region else normalize(hit.subject)[:6]
    dataset = ds.dataset(path, format="parquet")
    columns = [c for c in ("id_no", "name", "region_code", "birth_date", "name_pinyin")
               if c in dataset.schema.names]  # fmt: skip
    condition = (ds.field("region_code") >= block) & (ds.field("region_code") < block + ":")
    persons = dataset.to_table(columns=columns, filter=condition)
    if persons.num_rows == 0:
        return IdentitySuggestions([], f"户籍人口中没有地区 {block} 的人员")
    record = Record(name=name, region_code=region or None, id_no=hit.subject or None, key=hit.pk)
    suggestion = suggest_identities(records=[record], persons=persons)[0]
    if not suggestion.candidates:
        return IdentitySuggestions([], "户籍人口中没有足够相似的人员")
    return IdentitySuggestions(suggestion.candidates)


def status_counts(*, user: Any, run: Run | None = None) -> dict[str, int]:
    qs = hit_list(user=user, filters=HitFilters(run_id=run.pk if run else None))
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status in HitStatus.values}
