"""Pages of the Excel import: the kinds with their templates and upload forms, and the
result of an upload (the row-level problems, or what was created)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from jiandu.core.contenttypes import XLSX_CONTENT_TYPE
from jiandu.imports.forms import UploadForm
from jiandu.imports.importers import ImportKind
from jiandu.imports.kinds import KINDS, describe_created, permitted_kinds
from jiandu.imports.selectors import import_list
from jiandu.imports.services import ImportResult, import_file

if TYPE_CHECKING:
    pass

# Rows of the problem table shown on the page; the command line lists them all.
ERRORS_SHOWN = 500


def _kind_for(request: HttpRequest, key: str) -> ImportKind:
    kind = KINDS.get(key)
    if kind is None:
        raise Http404("没有这种导入类型")
    if not kind.permitted(request.user):
        raise PermissionDenied(f"没有导入{kind.label}的权限")
    return kind


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    kinds = permitted_kinds(request.user)
    if not kinds:
        raise PermissionDenied("没有任何数据导入权限")
    context = {
        "kinds": kinds,
        "form": UploadForm(),
        "history": [
            {
                "at": entry.at,
                "summary": entry.summary,
                "rows": entry.changes.get("rows", ""),
                "created": describe_created(entry.changes.get("created", {})),
            }
            for entry in import_list(user=request.user)
        ],
        "max_upload_mb": settings.JIANDU_MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    return render(request, "imports/index.html", context)


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    from jiandu.imports.templates_xlsx import build_template

    spec = _kind_for(request, kind)
    response = HttpResponse(build_template(spec, user=request.user), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"{spec.label}导入模板.xlsx") or ""
    )
    return response


@login_required
@require_POST
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind_for(request, kind)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        result = import_file(
            actor=request.user, kind=spec.key, filename=uploaded.name, data=uploaded.read()
        )
    else:
        uploaded = request.FILES.get("file")
        result = ImportResult.refused(
            kind=spec.key,
            filename=(uploaded.name or "") if uploaded else "",
            sheet=spec.sheets[0].title,
            message="；".join(str(m) for m in form.errors.get("file", ["请选择要上传的文件"])),
        )
    context = {
        "kind": spec,
        "result": result,
        "errors_shown": result.errors[:ERRORS_SHOWN],
        "errors_hidden": max(len(result.errors) - ERRORS_SHOWN, 0),
        "multi_sheet": len(spec.sheets) > 1,
    }
    is_htmx = bool(getattr(request, "htmx", False))
    template = "imports/result.html#result" if is_htmx else "imports/result.html"
    return render(request, template, context, status=200 if result.ok else 422)
