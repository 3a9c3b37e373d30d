"""一图 · 一表 · 一指数: the map, the ranked table and a unit's index, scoped to the user's
jurisdiction; the monthly close as a background task; the department uploads; the
warnings with their 预警通知书; the monthly 分析研判 report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiandu.boards.ranking.formats import parse_month
from jiandu.core.contenttypes import DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE
from jiandu.core.tasks import task_submit
from jiandu.ecoindex import calc, forms, selectors, services
from jiandu.ecoindex.choices import LABEL_BY_COLOUR
from jiandu.ecoindex.close import latest_snapshot, tree_for_month
from jiandu.ecoindex.models import IndexScore, IndexTree, month_label
from jiandu.ecoindex.tasks import CLOSE_TASK

if TYPE_CHECKING:
    pass

VIEW = "ecoindex.view_indextree"


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


def _month(request: HttpRequest) -> str | None:
    raw = request.GET.get("month")
    if not raw:
        return None
    try:
        return parse_month(raw)
    except ValueError:
        return None


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def map_context(user: Any, month: str | None) -> dict[str, Any]:
    """What the map needs (the city leader's home page shows it too)."""
    table = selectors.month_table(user=user, month=month, light=True)
    if table.snapshot is None:
        return {"table": table}
    data = selectors.map_data(table)
    table_url = reverse("ecoindex:table")
    for item in data["items"]:
        item["url"] = f"{table_url}?month={table.snapshot.month}&area={item.pop('org_id')}"
    months = selectors.closed_months()
    return {
        "table": table,
        "snapshot": table.snapshot,
        "map_spec": {
            "map": data["map"], "geojson": static(data["file"]), "items": data["items"],
            "unit": "",
        },
        "departments": data["departments"],
        "months": [{"value": m, "label": month_label(m)} for m in months],
        "month_index": months.index(table.snapshot.month),
        "distribution": table.distribution(),
    }  # fmt: skip


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def map_view(request: HttpRequest) -> HttpResponse:
    context = map_context(request.user, _month(request))
    context["can_close"] = selectors.can_close(request.user)
    return render(request, "ecoindex/map.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def table_view(request: HttpRequest) -> HttpResponse:
    version = request.GET.get("version")
    table = selectors.month_table(
        user=request.user,
        month=_month(request),
        version=int(version) if version and version.isdigit() and len(version) < 10 else None,
    )
    area_id = request.GET.get("area")
    area = None
    if area_id and area_id.isdigit() and table.snapshot is not None:
        table.rows = [r for r in table.rows if r.area and r.area.pk == int(area_id)]
        area = table.rows[0].area if table.rows else None
        if area is None:
            raise Http404("记录不存在或不在您的管辖范围内")
    sort = request.GET.get("sort", "rank")
    keys = {
        "rank": lambda r: (r.score.rank is None, r.score.rank or 0),
        "change": lambda r: (r.change is None, -(r.change or 0)),
        "name": lambda r: r.org.name,
    }
    dim_keys = [d.key for d in table.dimensions]
    if sort in dim_keys:
        i = dim_keys.index(sort)
        table.rows.sort(key=lambda r: (r.dimensions[i] is None, r.dimensions[i] or 0))
    elif sort in keys:
        table.rows.sort(key=keys[sort])
    versions = []
    if table.snapshot is not None:
        versions = list(
            table.snapshot.__class__.objects.filter(month=table.snapshot.month).order_by("version")
        )
    return render(request, "ecoindex/table.html", {
        "table": table, "snapshot": table.snapshot, "area": area, "sort": sort,
        "months": selectors.month_choices(), "versions": versions,
        "can_close": selectors.can_close(request.user),
        "close_month": selectors.today_month(),
    })  # fmt: skip


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def table_xlsx(request: HttpRequest) -> HttpResponse:
    from jiandu.ecoindex import exports

    table = selectors.month_table(user=request.user, month=_month(request))
    if table.snapshot is None:
        raise Http404("尚未结账")
    data = exports.table_xlsx(actor=request.user, table=table)
    return _download(data, f"政治生态指数_{table.snapshot.month}.xlsx", XLSX_CONTENT_TYPE)


@login_required
@permission_required("ecoindex.close_index", raise_exception=True)
@require_POST
def close_view(request: HttpRequest) -> HttpResponse:
    if not selectors.can_close(request.user):
        raise PermissionDenied("结账计算全部参评单位，只有管辖全部参评单位的用户可以结账")
    back = reverse("ecoindex:table")
    reason = request.POST.get("reason", "").strip()
    try:
        month = parse_month(request.POST.get("month", ""))
        tree_for_month(month)
        closed = latest_snapshot(month)
        if closed is not None and not reason:
            raise ValidationError(
                f"{month_label(month)}已结账（第{closed.version}版），重新结账须填写原因"
            )
    except (ValueError, ValidationError) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
        return redirect(back)
    task = task_submit(
        actor=request.user, kind=CLOSE_TASK, params={"month": month, "reason": reason}
    )
    return redirect("core:task_detail", pk=task.pk)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def analysis_docx(request: HttpRequest, month: str) -> HttpResponse:
    from jiandu.ecoindex import exports

    if not selectors.can_close(request.user):
        raise PermissionDenied("分析研判报告汇总全部参评单位，只有管辖全部参评单位的用户可以下载")
    try:
        month = parse_month(month)
    except ValueError:
        raise Http404("记录不存在") from None
    snapshot = selectors.snapshot_for_exact(month)
    if snapshot is None:
        raise Http404("该月尚未结账")
    org = getattr(request.user, "org", None)  # behind login_required: a User
    data, name = exports.analysis_docx(
        actor=request.user, snapshot=snapshot, issuer=org.name if org is not None else ""
    )
    return _download(data, name, DOCX_CONTENT_TYPE)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def unit_view(request: HttpRequest, org_id: int) -> HttpResponse:
    org = selectors.unit_get(user=request.user, org_id=org_id)
    series = selectors.unit_series(org=org)
    month = _month(request)
    current = next((s for s in series if s.month == month), series[-1] if series else None)
    if current is None:
        raise Http404("记录不存在")
    dims = list(current.snapshot.tree.nodes.filter(level=1).order_by("position"))
    chart = {
        "categories": [month_label(s.month) for s in series],
        "series": [
            {"name": "政治生态指数", "data": [_float(s.index) for s in series]},
            *({"name": d.name, "data": [s.nodes.get(d.key) for s in series]} for d in dims),
        ],
        "unit": "分",
    }  # fmt: skip
    return render(request, "ecoindex/unit.html", {
        "org": org, "series": series, "current": current, "chart": chart,
        "tree": selectors.unit_tree(score=current),
        "colour_label": LABEL_BY_COLOUR.get(current.colour, "—"),
        "warnings": selectors.warnings_for(user=request.user, org=org),
    })  # fmt: skip


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def leaf_view(request: HttpRequest, org_id: int, month: str, key: str) -> HttpResponse:
    org = selectors.unit_get(user=request.user, org_id=org_id)
    snapshot = selectors.snapshot_for_exact(month)
    score = (
        IndexScore.objects.filter(snapshot=snapshot, org=org)
        .select_related("snapshot__tree")
        .first()
        if snapshot
        else None
    )
    if score is None:
        raise Http404("记录不存在")
    drill = selectors.leaf_records(score=score, key=key)
    return render(request, "ecoindex/leaf.html", {"org": org, "score": score, "drill": drill})


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def warning_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ecoindex/warning_list.html", {
        "warnings": selectors.warnings_for(user=request.user),
    })  # fmt: skip


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def warning_notice(request: HttpRequest, pk: int) -> HttpResponse:
    from jiandu.ecoindex import exports

    warning = selectors.warning_get(user=request.user, pk=pk)
    data, name = exports.notice_docx(actor=request.user, warning=warning)
    return _download(data, name, DOCX_CONTENT_TYPE)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def tree_view(request: HttpRequest) -> HttpResponse:
    trees = list(IndexTree.objects.order_by("-version"))
    version = request.GET.get("version")
    tree = next((t for t in trees if str(t.version) == version), trees[0] if trees else None)
    nodes = list(tree.nodes.order_by("level", "position")) if tree else []
    children: dict[int | None, list] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)
    rows: list[Any] = []

    def walk(node: Any) -> None:
        rows.append(node)
        for child in children.get(node.pk, []):
            walk(child)

    for root in children.get(None, []):
        walk(root)
    return render(request, "ecoindex/tree.html", {
        "trees": trees, "tree": tree, "rows": rows, "can_edit": selectors.can_close(request.user),
    })  # fmt: skip


