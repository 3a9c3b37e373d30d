"""Reads of the 巡察 rounds, scoped: the commission that runs a round and every target
(a county sees its own rounds) see it; outside the jurisdiction a round is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Count, Q, QuerySet

from jiandu.core.access import get_or_404
from jiandu.inspections.models import InspectionRound, TeamDraw
from jiandu.oversight.selectors import acting_org_ids


def _member_round_ids(user: Any) -> QuerySet[Any]:
    """Rounds whose adopted team has the user's own person on it (accounts.User.person)."""
    from jiandu.inspections.models import TeamAssignment

    return TeamAssignment.objects.filter(draw__adopted=True, person_id=user.person_id).values(
        "draw__round_id"
    )


def round_list(*, user: Any) -> QuerySet[InspectionRound]:
    """The rounds in the user's jurisdiction, and those the user sits on as a team member
    (even outside it: the round, not the targets' other records)."""
    rounds = InspectionRound.objects.restrict(user)
    if getattr(user, "person_id", None):
        rounds = InspectionRound.objects.filter(
            Q(pk__in=rounds.values("pk")) | Q(pk__in=_member_round_ids(user))
        )
    return rounds.select_related("owner_org").annotate(
        problem_count=Count("problems", distinct=True),
        clue_count=Count("clues", distinct=True),
    )


def round_get(*, user: Any, pk: int) -> InspectionRound:
    return get_or_404(round_list(user=user), pk=pk)


def may_manage(user: Any, item: InspectionRound) -> bool:
    """The round's commission (its offices) with the right to run rounds."""
    return item.owner_org_id in acting_org_ids(user) and user.has_perm(
        "inspections.change_inspectionround"
    )


def may_file_reports(user: Any, item: InspectionRound) -> bool:
    """Who files the round's reports and their files: the round's 巡察办 (the commission
    that runs it, with the right to file reports) and the members of its adopted team."""
    if may_manage(user, item) and user.has_perm("inspections.add_roundreport"):
        return True
    person_id = getattr(user, "person_id", None)
    return bool(person_id) and _member_round_ids(user).filter(draw__round_id=item.pk).exists()


def adopted_draw(item: InspectionRound) -> TeamDraw | None:
    return item.draws.filter(adopted=True).first()


def teams(item: InspectionRound) -> list[dict[str, Any]]:
    """The adopted draw's teams: per target, the leader first, names as people read them."""
    draw = adopted_draw(item)
    if draw is None:
        return []
    rows: dict[int, dict[str, Any]] = {}
    for a in draw.assignments.select_related("person", "target__org").order_by(
        "target__org__path", "role", "person__name"
    ):
        row = rows.setdefault(
            a.target_id, {"target": {"id": a.target.org_id, "name": a.target.org.name},
                          "members": []}
        )  # fmt: skip
        row["members"].append({"name": a.person.name, "role": a.get_role_display()})
    return list(rows.values())


def round_figures(item: InspectionRound) -> dict[str, Any]:
    """The round's figures, each with the records it counts (drill-down on the page):
    problems found, rectifications closed (完成率), clues transferred, clues that became
    立案审查 (成案率 = 立案审查 / 移交), funds recovered on those clues."""
    from decimal import Decimal

    from django.db.models import Sum

    from jiandu.clues.choices import DisposalMethod
    from jiandu.clues.models import Outcome
    from jiandu.oversight.choices import RectificationStatus

    links = item.problems.select_related("problem__rectification")
    problems = len(links)
    closed = sum(
        1
        for link in links
        if getattr(link.problem, "rectification", None) is not None
        and link.problem.rectification.status == RectificationStatus.CLOSED
    )
    clue_ids = list(item.clues.values_list("clue_id", flat=True))
    filed = item.clues.filter(clue__disposal_method=DisposalMethod.CASE_FILED).count()
    funds = Outcome.objects.filter(clue_id__in=clue_ids).aggregate(s=Sum("funds_recovered"))["s"]
    return {
        "problems": problems,
        "closed": closed,
        "completion": round(100 * closed / problems, 1) if problems else None,
        "clues": len(clue_ids),
        "case_filed": filed,
        "case_rate": round(100 * filed / len(clue_ids), 1) if clue_ids else None,
        "funds_recovered": funds or Decimal("0"),
    }


# --- 单元制, 双报告, 三本账 (pages and API) ----------------------------------------------


def unit_list(*, user: Any) -> QuerySet[Any]:
    """The supervision units of the user's commission, and those the user's unit sits in
    (a 派驻组, a 镇纪委, a department)."""
    from jiandu.inspections.models import SupervisionUnit

    return SupervisionUnit.objects.restrict(user).select_related("owner_org")


def unit_get(*, user: Any, pk: int) -> Any:
    return get_or_404(unit_list(user=user), pk=pk)


