"""Forms of the 文号 register."""

from __future__ import annotations

from django import forms

from jiandu.documents.choices import DocumentStatus, DocumentType


class RegisterFilterForm(forms.Form):
    document_type = forms.ChoiceField(
        label="公文种类", required=False, choices=[("", "全部"), *DocumentType.choices]
    )
    year = forms.IntegerField(label="年份", required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *DocumentStatus.choices]
    )
    organ = forms.IntegerField(label="发文机关", required=False, widget=forms.HiddenInput)


class VoidForm(forms.Form):
    reason = forms.CharField(
        label="作废原因",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "作废文号必须填写原因"},
    )
