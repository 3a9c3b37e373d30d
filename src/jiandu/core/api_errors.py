"""Errors under /api/v1/ that Django answers before or around the API (a method an
endpoint does not take, a CSRF refusal, a request too large, a failure in a middleware)
in the API's JSON shape, ``{"detail": "...", "errors": {}}``, instead of an HTML page.
The API's own errors already have that shape (``jiandu.api``); this is the net under
it, so that a client of the API never has to read HTML."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

API_PREFIX = "/api/v1/"
_MESSAGES = {
    400: "请求有误",
    401: "未登录，或API令牌无效、已过期、已吊销",
    403: "没有权限，或CSRF校验失败",
    404: "接口不存在：请检查地址（接口文档见 /api/v1/docs）",
    405: "该接口不支持此请求方法",
    413: "请求体过大",
    429: "请求过于频繁，请稍后再试",
}
SERVER_ERROR = "服务器内部错误，请稍后重试；如持续出现请联系系统管理员"
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiErrorsAsJsonMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        status = response.status_code
        fallback = SERVER_ERROR if status >= 500 else "请求未能处理"
        detail = _MESSAGES.get(status, fallback)
        if status == 405:
            detail = f"该接口不支持{request.method}请求，可用：{response.get('Allow', '')}"
        converted = JsonResponse({"detail": detail, "errors": {}}, status=status)
        for header in _KEPT_HEADERS:
            if header in response:
                converted[header] = response[header]
        return converted
