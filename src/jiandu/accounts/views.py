"""Login, logout, password change and personal API tokens."""

from __future__ import annotations

from typing import Any, cast

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from jiandu.accounts.forms import ApiTokenCreateForm, LoginForm
from jiandu.accounts.models import User
from jiandu.accounts.selectors import api_token_get, api_token_list
from jiandu.accounts.services import api_token_create, api_token_revoke, user_password_change


class AuthenticatedRequest(HttpRequest):
    """A request behind ``login_required`` (``htmx`` is set by django-htmx)."""

    user: User
    htmx: HtmxDetails


def _lockout_policy(request: HttpRequest, username: str = "") -> dict[str, Any]:
    cool_off = get_cool_off(request)
    return {
        "failure_limit": get_failure_limit(request, {"username": username}),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }


class LoginView(auth_views.LoginView):
    """Django's login with the remaining attempts before the axes lockout shown after a
    failure. The lockout itself is answered by AxesMiddleware (accounts/locked_out.html)."""

    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_lockout_policy(self.request))
        return context

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        username = (form.data.get("username") or "").strip()
        attempts_left = None
        if username:
            credentials = {"username": username}
            failures = AxesProxyHandler.get_failures(self.request, credentials)
            limit = get_failure_limit(self.request, credentials)
            attempts_left = max(limit - failures, 0)
        return self.render_to_response(
            self.get_context_data(form=form, attempts_left=attempts_left)
        )


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default since 5.0); the logout is audited by core.signals."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "您已安全退出系统。")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        # The write goes through the service so that it is audited; keep the session.
        user = cast(User, self.request.user)
        user_password_change(actor=user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: AuthenticatedRequest) -> HttpResponse:
    """List the user's API tokens and create one. A new token is shown in this response
    only (never stored, never redirected through the session)."""
    created = None
    created_token = ""
    form = ApiTokenCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created, created_token = api_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                expires_at=form.expires_at(),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            form = ApiTokenCreateForm()
    context = {
        "form": form,
        "tokens": api_token_list(user=request.user),
        "created": created,
        "created_token": created_token,
    }
    return render(request, "accounts/api_tokens.html", context)


@login_required
@require_POST
def api_token_revoke_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = api_token_get(user=request.user, pk=pk)
    try:
        token = api_token_revoke(actor=request.user, token=token)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"令牌“{token.name}”已吊销，使用它的程序将无法再访问接口。")
    if request.htmx:
        context = {"tokens": api_token_list(user=request.user)}
        return render(request, "accounts/api_tokens.html#token-table-response", context)
    return redirect("accounts:api_tokens")
