"""Forms of the rectification pages. Every choice of an org comes from the user's
jurisdiction (a tampered id is "not a valid choice"); the services validate again and
:func:`add_service_errors` puts their messages on the fields."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone

from jiandu.clues.forms import FilterForm, MultipleFileField
from jiandu.core.choices import CalendarDayKind, PeriodKind
from jiandu.orgs.forms import OrgChoiceField, add_service_errors
from jiandu.orgs.models import Org
from jiandu.oversight import selectors
from jiandu.oversight.choices import InterviewKind, RectificationAction
from jiandu.oversight.models import ProblemCategory, ProblemSource
from jiandu.oversight.services import Upload

__all__ = ["add_service_errors"]

DATE_INPUT = {"type": "date"}


def _date_field(label: str, *, required: bool = True, initial: Any = None) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )


def uploads(files: list[Any]) -> list[Upload]:
    """Uploaded files as the services take them."""
    return [Upload(f.name, f.read(), getattr(f, "content_type", "") or "") for f in files]


def _sources() -> Any:
    return ProblemSource.objects.filter(archived_at__isnull=True)


def _categories() -> Any:
    return ProblemCategory.objects.filter(archived_at__isnull=True)


class ProblemFilterForm(FilterForm):
    text = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "编号或描述", "type": "search"}),
    )
    stage = forms.ChoiceField(
        label="整改状态",
        required=False,
        choices=[("", "全部"), *selectors.STAGE_LABELS.items()],
    )
    source = forms.ModelChoiceField(
        label="问题来源", required=False, queryset=ProblemSource.objects.all(), empty_label="全部"
    )
    category = forms.ModelChoiceField(
        label="问题类别",
        required=False,
        queryset=ProblemCategory.objects.all(),
        empty_label="全部",
    )
    org = OrgChoiceField(
        label="责任单位", required=False, queryset=Org.objects.none(), empty_label="全部"
    )
    overdue = forms.BooleanField(label="仅超期", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["org"]).queryset = selectors.jurisdiction_units(
            user
        )

    def filters(self) -> selectors.ProblemFilters:
        values = self.values()
        return selectors.ProblemFilters(
            stage=values.get("stage", ""),
            source_id=values["source"].pk if values.get("source") else None,
            category_id=values["category"].pk if values.get("category") else None,
            org_id=values["org"].pk if values.get("org") else None,
            overdue=bool(values.get("overdue")),
            text=values.get("text", ""),
        )


class ProblemForm(forms.Form):
    """登记问题: a supervising body records a finding about a unit in its jurisdiction;
    with 立行立改 and evidence it is closed at once."""

    org = OrgChoiceField(label="责任单位", queryset=Org.objects.none())
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 5}))
    source = forms.ModelChoiceField(label="问题来源", queryset=ProblemSource.objects.none())
    category = forms.ModelChoiceField(label="问题类别", queryset=ProblemCategory.objects.none())
    found_on = _date_field("发现日期")
    supervising_org = OrgChoiceField(label="监督责任单位", queryset=Org.objects.none())
    evidence = MultipleFileField(label="问题证据", help_text="可多选文件")
    immediate = forms.BooleanField(
        label="立行立改（已当场整改到位，登记即销号）",
        required=False,
    )
    immediate_reason = forms.CharField(
        label="立行立改情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="勾选立行立改时必填，并须上传整改证据",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        kwargs.setdefault("initial", {"found_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        fields = self.fields
        cast(forms.ModelChoiceField, fields["org"]).queryset = selectors.jurisdiction_units(user)
        cast(forms.ModelChoiceField, fields["source"]).queryset = _sources()
        cast(forms.ModelChoiceField, fields["category"]).queryset = _categories()
        supervising = selectors.supervising_orgs(user)
        cast(forms.ModelChoiceField, fields["supervising_org"]).queryset = supervising
        if supervising.count() >= 1 and not self.is_bound:
            self.initial.setdefault("supervising_org", supervising.last())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("immediate"):
            if not (data.get("immediate_reason") or "").strip():
                self.add_error("immediate_reason", "立行立改须填写整改情况")
            if not data.get("evidence"):
                self.add_error("evidence", "立行立改须上传整改证据")
        found_on = data.get("found_on")
        if found_on and found_on > timezone.localdate():
            self.add_error("found_on", "发现日期不能晚于今天")
        return data


class MoveForm(forms.Form):
    """One move of a rectification; which fields apply depends on the move."""

    action = forms.ChoiceField(choices=RectificationAction.choices, widget=forms.HiddenInput)
    text = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    new_due = _date_field("新期限", required=False)
    attachments = MultipleFileField(label="附件", help_text="可多选文件")


# Per move: its button, the fields it shows (with their labels) and whether files go along.
MOVE_FIELDS: dict[str, dict[str, str]] = {
    RectificationAction.SIGN: {},
    RectificationAction.PLAN: {"text": "整改方案", "attachments": "方案附件"},
    RectificationAction.SUBMIT: {"text": "整改报告", "attachments": "报告附件"},
    RectificationAction.ACCEPT: {"reason": "验收意见", "attachments": "验收材料"},
    RectificationAction.REJECT: {"reason": "不通过的理由"},
    RectificationAction.EXTEND: {"new_due": "延期至", "reason": "延期理由"},
    RectificationAction.IMMEDIATE: {"reason": "立行立改情况", "attachments": "整改证据"},
}


class FollowUpForm(forms.Form):
    recurred = forms.TypedChoiceField(
        label="检查结果",
        choices=[("0", "未发现反弹"), ("1", "问题反弹（重新登记问题）")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    checked_on = _date_field("检查日期")
    note = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 4}))
    recurrence_description = forms.CharField(
        label="反弹问题描述",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="问题反弹时填写；不填则按检查情况登记",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("initial", {"checked_on": timezone.localdate(), "recurred": "0"})
        super().__init__(*args, **kwargs)


class InterviewForm(forms.Form):
    kind = forms.ChoiceField(label="谈话类型", choices=InterviewKind.choices)
    held_on = _date_field("谈话日期")
    leader = forms.CharField(label="谈话领导", max_length=100, help_text="姓名及职务")
    participants = forms.CharField(
        label="参加人员",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="谈话对象及其他参加人员",
    )
    minutes = forms.CharField(label="谈话记录", widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(label="附件", help_text="约谈通知、签字的谈话记录等")

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_held_on(self) -> dt.date:
        held_on: dt.date = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError("谈话日期不能晚于今天")
        return held_on


# --- the working-day calendar and the deadline table ---------------------------------


class CalendarImportForm(forms.Form):
    file = forms.FileField(
        label="日历文件",
        help_text="CSV（表头 date,kind 或 日期,类型）或 Excel（.xlsx，第一行为表头）；"
        "类型为“休”或“班”。文件中出现的年份整体替换，任何一行有误则全部不导入。",
    )


class CalendarDayForm(forms.Form):
    date = _date_field("日期")
    kind = forms.ChoiceField(
        label="类型",
        choices=[*CalendarDayKind.choices, ("", "按周计（清除标记）")],
        required=False,
    )
    note = forms.CharField(label="说明", max_length=50, required=False)


class DeadlineRuleForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput)
    period_kind = forms.ChoiceField(label="计算方式", choices=PeriodKind.choices)
    length = forms.IntegerField(label="期限长度", min_value=1, max_value=3650)
    basis = forms.CharField(label="依据", max_length=200, required=False)
    reason = forms.CharField(label="修改原因", widget=forms.Textarea(attrs={"rows": 2}))
