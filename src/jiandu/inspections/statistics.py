"""Statistics across 巡察 rounds and per 单元制 unit, each figure with the records it counts.

Rounds (grouped by round, form, level or target kind — 单位 / 村（社区）):

* 发现问题: the findings (:class:`RoundProblem`) of the rounds;
* 已销号 and 整改完成率 = 已销号 / 发现问题 (the rectification's status 已销号);
* 移交问题线索: the clues transferred (:class:`RoundClue`);
* 立案审查 and 成案率 = 立案审查 / 移交 (the clue's disposal is 立案审查);
* 追缴挽回资金: the sum of 收回资金 on the outcomes of those clues.

Scope: the rounds the user may see (the organising commission and the inspected units'
jurisdiction), and of those only the records about targets in the user's jurisdiction
unless the user's commission runs the round (a county counts its own units only).

Units (per 监督单元 and year): 专项检查, 发现问题, 责令整改, 责任提醒谈话, 纠错诫勉, and
coverage (covered units checked this year / covered units).

Every figure is computed by one grouped query per kind of record (no query per round or
unit), and :func:`round_records` / :func:`unit_records` give exactly the rows a figure
counts (the drill-down lists them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from jiandu.clues.choices import DisposalMethod
from jiandu.clues.models import Outcome
from jiandu.core.access import WholeTree, jurisdiction_org_ids
from jiandu.inspections.choices import CheckOutcomeKind, RoundForm, RoundLevel
from jiandu.inspections.models import (
    CheckOutcome,
    CheckProblem,
    InspectionRound,
    RoundClue,
    RoundProblem,
    SpecialCheck,
    SupervisionUnit,
)
from jiandu.orgs.choices import OrgKind
from jiandu.oversight.choices import RectificationStatus
from jiandu.oversight.selectors import acting_org_ids

GROUPINGS = {"round": "轮次", "form": "巡察形式", "level": "层级", "kind": "对象类别"}
KIND_LABELS = {"unit": "单位", "village": "村（社区）"}
ROUND_FIGURES = {
    "problems": "发现问题",
    "closed": "已销号",
    "clues": "移交问题线索",
    "case_filed": "立案审查",
    "funds": "追缴挽回资金",
}
UNIT_FIGURES = {
    "checks": "专项检查",
    "problems": "发现问题",
    "orders": "责令整改",
    "talks": "责任提醒谈话",
    "admonitions": "纠错诫勉",
    "covered": "监督单位",
    "checked": "本年已检查",
}
OUTCOME_OF_FIGURE = {
    "orders": CheckOutcomeKind.ORDER,
    "talks": CheckOutcomeKind.TALK,
    "admonitions": CheckOutcomeKind.ADMONISH,
}


class StatisticsError(ValueError):
    """An unknown grouping, figure or key (the page and the API answer 400/404)."""


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _link_scope(user: Any, rounds_path: str) -> Q:
    """Links (findings, clues) of rounds the user sees, about targets in the user's
    jurisdiction or of rounds the user's commission runs."""
    visible = InspectionRound.objects.restrict(user).values("pk")
    scope = Q(**{f"{rounds_path}round__in": visible})
    ids = jurisdiction_org_ids(user)
    if isinstance(ids, WholeTree):
        return scope
    return scope & (
        Q(**{f"{rounds_path}round__owner_org__in": acting_org_ids(user)})
        | Q(**{f"{rounds_path}target__org__in": ids})
    )


def _group_expression(by: str, path: str) -> Any:
    """The value a link is grouped under (``path`` leads from the row to the link)."""
    if by == "round":
        return F(f"{path}round_id")
    if by == "form":
        return F(f"{path}round__form")
    if by == "level":
        return F(f"{path}round__level")
    if by == "kind":
        return Case(
            When(**{f"{path}target__org__kind": OrgKind.VILLAGE}, then=Value("village")),
            default=Value("unit"),
        )
    raise StatisticsError(f"没有这种分组：{by}")


def _problems(user: Any) -> QuerySet[RoundProblem]:
    return RoundProblem.objects.filter(_link_scope(user, ""))


def _clues(user: Any) -> QuerySet[RoundClue]:
    return RoundClue.objects.filter(_link_scope(user, ""))


def _outcomes(user: Any) -> QuerySet[Outcome]:
    return Outcome.objects.filter(
        clue__inspection_link__in=RoundClue.objects.filter(_link_scope(user, "")).values("pk")
    )


