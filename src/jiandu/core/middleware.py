"""Request plumbing: the client address for audit rows written deeper down, and the
sliding session expiry."""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
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


class SessionActivityMiddleware:
    """Sliding session expiry without a database write on every request.

    A signed-in session expires ``SESSION_COOKIE_AGE`` after its last save. Saving it on
    every request (``SESSION_SAVE_EVERY_REQUEST``) would cost a write per page and API
    call; this saves it at most once per ``JIANDU_SESSION_REFRESH_SECONDS``, so an idle
    session still ends within the configured age (less at most that refresh interval).
    """

    KEY = "_jiandu_active"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.interval = settings.SESSION_REFRESH_SECONDS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # A signed-in browser session only: an API token client has a user but no
        # session, and must not get one.
        if session is not None and SESSION_KEY in session:
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= self.interval:
                session[self.KEY] = now  # marks the session modified: saved, expiry renewed
        return response
