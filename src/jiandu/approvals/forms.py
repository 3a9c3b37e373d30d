from __future__ import annotations

from typing import Any

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


class RouteArchiveForm(forms.Form):
    reason = forms.CharField(label="归档原因", required=False, max_length=200)


class RouteForm(forms.Form):
    """审批流程 of one 呈批事项 for the signer's commission or one of its offices: which
    steps, in this order."""

    kind = forms.ChoiceField(label="呈批事项")
    steps = forms.MultipleChoiceField(
        label="审批步骤（按此顺序）", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        from jiandu.approvals.choices import SignerRole

        kind_field = self.fields["kind"]
        steps_field = self.fields["steps"]
        assert isinstance(kind_field, forms.ChoiceField)
        assert isinstance(steps_field, forms.MultipleChoiceField)
        kind_field.choices = kinds
        steps_field.choices = SignerRole.choices
