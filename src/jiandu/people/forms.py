"""Forms of the cadre registry pages. The ID number is validated by the service (GB 11643)
and its error lands on the field; the full number is never put back into a form."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.forms import LineField
from jiandu.orgs.forms import OrgChoiceField
from jiandu.orgs.models import Org
from jiandu.orgs.selectors import org_list
from jiandu.people.choices import Gender, ManagementLevel, PoliticalStatus
from jiandu.people.models import Person

_SEARCH_KEY = re.compile(r"^[0-9a-f]{64}$")


def date_input() -> forms.DateInput:
    # ISO values: what <input type="date"> reads, whatever the page's locale.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def id_search_key_param(value: str) -> str | None:
    """The ``idk`` query parameter: an ID-number search carried as the number's keyed
    hash, so that links (next page, export) never contain the number itself. "" when
    absent, None when malformed."""
    if not value:
        return ""
    return value if _SEARCH_KEY.match(value) else None


class PersonFilterForm(forms.Form):
    """The person list's filters (an ID-number search arrives as ``idk``, outside the
    form, so a new search from the filter bar replaces it)."""

    q = forms.CharField(
        label="姓名或身份证号",
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={"placeholder": "姓名或完整身份证号码", "autocomplete": "off"}
        ),
    )
    org = OrgChoiceField(label="任职单位", queryset=Org.objects.none(), required=False)
    level = forms.ChoiceField(
        label="干部管理层级", required=False, choices=[("", "全部"), *ManagementLevel.choices]
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_list(user=user)  # type: ignore[attr-defined]
        self.fields["org"].empty_label = "全部"  # type: ignore[attr-defined]


class PersonForm(forms.Form):
    name = LineField(label="姓名", max_length=50)
    id_number = forms.CharField(
        label="身份证号码",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="18位公民身份号码；填写后自动带出出生日期和性别",
    )
    gender = forms.ChoiceField(label="性别", choices=[("", "—"), *Gender.choices], required=False)
    birth_date = forms.DateField(label="出生日期", required=False, widget=date_input())
    political_status = forms.ChoiceField(
        label="政治面貌", choices=PoliticalStatus.choices, initial=PoliticalStatus.PARTY_MEMBER
    )
    registered_org = OrgChoiceField(label="登记单位", queryset=Org.objects.none())
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, instance: Person | None = None, **kwargs: Any):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            # The ID number is deliberately not an initial value: the edit page must not
            # carry the full number. Left empty, it is kept unchanged.
            kwargs["initial"] = {
                "name": instance.name,
                "gender": instance.gender,
                "birth_date": instance.birth_date,
                "political_status": instance.political_status,
                "registered_org": instance.registered_org_id,
                "note": instance.note,
            }
        super().__init__(*args, **kwargs)
        self.fields["registered_org"].queryset = org_list(user=user)  # type: ignore[attr-defined]
        if instance is not None:
            current = instance.masked_id()
            self.fields["id_number"].help_text = (
                f"当前：{current}。留空则不修改；填写则替换为新号码"
                if current
                else "尚未登记身份证号码；填写后自动带出出生日期和性别"
            )
            if instance.id_masked and not user.has_perm("people.view_id_number"):
                # Derived from the ID number: shown (and edited) only with the right to
                # see ID numbers; a new number re-derives them.
                del self.fields["birth_date"]
                del self.fields["gender"]
            if instance.registered_org_id not in jurisdiction_org_ids(user):
                # Registered outside the user's jurisdiction: visible through a post, but
                # the registration stays where it is.
                del self.fields["registered_org"]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if self.instance is not None and not data.get("id_number"):
            data.pop("id_number", None)
        return data


class PostForm(forms.Form):
    org = OrgChoiceField(label="任职单位", queryset=Org.objects.none())
    title = LineField(label="职务", max_length=100)
    management_level = forms.ChoiceField(label="干部管理层级", choices=ManagementLevel.choices)
    is_leader = forms.BooleanField(label="单位主要负责人", required=False)
    start_date = forms.DateField(label="任职日期", widget=date_input())
    end_date = forms.DateField(
        label="免职日期",
        required=False,
        widget=date_input(),
        help_text="现任职务留空",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_list(user=user)  # type: ignore[attr-defined]


class PostEndForm(forms.Form):
    end_date = forms.DateField(label="免职日期", widget=date_input())
