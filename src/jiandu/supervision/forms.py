"""Forms of the 督导 pages. Every org offered comes from the user's jurisdiction (or the
campaign's units), people from the registry through the person picker; the services
validate again and :func:`add_service_errors` puts their messages on the fields."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone

from jiandu.clues.forms import MultipleFileField, PersonMultipleChoiceField
from jiandu.orgs.forms import OrgChoiceField, OrgMultipleChoiceField, add_service_errors
from jiandu.orgs.models import Org
from jiandu.oversight.models import ProblemCategory
from jiandu.oversight.selectors import jurisdiction_units
from jiandu.people.models import Person
from jiandu.people.selectors import person_list
from jiandu.supervision.choices import CampaignKind
from jiandu.supervision.models import Campaign, Team
from jiandu.supervision.services import DEFAULT_CHAIN_NAMES, ChainLevelSpec, EntryRow

__all__ = ["add_service_errors"]

DATE_INPUT = {"type": "date"}
CHAIN_SIZE = len(DEFAULT_CHAIN_NAMES)


def _date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )


class CampaignForm(forms.Form):
    """建立督导: period, 牵头单位, participating units and the 督导 chain (up to four
    levels, lowest first; a level left without a unit is not used)."""

    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=CampaignKind.choices)
    starts_on = _date_field("开始日期")
    ends_on = _date_field("结束日期")
    lead_org = OrgChoiceField(label="牵头单位", queryset=Org.objects.none())
    units = OrgMultipleChoiceField(
        label="责任部门（参与单位）",
        queryset=Org.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="按住 Ctrl 可多选；牵头单位自动参加",
    )
    description = forms.CharField(
        label="工作要求", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        today = timezone.localdate()
        initial: dict[str, Any] = {
            "starts_on": today,
            "ends_on": today.replace(month=12, day=31),
        }
        for i, name in enumerate(DEFAULT_CHAIN_NAMES, start=1):
            initial[f"chain_name_{i}"] = name
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        units = jurisdiction_units(user)
        cast(forms.ModelChoiceField, self.fields["lead_org"]).queryset = units
        cast(forms.ModelChoiceField, self.fields["units"]).queryset = units
        for i in range(1, CHAIN_SIZE + 1):
            self.fields[f"chain_name_{i}"] = forms.CharField(
                label=f"第{i}级督导层级", max_length=30, required=False
            )
            self.fields[f"chain_org_{i}"] = OrgChoiceField(
                label=f"第{i}级履职单位", queryset=units, required=False
            )

    def chain(self) -> list[ChainLevelSpec]:
        data = self.cleaned_data
        return [
            ChainLevelSpec(name=data[f"chain_name_{i}"] or "", org=data[f"chain_org_{i}"])
            for i in range(1, CHAIN_SIZE + 1)
            if data.get(f"chain_org_{i}") is not None
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for i in range(1, CHAIN_SIZE + 1):
            if data.get(f"chain_org_{i}") is not None and not (data.get(f"chain_name_{i}") or ""):
                self.add_error(f"chain_name_{i}", "请填写该层级的名称")
        return data


class TeamForm(forms.Form):
    name = forms.CharField(label="督导组名称", max_length=50, initial="督导问责组")
    members = PersonMultipleChoiceField(
        label="成员", queryset=Person.objects.none(), help_text="第一位成员为组长"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["members"]).queryset = person_list(user=user)

    def ordered_members(self) -> list[Person]:
        """The chosen people in the order they were picked (the first is 组长)."""
        chosen = {p.pk: p for p in self.cleaned_data["members"]}
        raw = self.data.getlist("members") if hasattr(self.data, "getlist") else []
        order = [int(i) for i in raw if str(i).isdigit()]
        return [chosen[i] for i in dict.fromkeys(order) if i in chosen]


class InspectionForm(forms.Form):
    held_on = _date_field("检查日期")
    team = forms.ModelChoiceField(label="督导组", queryset=Team.objects.none())
    units = OrgMultipleChoiceField(
        label="被检查单位", queryset=Org.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    method = forms.CharField(label="检查方式", max_length=50, initial="集中督导检查")
    summary = forms.CharField(
        label="检查情况", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any):
        kwargs.setdefault("initial", {"held_on": timezone.localdate(), "method": "集中督导检查"})
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = campaign.teams.all()
        units = Org.objects.filter(pk__in=campaign.units.values("org_id")).order_by("path")
        cast(forms.ModelChoiceField, self.fields["units"]).queryset = units


class FindingForm(forms.Form):
    """A problem found by a 督导检查 (it joins the 整改闭环 and the campaign's 问题清单)."""

    org = OrgChoiceField(label="责任单位", queryset=Org.objects.none())
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ModelChoiceField(label="问题类别", queryset=ProblemCategory.objects.none())
    evidence = MultipleFileField(label="问题证据", help_text="可多选文件")
    immediate = forms.BooleanField(label="立行立改（已当场整改到位，登记即销号）", required=False)
    immediate_reason = forms.CharField(
        label="立行立改情况", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notice = forms.BooleanField(
        label="下发限期整改通知（督促整改通知书，自动编文号）", required=False
    )

    def __init__(self, *args: Any, inspection: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["org"]).queryset = inspection.units.order_by(
            "path"
        )
        cast(
            forms.ModelChoiceField, self.fields["category"]
        ).queryset = ProblemCategory.objects.filter(archived_at__isnull=True)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("immediate"):
            if not (data.get("immediate_reason") or "").strip():
                self.add_error("immediate_reason", "立行立改须填写整改情况")
            if not data.get("evidence"):
                self.add_error("evidence", "立行立改须上传整改证据")
            if data.get("notice"):
                self.add_error("notice", "立行立改的问题已销号，无需下发限期整改通知")
        return data


class EntryForm(forms.Form):
    """One row of a list on the page; a row left blank is dropped."""

    item = forms.CharField(label="事项", max_length=200, required=False)
    detail = forms.CharField(
        label="具体内容", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible = forms.CharField(label="责任领导/责任人", max_length=100, required=False)
    due_on = _date_field("完成时限", required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        others = any(data.get(k) for k in ("detail", "responsible", "due_on", "note"))
        if others and not (data.get("item") or "").strip():
            self.add_error("item", "填写了其他内容的行须填写“事项”")
        return data

    def row(self) -> EntryRow | None:
        data = self.cleaned_data
        if not (data.get("item") or "").strip():
            return None
        return EntryRow(
            item=data["item"],
            detail=data.get("detail") or "",
            responsible=data.get("responsible") or "",
            due_on=data.get("due_on"),
            note=data.get("note") or "",
        )


EntryFormSet = forms.formset_factory(EntryForm, extra=3, max_num=500, absolute_max=500)


class ListUploadForm(forms.Form):
    file = forms.FileField(label="填好的模板（.xlsx）")
