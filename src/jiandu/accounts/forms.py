"""Forms of the accounts pages: login and personal API tokens."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
