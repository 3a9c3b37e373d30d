"""Reading the index, scoped: a user sees the units within their jurisdiction (a county
its townships and county units, the city everything); a unit outside it is a 404.

The month's result is its latest snapshot version; earlier versions stay readable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.http import Http404

from jiandu.boards.compute import month_bounds
from jiandu.core.access import jurisdiction_org_ids
from jiandu.ecoindex.choices import LABEL_BY_COLOUR, EcoColour, LeafSource
from jiandu.ecoindex.models import (
    EcoWarning,
    IndexNode,
    IndexScore,
    IndexSnapshot,
    IndexTree,
    month_label,
)
from jiandu.ecoindex.sources import SOURCES
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org

# The GeoJSON files shipped under core static (jiandu/geo/), by city region code prefix.
GEO_FILES = {"5301": "kunming", "3308": "quzhou", "1311": "hengshui", "4308": "zhangjiajie"}
COLOUR_ORDER = [c.value for c in EcoColour]


def visible_ids(user: Any) -> frozenset[int]:
    return jurisdiction_org_ids(user)


def sees_whole_city(user: Any) -> bool:
    """Whether every participating unit is within the user's jurisdiction."""
    tree = IndexTree.objects.order_by("-effective_from").first()
    if tree is None:
        return False
    seen = visible_ids(user)
    ids = Org.objects.filter(kind__in=tree.participant_kinds, archived_at__isnull=True)
    return all(pk in seen for pk in ids.values_list("pk", flat=True))


def can_close(user: Any) -> bool:
    """Closing scores every unit: it needs the permission and the whole city in view."""
    return user.has_perm("ecoindex.close_index") and sees_whole_city(user)


def closed_months() -> list[str]:
    return list(IndexSnapshot.objects.values_list("month", flat=True).distinct().order_by("month"))


def latest_snapshot_ids() -> dict[str, int]:
    """month → id of its latest version."""
    latest = dict(
        IndexSnapshot.objects.values("month").annotate(v=Max("version")).values_list("month", "v")
    )
    out: dict[str, int] = {}
    for pk, month, version in IndexSnapshot.objects.values_list("pk", "month", "version"):
        if latest.get(month) == version:
            out[month] = pk
    return out


def snapshot_for(month: str | None, version: int | None = None) -> IndexSnapshot | None:
    months = closed_months()
    if not months:
        return None
    if month not in months:
        month = months[-1]
    qs = IndexSnapshot.objects.filter(month=month).select_related("tree")
    if version:
        found = qs.filter(version=version).first()
        if found is None:
            raise Http404("记录不存在")
        return found
    return qs.order_by("-version").first()


def area_of(orgs: list[Org]) -> dict[int, Org | None]:
    """unit id → the county (区县纪委监委 with a region code) it lies in, None for a city
    department."""
    counties = {
        o.pk: o
        for o in Org.objects.filter(kind=OrgKind.COUNTY)
        .exclude(region_code="")
        .only("pk", "name", "region_code", "path")
    }
    out: dict[int, Org | None] = {}
    for org in orgs:
        ids = [int(p) for p in org.path.strip("/").split("/") if p]
        out[org.pk] = next((counties[i] for i in reversed(ids) if i in counties), None)
    return out


@dataclass
class Row:
    org: Org
    score: IndexScore
    dimensions: list[float | None]
    change: Decimal | None = None
    previous_rank: int | None = None
    area: Org | None = None

    @property
    def colour_label(self) -> str:
        return LABEL_BY_COLOUR.get(self.score.colour, "—")


@dataclass
class Table:
    snapshot: IndexSnapshot | None
    dimensions: list[IndexNode] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    previous: IndexSnapshot | None = None

    def distribution(self) -> list[dict[str, Any]]:
        counts = {c: 0 for c in COLOUR_ORDER}
        for row in self.rows:
            if row.score.colour:
                counts[row.score.colour] += 1
        return [{"colour": c, "label": LABEL_BY_COLOUR[c], "count": n} for c, n in counts.items()]


