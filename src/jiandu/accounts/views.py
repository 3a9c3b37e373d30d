"""Login, logout, password change, personal API tokens, and the pages of the three
administrators (三员分立)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from jiandu.accounts.forms import (
    ApiTokenCreateForm,
    LoginForm,
    SigninFilterForm,
    UserDisableForm,
    UserFilterForm,
    UserForm,
    UserRolesForm,
)
from jiandu.accounts.models import User
from jiandu.accounts.selectors import (
    api_token_get,
    api_token_list,
    lockout_list,
    lockout_rows,
    manageable_orgs,
    org_path_names,
    org_search,
    signin_list,
    user_get,
    user_is_locked,
    user_list,
)
from jiandu.accounts.services import (
    api_token_create,
    api_token_revoke,
    user_create,
    user_disable,
    user_enable,
    user_password_change,
    user_password_reset,
    user_person_set,
    user_roles_set,
    user_unlock,
    user_update,
)


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
        try:
            user_password_change(actor=user, new_password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error("new_password1", exc.messages)
            return self.form_invalid(form)
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


# --- user administration (三员分立) -------------------------------------------------
#
# 系统管理员: /accounts/users/…  (accounts, units, passwords, disabling)
# 安全管理员: /accounts/roles/…, /accounts/security/…  (roles, lock-outs, sign-ins)
# 审计管理员: /audit/ (core)
# Each page requires its own duty's permission: the others get 403.

USER_PAGE_SIZE = 50
SIGNIN_PAGE_SIZE = 50
ADMIN_HOMES = [
    ("accounts.change_user", "accounts:user_list"),
    ("accounts.change_user_roles", "accounts:role_list"),
    ("core.view_auditlog", "core:audit_list"),
]


@dataclass
class NumberedPage:
    """A page of a short list (accounts number in the thousands) for
    components/pagination.html: total, previous/next links keeping the filters."""

    items: list[Any]
    number: int
    total: int
    size: int
    base_query: str

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number * self.size < self.total

    def _url(self, number: int) -> str:
        sep = "&" if self.base_query else ""
        return f"?{self.base_query}{sep}page={number}"

    @property
    def prev_url(self) -> str:
        return self._url(self.number - 1)

    @property
    def next_url(self) -> str:
        return self._url(self.number + 1)


def _numbered_page(qs: Any, request: HttpRequest, size: int) -> NumberedPage:
    raw = request.GET.get("page", "1")
    number = max(int(raw), 1) if raw.isdigit() else 1
    total = qs.count()
    items = list(qs[(number - 1) * size : number * size])
    params = request.GET.copy()
    params.pop("page", None)
    return NumberedPage(items, number, total, size, params.urlencode())


@login_required
def admin_home(request: AuthenticatedRequest) -> HttpResponse:
    """The administrator's first page (``/sysadmin/`` lands here): their own duty's."""
    for perm, url_name in ADMIN_HOMES:
        if request.user.has_perm(perm):
            return redirect(url_name)
    raise PermissionDenied("您不是系统管理员、安全管理员或审计管理员。")


def _user_rows(users: list[User]) -> list[dict[str, Any]]:
    locked = {row["username"] for row in lockout_rows(usernames=[u.username for u in users])}
    return [
        {
            "user": u,
            "roles": sorted(g.name for g in u.groups.all()),
            "locked": u.username in locked,
        }
        for u in users
    ]


@login_required
@permission_required("accounts.change_user", raise_exception=True)
def user_list_view(request: AuthenticatedRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    page = _numbered_page(user_list(user=request.user, **form.filters()), request, USER_PAGE_SIZE)
    context = {
        "filter_form": form,
        "page": page,
        "rows": _user_rows(page.items),
        "page_title": "用户管理",
    }
    return render(request, "accounts/user_list.html", context)


def _show_password(request: HttpRequest, account: User, password: str, *, created: bool) -> Any:
    """The temporary password, in this response only (never stored or redirected)."""
    context = {"account": account, "password": password, "created": created}
    response = render(
        request,
        "accounts/user_password.html",
        {**context, "page_title": "新建用户" if created else "重置密码"},
    )
    response["Cache-Control"] = "no-store"
    return response


def _org_initial(form: Any, actor: User, org: Any) -> Any:
    """The unit shown as chosen in the picker (from the bound data, else ``org``)."""
    if form.is_bound:
        value = form.data.get("org", "")
        found = manageable_orgs(user=actor).filter(pk=value).first() if value.isdigit() else None
        org = found
    if org is None:
        return None
    return {"org": org, "path": org_path_names([org])[org.pk]}


@never_cache
@login_required
@permission_required("accounts.add_user", raise_exception=True)
@require_http_methods(["GET", "POST"])
def user_create_view(request: AuthenticatedRequest) -> HttpResponse:
    form = UserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account, password = user_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                title=data["title"],
                org=data["org"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _show_password(request, account, password, created=True)
    context = {
        "form": form,
        "chosen_org": _org_initial(form, request.user, None),
        "page_title": "新建用户",
    }
    return render(request, "accounts/user_form.html", context)


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@permission_required("accounts.change_user", raise_exception=True)
def user_detail_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = user_get(user=request.user, pk=pk)
    org_path = org_path_names([account.org])[account.org.pk] if account.org else ""
    context = {
        "account": account,
        "org_path": org_path,
        "roles": sorted(account.groups.values_list("name", flat=True)),
        "locked": user_is_locked(username=account.username),
        "disable_form": UserDisableForm(),
        "is_self": account.pk == request.user.pk,
        "page_title": f"用户：{account.display_name}",
    }
    return render(request, "accounts/user_detail.html", context)


@never_cache
@login_required
@permission_required("accounts.change_user", raise_exception=True)
@require_http_methods(["GET", "POST"])
def user_edit_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = user_get(user=request.user, pk=pk)
    initial = {"full_name": account.full_name, "title": account.title, "org": account.org_id}
    form = UserForm(request.POST or None, actor=request.user, creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user_update(
                actor=request.user,
                user=account,
                full_name=data["full_name"],
                title=data["title"],
                org=data["org"],
            )
            if data["id_number"] or "clear_person" in request.POST:
                user_person_set(actor=request.user, user=account, id_number=data["id_number"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已保存用户“{account.username}”的信息。")
            return redirect("accounts:user_detail", pk=account.pk)
    context = {
        "form": form,
        "account": account,
        "chosen_org": _org_initial(form, request.user, account.org),
        "page_title": f"编辑用户：{account.display_name}",
    }
    return render(request, "accounts/user_form.html", context)


@never_cache
@login_required
@permission_required("accounts.change_user", raise_exception=True)
@require_POST
def user_password_reset_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = user_get(user=request.user, pk=pk)
    try:
        password = user_password_reset(actor=request.user, user=account)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("accounts:user_detail", pk=account.pk)
    return _show_password(request, account, password, created=False)


@login_required
@permission_required("accounts.change_user", raise_exception=True)
@require_POST
def user_disable_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = user_get(user=request.user, pk=pk)
    form = UserDisableForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写停用原因。")
        user_disable(actor=request.user, user=account, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"账号“{account.username}”已停用。")
    return redirect("accounts:user_detail", pk=account.pk)


@login_required
@permission_required("accounts.change_user", raise_exception=True)
@require_POST
def user_enable_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = user_get(user=request.user, pk=pk)
    try:
        user_enable(actor=request.user, user=account)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"账号“{account.username}”已启用。")
    return redirect("accounts:user_detail", pk=account.pk)


@login_required
@permission_required("accounts.change_user", raise_exception=True)
@require_GET
def org_search_view(request: AuthenticatedRequest) -> HttpResponse:
    """The org picker's results: units matching the query, with their path."""
    query = request.GET.get("q", "").strip()
    context = {"results": org_search(user=request.user, query=query), "query": query}
    return render(request, "accounts/org_picker.html#results", context)


