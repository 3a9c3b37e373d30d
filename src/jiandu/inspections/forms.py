"""Forms of the 巡察 pages."""

from __future__ import annotations

from typing import Any

from django import forms

from jiandu.inspections.models import FocusItem, RoundTarget
from jiandu.oversight.models import ProblemCategory


class DrawForm(forms.Form):
    seed = forms.IntegerField(
        label="随机种子",
        required=False,
        min_value=0,
        help_text="留空则自动选取；同一种子、同样的人才库得到同样的组",
    )


class StageForm(forms.Form):
    note = forms.CharField(label="说明", required=False, max_length=500)


class FindingForm(forms.Form):
    target = forms.ModelChoiceField(label="被巡察单位", queryset=RoundTarget.objects.none())
    focus_item = forms.ModelChoiceField(
        label="重点事项", queryset=FocusItem.objects.filter(archived_at__isnull=True),
        required=False,
    )  # fmt: skip
    category = forms.ModelChoiceField(
        label="问题类别", queryset=ProblemCategory.objects.filter(archived_at__isnull=True)
    )
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, round: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        field.queryset = round.targets.select_related("org")  # type: ignore[attr-defined]
        field.label_from_instance = lambda t: t.org.name  # type: ignore[attr-defined]
