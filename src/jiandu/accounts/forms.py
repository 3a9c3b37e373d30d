"""Forms of the accounts pages: login, personal API tokens, and user administration."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiandu.accounts.models import User
from jiandu.accounts.roles import ROLE_PERMISSIONS
from jiandu.accounts.selectors import manageable_orgs
from jiandu.core.choices import AuditAction
from jiandu.orgs.models import Org


class LoginForm(AuthenticationForm):
    """Django's login form with the wording and autocomplete hints of this system.

    The error for a wrong password does not say which of the two was wrong."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autofocus": True, "spellcheck": "false"}
        )
        self.fields["password"].label = _("密码")
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


# (value, label, lifetime in days or None for no expiry)
API_TOKEN_VALIDITY: list[tuple[str, str, int | None]] = [
    ("30", "30天", 30),
    ("90", "90天", 90),
    ("180", "180天", 180),
    ("365", "1年", 365),
    ("none", "长期有效（不建议）", None),
]


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("令牌名称"),
        max_length=100,
        help_text=_("写明用途和使用方，便于日后识别，如“市局数据交换接口”。"),
    )
    validity = forms.ChoiceField(
        label=_("有效期"),
        choices=[(value, label) for value, label, _days in API_TOKEN_VALIDITY],
        initial="90",
        help_text=_("到期后令牌自动失效，需重新生成。"),
    )

    def expires_at(self, *, now: dt.datetime | None = None) -> dt.datetime | None:
        """The expiry chosen, counted from ``now``; None for a token without expiry."""
        days = {value: d for value, _label, d in API_TOKEN_VALIDITY}[self.cleaned_data["validity"]]
        if days is None:
            return None
        return (now or timezone.now()) + dt.timedelta(days=days)


# --- user administration (三员分立) -------------------------------------------------


class OrgChoiceField(forms.ModelChoiceField):
    """A unit chosen with the org picker (a search over the tree, radio buttons named
    like the field): the queryset is the units the administrator manages."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Org.objects.none())
        kwargs.setdefault("error_messages", {"invalid_choice": "所选单位不在您的管理范围内。"})
        super().__init__(**kwargs)


class UserForm(forms.Form):
    """An account's name, post title and unit (user name only on creation)."""

    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        help_text=_("登录用的账号，创建后不能修改；字母、数字和 @ . + - _"),
        validators=[UnicodeUsernameValidator()],
    )
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    title = forms.CharField(label=_("职务"), max_length=50, required=False)
    org = OrgChoiceField(label=_("所属单位"))
    id_number = forms.CharField(
        label=_("本人身份证号"),
        max_length=18,
        required=False,
        help_text=_("关联干部信息库中的本人（如巡察组成员可看到所在巡察组的轮次）；留空则不关联"),
    )

    def __init__(self, *args: Any, actor: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = manageable_orgs(user=actor)  # type: ignore[attr-defined]
        if not creating:
            del self.fields["username"]
        else:
            del self.fields["id_number"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("用户名“%(name)s”已被使用。", params={"name": username})
        return username


class UserDisableForm(forms.Form):
    reason = forms.CharField(
        label=_("停用原因"),
        max_length=200,
        help_text=_("如“调离本单位”“退休”，记入审计日志"),
    )


def role_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in ROLE_PERMISSIONS]


class UserRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("角色"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "三员分立：系统管理员、安全管理员、审计管理员三者只能任其一，且不能同时持有业务角色。"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices()  # type: ignore[attr-defined]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("用户名或姓名"), required=False, max_length=150)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", "全部"), ("active", "启用"), ("disabled", "已停用")],
    )
    role = forms.ChoiceField(label=_("角色"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "全部"), *role_choices()]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        status = {"active": True, "disabled": False}.get(data.get("status") or "")
        return {"query": data.get("q") or "", "active": status, "role": data.get("role") or ""}


class SigninFilterForm(forms.Form):
    username = forms.CharField(label=_("账号"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("类型"),
        required=False,
        choices=[
            ("", "全部"),
            (AuditAction.LOGIN, AuditAction.LOGIN.label),
            (AuditAction.LOGIN_FAILED, AuditAction.LOGIN_FAILED.label),
            (AuditAction.LOGOUT, AuditAction.LOGOUT.label),
        ],
    )
    start = forms.DateField(label=_("起始日期"), required=False, widget=_date_input())
    end = forms.DateField(label=_("截止日期"), required=False, widget=_date_input())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "截止日期不能早于起始日期")
        return data
