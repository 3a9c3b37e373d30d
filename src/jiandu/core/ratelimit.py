"""Per-user rate limits on look-ups (Django's cache: a counter per user and time window).

A limit is "at most N requests per window of S seconds"; the (N+1)-th request within
the window is refused with :class:`RateLimited` — 429 with a Chinese message, on the API
and on the pages. With the default local-memory cache each server process counts on its
own; a shared cache (``CACHES``) makes the limit hold across processes."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class RateLimited(Exception):
    """Too many requests of one kind from one user; the message says how many are
    allowed and when to try again."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def check_rate(*, user: Any, scope: str, limit: int, window: int, label: str) -> None:
    """Count one request of ``scope`` by ``user``; raise RateLimited past ``limit`` in
    the current ``window`` (seconds). ``label`` names the kind of request for people."""
    if limit <= 0 or window <= 0:
        return  # limits switched off
    now = int(time.time())
    slot = now // window
    key = f"jiandu:rate:{scope}:{getattr(user, 'pk', None)}:{slot}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        retry_after = max(1, (slot + 1) * window - now)
        raise RateLimited(
            f"{label}过于频繁：每{window}秒最多{limit}次，请{retry_after}秒后再试",
            retry_after=retry_after,
        )


def answers_429(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page view whose RateLimited becomes the 429 page (the API has its own handler)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except RateLimited as exc:
            response = render(request, "429.html", {"message": str(exc)}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response

    return wrapper
