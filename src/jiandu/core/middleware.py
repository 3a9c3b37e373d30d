"""Request plumbing: the client address for audit rows written deeper down, the
Content-Security-Policy header, and the sliding session expiry."""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

_current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("jiandu_ip", default=None)


def client_ip(request: HttpRequest) -> str:
    """The client's address for audit rows and the login lock-out.

    Proxy headers are believed only as far as the deployment says proxies stand in
    front (``JIANDU_TRUSTED_PROXIES``): with N trusted proxies the client is the N-th
    address from the right of X-Forwarded-For, each proxy having appended the address it
    saw. With none (the default) every forwarding header is ignored: a client could
    write anything there."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = settings.TRUSTED_PROXIES
    if trusted <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) >= trusted:
        return forwarded[-trusted][:45]
    # Fewer hops than proxies configured: the request did not come through them all.
    return remote


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


class ContentSecurityPolicyMiddleware:
    """Send ``settings.CONTENT_SECURITY_POLICY`` on every response: the pages load
    scripts, styles and fonts from the application's own static files only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = self.policy
        return response


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
