from __future__ import annotations

from django import forms


class SignForm(forms.Form):
    """签批: 同意 or 退回, with the opinion (required to 退回)."""

    decision = forms.ChoiceField(
        label="签批意见",
        choices=[("approve", "同意"), ("return", "退回")],
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label="意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResubmitForm(forms.Form):
    reason = forms.CharField(label="修改情况", widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回理由", required=False, max_length=200)
