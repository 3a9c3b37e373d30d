"""Writing tree versions: a new version of the indicator tree, from a month on, from the
same JSON as the calculator's SPEC.json (``tree``, ``missing``, ``bands``,
``regreen_months``) with the platform's fields on each leaf (``source``: ``computed``
with a ``statistic`` of :mod:`jiandu.ecoindex.sources`, or ``reported`` with the
``department`` that reports it; ``unit``, ``definition``). Versions are never edited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from jiandu.boards.ranking.formats import parse_month
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.ecoindex import calc, reference
from jiandu.ecoindex.choices import EcoColour
from jiandu.ecoindex.models import IndexNode, IndexTree, month_label
from jiandu.ecoindex.sources import SOURCES


def tree_document(tree: IndexTree) -> dict[str, Any]:
    """A version as the JSON a new version is written from."""
    nodes = list(tree.nodes.all())
    children: dict[int | None, list[IndexNode]] = {}
    for node in sorted(nodes, key=lambda n: n.position):
        children.setdefault(node.parent_id, []).append(node)

    def as_dict(node: IndexNode) -> dict[str, Any]:
        data: dict[str, Any] = {"key": node.key, "name": node.name, "weight": float(node.weight)}
        if not node.method:
            data["children"] = [as_dict(c) for c in children.get(node.pk, [])]
            return data
        data.update(method=node.method, direction=node.direction, source=node.source,
                    unit=node.unit, definition=node.definition)  # fmt: skip
        if node.source == "computed":
            data["statistic"] = node.statistic
        else:
            data["department"] = node.department
        if node.points is not None:
            data["points"] = float(node.points)
        if node.floor is not None:
            data["floor"] = float(node.floor)
        if node.breakpoints:
            data["breakpoints"] = node.breakpoints
        return data

    return {
        "tree": as_dict(children[None][0]),
        "missing": tree.missing,
        "bands": tree.bands,
        "regreen_months": tree.regreen_months,
    }


def _leaf_problems(data: Any, path: str, problems: list[str]) -> None:
    if not isinstance(data, dict):
        return
    where = f"{path} › “{data.get('key')}”"
    if "children" in data:
        for child in data.get("children") or []:
            _leaf_problems(child, where, problems)
        return
    source = data.get("source")
    if source == "computed":
        if data.get("statistic") not in SOURCES:
            names = "、".join(SOURCES)
            problems.append(f"{where}：statistic 应为平台能统计的口径之一（{names}）")
    elif source == "reported":
        if not str(data.get("department") or "").strip():
            problems.append(f"{where}：由部门填报的指标须写明 department（填报部门）")
    else:
        problems.append(f"{where}：source 应为 computed（平台记录）或 reported（部门填报）")


@transaction.atomic
def tree_create_version(
    *, actor: Any, document: dict[str, Any], effective_from: str, reason: str
) -> IndexTree:
    """Store ``document`` as the next version, applying from ``effective_from``."""
    if not isinstance(document, dict):
        raise ValidationError("指标体系应为 JSON 对象（含 tree 等）")
    try:
        month = parse_month(effective_from)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if not reason.strip():
        raise ValidationError("建立新版本须写明原因")
    problems: list[str] = []
    rules = calc.parse_rules(document, problems)
    _leaf_problems(document.get("tree"), "tree", problems)
    bands: list[dict[str, Any]] = document.get("bands") or reference.DEFAULT_BANDS
    colours = {c.value for c in EcoColour}
    if any(not isinstance(b, dict) or b.get("colour") not in colours for b in bands):
        problems.append("bands：颜色应为 green、yellow、orange、red")
    if rules is not None and rules.tree.children and any(c.is_leaf for c in rules.tree.children):
        problems.append("tree：根节点的下级应为板块（有下级指标的节点）")
    if IndexTree.objects.filter(effective_from=month).exists():
        problems.append(f"已有从{month_label(month)}起适用的版本")
    if problems:
        raise ValidationError(problems)
    version = (IndexTree.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    tree = reference.create_tree(
        IndexTree, IndexNode, version=version, effective_from=month,
        definition=document["tree"], reason=reason.strip(),
        missing=document.get("missing") or "reweight", bands=bands,
        regreen_months=document.get("regreen_months", 2),
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    summary = f"建立政治生态指标体系第{version}版（{month_label(month)}起）：{reason}"
    audit_record(
        actor=actor if getattr(actor, "pk", None) else None, action=AuditAction.CREATE,
        obj=tree, summary=summary[:300], changes={"version": version, "effective_from": month},
    )  # fmt: skip
    return tree
