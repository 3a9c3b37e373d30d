from __future__ import annotations

from typing import Any

from django import forms

from jiandu.clues.choices import ClueSource, ClueStatus, DisposalMethod
from jiandu.clues.forms import handling_orgs
from jiandu.orgs.forms import OrgChoiceField
from jiandu.orgs.models import Org
from jiandu.people.choices import ManagementLevel
from jiandu.sweeps.choices import SweepDecision


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _several(label: str, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选即不限；选多项时符合任一项即可",
    )


class SweepForm(forms.Form):
    """The campaign's name and its clue filters (:mod:`jiandu.sweeps.filters`); the
    承办单位 offered are the handling units of the user's jurisdiction (commissions,
    their rooms and groups)."""

    name = forms.CharField(label="名称", max_length=100)
    disposal_method = _several("处置方式", DisposalMethod.choices)
    status = _several("线索状态", ClueStatus.choices)
    source = _several("线索来源", ClueSource.choices)
    received_from = _date("受理日期自")
    received_to = _date("受理日期至")
    disposed_from = _date("处置日期自")
    disposed_to = _date("处置日期至")
    handling_org = OrgChoiceField(
        label="承办单位", required=False, queryset=Org.objects.none(), empty_label="不限"
    )
    include_sub = forms.BooleanField(label="含承办单位的下级单位", required=False)
    subject_level = _several("被反映人职级（受理时的干部管理层级）", ManagementLevel.choices)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["handling_org"]
        field.queryset = handling_orgs(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for label, start, end in (
            ("受理日期", "received_from", "received_to"),
            ("处置日期", "disposed_from", "disposed_to"),
        ):
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, f"{label}的截止日期早于起始日期")
        if data.get("include_sub") and not data.get("handling_org"):
            self.add_error("include_sub", "请先选择承办单位")
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="复核意见",
        choices=[c for c in SweepDecision.choices if c[0]],
        widget=forms.RadioSelect,
    )
    new_method = forms.ChoiceField(
        label="拟处置方式", required=False, choices=[("", "—"), *DisposalMethod.choices]
    )
    note = forms.CharField(
        label="复核说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CollectiveReviewForm(forms.Form):
    title = forms.CharField(label="会议名称", max_length=100)
    held_on = forms.DateField(label="会议日期", widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.CharField(label="参会人员", widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label="会议纪要", widget=forms.Textarea(attrs={"rows": 4}))
    decisions = forms.CharField(
        label="排查决定（每行：线索编号，处置方式，理由）",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