def may_plan_unit(user: Any, unit: Any) -> bool:
    """The commission that set the unit up plans its coverage."""
    return unit.owner_org_id in acting_org_ids(user) and user.has_perm(
        "inspections.change_supervisionunit"
    )


def may_run_checks(user: Any, unit: Any) -> bool:
    """The commission, the unit's 派驻组 and its 镇（园区）纪（工）委 run its checks."""
    if not user.has_perm("inspections.change_specialcheck"):
        return False
    orgs = acting_org_ids(user)
    return (
        unit.owner_org_id in orgs
        or unit.members.filter(org_id__in=orgs, role__in=("stationed", "township")).exists()
    )


def check_get(*, user: Any, pk: int) -> Any:
    from jiandu.inspections.models import SpecialCheck

    visible = unit_list(user=user).values("pk")
    return get_or_404(
        SpecialCheck.objects.filter(unit__in=visible).select_related("unit", "unit__owner_org"),
        pk=pk,
    )


def report_get(*, user: Any, pk: int) -> Any:
    """A round's report, for those who see the round."""
    from jiandu.inspections.models import RoundReport

    visible = round_list(user=user).values("pk")
    return get_or_404(
        RoundReport.objects.filter(round__in=visible).select_related("round", "target__org"),
        pk=pk,
    )


def ledger_rows(*, user: Any) -> QuerySet[Any]:
    """三本账 rows in the jurisdiction (a county: its own)."""
    from jiandu.inspections.models import LedgerRow

    return LedgerRow.objects.restrict(user)


def ledger_row_get(*, user: Any, pk: int) -> Any:
    return get_or_404(
        ledger_rows(user=user).select_related("county", "round", "clue", "problem"), pk=pk
    )


def ledger_counties(*, user: Any) -> QuerySet[Any]:
    """The counties whose 三本账 the user keeps or oversees (the jurisdiction's counties)."""
    from jiandu.core.access import jurisdiction_org_ids
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.models import Org

    return Org.objects.filter(pk__in=jurisdiction_org_ids(user), kind=OrgKind.COUNTY).order_by(
        "path"
    )


# Per process: (org id, access stamp) -> the (id, name) of the jurisdiction's counties.
_county_choices: dict[tuple[int, str], tuple[tuple[int, str], ...]] = {}


def ledger_county_choices(*, user: Any) -> tuple[tuple[int, str], ...]:
    """(id, name) of :func:`ledger_counties`, newest stamp only: kept per process under
    the access stamp, which every change to an org (name, kind, place in the tree) and
    to supervision renews (core.signals), so the list page reads no org row."""
    from jiandu.core.access import access_stamp, remember

    org_id = getattr(user, "org_id", None)
    stamp = access_stamp(user) if org_id else None
    found = _county_choices.get((org_id, stamp)) if org_id and stamp else None
    if found is None:
        found = tuple(ledger_counties(user=user).values_list("pk", "name"))
        if org_id and stamp:
            remember(_county_choices, (org_id, stamp), found)
    return found


# --- 回避: avoid pairs of the talent pool ----------------------------------------

RELATIVE_DATASETS = ("persons", "relations", "cadres")


def relative_dataset_versions(owner_org: Any) -> dict[str, list[Any]]:
    """The commission's 户籍人口, 亲属关系 and 干部名册 versions in force (those of its own
    store; another commission's imports are not read), newest first: per dataset the
    newest version, and each older one about a region that no newer version kept here
    contains. A version is the register of its ``region_code``: a county's register
    imported later (for a comparison run) is the truth for that county and leaves the
    city's earlier register in force for the rest of the city; a newer register of the
    city retires every earlier one of the city and its counties."""
    from jiandu.datacheck.models import DatasetVersion
    from jiandu.datacheck.scope import region_prefix

    found: dict[str, list[Any]] = {}
    for name in RELATIVE_DATASETS:
        kept: list[Any] = []
        prefixes: list[str] = []
        for version in (
            DatasetVersion.objects.filter(org=owner_org, dataset=name)
            .only("pk", "dataset", "region_code", "file_path", "created_at")
            .order_by("-created_at", "-pk")
        ):
            prefix = region_prefix(version.region_code)
            if any(prefix.startswith(p) for p in prefixes):
                continue  # a newer register of this region (or a wider one) is in force
            kept.append(version)
            prefixes.append(prefix)
        if kept:
            found[name] = kept
    return found