def _labels(by: str, keys: list[Any]) -> dict[Any, str]:
    if by == "round":
        return dict(InspectionRound.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "form":
        return {k: str(RoundForm(k).label) for k in keys}
    if by == "level":
        return {k: str(RoundLevel(k).label) for k in keys}
    return {k: KIND_LABELS[k] for k in keys}


@dataclass
class RoundRow:
    key: str
    label: str
    problems: int = 0
    closed: int = 0
    clues: int = 0
    case_filed: int = 0
    funds: Decimal = Decimal("0")

    @property
    def completion(self) -> float | None:
        return _rate(self.closed, self.problems)

    @property
    def case_rate(self) -> float | None:
        return _rate(self.case_filed, self.clues)

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "problems": self.problems,
                "closed": self.closed, "completion": self.completion, "clues": self.clues,
                "case_filed": self.case_filed, "case_rate": self.case_rate,
                "funds_recovered": self.funds}  # fmt: skip


def round_statistics(*, user: Any, by: str = "round") -> list[RoundRow]:
    """The figures grouped ``by`` round, form, level or kind: three grouped queries."""
    if by not in GROUPINGS:
        raise StatisticsError(f"没有这种分组：{by}")
    closed = Q(problem__rectification__status=RectificationStatus.CLOSED)
    problems = (
        _problems(user)
        .annotate(group=_group_expression(by, ""))
        .values("group")
        .annotate(problems=Count("pk"), closed=Count("pk", filter=closed))
    )
    clues = (
        _clues(user)
        .annotate(group=_group_expression(by, ""))
        .values("group")
        .annotate(
            clues=Count("pk"),
            case_filed=Count("pk", filter=Q(clue__disposal_method=DisposalMethod.CASE_FILED)),
        )
    )
    funds = (
        _outcomes(user)
        .annotate(group=_group_expression(by, "clue__inspection_link__"))
        .values("group")
        .annotate(funds=Coalesce(Sum("funds_recovered"), Decimal("0")))
    )
    rows: dict[str, RoundRow] = {}

    def row(key: Any) -> RoundRow:
        return rows.setdefault(str(key), RoundRow(str(key), ""))

    raw_keys: dict[str, Any] = {}
    for item in problems:
        r = row(item["group"])
        r.problems, r.closed = item["problems"], item["closed"]
        raw_keys[str(item["group"])] = item["group"]
    for item in clues:
        r = row(item["group"])
        r.clues, r.case_filed = item["clues"], item["case_filed"]
        raw_keys[str(item["group"])] = item["group"]
    for item in funds:
        row(item["group"]).funds = item["funds"] or Decimal("0")
        raw_keys[str(item["group"])] = item["group"]
    labels = _labels(by, list(raw_keys.values()))
    for key, r in rows.items():
        r.label = str(labels.get(raw_keys[key], key))
    return sorted(rows.values(), key=lambda r: r.label)


def _group_filter(by: str, key: str, path: str) -> Q:
    if by not in GROUPINGS:
        raise StatisticsError(f"没有这种分组：{by}")
    if by == "round":
        try:
            return Q(**{f"{path}round_id": int(key)})
        except ValueError:
            raise StatisticsError("轮次编号应为数字") from None
    if by == "form":
        return Q(**{f"{path}round__form": key})
    if by == "level":
        return Q(**{f"{path}round__level": key})
    if key == "village":
        return Q(**{f"{path}target__org__kind": OrgKind.VILLAGE})
    if key == "unit":
        return ~Q(**{f"{path}target__org__kind": OrgKind.VILLAGE})
    raise StatisticsError(f"没有这种对象类别：{key}")


def round_records(*, user: Any, figure: str, by: str, key: str) -> QuerySet[Any]:
    """Exactly the records a figure of :func:`round_statistics` counts (or sums)."""
    if figure in ("problems", "closed"):
        problems = _problems(user).filter(_group_filter(by, key, ""))
        if figure == "closed":
            problems = problems.filter(problem__rectification__status=RectificationStatus.CLOSED)
        return problems.select_related(
            "round", "target__org", "problem__rectification", "problem__category"
        ).order_by("round_id", "problem_id")
    if figure in ("clues", "case_filed"):
        clues = _clues(user).filter(_group_filter(by, key, ""))
        if figure == "case_filed":
            clues = clues.filter(clue__disposal_method=DisposalMethod.CASE_FILED)
        return clues.select_related("round", "target__org", "clue").order_by("round_id", "clue_id")
    if figure == "funds":
        return (
            _outcomes(user)
            .filter(_group_filter(by, key, "clue__inspection_link__"))
            .select_related("clue", "decided_by")
            .order_by("clue_id", "pk")
        )
    raise StatisticsError(f"没有这项数字：{figure}")


# --- 单元制 -------------------------------------------------------------------------


