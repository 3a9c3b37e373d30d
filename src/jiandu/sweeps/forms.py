from __future__ import annotations

from django import forms

from jiandu.clues.choices import ClueStatus, DisposalMethod
from jiandu.sweeps.choices import SweepDecision


class SweepForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    disposal_method = forms.ChoiceField(
        label="处置方式", required=False, choices=[("", "不限"), *DisposalMethod.choices]
    )
    status = forms.ChoiceField(
        label="线索状态", required=False, choices=[("", "不限"), *ClueStatus.choices]
    )
    received_from = forms.DateField(
        label="受理日期自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label="受理日期至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


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
