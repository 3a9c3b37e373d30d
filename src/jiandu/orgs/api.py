"""API of the organisation tree: list, tree, detail, and the writes of org managers.

An org referred to in a request body (a parent, a supervised unit) must be within the
user's jurisdiction; otherwise the request is refused with a field error, so nobody can
extend their own jurisdiction by pointing at someone else's units."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from jiandu.core.access import forget_jurisdiction, get_or_404, require_perm
from jiandu.core.schemas import ERRORS, choice_label
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org, OrgLabel
from jiandu.orgs.schemas import (
    OrgArchiveIn,
    OrgCreateIn,
    OrgDetailOut,
    OrgOut,
    OrgQuery,
    OrgSupervisesIn,
    OrgTreeNodeOut,
    OrgUpdateIn,
)
from jiandu.orgs.selectors import org_get, org_list, org_tree, visible_org, visible_orgs
from jiandu.orgs.services import org_archive, org_create, org_set_supervised, org_update

router = Router(tags=["组织机构"])


def _labels(names: list[str]) -> list[OrgLabel]:
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    found = {
        label.name: label
        for label in OrgLabel.objects.filter(name__in=wanted, archived_at__isnull=True)
    }
    missing = [name for name in wanted if name not in found]
    if missing:
        raise ValidationError({"labels": f"标签“{'、'.join(missing)}”不存在"})
    return [found[name] for name in wanted]


def _with_relations(qs: QuerySet[Org]) -> QuerySet[Org]:
    return qs.prefetch_related("labels", "supervises")


def _detail(user: Any, org: Org) -> Org:
    """The org with its labels and supervised units (the schema adds the visible orgs
    around it)."""
    # A write may have changed the tree: the jurisdiction cached for this request is stale.
    forget_jurisdiction(user)
    return get_or_404(_with_relations(org_list(user=user, include_archived=True)), pk=org.pk)


@router.get("/", response={200: list[OrgOut], **ERRORS}, summary="单位列表")
def list_orgs(request: HttpRequest, query: Query[OrgQuery]):
    """The orgs in the user's jurisdiction, in tree order; archived ones only if asked."""
    require_perm(request, "orgs.view_org")
    qs = org_list(user=request.user, include_archived=query.include_archived)
    if query.kind:
        qs = qs.filter(kind=query.kind)
    if query.label.strip():
        qs = qs.filter(labels__name=query.label.strip())
    if query.parent is not None:
        qs = qs.filter(parent_id=query.parent)
    return _with_relations(qs)


@router.get("/tree", response={200: list[OrgTreeNodeOut], **ERRORS}, summary="组织机构树")
def tree(request: HttpRequest):
    """The visible orgs nested; an org whose parent is not visible is a root."""
    require_perm(request, "orgs.view_org")

    def node(item: dict[str, Any]) -> dict[str, Any]:
        org = item["org"]
        return {
            "id": org.pk,
            "name": org.name,
            "short_name": org.short_name,
            "kind": org.kind,
            "kind_label": choice_label(OrgKind, org.kind),
            "region_code": org.region_code,
            "labels": item["labels"],
            "children": [node(child) for child in item["children"]],
        }

    return [node(root) for root in org_tree(user=request.user)]


@router.get("/{int:org_id}", response={200: OrgDetailOut, **ERRORS}, summary="单位详情")
def get_org(request: HttpRequest, org_id: int):
    require_perm(request, "orgs.view_org")
    return _detail(request.user, org_get(user=request.user, pk=org_id))


@router.post("/", response={201: OrgDetailOut, **ERRORS}, summary="新增单位")
def create_org(request: HttpRequest, payload: OrgCreateIn):
    require_perm(request, "orgs.add_org")
    org = org_create(
        actor=request.user,
        name=payload.name.strip(),
        kind=payload.kind,
        parent=visible_org(request.user, payload.parent, "parent"),
        short_name=payload.short_name.strip(),
        region_code=payload.region_code.strip(),
        labels=_labels(payload.labels),
        sort_order=payload.sort_order,
        acts_for_commission=payload.acts_for_commission,
    )
    return Status(201, _detail(request.user, org))


@router.patch("/{int:org_id}", response={200: OrgDetailOut, **ERRORS}, summary="修改单位")
def update_org(request: HttpRequest, org_id: int, payload: OrgUpdateIn):
    """Change the fields sent; a new parent must be within the jurisdiction."""
    require_perm(request, "orgs.change_org")
    org = org_get(user=request.user, pk=org_id)
    changes = payload.dict(exclude_unset=True)
    if "parent" in changes:
        if changes["parent"] is None:
            raise ValidationError({"parent": "上级单位不能为空"})
        changes["parent"] = visible_org(request.user, changes["parent"], "parent")
    if "labels" in changes:
        changes["labels"] = _labels(changes["labels"] or [])
    for field in ("name", "kind", "short_name", "region_code", "sort_order", "acts_for_commission"):
        if field in changes and changes[field] is None:
            raise ValidationError({field: "不能为空"})
        if isinstance(changes.get(field), str):
            changes[field] = changes[field].strip()
    org = org_update(actor=request.user, org=org, **changes)
    return _detail(request.user, org)


@router.post("/{int:org_id}/archive", response={200: OrgDetailOut, **ERRORS}, summary="归档单位")
def archive_org(request: HttpRequest, org_id: int, payload: OrgArchiveIn):
    require_perm(request, "orgs.change_org")
    org = org_archive(
        actor=request.user, org=org_get(user=request.user, pk=org_id), reason=payload.reason
    )
    return _detail(request.user, org)


@router.put(
    "/{int:org_id}/supervises", response={200: OrgDetailOut, **ERRORS}, summary="设置监督对象"
)
def set_supervised(request: HttpRequest, org_id: int, payload: OrgSupervisesIn):
    """Replace the units this org supervises; each must be within the jurisdiction."""
    require_perm(request, "orgs.change_org")
    org = org_get(user=request.user, pk=org_id)
    supervised = visible_orgs(request.user, payload.supervises, "supervises")
    org = org_set_supervised(actor=request.user, org=org, supervised=supervised)
    return _detail(request.user, org)
