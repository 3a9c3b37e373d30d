"""Forms of the 巡察 pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from jiandu.inspections.choices import (
    CheckOutcomeKind,
    CommentOutcome,
    LedgerKind,
    LedgerStatus,
    ReportKind,
    RoundForm,
    RoundLevel,
)
from jiandu.inspections.models import CheckTopic, FocusItem, RoundTarget
from jiandu.orgs.forms import OrgMultipleChoiceField
from jiandu.orgs.models import Org
from jiandu.oversight.models import ProblemCategory
from jiandu.oversight.selectors import jurisdiction_units


class RoundCreateForm(forms.Form):
    """建立巡察轮次. Focus items chosen here apply to every target (菜单式 per target: API)."""

    name = forms.CharField(label="名称", max_length=100)
    form = forms.ChoiceField(label="巡察形式", choices=RoundForm.choices)
    level = forms.ChoiceField(label="层级", choices=RoundLevel.choices)
    starts_on = forms.DateField(
        label="进驻日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label="结束日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
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


# --- 单元制, 双报告, 三本账 ------------------------------------------------------------


class EscalationDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="决定", choices=[("confirm", "确认提级"), ("decline", "不提级")]
    )
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class UnitCreateForm(forms.Form):
    """建立监督单元: 1 派驻组 + 1 镇（园区）纪（工）委或纪检监察室 + departments and
    村务监督委员会, and the units it covers."""

    name = forms.CharField(label="名称", max_length=60)
    stationed = forms.ModelChoiceField(label="派驻纪检监察组", queryset=Org.objects.none())
    township = forms.ModelChoiceField(
        label="镇（园区）纪（工）委、纪检监察室", queryset=Org.objects.none()
    )
    departments = OrgMultipleChoiceField(
        label="职能部门", queryset=Org.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    village_committees = OrgMultipleChoiceField(
        label="村务监督委员会", queryset=Org.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    covered = OrgMultipleChoiceField(
        label="监督单位", queryset=Org.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}), help_text="按住 Ctrl 可多选",
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = jurisdiction_units(user)
        for name in ("stationed", "township", "departments", "village_committees", "covered"):
            self.fields[name].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        """A member org under one heading only: the later field names the repeat."""
        super().clean()
        data = self.cleaned_data
        seen: dict[Org, str] = {}
        for name in ("stationed", "township", "departments", "village_committees"):
            value = data.get(name)
            chosen = [value] if isinstance(value, Org) else list(value or [])
            for org in chosen:
                if org in seen:
                    self.add_error(name, f"{org.name}已选为{seen[org]}，每个单位只能以一种身份加入")
                else:
                    seen[org] = str(self.fields[name].label)
        return data

    def members(self) -> list[tuple[Org, str]]:
        data = self.cleaned_data
        return [
            (data["stationed"], "stationed"),
            (data["township"], "township"),
            *((o, "department") for o in data["departments"]),
            *((o, "village_committee") for o in data["village_committees"]),
        ]


class CoveragePlanForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    orgs = OrgMultipleChoiceField(
        label="年度监督单位", queryset=Org.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    key = OrgMultipleChoiceField(
        label="其中重点检查", queryset=Org.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args: Any, unit: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        covered = unit.covered.order_by("path")
        self.fields["orgs"].queryset = covered  # type: ignore[attr-defined]
        self.fields["key"].queryset = covered  # type: ignore[attr-defined]


class CheckCreateForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    topic = forms.ModelChoiceField(
        label="专项检查类别", queryset=CheckTopic.objects.filter(archived_at__isnull=True),
        to_field_name="name",
    )  # fmt: skip
    held_on = forms.DateField(
        label="检查日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    targets = OrgMultipleChoiceField(
        label="被检查单位", queryset=Org.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    team_size = forms.IntegerField(label="检查组人数", min_value=1, max_value=15, initial=3)
    required_skills = forms.CharField(
        label="必需专长", required=False, max_length=100, help_text="用顿号或逗号分隔"
    )

    def __init__(self, *args: Any, unit: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = unit.covered.order_by("path")  # type: ignore[attr-defined]

    def skills(self) -> list[str]:
        text = self.cleaned_data.get("required_skills") or ""
        for sep in ("，", "、", ";", "；"):
            text = text.replace(sep, ",")
        return [part.strip() for part in text.split(",") if part.strip()]


class CheckFindingForm(forms.Form):
    org = forms.ModelChoiceField(label="被检查单位", queryset=Org.objects.none())
    category = forms.ModelChoiceField(
        label="问题类别", queryset=ProblemCategory.objects.filter(archived_at__isnull=True)
    )
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, check: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = check.targets.order_by("path")  # type: ignore[attr-defined]


class CheckOutcomeForm(forms.Form):
    kind = forms.ChoiceField(label="处理", choices=CheckOutcomeKind.choices)
    org = forms.ModelChoiceField(label="单位", queryset=Org.objects.none())
    person_name = forms.CharField(
        label="对象", required=False, max_length=50, help_text="谈话、诫勉须写明对象（姓名、职务）"
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, check: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = check.targets.order_by("path")  # type: ignore[attr-defined]


class ReportFileForm(forms.Form):
    target = forms.ModelChoiceField(label="被巡察单位", queryset=RoundTarget.objects.none())
    kind = forms.ChoiceField(label="报告类型", choices=ReportKind.choices)
    text = forms.CharField(label="报告内容", widget=forms.Textarea(attrs={"rows": 6}))
    file = forms.FileField(label="报告文件", required=False, help_text="签发的报告（可选）")

    def __init__(self, *args: Any, round: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        field.queryset = round.targets.select_related("org")  # type: ignore[attr-defined]
        field.label_from_instance = lambda t: t.org.name  # type: ignore[attr-defined]


class ReportCommentForm(forms.Form):
    text = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label="处理", choices=CommentOutcome.choices)
    category = forms.ModelChoiceField(
        label="问题类别（发现问题时）", required=False,
        queryset=ProblemCategory.objects.filter(archived_at__isnull=True),
    )  # fmt: skip
    clue_title = forms.CharField(label="线索标题（发现问题线索时）", required=False, max_length=100)


class LedgerRowForm(forms.Form):
    county = forms.ModelChoiceField(label="县区", queryset=Org.objects.none())
    kind = forms.ChoiceField(label="台账", choices=LedgerKind.choices)
    title = forms.CharField(label="事项", max_length=200)
    clue_number = forms.CharField(
        label="关联线索编号", required=False, max_length=40,
        help_text="巡察移交问题线索台账须关联一件巡察移交的线索",
    )  # fmt: skip
    problem_number = forms.CharField(label="关联问题编号", required=False, max_length=40)

    def __init__(self, *args: Any, counties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties  # type: ignore[attr-defined]


class LedgerProgressForm(forms.Form):
    month = forms.DateField(
        label="月份", widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m"]
    )
    file = forms.FileField(label="月报表（.xlsx）", help_text="下载的模板填好进展和状态后上传")


class LedgerRowReportForm(forms.Form):
    month = forms.DateField(
        label="月份", widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m"],
    )  # fmt: skip
    status = forms.ChoiceField(label="状态", choices=LedgerStatus.choices)
    progress = forms.CharField(label="进展", widget=forms.Textarea(attrs={"rows": 3}))
