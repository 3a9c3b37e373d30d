"""The REST API (/api/v1/, OpenAPI at /api/v1/docs).

Two ways in, with the same jurisdiction scoping as the pages: the browser session
(CSRF-checked) and per-user bearer tokens for machine clients (``Authorization: Bearer
jd_…``)."""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError
from ninja.openapi.docs import Swagger, _csrf_needed
from ninja.security import HttpBearer, SessionAuth

from jiandu.accounts.models import ApiToken
from jiandu.clues.lifecycle import TransitionError
from jiandu.core.ratelimit import RateLimited
from jiandu.oversight.lifecycle import TransitionError as RectificationTransitionError
from jiandu.reconciliation.lifecycle import TransitionError as ReconciliationTransitionError

logger = logging.getLogger("jiandu.api")


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user", "user__org")
            .filter(token_hash=ApiToken.hash(token))
            .first()
        )
        if row is None or not row.is_active or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


class BrowserSessionAuth(SessionAuth):
    """The browser session, CSRF-checked. A request without a session cookie is not a
    browser session: it is left to the other schemes (and answered 401, not a CSRF
    error). Bearer tokens are tried first: a token cannot be sent cross-site, and
    django-ninja's CSRF check would otherwise refuse a token client's POST before the
    token is looked at."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)


class OwnStaticSwagger(Swagger):
    """The API documentation page (Swagger UI) from the platform's own static files.

    django-ninja serves its bundled files only when "ninja" is an installed app and
    otherwise links a CDN; the platform does not list it (that would import the whole
    library at every start-up of every command) but puts its templates and static
    files on the search paths (settings), and renders the page itself."""

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        return render(request, self.template, context)


api = NinjaAPI(
    title="监督平台 API",
    version="1",
    description="纪检监察智慧监督平台接口。所有数据按当前用户的管辖范围过滤，范围外的记录返回404。",
    auth=[TokenAuth(), BrowserSessionAuth()],
    urls_namespace="api",
    # The schema describes an intranet system: only signed-in users may read it.
    docs_decorator=login_required,
    docs=OwnStaticSwagger(),
)


# --- errors: one JSON shape, {"detail": "...", "errors": {field: [messages]}} ---------

# Chinese wording for the request-validation errors pydantic reports by type.
_REQUEST_ERROR_MESSAGES: dict[str, str] = {
    "missing": "此项为必填项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "请求体不是有效的 JSON",
    "json_type": "请求体不是有效的 JSON",
    "tuple_type": "应为列表",
    "set_type": "应为列表",
    "iterable_type": "应为列表",
    "string_unicode": "应为文本",
    "string_pattern_mismatch": "格式不正确",
    "int_parsing_size": "数值超出范围",
    "finite_number": "应为有限的数字",
    "datetime_parsing": "时间格式应为 YYYY-MM-DDTHH:MM:SS",
    "datetime_type": "时间格式应为 YYYY-MM-DDTHH:MM:SS",
    "datetime_from_date_parsing": "时间格式应为 YYYY-MM-DDTHH:MM:SS",
    "time_parsing": "时间格式应为 HH:MM",
    "time_type": "时间格式应为 HH:MM",
    "extra_forbidden": "不接受此项",
    "none_required": "此项应为空",
    "union_tag_invalid": "取值无效",
    "union_tag_not_found": "取值无效",
}
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Parts of a pydantic error location that are not the field: where it came from
# (body, query …) and the name of the endpoint's body parameter.
_LOCATION_PREFIXES = {"body", "query", "path", "header", "cookie", "form", "file", "payload"}


# Messages that name a limit from the error's context (pydantic's ``ctx``).
_LIMIT_MESSAGES: dict[str, str] = {
    "enum": "取值无效，可选值为：{expected}",
    "literal_error": "取值无效，可选值为：{expected}",
    "string_too_long": "长度不能超过{max_length}个字符",
    "too_short": "至少应有{min_length}项",
    "too_long": "最多{max_length}项",
    "decimal_max_digits": "数字总位数不能超过{max_digits}位",
    "decimal_max_places": "小数不能超过{decimal_places}位",
    "decimal_whole_digits": "整数部分不能超过{whole_digits}位",
    "multiple_of": "应为{multiple_of}的倍数",
}


def _request_error_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in _LIMIT_MESSAGES:
        return _LIMIT_MESSAGES[kind].format_map(defaultdict(str, ctx))
    if kind == "string_too_short":
        least = ctx.get("min_length")
        return "不能为空" if least == 1 else f"长度不能少于{least}个字符"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"不能小于{ctx.get('ge', ctx.get('gt'))}"
    if kind in {"less_than_equal", "less_than"}:
        return f"不能大于{ctx.get('le', ctx.get('lt'))}"
    if kind in _REQUEST_ERROR_MESSAGES:
        return _REQUEST_ERROR_MESSAGES[kind]
    # The API's own checks (``core.schemas``) word their messages; pydantic's are English.
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    return message if _CJK.search(message) else "取值无效"


def _field_name(location: Any) -> str:
    parts = [str(p) for p in (location or ())]
    while parts and parts[0] in _LOCATION_PREFIXES:
        parts.pop(0)
    return ".".join(parts) or "__all__"


def error_response(
    request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


def _field_errors_detail(errors: dict[str, list[str]]) -> str:
    parts = [
        message if field == "__all__" else f"{field}：{message}"
        for field, messages in errors.items()
        for message in messages
    ]
    return "提交的数据有误：" + "；".join(parts)


def _on_request_validation_error(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(error.get("loc")), []).append(_request_error_message(error))
    return error_response(request, 422, _field_errors_detail(errors), errors)


def _on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    return error_response(request, 422, _field_errors_detail(errors), errors)


def _on_transition_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Any of the apps' TransitionError (clues, oversight, reconciliation): an illegal move.
    return error_response(request, 409, str(exc))


def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, str(exc) or "记录不存在")


def _on_permission_error(request: HttpRequest, exc: PermissionError) -> HttpResponse:
    return error_response(request, 403, str(exc) or "没有权限")


# django-ninja's own English messages, in the language of the rest of the API.
_HTTP_ERROR_MESSAGES = {
    "Cannot parse request body": "请求体不是有效的 JSON",
    "CSRF check Failed": "CSRF 校验失败：请刷新页面后重试",
}


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        return error_response(request, 401, "未登录，或API令牌无效、已过期、已吊销")
    message = str(exc)
    for english, chinese in _HTTP_ERROR_MESSAGES.items():
        if message.startswith(english):  # in DEBUG, ninja appends the parser's reason
            message = chinese
    return error_response(request, exc.status_code, message)


def _on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = error_response(request, 429, str(exc))
    response["Retry-After"] = str(exc.retry_after)
    return response


def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Whatever was not foreseen still answers in the API's shape; the trace goes to the
    # log (and to Django's error mail, if configured) instead of an HTML page.
    logger.error("Unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(request, 500, "服务器内部错误，请稍后重试；如持续出现请联系系统管理员")


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any /api/v1/ path that is no endpoint: 404 in the API's JSON shape."""
    return error_response(request, 404, "接口不存在：请检查地址（接口文档见 /api/v1/docs）")