@login_required
@permission_required("accounts.change_user_roles", raise_exception=True)
def role_list_view(request: AuthenticatedRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    page = _numbered_page(user_list(user=request.user, **form.filters()), request, USER_PAGE_SIZE)
    context = {
        "filter_form": form,
        "page": page,
        "rows": _user_rows(page.items),
        "page_title": "角色分配",
    }
    return render(request, "accounts/role_list.html", context)


@never_cache
@login_required
@permission_required("accounts.change_user_roles", raise_exception=True)
@require_http_methods(["GET", "POST"])
def user_roles_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = user_get(user=request.user, pk=pk)
    current = sorted(account.groups.values_list("name", flat=True))
    form = UserRolesForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        try:
            user_roles_set(actor=request.user, user=account, roles=form.cleaned_data["roles"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已更新“{account.display_name}”的角色。")
            return redirect("accounts:role_list")
    context = {
        "form": form,
        "account": account,
        "current": current,
        "page_title": f"分配角色：{account.display_name}",
    }
    return render(request, "accounts/user_roles.html", context)


@login_required
@permission_required("accounts.view_signin", raise_exception=True)
def lockout_list_view(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "rows": lockout_list(user=request.user),
        "can_unlock": request.user.has_perm("accounts.unlock_user"),
        **_lockout_policy(request),
        "page_title": "账号锁定",
    }
    return render(request, "accounts/lockout_list.html", context)


@login_required
@permission_required("accounts.unlock_user", raise_exception=True)
@require_POST
def user_unlock_view(request: AuthenticatedRequest) -> HttpResponse:
    username = request.POST.get("username", "")
    visible = {row["username"] for row in lockout_list(user=request.user)}
    if username not in visible:
        raise Http404("没有该账号的登录失败记录")
    try:
        user_unlock(actor=request.user, username=username)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已解除账号“{username}”的登录锁定。")
    return redirect("accounts:lockout_list")


@login_required
@permission_required("accounts.view_signin", raise_exception=True)
def signin_list_view(request: AuthenticatedRequest) -> HttpResponse:
    form = SigninFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    page = _numbered_page(signin_list(user=request.user, **filters), request, SIGNIN_PAGE_SIZE)
    context = {"filter_form": form, "page": page, "page_title": "登录记录"}
    return render(request, "accounts/signin_list.html", context)