def month_table(
    *, user: Any, month: str | None, version: int | None = None, light: bool = False
) -> Table:
    """The ranked table of a month, for the user's units, with the 7 dimension scores and
    the change from the month before; ``light`` (the map) reads only index, colour and
    rank."""
    snapshot = snapshot_for(month, version)
    if snapshot is None:
        return Table(snapshot=None)
    seen = visible_ids(user)
    dims = [] if light else list(snapshot.tree.nodes.filter(level=1).order_by("position"))
    # The jurisdiction is applied in Python: a city's few thousand ids as an SQL ``IN``
    # list cost more to compile than the rows of the whole snapshot cost to read.
    if light:
        scores = _light_scores(snapshot, seen)
    else:
        qs = IndexScore.objects.filter(snapshot=snapshot).select_related("org")
        scores = [s for s in qs.order_by("rank", "org__path") if s.org_id in seen]
    scores.sort(key=lambda s: (s.rank is None, s.rank or 0, s.org.path))
    before_month = _shift(snapshot.month, -1)
    previous = None if light else snapshot_for_exact(before_month)
    before: dict[int, tuple[Decimal | None, int | None]] = {}
    if previous is not None:
        before = {
            org_id: (index, rank)
            for org_id, index, rank in IndexScore.objects.filter(snapshot=previous).values_list(
                "org_id", "index", "rank"
            )
            if org_id in seen
        }
    areas = area_of([s.org for s in scores])
    rows = []
    for s in scores:
        old = before.get(s.org_id)
        change = s.index - old[0] if old and old[0] is not None and s.index is not None else None
        rows.append(
            Row(
                org=s.org,
                score=s,
                dimensions=[s.nodes.get(d.key) for d in dims],
                change=change,
                previous_rank=old[1] if old else None,
                area=areas.get(s.org_id),
            )
        )
    return Table(snapshot=snapshot, dimensions=dims, rows=rows, previous=previous)


@dataclass
class LightOrg:
    pk: int
    name: str
    path: str


@dataclass
class LightScore:
    """What the map reads of a unit's score (no node scores or values)."""

    pk: int
    org_id: int
    index: Decimal | None
    colour: str
    rank: int | None
    regreened: bool
    org: LightOrg


def _light_scores(snapshot: IndexSnapshot, seen: frozenset[int]) -> list[Any]:
    """Index, colour and rank of each seen unit with the unit's id, name and path, read
    as plain rows (building model instances costs more than the query for 2,000 units)."""
    rows = IndexScore.objects.filter(snapshot=snapshot).values_list(
        "pk", "org_id", "index", "colour", "rank", "regreened", "org__name", "org__path"
    )
    return [
        LightScore(pk, org_id, index, colour, rank, regreened, LightOrg(org_id, name, path))
        for pk, org_id, index, colour, rank, regreened, name, path in rows
        if org_id in seen
    ]


def snapshot_for_exact(month: str) -> IndexSnapshot | None:
    return IndexSnapshot.objects.filter(month=month).order_by("-version").first()


def _shift(month: str, delta: int) -> str:
    from jiandu.ecoindex.calc import month_shift

    return month_shift(month, delta)


def worst_colour(colours: list[str]) -> str:
    present = [c for c in colours if c]
    return max(present, key=COLOUR_ORDER.index) if present else ""


def map_data(table: Table) -> dict[str, Any]:
    """The map spec (areas coloured by the colour of their units' mean index) and the grid
    of departments (units in no county)."""
    city = (
        Org.objects.filter(kind=OrgKind.COMMISSION, parent__isnull=True)
        .exclude(region_code="")
        .first()
    )
    name = GEO_FILES.get((city.region_code if city else "")[:4], "kunming")
    areas: dict[int, dict[str, Any]] = {}
    departments = []
    for row in table.rows:
        if row.area is None:
            departments.append(row)
            continue
        area = areas.setdefault(row.area.pk, {"org": row.area, "rows": []})
        area["rows"].append(row)
    items = []
    rules = table.snapshot.tree.rules() if table.snapshot else None
    for area in areas.values():
        indexes = [r.score.index for r in area["rows"] if r.score.index is not None]
        mean = (sum(indexes) / len(indexes)).quantize(Decimal("0.01")) if indexes else None
        tone = rules.colour_of(mean) if (rules and mean is not None) else ""
        counts = {c: sum(1 for r in area["rows"] if r.score.colour == c) for c in COLOUR_ORDER}
        label = "，".join(f"{LABEL_BY_COLOUR[c]}{n}" for c, n in counts.items() if n)
        items.append(
            {
                "name": _geo_name(area["org"]),
                "value": float(mean) if mean is not None else None,
                "tone": tone,
                "label": label,
                "org_id": area["org"].pk,
            }
        )
    return {"map": name, "file": f"jiandu/geo/{name}.geojson", "items": items,
            "departments": departments, "areas": areas}  # fmt: skip


