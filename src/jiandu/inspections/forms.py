"""Forms of the 巡察 pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from jiandu.inspections.choices import RoundForm, RoundLevel
from jiandu.inspections.models import FocusItem, RoundTarget
from jiandu.orgs.forms import OrgMultipleChoiceField
from jiandu.orgs.models import Org
from jiandu.oversight.models import ProblemCategory
from jiandu.oversight.selectors import jurisdiction_units


class RoundCreateForm(forms.Form):
    """建立巡察轮次. Focus items chosen here apply to every target (菜单式 per target: API)."""

    name = forms.CharField(label="名称", max_length=100)
    form = forms.ChoiceField(label="巡察形式", choices=RoundForm.choices)
    level = forms.ChoiceField(label="层级", choices=RoundLevel.choices)
    starts_on = forms.DateField(label="进驻日期", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    targets = OrgMultipleChoiceField(
        label="被巡察单位",
        queryset=Org.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="按住 Ctrl 可多选；下属单位自动算作被巡察单位的一部分（回避时一并回避）",
    )
    focus_items = forms.ModelMultipleChoiceField(
        label="巡察重点事项",
        queryset=FocusItem.objects.filter(archived_at__isnull=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    team_size = forms.IntegerField(label="每组人数（含组长）", min_value=1, max_value=30, initial=5)
    required_skills = forms.CharField(
        label="每组必需专长",
        required=False,
        max_length=100,
        help_text="用顿号或逗号分隔，如 财务、审计",
    )
    cooldown_months = forms.IntegerField(
        label="回避冷却期（月）", min_value=0, max_value=120, initial=36
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {"starts_on": today, "ends_on": today})
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = jurisdiction_units(user)  # type: ignore[attr-defined]

    def skills(self) -> list[str]:
        text = self.cleaned_data.get("required_skills") or ""
        for sep in ("，", "、", ";", "；"):
            text = text.replace(sep, ",")
        return [part.strip() for part in text.split(",") if part.strip()]


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
