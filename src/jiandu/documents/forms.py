"""Forms of the 文号 register."""

from __future__ import annotations

from django import forms

from jiandu.core.ids import MAX_ID
from jiandu.documents.choices import DocumentStatus, DocumentType
from jiandu.orgs.models import Org


class RegisterFilterForm(forms.Form):
    document_type = forms.ChoiceField(
        label="公文种类", required=False, choices=[("", "全部"), *DocumentType.choices]
    )
    year = forms.IntegerField(label="年份", required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *DocumentStatus.choices]
    )
    organ = forms.IntegerField(
        label="发文机关", required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )


class VoidForm(forms.Form):
    reason = forms.CharField(
        label="作废原因",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "作废文号必须填写原因"},
    )


class NumberingRuleForm(forms.Form):
    """How an organ writes the 文号 of a document type; the organ list is the user's
    jurisdiction."""

    organ: forms.ModelChoiceField = forms.ModelChoiceField(
        label="发文机关", queryset=Org.objects.none(), empty_label="请选择"
    )
    document_type = forms.ChoiceField(label="公文种类", choices=DocumentType.choices)
    organ_prefix = forms.CharField(label="机关代字", max_length=12, help_text="如：昆纪")
    type_character = forms.CharField(label="类别字", max_length=4, help_text="如：预")

    def __init__(self, *args, organs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs  # type: ignore[attr-defined]
