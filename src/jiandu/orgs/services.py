"""Writes to the organisation tree. Every function is atomic and audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from jiandu.core.audit import audit_record, diff, model_snapshot
from jiandu.core.choices import AuditAction
from jiandu.orgs.choices import ACTED_FOR_KINDS, OFFICE_KINDS
from jiandu.orgs.models import Org, OrgLabel


def _set_path(org: Org) -> None:
    if org.parent_id:
        parent = Org.objects.only("path", "depth").get(pk=org.parent_id)
        org.path = f"{parent.path}{org.pk}/"
        org.depth = parent.depth + 1
    else:
        org.path = f"/{org.pk}/"
        org.depth = 0


def default_acts_for_commission(*, kind: str, parent: Org | None) -> bool:
    """Whether an org of ``kind`` under ``parent`` is, by default, an office acting for
    its commission."""
    return kind in OFFICE_KINDS and parent is not None and parent.kind in ACTED_FOR_KINDS


@transaction.atomic
def org_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    parent: Org | None = None,
    short_name: str = "",
    region_code: str = "",
    labels: list[OrgLabel] | None = None,
    sort_order: int = 0,
    acts_for_commission: bool | None = None,
) -> Org:
    """Create an org. ``acts_for_commission`` left as None: an office kind (信访室,
    案件监督管理室, 党风政风监督室 …) created directly under a commission acts for it."""
    if acts_for_commission is None:
        acts_for_commission = default_acts_for_commission(kind=kind, parent=parent)
    org = Org(
        name=name,
        short_name=short_name,
        kind=kind,
        parent=parent,
        region_code=region_code,
        sort_order=sort_order,
        acts_for_commission=acts_for_commission,
    )
    org.full_clean(exclude=["path"])
    org.save()
    _set_path(org)
    org.save(update_fields=["path", "depth"])
    if labels:
        org.labels.set(labels)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=org, changes=model_snapshot(org))
    return org


@transaction.atomic
def org_update(*, actor: Any, org: Org, **fields: Any) -> Org:
    """Change name, kind, region code, sort order, parent or whether it acts for its
    commission. Moving an org re-paths its whole subtree; an org cannot move under its
    own descendant. (Saving the org renews the access stamp: ``core.signals``.)"""
    before = model_snapshot(org)
    labels = fields.pop("labels", None)
    new_parent = fields.pop("parent", org.parent)
    for key, value in fields.items():
        setattr(org, key, value)
    moved = (new_parent.pk if new_parent else None) != org.parent_id
    if moved and new_parent is not None and new_parent.path.startswith(org.path):
        raise ValidationError({"parent": "不能把单位移到它自己的下级单位之下"})
    org.parent = new_parent
    org.full_clean(exclude=["path"])
    old_path = org.path
    if moved:
        _set_path(org)
    org.save()
    if moved:
        for child in Org.objects.filter(path__startswith=old_path).exclude(pk=org.pk):
            child.path = org.path + child.path[len(old_path) :]
            child.depth = child.path.count("/") - 2
            child.save(update_fields=["path", "depth"])
    if labels is not None:
        org.labels.set(labels)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=org,
        changes=diff(before, model_snapshot(org)),
    )
    return org


@transaction.atomic
def org_set_supervised(*, actor: Any, org: Org, supervised: list[Org]) -> Org:
    """Set the units this org supervises (a 派驻组's 市直单位, a 监督检查室's counties)."""
    before = sorted(org.supervises.values_list("pk", flat=True))
    if any(s.pk == org.pk for s in supervised):
        raise ValidationError({"supervises": "单位不能监督它自己"})
    org.supervises.set(supervised)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=org,
        summary="设置监督对象",
        changes={"supervises": {"before": before, "after": sorted(s.pk for s in supervised)}},
    )
    return org


@transaction.atomic
def org_archive(*, actor: Any, org: Org, reason: str) -> Org:
    if not reason.strip():
        raise ValidationError({"archive_reason": "归档必须填写原因"})
    limit = Org._meta.get_field("archive_reason").max_length
    if limit is not None and len(reason.strip()) > limit:
        raise ValidationError({"archive_reason": f"归档原因不能超过{limit}个字"})
    if org.is_archived:
        raise ValidationError({"archived_at": "该单位已归档"})
    # Archived orgs leave the tree and the pickers; their sub-orgs would be left hanging
    # under nothing (archiving a commission would hide its whole jurisdiction's tree).
    open_children = list(
        org.children.filter(archived_at__isnull=True).order_by("sort_order", "name")[:4]
    )
    if open_children:
        names = "、".join(c.name for c in open_children[:3])
        more = "等" if len(open_children) > 3 else ""
        raise ValidationError(
            {"archived_at": f"该单位还有未归档的下级单位（{names}{more}），请先将其归档或调整隶属"}
        )
    org.archived_at = timezone.now()
    org.archived_by = actor
    org.archive_reason = reason.strip()
    org.save(update_fields=["archived_at", "archived_by", "archive_reason", "updated_at"])
    audit_record(actor=actor, action=AuditAction.ARCHIVE, obj=org, summary=reason)
    return org


@transaction.atomic
def org_label_get_or_create(*, actor: Any, name: str) -> OrgLabel:
    label, created = OrgLabel.objects.get_or_create(name=name)
    if created:
        audit_record(actor=actor, action=AuditAction.CREATE, obj=label)
    return label


# --------------------------------------------------------------------------- bulk (imports)


def org_build(
    *,
    name: str,
    kind: str,
    parent: Org,
    short_name: str = "",
    region_code: str = "",
    sort_order: int = 0,
) -> Org:
    """An unsaved, validated org for a bulk creation (an import): what :func:`org_create`
    checks, for an org under ``parent`` (an existing org, or one built earlier in the
    same batch); its id and path are set by :func:`orgs_stage`."""
    org = Org(
        name=name,
        short_name=short_name,
        kind=kind,
        parent=parent,
        region_code=region_code,
        sort_order=sort_order,
        acts_for_commission=default_acts_for_commission(kind=kind, parent=parent),
    )
    org.full_clean(exclude=["path", "parent"], validate_unique=False, validate_constraints=False)
    return org


def orgs_stage(
    *,
    actor: Any,
    orgs: list[tuple[Org, list[str]]],
    supervision: list[tuple[Org, list[Org]]],
    staged: Any,
) -> dict[str, int]:
    """Stage what a run of :func:`org_create` (with :func:`org_label_get_or_create`)
    and :func:`org_set_supervised` calls would write, outside any transaction, for
    ``staged.publish()`` to make visible in the caller's short transaction (ADR 0010):
    ``orgs`` built by :func:`org_build`, parents before their children, each with its
    label names (labels not yet in the system are created); ``supervision`` the units
    each org supervises. Ids are reserved, paths set, one audit row per write as the
    services record them. The caller renews the access stamp in the publishing
    transaction (:func:`jiandu.core.access.access_changed`). Returns the counts:
    ``orgs``, ``org_labels`` (new), ``supervision`` (links)."""
    from jiandu.core.db import reserve_ids

    wanted = sorted({name for _, names in orgs for name in names})
    labels = {label.name: label for label in OrgLabel.objects.filter(name__in=wanted)}
    new_labels = [OrgLabel(name=name) for name in wanted if name not in labels]
    for label, pk in zip(new_labels, reserve_ids(OrgLabel, len(new_labels)), strict=True):
        label.pk = pk
        labels[label.name] = label
    created_labels = {label.name for label in new_labels}
    for (org, _names), pk in zip(orgs, reserve_ids(Org, len(orgs)), strict=True):
        org.pk = pk
        parent = org.parent
        assert parent is not None and parent.pk is not None, "parents come before children"
        org.parent_id = parent.pk  # a parent built in the same batch had no id when set
        org.path = f"{parent.path}{org.pk}/"
        org.depth = parent.depth + 1
    now = timezone.now()
    for org, _names in orgs:
        org.updated_at = now  # as saved by org_create, for its audit snapshot
    audit: list[dict[str, Any]] = []
    links: list[models.Model] = []
    announced: set[str] = set()
    for org, names in orgs:
        for name in names:
            if name in created_labels and name not in announced:
                announced.add(name)
                audit.append({"actor": actor, "action": AuditAction.CREATE, "obj": labels[name]})
            links.append(Org.labels.through(org_id=org.pk, orglabel_id=labels[name].pk))
        audit.append(
            {
                "actor": actor,
                "action": AuditAction.CREATE,
                "obj": org,
                "changes": model_snapshot(org),
            }
        )
    supervises: list[models.Model] = []
    for org, targets in supervision:
        if any(target.pk == org.pk for target in targets):
            raise ValidationError({"supervises": "单位不能监督它自己"})
        supervises += [Org.supervises.through(from_org_id=org.pk, to_org_id=t.pk) for t in targets]
        audit.append(
            {
                "actor": actor,
                "action": AuditAction.UPDATE,
                "obj": org,
                "summary": "设置监督对象",
                "changes": {"supervises": {"before": [], "after": sorted(t.pk for t in targets)}},
            }
        )
    if new_labels:
        staged.add(OrgLabel, new_labels)
    staged.add(Org, [org for org, _ in orgs])
    if links:
        staged.add(Org.labels.through, links, with_pk=False)
    if supervises:
        staged.add(Org.supervises.through, supervises, with_pk=False)
    staged.add_audit(audit)
    return {
        "orgs": len(orgs),
        "org_labels": len(new_labels),
        "supervision": sum(len(targets) for _, targets in supervision),
    }