def registry_avoid_pairs(
    *, owner_org: Any, person_ids: list[int], covers: set[int], as_of: Any
) -> tuple[list[Any], dict[str, Any]]:
    """Every (pool member, unit) pair the draw must avoid, with its source:

    * 申报: the registry's declared conflicts (申报回避) of the pool;
    * 比对数据 亲属关系 / 同户: a relative found in the commission's 亲属关系 or 户籍人口
      data in force (``relative_dataset_versions``: the newest register of each region;
      :mod:`jiandu.inspections.relatives`) holding a current post in one of
      ``covers`` (the units of the draw's targets) — the post from the 干部名册 data (the
      unit named exactly as an org of ``covers``) or from the registry's own 任职 of the
      person with that ID number.

    People are matched by ID number without any number leaving this function: the
    numbers of the pool and of the registry's post holders in ``covers`` become the
    engine's integer keys (those the datasets carry). Returns (conflicts, facts for the
    draw's audit row)."""
    from jiandu.datacheck import files
    from jiandu.inspections.choices import ConflictReason
    from jiandu.inspections.draw import SOURCE_DECLARED, Conflict
    from jiandu.inspections.models import DeclaredConflict
    from jiandu.inspections.relatives import avoid_pairs, pool_keys, relatives_with_posts
    from jiandu.orgs.models import Org
    from jiandu.people.models import Person, Post

    pairs: dict[tuple[str, str, str], Conflict] = {}

    def add(person: str, org: str, source: str, note: str) -> None:
        pairs.setdefault((person, org, source), Conflict(person, org, source, note))

    for p, o, reason, note in (
        DeclaredConflict.objects.filter(person_id__in=person_ids)
        .order_by("pk")
        .values_list("person_id", "org_id", "reason", "note")
    ):
        add(str(p), str(o), SOURCE_DECLARED, note or str(ConflictReason(reason).label))
    facts: dict[str, Any] = {"declared": len(pairs), "datasets": {}}
    paths: dict[str, list[Path]] = {}
    for name, kept in relative_dataset_versions(owner_org).items():
        stored = [(v.pk, files.absolute(v.file_path)) for v in kept]
        stored = [(pk, path) for pk, path in stored if path.exists()]
        if stored:
            paths[name] = [path for _pk, path in stored]
            facts["datasets"][name] = [pk for pk, _path in stored]
    if not person_ids or not ({"persons", "relations"} & set(paths)):
        return list(pairs.values()), facts
    numbers = Person.objects.filter(pk__in=person_ids).exclude(id_search_key="")
    keys = pool_keys((str(p.pk), p.id_number) for p in numbers.only("pk", "id_number"))
    relatives = relatives_with_posts(
        keys,
        persons=paths.get("persons"),
        relations=paths.get("relations"),
        cadres=paths.get("cadres"),
        as_of=as_of,
    )
    orgs_by_name: dict[str, list[tuple[str, str]]] = {}
    for org_id, name in Org.objects.filter(pk__in=covers).values_list("pk", "name"):
        orgs_by_name.setdefault(name, []).append((str(org_id), name))
    # The registry's current posts in the targets' units, matched to the relatives by
    # the engine's key of the holder's ID number.
    holders: dict[int, list[tuple[str, str]]] = {}
    for person_id, org_id, org_name in (
        Post.objects.filter(end_date__isnull=True, org_id__in=covers)
        .exclude(person__id_search_key="")
        .order_by("person_id", "org_id")
        .values_list("person_id", "org_id", "org__name")
    ):
        holders.setdefault(person_id, []).append((str(org_id), org_name))
    wanted = {r.relative_key for r in relatives}
    registry_posts: dict[int, list[tuple[str, str]]] = {}
    registry_names: dict[int, str] = {}
    if wanted and holders:
        people = Person.objects.filter(pk__in=list(holders)).only("pk", "name", "id_number")
        by_pk = {p.pk: p for p in people}
        for key, pid in pool_keys((str(p.pk), p.id_number) for p in by_pk.values()).items():
            if key in wanted:
                registry_posts[key] = holders[int(pid)]
                registry_names[key] = by_pk[int(pid)].name
    before = len(pairs)
    for c in avoid_pairs(
        relatives,
        orgs_by_name=orgs_by_name,
        registry_posts=registry_posts,
        registry_names=registry_names,
    ):
        pairs.setdefault((c.person_id, c.org_id, c.source), c)
    facts["relatives"] = len(relatives)
    facts["derived"] = len(pairs) - before
    ordered = sorted(pairs.values(), key=lambda c: (c.person_id, c.org_id, c.source))
    return ordered, facts


def draw_avoid_rows(draw: TeamDraw) -> list[dict[str, str]]:
    """A stored draw's avoid pairs in words: the person's and the unit's names, where the
    pair came from (申报 / 比对数据 亲属关系 / 同户) and why — never codes or ID numbers."""
    from jiandu.orgs.models import Org

    pairs = draw.inputs.get("avoid", [])
    people = {p["person_id"]: p["name"] for p in draw.inputs.get("pool", [])}
    org_ids = {int(p["org_id"]) for p in pairs if str(p["org_id"]).isdigit()}
    orgs = {str(k): v for k, v in Org.objects.filter(pk__in=org_ids).values_list("pk", "name")}
    return [
        {
            "person": people.get(p["person_id"], "（已不在人才库）"),
            "org": orgs.get(str(p["org_id"]), "（单位已撤销）"),
            "source": p.get("source") or "申报",
            "note": p.get("note", ""),
        }
        for p in pairs
    ]


