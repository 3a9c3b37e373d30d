"""组织机构 pages: the tree of the user's jurisdiction, an org's detail, and the edits
(create, change, supervised units, archive) through ``orgs.services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from jiandu.orgs.choices import COMMISSION_KINDS, OrgKind
from jiandu.orgs.forms import ArchiveForm, OrgForm, OrgSupervisionForm, add_service_errors
from jiandu.orgs.selectors import org_get, org_list, org_supervision_map, org_tree
from jiandu.orgs.services import org_archive, org_create, org_set_supervised, org_update

# Badge tone of each kind of org on the tree and detail pages.
KIND_TONES: dict[str, str] = {
    **{kind: "red" for kind in COMMISSION_KINDS},
    OrgKind.TOWNSHIP: "green",
    OrgKind.VILLAGE: "green",
    OrgKind.STATE_ENTERPRISE: "orange",
}
OPEN_LEVELS = 1  # levels shown expanded when the page opens (the rest: search or click)


def _tree_rows(tree: list[dict[str, Any]], supervision: dict[int, list]) -> list[dict[str, Any]]:
    """The nested tree as one flat sequence of rows ("close" rows end a subtree), so the
    template renders thousands of orgs in one loop instead of one include per org."""
    rows: list[dict[str, Any]] = []
    kind_labels = {value: str(label) for value, label in OrgKind.choices}

    def walk(nodes: list[dict[str, Any]], level: int) -> None:
        for node in nodes:
            org = node["org"]
            rows.append(
                {
                    "org": org,
                    "labels": node["labels"],
                    "tone": KIND_TONES.get(org.kind, "blue"),
                    "kind_label": kind_labels.get(org.kind, org.kind),
                    "supervises": supervision.get(org.pk, []),
                    "has_children": bool(node["children"]),
                    "open": level < OPEN_LEVELS,
                }
            )
            if node["children"]:
                walk(node["children"], level + 1)
                rows.append({"close": True})

    walk(tree, 0)
    return rows


@login_required
@permission_required("orgs.view_org", raise_exception=True)
def org_tree_view(request: HttpRequest) -> HttpResponse:
    rows = _tree_rows(org_tree(user=request.user), org_supervision_map(user=request.user))
    archived = list(
        org_list(user=request.user, include_archived=True).filter(archived_at__isnull=False)
    )
    context = {
        "rows": rows,
        "archived": archived,
        "org_count": sum(1 for row in rows if "org" in row),
    }
    return render(request, "orgs/org_tree.html", context)


@login_required
@permission_required("orgs.view_org", raise_exception=True)
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = org_get(user=request.user, pk=pk)
    visible = org_list(user=request.user)
    context: dict[str, Any] = {
        "org": org,
        "tone": KIND_TONES.get(org.kind, "blue"),
        "parent_visible": org.parent_id is not None and visible.filter(pk=org.parent_id).exists(),
        "children": list(visible.filter(parent=org)),
        "supervises": list(visible.filter(supervised_by=org)),
        "supervised_by": list(visible.filter(supervises=org)),
        "labels": list(org.labels.all()),
        "users_count": org.users.filter(is_active=True).count(),
        "archive_form": ArchiveForm(),
    }
    if request.user.has_perm("people.view_person"):
        # Who holds a post here is cadre data: not for the separated admin roles.
        # Through the relation people.Post declares (orgs sits below people).
        context["posts"] = list(
            org.posts.current()
            .filter(person__archived_at__isnull=True)
            .select_related("person")
            .order_by("-is_leader", "management_level", "start_date", "pk")
        )
    return render(request, "orgs/org_detail.html", context)


@login_required
@permission_required("orgs.add_org", raise_exception=True)
@require_http_methods(["GET", "POST"])
def org_create_view(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit():
        initial["parent"] = org_get(user=request.user, pk=int(parent_id)).pk
    form = OrgForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            org = org_create(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已新增单位“{org.name}”")
            return redirect("orgs:org_detail", pk=org.pk)
    return render(request, "orgs/org_form.html", {"form": form, "org": None})


@login_required
@permission_required("orgs.change_org", raise_exception=True)
@require_http_methods(["GET", "POST"])
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = org_get(user=request.user, pk=pk)
    form = OrgForm(request.POST or None, user=request.user, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            org_update(actor=request.user, org=org, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
            org.refresh_from_db()
        else:
            messages.success(request, f"已保存单位“{org.name}”")
            return redirect("orgs:org_detail", pk=org.pk)
    return render(request, "orgs/org_form.html", {"form": form, "org": org})


@login_required
@permission_required("orgs.change_org", raise_exception=True)
@require_http_methods(["GET", "POST"])
def org_supervision(request: HttpRequest, pk: int) -> HttpResponse:
    org = org_get(user=request.user, pk=pk)
    form = OrgSupervisionForm(request.POST or None, user=request.user, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            org_set_supervised(actor=request.user, org=org, supervised=form.supervised_orgs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已更新“{org.name}”的监督对象")
            return redirect("orgs:org_detail", pk=org.pk)
    return render(request, "orgs/org_supervision.html", {"form": form, "org": org})


@login_required
@permission_required("orgs.change_org", raise_exception=True)
@require_http_methods(["GET", "POST"])
def org_archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    org = org_get(user=request.user, pk=pk)
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org_archive(actor=request.user, org=org, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已归档单位“{org.name}”")
            return redirect("orgs:org_detail", pk=org.pk)
    return render(request, "orgs/org_archive.html", {"form": form, "org": org})