_GEO_NAMES: dict[str, str] = {}


def _geo_name(county: Org) -> str:
    """The area's name in the GeoJSON (by region code), else the org's name without
    “纪委监委”."""
    if not _GEO_NAMES:
        import json
        from pathlib import Path

        from django.contrib.staticfiles import finders

        for file in GEO_FILES.values():
            path = finders.find(f"jiandu/geo/{file}.geojson")
            if path:
                data = json.loads(Path(path).read_text(encoding="utf-8"))
                for feature in data.get("features", []):
                    _GEO_NAMES[str(feature.get("id"))] = feature["properties"]["name"]
    return _GEO_NAMES.get(county.region_code[:6], county.name.removesuffix("纪委监委"))


def unit_get(*, user: Any, org_id: int) -> Org:
    if org_id not in visible_ids(user) or not IndexScore.objects.filter(org_id=org_id).exists():
        raise Http404("记录不存在或不在您的管辖范围内")
    return Org.objects.get(pk=org_id)


def unit_series(*, org: Org) -> list[IndexScore]:
    """The unit's score in each closed month (latest versions), oldest first."""
    ids = list(latest_snapshot_ids().values())
    return list(
        IndexScore.objects.filter(org=org, snapshot_id__in=ids)
        .select_related("snapshot", "snapshot__tree")
        .order_by("month")
    )


@dataclass
class TreeRow:
    node: IndexNode
    score: float | None
    value: str | None
    depth: int


def unit_tree(*, score: IndexScore) -> list[TreeRow]:
    nodes = list(score.snapshot.tree.nodes.all())
    children: dict[int | None, list[IndexNode]] = {}
    for n in sorted(nodes, key=lambda n: n.position):
        children.setdefault(n.parent_id, []).append(n)
    out: list[TreeRow] = []

    def walk(node: IndexNode) -> None:
        out.append(TreeRow(node, score.nodes.get(node.key), score.values.get(node.key), node.level))
        for child in children.get(node.pk, []):
            walk(child)

    walk(children[None][0])
    return out


@dataclass
class Drill:
    leaf: IndexNode
    value: str | None
    score: float | None
    records: list[dict[str, Any]]
    reported: list[dict[str, Any]]


def leaf_records(*, score: IndexScore, key: str) -> Drill:
    """The records that produced one leaf's value: the counted records of a computed
    leaf, the upload row of a reported one."""
    leaf = score.snapshot.tree.nodes.filter(key=key).exclude(method="").first()
    if leaf is None:
        raise Http404("记录不存在")
    records: list[dict[str, Any]] = []
    reported: list[dict[str, Any]] = []
    if leaf.source == LeafSource.COMPUTED:
        start, end = month_bounds(score.month)
        records = SOURCES[leaf.statistic].rows(
            start=start, end=end, month=score.month, org_id=score.org_id
        )
    else:
        from jiandu.ecoindex.models import IndexValue

        row = (
            IndexValue.objects.filter(month=score.month, org_id=score.org_id, leaf=key)
            .filter(upload__uploaded_at__lte=score.snapshot.created_at)
            .select_related("upload", "upload__uploaded_by")
            .order_by("-upload_id")
            .first()
        )
        if row is not None:
            reported.append({
                "department": row.upload.department, "file": row.upload.original_name,
                "row": row.row_number, "value": row.value,
                "at": row.upload.uploaded_at, "by": str(row.upload.uploaded_by),
            })  # fmt: skip
    return Drill(leaf=leaf, value=score.values.get(key), score=score.nodes.get(key),
                 records=records, reported=reported)  # fmt: skip


def warnings_for(*, user: Any, org: Org | None = None) -> list[EcoWarning]:
    qs = EcoWarning.objects.filter(org_id__in=visible_ids(user)).select_related(
        "org", "problem", "supervising_org"
    )
    if org is not None:
        qs = qs.filter(org=org)
    return list(qs.order_by("-month", "org__path"))


def warning_get(*, user: Any, pk: int) -> EcoWarning:
    found = (
        EcoWarning.objects.filter(pk=pk, org_id__in=visible_ids(user))
        .select_related("org", "problem", "supervising_org", "snapshot")
        .first()
    )
    if found is None:
        raise Http404("记录不存在或不在您的管辖范围内")
    return found


def month_choices() -> list[tuple[str, str]]:
    return [(m, month_label(m)) for m in closed_months()]


def today_month() -> str:
    today = dt.date.today()
    return f"{today.year:04d}-{today.month:02d}"
