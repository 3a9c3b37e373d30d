"""API of the political-ecology index (``/api/v1/ecoindex/``): tree versions, monthly
snapshots (a month's latest version, or any version), and one unit's series. Scoped: the
scores listed are the user's units; a unit outside the jurisdiction is a 404."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from jiandu.core.access import require_perm
from jiandu.core.schemas import ERRORS
from jiandu.ecoindex import selectors
from jiandu.ecoindex.choices import LABEL_BY_COLOUR
from jiandu.ecoindex.models import IndexScore, IndexSnapshot, IndexTree
from jiandu.ecoindex.schemas import (
    EcoSeriesOut,
    EcoSnapshotDetailOut,
    EcoSnapshotOut,
    EcoTreeDetailOut,
    EcoTreeOut,
)

router = Router(tags=["政治生态指数"])
VIEW = "ecoindex.view_indextree"
MAX_INT = 2**31 - 1  # a version beyond the column's range is simply not there


def _version_or_404(version: int | None) -> None:
    if version is not None and not 0 < version <= MAX_INT:
        raise HttpError(404, "记录不存在")


def _tree(tree: IndexTree) -> dict[str, Any]:
    return {"version": tree.version, "name": tree.name, "effective_from": tree.effective_from,
            "missing": tree.missing, "bands": tree.bands, "regreen_months": tree.regreen_months,
            "reason": tree.reason}  # fmt: skip


def _snapshot(s: IndexSnapshot) -> dict[str, Any]:
    return {"id": s.pk, "month": s.month, "version": s.version, "tree_version": s.tree.version,
            "reason": s.reason, "created_at": s.created_at.isoformat(),
            "units": s.data.get("units", 0), "colours": s.data.get("colours", {}),
            "missing_reported": s.data.get("missing_reported", [])}  # fmt: skip


@router.get("/trees", response={200: list[EcoTreeOut], **ERRORS}, summary="指标体系版本")
def list_trees(request: HttpRequest):
    require_perm(request, VIEW)
    return [_tree(t) for t in IndexTree.objects.order_by("version")]


@router.get("/trees/{int:version}", response={200: EcoTreeDetailOut, **ERRORS}, summary="指标体系")
def get_tree(request: HttpRequest, version: int):
    require_perm(request, VIEW)
    _version_or_404(version)
    tree = IndexTree.objects.filter(version=version).first()
    if tree is None:
        raise HttpError(404, "记录不存在")
    nodes = list(tree.nodes.select_related("parent").order_by("level", "position"))
    return _tree(tree) | {
        "nodes": [
            {"key": n.key, "name": n.name, "level": n.level,
             "parent": n.parent.key if n.parent else None, "weight": float(n.weight),
             "method": n.method, "direction": n.direction, "source": n.source,
             "statistic": n.statistic, "department": n.department, "unit": n.unit,
             "definition": n.definition,
             "points": float(n.points) if n.points is not None else None,
             "floor": float(n.floor) if n.floor is not None else None,
             "breakpoints": [[float(x), float(s)] for x, s in n.breakpoints]}
            for n in nodes
        ]
    }  # fmt: skip


@router.get("/snapshots", response={200: list[EcoSnapshotOut], **ERRORS}, summary="月度快照")
def list_snapshots(request: HttpRequest):
    require_perm(request, VIEW)
    qs = IndexSnapshot.objects.select_related("tree").order_by("-month", "-version")
    return [_snapshot(s) for s in qs]


@router.get(
    "/snapshots/{month}", response={200: EcoSnapshotDetailOut, **ERRORS}, summary="某月结账结果"
)
def get_snapshot(request: HttpRequest, month: str, version: int | None = None):
    """The month's latest version (or ``version``), with the scores of the user's units."""
    require_perm(request, VIEW)
    _version_or_404(version)
    qs = IndexSnapshot.objects.filter(month=month[:7]).select_related("tree")
    snap = (qs.filter(version=version) if version else qs.order_by("-version")).first()
    if snap is None:
        raise HttpError(404, "记录不存在")
    scores = (
        IndexScore.objects.filter(snapshot=snap, org_id__in=selectors.visible_ids(request.user))
        .select_related("org")
        .order_by("rank", "org__path")
    )
    return _snapshot(snap) | {
        "scores": [
            {"org_id": s.org_id, "org": s.org.name,
             "index": float(s.index) if s.index is not None else None,
             "colour": s.colour, "colour_label": LABEL_BY_COLOUR.get(s.colour, ""),
             "rank": s.rank, "regreened": s.regreened, "nodes": s.nodes}
            for s in scores
        ]
    }  # fmt: skip


@router.get(
    "/units/{int:org_id}/series", response={200: EcoSeriesOut, **ERRORS}, summary="单位指数序列"
)
def unit_series(request: HttpRequest, org_id: int):
    require_perm(request, VIEW)
    org = selectors.unit_get(user=request.user, org_id=org_id)
    return {
        "org_id": org.pk, "org": org.name,
        "points": [
            {"month": s.month, "snapshot_version": s.snapshot.version,
             "tree_version": s.snapshot.tree.version,
             "index": float(s.index) if s.index is not None else None, "colour": s.colour,
             "rank": s.rank, "regreened": s.regreened, "nodes": s.nodes, "values": s.values}
            for s in selectors.unit_series(org=org)
        ],
    }  # fmt: skip