@login_required
@permission_required("ecoindex.report_index", raise_exception=True)
@require_http_methods(["GET", "POST"])
def reported_view(request: HttpRequest) -> HttpResponse:
    from jiandu.ecoindex import reported

    month = _month(request) or selectors.today_month()
    tree = IndexTree.objects.filter(effective_from__lte=month).order_by("-effective_from").first()
    departments = reported.departments(tree) if tree else []
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        department = request.POST.get("department", "")
        try:
            month = parse_month(request.POST.get("month", month))
        except ValueError:
            month = selectors.today_month()
        if upload is None or department not in departments:
            messages.error(request, "请选择填报部门和文件")
        else:
            result = reported.reported_import(
                actor=request.user, month=month, department=department,
                filename=upload.name or "", data=upload.read(),
            )  # fmt: skip
            if result.ok:
                messages.success(
                    request, f"已导入{result.rows}行（{department} {month_label(month)}）"
                )
    from jiandu.ecoindex.models import IndexUpload

    uploads = IndexUpload.objects.filter(month=month).select_related("uploaded_by")[:50]
    return render(request, "ecoindex/reported.html", {
        "month": month, "month_label": month_label(month), "departments": departments,
        "result": result, "uploads": uploads,
    })  # fmt: skip


@login_required
@permission_required("ecoindex.report_index", raise_exception=True)
@require_GET
def reported_template_view(request: HttpRequest) -> HttpResponse:
    from jiandu.ecoindex import reported

    month = _month(request) or selectors.today_month()
    department = request.GET.get("department", "")
    try:
        data = reported.reported_template(actor=request.user, month=month, department=department)
    except ValidationError as exc:
        raise Http404("；".join(exc.messages)) from None
    return _download(data, f"政治生态指数填报_{department}_{month}.xlsx", XLSX_CONTENT_TYPE)