# --- 三本账 list (page and API): one query for the rows, no COUNT over the table -------

LEDGER_COUNT_UPTO = 500  # the list counts its rows up to here; above it: "500条以上"
_LEDGER_FIELDS = ("id", "county_id", "county__name", "kind", "title", "status", "progress",
                  "round_id", "clue_id", "problem_id")  # fmt: skip


@dataclass
class LedgerPage:
    """One page of 三本账 rows, newest first: the rows as dicts (what the API returns),
    cursors to the neighbours, and the number of rows counted up to ``LEDGER_COUNT_UPTO``
    (``total_exact`` False: there are more than ``total``)."""

    items: list[dict[str, Any]]
    next_cursor: str | None
    prev_cursor: str | None
    total: int
    total_exact: bool


def _ledger_scope(user: Any, county: int | None) -> QuerySet[Any]:
    """The rows the user sees, cheaply: a county asked for is checked against the
    jurisdiction in Python and then filtered by equality (one index range, not an IN list
    of every org of the jurisdiction)."""
    from jiandu.core.access import jurisdiction_org_ids
    from jiandu.inspections.models import LedgerRow

    if county is not None:
        if county not in jurisdiction_org_ids(user):
            return LedgerRow.objects.none()
        return LedgerRow.objects.filter(county_id=county)
    return LedgerRow.objects.restrict(user)


def _cursor_id(cursor: str | None) -> int | None:
    from jiandu.core.pagination import decode_cursor

    values = decode_cursor(cursor) if cursor else None
    if values and isinstance(values[0], int) and not isinstance(values[0], bool):
        return values[0]
    return None


def ledger_page(
    *,
    user: Any,
    county: int | None = None,
    kind: str | None = None,
    status: str | None = None,
    reported: Any = None,
    after: str | None = None,
    before: str | None = None,
    limit: int = 50,
    count: bool = True,
) -> LedgerPage:
    """三本账 rows in the jurisdiction, filtered, newest first, keyset-paged on the id
    (``after``: the rows after the previous page's last; ``before``: the page before a
    page's first): page 5,000 reads what page 1 reads. Served by the indexes (county,
    kind, status, id), (county, kind, id) and (county, status, id); one query with the
    county's name joined, rows as dicts (no model instances). ``count``: count the rows
    up to ``LEDGER_COUNT_UPTO`` (at most that many index entries), never the whole set."""
    from jiandu.core.pagination import encode_cursor
    from jiandu.core.schemas import choice_label
    from jiandu.inspections.choices import LedgerKind, LedgerStatus
    from jiandu.inspections.models import LedgerReport

    qs = _ledger_scope(user, county)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if reported is not None:
        qs = qs.filter(pk__in=LedgerReport.objects.filter(month=reported).values("row_id"))
    after_id, before_id = _cursor_id(after), _cursor_id(before)
    rows_qs = qs.values(*_LEDGER_FIELDS)
    if after_id is None and before_id is not None:
        rows = list(rows_qs.filter(pk__gt=before_id).order_by("pk")[: limit + 1])
        has_prev = len(rows) > limit
        rows = rows[:limit][::-1]
        has_next = True
    else:
        if after_id is not None:
            rows_qs = rows_qs.filter(pk__lt=after_id)
        rows = list(rows_qs.order_by("-pk")[: limit + 1])
        has_next = len(rows) > limit
        rows = rows[:limit]
        has_prev = after_id is not None
    items = [
        {"id": r["id"], "county": {"id": r["county_id"], "name": r["county__name"]},
         "kind": r["kind"], "kind_label": choice_label(LedgerKind, r["kind"]),
         "title": r["title"], "status": r["status"],
         "status_label": choice_label(LedgerStatus, r["status"]), "progress": r["progress"],
         "round_id": r["round_id"], "clue_id": r["clue_id"], "problem_id": r["problem_id"]}
        for r in rows
    ]  # fmt: skip
    if not count:
        total, exact = len(items), not has_next and not has_prev
    elif not has_next and not has_prev:
        total, exact = len(items), True  # the whole list is on this page
    else:
        total = qs.order_by().values("pk")[: LEDGER_COUNT_UPTO + 1].count()
        exact = total <= LEDGER_COUNT_UPTO
        total = min(total, LEDGER_COUNT_UPTO)
    return LedgerPage(
        items=items,
        next_cursor=encode_cursor([items[-1]["id"]]) if has_next and items else None,
        prev_cursor=encode_cursor([items[0]["id"]]) if has_prev and items else None,
        total=total,
        total_exact=exact,
    )
