"""Keeps the current request's client address for audit rows written deeper down."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("jiandu_ip", default=None)


def client_ip(request: HttpRequest) -> str:
    # Behind the reverse proxy the operator guide describes, REMOTE_ADDR is the proxy;
    # X-Real-IP is set by that proxy and cannot be forged past it.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR", "") or ""


def current_ip() -> str | None:
    return _current_ip.get()


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _current_ip.reset(token)
