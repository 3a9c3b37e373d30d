"""A password set by the 系统管理员 (a new account, a reset) must be changed by its
holder before anything else: every page sends them to 修改密码 until they do."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            change_url = reverse("accounts:password_change")
            allowed = (change_url, reverse("accounts:logout"))
            path = request.path_info
            if path not in allowed and not path.startswith(settings.STATIC_URL or "/static/"):
                if path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "密码由系统管理员设置，请先登录网页修改密码。"}, status=403
                    )
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = change_url
                    return response
                return redirect(change_url)
        return self.get_response(request)