@dataclass
class UnitRow:
    unit_id: int
    name: str
    checks: int = 0
    problems: int = 0
    orders: int = 0
    talks: int = 0
    admonitions: int = 0
    covered: int = 0
    checked: int = 0

    @property
    def coverage(self) -> float | None:
        return _rate(self.checked, self.covered)

    def as_dict(self) -> dict[str, Any]:
        return {"unit": {"id": self.unit_id, "name": self.name}, "checks": self.checks,
                "problems": self.problems, "orders": self.orders, "talks": self.talks,
                "admonitions": self.admonitions, "covered": self.covered,
                "checked": self.checked, "coverage": self.coverage}  # fmt: skip


def units_visible(user: Any) -> QuerySet[SupervisionUnit]:
    return SupervisionUnit.objects.restrict(user)


def _checked_subquery(year: int) -> Exists:
    """Whether a covered unit (a row of the unit's covered table) was a target of one of
    the unit's checks in ``year``."""
    targets = SpecialCheck.targets.through
    return Exists(
        targets.objects.filter(
            specialcheck__unit=OuterRef("supervisionunit_id"),
            specialcheck__held_on__year=year,
            org=OuterRef("org_id"),
        )
    )


def unit_statistics(*, user: Any, year: int) -> list[UnitRow]:
    """Per unit the user sees, for ``year``: four grouped queries whatever the count."""
    units = units_visible(user)
    rows = {u.pk: UnitRow(u.pk, u.name) for u in units.order_by("name", "pk")}
    checks = SpecialCheck.objects.filter(unit__in=units.values("pk"), held_on__year=year)
    for item in checks.values("unit_id").annotate(n=Count("pk")):
        rows[item["unit_id"]].checks = item["n"]
    for item in (
        CheckProblem.objects.filter(check_item__in=checks.values("pk"))
        .values("check_item__unit_id")
        .annotate(n=Count("pk"))
    ):
        rows[item["check_item__unit_id"]].problems = item["n"]
    for item in (
        CheckOutcome.objects.filter(check_item__in=checks.values("pk"))
        .values("check_item__unit_id", "kind")
        .annotate(n=Count("pk"))
    ):
        field = {v: k for k, v in OUTCOME_OF_FIGURE.items()}[item["kind"]]
        setattr(rows[item["check_item__unit_id"]], field, item["n"])
    covered = SupervisionUnit.covered.through
    for item in (
        covered.objects.filter(supervisionunit__in=units.values("pk"))
        .annotate(was_checked=_checked_subquery(year))
        .values("supervisionunit_id")
        .annotate(covered=Count("pk"), checked=Count("pk", filter=Q(was_checked=True)))
    ):
        row = rows[item["supervisionunit_id"]]
        row.covered, row.checked = item["covered"], item["checked"]
    return list(rows.values())


def unit_records(*, user: Any, unit_id: int, figure: str, year: int) -> QuerySet[Any]:
    """Exactly the records a figure of :func:`unit_statistics` counts (outside the
    user's units: none, the caller answers 404)."""
    units = units_visible(user).filter(pk=unit_id)
    checks = SpecialCheck.objects.filter(unit__in=units.values("pk"), held_on__year=year)
    if figure == "checks":
        return checks.order_by("held_on", "pk")
    if figure == "problems":
        return (
            CheckProblem.objects.filter(check_item__in=checks.values("pk"))
            .select_related("check_item", "problem__org", "problem__rectification")
            .order_by("problem_id")
        )
    if figure in OUTCOME_OF_FIGURE:
        return (
            CheckOutcome.objects.filter(
                check_item__in=checks.values("pk"), kind=OUTCOME_OF_FIGURE[figure]
            )
            .select_related("check_item", "org")
            .order_by("recorded_at", "pk")
        )
    if figure in ("covered", "checked", "unchecked"):
        covered = SupervisionUnit.covered.through
        qs: QuerySet[Any] = (
            covered.objects.filter(supervisionunit__in=units.values("pk"))
            .annotate(was_checked=_checked_subquery(year))
            .select_related("org")
            .order_by("org__path")
        )
        if figure == "checked":
            qs = qs.filter(was_checked=True)
        elif figure == "unchecked":
            qs = qs.filter(was_checked=False)
        return qs
    raise StatisticsError(f"没有这项数字：{figure}")


def group_label(*, user: Any, by: str, key: str) -> str:
    """How a group reads (a round's name only when the user sees the round)."""
    if by == "round":
        found = InspectionRound.objects.restrict(user).filter(pk=int(key)).first()
        if found is None:
            raise StatisticsError("记录不存在")
        return found.name
    tables: dict[str, dict[str, Any]] = {
        "form": dict(RoundForm.choices),
        "level": dict(RoundLevel.choices),
        "kind": KIND_LABELS,
    }
    labels = tables[by]  # fmt: skip
    if key not in labels:
        raise StatisticsError(f"没有这一类：{key}")
    return str(labels[key])