@login_required
@permission_required("ecoindex.close_index", raise_exception=True)
@require_http_methods(["GET", "POST"])
def tree_edit(request: HttpRequest) -> HttpResponse:
    """A new version of the indicator tree from a month on: a copy of the latest version
    edited (weights, leaf methods and parameters, leaves removed or added, bands, missing
    rule, 复绿 months), checked by the calculator's rules; as closing, for users whose
    jurisdiction holds every participating unit; audited by the service."""
    if not selectors.can_close(request.user):
        raise PermissionDenied("指标体系适用于全部参评单位，只有管辖全部参评单位的用户可以调整")
    base_tree = IndexTree.objects.order_by("-version").first()
    if base_tree is None:
        raise Http404("还没有指标体系")
    base = services.tree_document(base_tree)
    post = request.POST if request.method == "POST" else None
    form = forms.TreeVersionForm(post, initial=forms.initial_of(base))
    problems: list[str] = []
    if post is not None and form.is_valid():
        document, problems = forms.document_from_post(base, post, form.cleaned_data)
        if problems:  # the fields that could not be read, and all the calculator finds
            calc.parse_rules(document, problems)
        else:
            try:
                tree = services.tree_create_version(
                    actor=request.user, document=document,
                    effective_from=form.cleaned_data["effective_from"],
                    reason=form.cleaned_data["reason"],
                )  # fmt: skip
            except ValidationError as exc:
                problems = exc.messages
            else:
                since = month_label(tree.effective_from)
                messages.success(request, f"已建立指标体系第{tree.version}版，{since}起适用")
                return redirect(f"{reverse('ecoindex:tree')}?version={tree.version}")
    return render(request, "ecoindex/tree_edit.html", {
        "base": base_tree, "form": form, "problems": problems,
        "rows": forms.rows_of(base, post), "new_rows": forms.new_rows(post),
        "parents": forms.parents_of(base), **forms.choices(),
    })  # fmt: skip