E = TypeVar("E", bound=Exception)


def _handle(exc_class: type[E], handler: Callable[[HttpRequest, E], HttpResponse]) -> None:
    # django-ninja's annotation wants a handler of "E | type[E]"; it is called with E.
    api.add_exception_handler(exc_class, handler)  # type: ignore[arg-type]


_handle(RequestValidationError, _on_request_validation_error)
_handle(DjangoValidationError, _on_django_validation_error)
_handle(TransitionError, _on_transition_error)
_handle(RectificationTransitionError, _on_transition_error)
_handle(ReconciliationTransitionError, _on_transition_error)
_handle(Http404, _on_not_found)
_handle(PermissionError, _on_permission_error)
_handle(HttpError, _on_http_error)
_handle(RateLimited, _on_rate_limited)
_handle(Exception, _on_unexpected)


def _share_response_models() -> None:
    """One response model per response type, shared by every operation that declares it.

    For each status code of each operation, django-ninja wraps the declared type in a
    new pydantic model (``NinjaResponseSchema`` with one field, ``response``). The API's
    205 operations declared 1,475 of them over 135 distinct types (the error shape
    alone on almost every operation), and building them was about half of building the
    whole API: about 0.45 s of every ``jiandu check``, ``migrate``, ``runserver`` and web
    worker start. The wrapper depends only on the type, is never changed after it is
    built (the paginator builds a new one rather than altering it) and carries no name
    into the OpenAPI schema, so sharing it changes nothing a client sees; the schema is
    the same byte for byte (``tests/api/test_response_models.py``). An unhashable
    declaration is wrapped as before."""
    from ninja.operation import Operation

    build = Operation._create_response_model
    if getattr(build, "shared", False):
        return
    shared: dict[Any, Any] = {}

    def create_response_model(self: Operation, response_param: Any) -> Any:
        try:
            return shared[response_param]
        except KeyError:
            model = shared[response_param] = build(self, response_param)
            return model
        except TypeError:
            return build(self, response_param)

    create_response_model.shared = True  # type: ignore[attr-defined]
    create_response_model.original = build  # type: ignore[attr-defined]
    Operation._create_response_model = create_response_model  # type: ignore[method-assign]


def _register_routers() -> None:
    from jiandu.boards.api import router as boards_router
    from jiandu.cards.api import router as cards_router
    from jiandu.clues.api import router as clues_router
    from jiandu.core.api import router as core_router
    from jiandu.datacheck.api import router as datacheck_router
    from jiandu.documents.api import router as documents_router
    from jiandu.dossiers.api import router as dossiers_router
    from jiandu.ecoindex.api import router as ecoindex_router
    from jiandu.inbox.api import router as inbox_router
    from jiandu.inspections.api import router as inspections_router
    from jiandu.orgs.api import router as orgs_router
    from jiandu.oversight.api import router as oversight_router
    from jiandu.people.api import router as people_router
    from jiandu.reconciliation.api import router as reconciliation_router
    from jiandu.statcentre.api import router as statcentre_router
    from jiandu.supervision.api import router as supervision_router

    api.add_router("/core/", core_router)
    api.add_router("/orgs/", orgs_router)
    api.add_router("/people/", people_router)
    api.add_router("/clues/", clues_router)
    api.add_router("/boards/", boards_router)
    api.add_router("/datacheck/", datacheck_router)
    api.add_router("/documents/", documents_router)
    api.add_router("/oversight/", oversight_router)
    api.add_router("/reconciliation/", reconciliation_router)
    api.add_router("/cards/", cards_router)
    api.add_router("/inbox/", inbox_router)
    api.add_router("/supervision/", supervision_router)
    api.add_router("/dossiers/", dossiers_router)
    api.add_router("/ecoindex/", ecoindex_router)
    api.add_router("/inspections/", inspections_router)
    api.add_router("/statistics/", statcentre_router)

    from jiandu.followup.api import router as followup_router

    api.add_router("/followup/", followup_router)
    from jiandu.approvals.api import router as approvals_router

    api.add_router("/approvals/", approvals_router)


_share_response_models()
_register_routers()
