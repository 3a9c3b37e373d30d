"""Forms of the follow-up pages. Choices of records come from the user's jurisdiction;
the services validate again and :func:`add_service_errors` puts their messages on the
fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from jiandu.followup.choices import AccusationNature, ClarificationMethod, FeedbackMethod, Reply
from jiandu.orgs.forms import add_service_errors

__all__ = ["add_service_errors"]

DATE_INPUT = {"type": "date"}


def _date(label: str, *, required: bool = True, initial: Any = None) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )


def _text(label: str, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class FeedbackForm(forms.Form):
    done_on = _date("告知日期", initial=timezone.localdate)
    method = forms.ChoiceField(label="告知方式", choices=FeedbackMethod.choices)
    note = _text("告知内容摘要", required=False)


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(label="举报人评价", choices=Reply.choices, widget=forms.RadioSelect)
    reply_on = _date("评价日期", initial=timezone.localdate)
    objection = _text("异议内容（不满意时必填）", required=False)


class ExecutionForm(forms.Form):
    served_on = _date("处分决定送达日期", required=False)
    post_changed_on = _date("职务（级别）变更日期", required=False)
    pay_changed_on = _date("工资待遇变更日期", required=False)
    note = _text("说明", required=False, rows=2)

    def __init__(self, *args: Any, personnel: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not personnel:
            del self.fields["post_changed_on"]
            del self.fields["pay_changed_on"]


class VisitPlanForm(forms.Form):
    planned_on = _date("计划回访日期")
    visitors = forms.CharField(label="回访人员", max_length=100)


class VisitRecordForm(forms.Form):
    held_on = _date("回访日期", initial=timezone.localdate)
    findings = _text("回访情况（思想状况、工作表现、存在困难等）", rows=5)


class ClueNumberForm(forms.Form):
    clue = forms.CharField(label="线索编号", max_length=32)


class ClarificationForm(forms.Form):
    person: forms.ModelChoiceField = forms.ModelChoiceField(
        label="被澄清人", queryset=None, empty_label=None
    )
    method = forms.ChoiceField(label="澄清方式", choices=ClarificationMethod.choices)
    held_on = _date("澄清日期", initial=timezone.localdate)
    scope = forms.CharField(
        label="澄清范围", max_length=200, help_text="例如：所在单位党委（党组）会议"
    )
    note = _text("说明", required=False, rows=2)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["person"]
        field.queryset = people


class FalseAccusationForm(forms.Form):
    outcome: forms.ModelChoiceField = forms.ModelChoiceField(
        label="处理结果", queryset=None, empty_label=None
    )
    nature = forms.ChoiceField(label="性质", choices=AccusationNature.choices)
    found_on = _date("认定日期", initial=timezone.localdate)
    description = _text("认定情况", rows=4)

    def __init__(self, *args: Any, outcomes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["outcome"]
        field.queryset = outcomes
        field.label_from_instance = lambda o: (
            f"{o.subject_name or o.person or ''} {o.get_kind_display()}"
            f"{'（' + o.get_subtype_display() + '）' if o.subtype else ''} {o.decision_date}"
        )
