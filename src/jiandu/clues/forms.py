"""Forms of the case-registry pages.

Every choice of an org, a person or a clue comes from the user's jurisdiction (the
selectors), so a tampered id is "not a valid choice" rather than a look outside it. The
services validate again; :func:`add_service_errors` puts their messages on the fields.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from jiandu.clues import lifecycle
from jiandu.clues.choices import (
    Channel,
    ClueAction,
    ClueSource,
    ClueStatus,
    Conclusion,
    DisposalMethod,
    OutcomeKind,
    OutcomeSubtype,
    PetitionStatus,
    ResponsibilityType,
)
from jiandu.clues.models import Clue, DomainTag
from jiandu.clues.selectors import ClueFilters, PetitionFilters, clue_list
from jiandu.clues.services import assigning_path
from jiandu.core.forms import LineField, ModelChoiceField, ModelMultipleChoiceField
from jiandu.orgs.choices import COMMISSION_KINDS
from jiandu.orgs.forms import OrgChoiceField, OrgMultipleChoiceField, add_service_errors
from jiandu.orgs.models import Org
from jiandu.orgs.selectors import org_list
from jiandu.people.models import Person
from jiandu.people.selectors import person_list

__all__ = ["add_service_errors"]

DATE_INPUT = {"type": "date"}
# Names of person-picker fields: "subject_people", "cases-0-persons" …
PICKER_FIELD = re.compile(r"^[a-z][a-z0-9_]*(-\d{1,3})?(-[a-z][a-z0-9_]*)?$")


def _today() -> dt.date:
    return timezone.localdate()


def _date_field(label: str, *, required: bool = True, initial: Any = None) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )


def _reason_field(label: str = "理由", *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 3}))


def _limit(form: forms.BaseForm, name: str, queryset: QuerySet) -> None:
    """Narrow a model-choice field to ``queryset`` (the user's jurisdiction)."""
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


def _offer(form: forms.BaseForm, name: str, choices: list[tuple[str, str]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


def _offered(form: forms.BaseForm, name: str) -> Any:
    field = form.fields[name]
    if isinstance(field, forms.ModelChoiceField):
        return field.queryset
    return cast(forms.ChoiceField, field).choices


def active_domains() -> QuerySet[DomainTag]:
    return DomainTag.objects.filter(archived_at__isnull=True).order_by("sort_order", "name")


def handling_orgs(user: Any) -> QuerySet[Org]:
    """Orgs of the user's jurisdiction that handle petitions and clues (commissions, their
    rooms and groups): never a supervised unit."""
    return org_list(user=user).filter(kind__in=COMMISSION_KINDS)


class PersonChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.name


class PersonMultipleChoiceField(ModelMultipleChoiceField):
    """People chosen with the search-and-chips picker: the ids travel as hidden inputs."""

    widget = forms.MultipleHiddenInput

    def label_from_instance(self, obj: Person) -> str:
        return obj.name


# --- uploads ---------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input. Each file over ``JIANDU_MAX_UPLOAD_BYTES`` is named in
    the error, and the form is refused before anything is stored."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [super(MultipleFileField, self).clean(item, initial) for item in items]
        files = [f for f in files if f]
        limit = settings.JIANDU_MAX_UPLOAD_BYTES
        too_big = [f.name for f in files if f.size > limit]
        if too_big:
            raise ValidationError(
                [
                    f"附件“{name}”超过大小上限（{limit / (1024 * 1024):g}MB），本次未保存任何内容"
                    for name in too_big
                ]
            )
        return files


# --- list filters ----------------------------------------------------------------


def _with_blank(label: str, choices: Any) -> list[tuple[str, str]]:
    return [("", label), *[(str(v), str(lbl)) for v, lbl in choices]]


class FilterForm(forms.Form):
    """Filters read from the query string. Invalid values are reported on their field and
    ignored; the rest still apply."""

    def values(self) -> dict[str, Any]:
        self.is_valid()
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value not in (None, "", False)
        }

    def describe(self) -> str:
        """The active filters in words (for the export's audit row)."""
        parts = []
        for name, value in self.values().items():
            field = self.fields[name]
            if isinstance(field, forms.BooleanField):
                shown = "是"
            elif isinstance(field, forms.ModelChoiceField):
                shown = str(value)
            elif isinstance(field, forms.ChoiceField):
                shown = str(dict(cast(list, field.choices)).get(value, value))
            else:
                shown = str(value)
            parts.append(f"{field.label}={shown}")
        return "；".join(parts) or "无"


class PetitionFilterForm(FilterForm):
    text = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "编号或标题", "type": "search"}),
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=_with_blank("全部", PetitionStatus.choices)
    )
    channel = forms.ChoiceField(
        label="渠道", required=False, choices=_with_blank("全部", Channel.choices)
    )
    domain = forms.ChoiceField(label="领域", required=False)
    received_from = _date_field("受理日期从", required=False)
    received_to = _date_field("至", required=False)
    repeat_only = forms.BooleanField(label="仅重复举报", required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _offer(self, "domain", _with_blank("全部", active_domains().values_list("code", "name")))

    def filters(self) -> PetitionFilters:
        return PetitionFilters(**self.values())


class ClueFilterForm(FilterForm):
    text = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "编号或标题", "type": "search"}),
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=_with_blank("全部", ClueStatus.choices)
    )
    source = forms.ChoiceField(
        label="来源", required=False, choices=_with_blank("全部", ClueSource.choices)
    )
    domain = forms.ChoiceField(label="领域", required=False)
    org = OrgChoiceField(
        label="承办单位", required=False, queryset=Org.objects.none(), empty_label="全部"
    )
    disposal_method = forms.ChoiceField(
        label="处置方式", required=False, choices=_with_blank("全部", DisposalMethod.choices)
    )
    received_from = _date_field("受理日期从", required=False)
    received_to = _date_field("至", required=False)
    overdue = forms.BooleanField(label="仅超期", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _offer(self, "domain", _with_blank("全部", active_domains().values_list("code", "name")))
        _limit(self, "org", handling_orgs(user))

    def filters(self) -> ClueFilters:
        values = self.values()
        org = values.pop("org", None)
        return ClueFilters(**values, org_id=org.pk if org else None)


# --- petitions -------------------------------------------------------------------


class PetitionForm(forms.Form):
    """登记信访件. The reporter's details are stored apart and encrypted (the service);
    the ID number is checked against GB 11643 there too."""

    received_date = _date_field("受理日期")
    channel = forms.ChoiceField(label="来源渠道", choices=Channel.choices)
    is_real_name = forms.BooleanField(label="实名举报", required=False)
    reporter_name = LineField(label="举报人姓名", max_length=50, required=False)
    reporter_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    reporter_id_number = forms.CharField(
        label="身份证号码",
        max_length=30,
        required=False,
        help_text="18位公民身份号码，系统按国家标准校验",
    )
    reporter_address = forms.CharField(label="联系地址", max_length=200, required=False)
    title = LineField(label="标题", max_length=200)
    content = forms.CharField(label="反映内容", widget=forms.Textarea(attrs={"rows": 8}))
    domains = ModelMultipleChoiceField(
        label="领域",
        queryset=DomainTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subject_people = PersonMultipleChoiceField(
        label="被反映人", queryset=Person.objects.none(), required=False
    )
    subject_orgs = OrgMultipleChoiceField(
        label="被反映单位",
        queryset=Org.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="按住 Ctrl 键可多选",
    )
    attachments = MultipleFileField(label="附件", help_text="可多选文件")

    reporter_fields = ("reporter_name", "reporter_phone", "reporter_id_number", "reporter_address")

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        kwargs.setdefault("initial", {"received_date": _today()})
        super().__init__(*args, **kwargs)
        _limit(self, "domains", active_domains())
        _limit(self, "subject_people", person_list(user=user))
        _limit(self, "subject_orgs", org_list(user=user))

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("attachments")
        for name in ("domains", "subject_people", "subject_orgs"):
            data[name] = list(data[name])
        return data


class TriageForm(forms.Form):
    """One triage action on a pending petition."""

    def __init__(self, *args: Any, user: Any, petition: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.petition = petition

    def is_available(self) -> bool:
        """False when the action has nothing to choose from (no org to hand it to)."""
        return True


class ConvertForm(TriageForm):
    title = LineField(
        label="线索标题", max_length=200, required=False, help_text="不填则沿用信访件标题"
    )
    handling_org = OrgChoiceField(
        label="承办单位",
        queryset=Org.objects.none(),
        required=False,
        empty_label="沿用信访件承办单位",
    )
    reason = _reason_field()

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _limit(self, "handling_org", handling_orgs(self.user))


class PetitionAssignForm(TriageForm):
    to_org = OrgChoiceField(label="交办至", queryset=Org.objects.none())
    reason = _reason_field()

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _limit(self, "to_org", handling_orgs(self.user).exclude(pk=self.petition.handling_org_id))

    def is_available(self) -> bool:
        return _offered(self, "to_org").exists()


class PetitionTransferForm(TriageForm):
    transferred_to = forms.CharField(
        label="转办至", max_length=100, help_text="如：市信访局、市人力资源和社会保障局"
    )
    reason = _reason_field()


class PetitionFileForm(TriageForm):
    reason = _reason_field("了结理由")


# --- clues -----------------------------------------------------------------------


DIRECT_SOURCES = [
    (value, label)
    for value, label in ClueSource.choices
    if value not in (ClueSource.PETITION, ClueSource.DATACHECK)
]


class ClueForm(forms.Form):
    """登记问题线索 from a source other than a petition (巡察移交, 审计移交 …)."""

    source = forms.ChoiceField(label="线索来源", choices=DIRECT_SOURCES)
    received_date = _date_field("受理日期")
    handling_org = OrgChoiceField(label="承办单位", queryset=Org.objects.none())
    title = LineField(label="标题", max_length=200)
    content = forms.CharField(
        label="主要问题", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    funds_involved = forms.DecimalField(
        label="涉及金额（元）", required=False, max_digits=14, decimal_places=2, min_value=0
    )
    domains = ModelMultipleChoiceField(
        label="领域",
        queryset=DomainTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subject_people = PersonMultipleChoiceField(
        label="被反映人", queryset=Person.objects.none(), required=False
    )
    subject_orgs = OrgMultipleChoiceField(
        label="被反映单位",
        queryset=Org.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="按住 Ctrl 键可多选",
    )
    attachments = MultipleFileField(label="附件", help_text="可多选文件")

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("received_date", _today())
        super().__init__(*args, **kwargs)
        orgs = handling_orgs(user)
        _limit(self, "handling_org", orgs)
        if user.org_id and "handling_org" not in initial:
            self.fields["handling_org"].initial = user.org_id
        _limit(self, "domains", active_domains())
        _limit(self, "subject_people", person_list(user=user))
        _limit(self, "subject_orgs", org_list(user=user))

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("attachments")
        for name in ("domains", "subject_people", "subject_orgs"):
            data[name] = list(data[name])
        return data


class ClueActionForm(forms.Form):
    """One lifecycle action on a clue. ``service_fields`` are ``clue_apply``'s keywords."""

    action: str = ""
    on_date = _date_field("日期", required=False)

    def __init__(self, *args: Any, user: Any, clue: Clue, **kwargs: Any):
        kwargs.setdefault("prefix", self.action)
        kwargs.setdefault("initial", {"on_date": _today()})
        super().__init__(*args, **kwargs)
        self.user = user
        self.clue = clue

    def is_available(self) -> bool:
        """False when the action has nothing to choose from (no higher commission …)."""
        return True

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class DisposeForm(ClueActionForm):
    action = ClueAction.DISPOSE
    method = forms.ChoiceField(label="处置方式", choices=DisposalMethod.choices)
    note = _reason_field("说明", required=False)
    field_order = ["method", "on_date", "note"]


class ChangeDisposalForm(ClueActionForm):
    action = ClueAction.CHANGE_DISPOSAL
    method = forms.ChoiceField(label="变更为")
    note = _reason_field("变更理由")
    field_order = ["method", "on_date", "note"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        allowed = lifecycle.DISPOSAL_CHANGES.get(self.clue.disposal_method, frozenset())
        _offer(
            self,
            "method",
            [(value, str(label)) for value, label in DisposalMethod.choices if value in allowed],
        )

    def is_available(self) -> bool:
        return bool(_offered(self, "method"))


class CloseForm(ClueActionForm):
    action = ClueAction.CLOSE
    conclusion = forms.ChoiceField(label="办结结论", choices=Conclusion.choices)
    conclusion_text = _reason_field("办结情况", required=False)
    field_order = ["conclusion", "on_date", "conclusion_text"]


class ExtendForm(ClueActionForm):
    """延期: a later 办理期限 for the stage under way (must be after the current one)."""

    action = ClueAction.EXTEND
    new_due = _date_field("延期至")
    note = _reason_field("延期理由")
    field_order = ["new_due", "on_date", "note"]

    def is_available(self) -> bool:
        return self.clue.due_date is not None

    def clean_new_due(self) -> dt.date:
        new_due = self.cleaned_data["new_due"]
        if self.clue.due_date is not None and new_due <= self.clue.due_date:
            raise ValidationError(f"延期后的办理期限应晚于原期限（{self.clue.due_date:%Y-%m-%d}）")
        return new_due


class MoveForm(ClueActionForm):
    """提级查办, 直查直办 (to a higher commission) and 交办 (to a lower one)."""

    upward = True
    to_org = OrgChoiceField(label="目标单位", queryset=Org.objects.none())
    note = _reason_field()
    field_order = ["to_org", "on_date", "note"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        current = self.clue.handling_org
        orgs = handling_orgs(self.user).exclude(pk=current.pk)
        if self.upward:
            ancestors = [int(i) for i in current.path.strip("/").split("/") if i]
            orgs = orgs.filter(pk__in=ancestors)
        else:
            orgs = orgs.filter(path__startswith=assigning_path(current))
        _limit(self, "to_org", orgs)

    def is_available(self) -> bool:
        return _offered(self, "to_org").exists()


class EscalateForm(MoveForm):
    action = ClueAction.ESCALATE


class DirectHandleForm(MoveForm):
    action = ClueAction.DIRECT_HANDLE


class AssignDownForm(MoveForm):
    action = ClueAction.ASSIGN_DOWN
    upward = False


CLUE_ACTION_FORMS: dict[str, type[ClueActionForm]] = {
    form.action: form
    for form in (
        DisposeForm,
        ChangeDisposalForm,
        CloseForm,
        EscalateForm,
        DirectHandleForm,
        AssignDownForm,
        ExtendForm,
    )
}


# --- outcomes --------------------------------------------------------------------


class OutcomeForm(forms.Form):
    """录入处理结果 for one person. The 处理方式 offered depend on the 处理类别; the
    责任类型 is asked for 问责 only."""

    person = PersonChoiceField(
        label="处理对象", queryset=Person.objects.none(), required=False, widget=forms.RadioSelect
    )
    subject_name = LineField(
        label="对象姓名",
        max_length=50,
        required=False,
        help_text="处理对象未登记为党员干部时填写（如诬告陷害查处）",
    )
    kind = forms.ChoiceField(label="处理类别", choices=_with_blank("请选择", OutcomeKind.choices))
    subtype = forms.ChoiceField(label="处理方式", required=False)
    responsibility_type = forms.ChoiceField(
        label="责任类型", required=False, choices=_with_blank("请选择", ResponsibilityType.choices)
    )
    decision_date = _date_field("决定日期")
    funds_recovered = forms.DecimalField(
        label="追缴挽回资金（元）",
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        initial=0,
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, clue: Clue, **kwargs: Any):
        kwargs.setdefault("prefix", "outcome")
        kwargs.setdefault("initial", {"decision_date": _today(), "funds_recovered": 0})
        super().__init__(*args, **kwargs)
        self.clue = clue
        visible = person_list(user=user).values("pk")
        subjects = clue.subject_people.values("pk")
        _limit(
            self,
            "person",
            Person.objects.filter(Q(pk__in=visible) | Q(pk__in=subjects)).order_by("name", "pk"),
        )
        self.chosen_kind = (self.data.get(self.add_prefix("kind")) if self.is_bound else None) or (
            self.initial.get("kind", "")
        )
        _offer(self, "subtype", self.subtype_choices(self.chosen_kind))
        # Choosing a 处理类别 reloads the 处理方式 (and 责任类型) that go with it.
        self.fields["kind"].widget.attrs.update(
            {
                "hx-get": reverse("clues:outcome_kind_fields", args=[clue.pk]),
                "hx-target": "#outcome-kind-fields",
                "hx-trigger": "change",
            }
        )

    @staticmethod
    def subtype_choices(kind: str) -> list[tuple[str, str]]:
        subtypes = lifecycle.OUTCOME_SUBTYPES.get(kind, ())
        if not subtypes:
            return [("", "（不区分处理方式）" if kind else "请先选择处理类别")]
        return [("", "请选择"), *[(s, str(OutcomeSubtype(s).label)) for s in subtypes]]

    @property
    def needs_responsibility(self) -> bool:
        return self.chosen_kind in lifecycle.RESPONSIBILITY_REQUIRED

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if not self.needs_responsibility:
            data["responsibility_type"] = ""
        data["funds_recovered"] = data.get("funds_recovered") or 0
        return data


class OutcomeArchiveForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=200)


# --- exposure batches ------------------------------------------------------------


class ExposureBatchForm(forms.Form):
    title = LineField(label="标题", max_length=200)
    published_on = _date_field("通报日期")
    medium = forms.CharField(
        label="发布载体", max_length=100, required=False, help_text="如：市纪委监委网站"
    )
    domains = ModelMultipleChoiceField(
        label="领域",
        queryset=DomainTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("initial", {"published_on": _today()})
        super().__init__(*args, **kwargs)
        _limit(self, "domains", active_domains())


class ExposureCaseForm(forms.Form):
    """One typical case (起): title, the clue it came from (by number), its persons."""

    title = LineField(label="典型问题", max_length=200)
    clue_number = forms.CharField(label="线索编号", max_length=32, required=False)
    persons = PersonMultipleChoiceField(
        label="涉及人员", queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        _limit(self, "persons", person_list(user=user))

    def clean_clue_number(self) -> Clue | None:
        number = self.cleaned_data["clue_number"].strip()
        if not number:
            return None
        clue = clue_list(user=self.user).filter(number=number).first()
        if clue is None:
            raise ValidationError(f"线索编号“{number}”不存在或不在您的管辖范围内")
        return clue


class BaseExposureCaseFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"user": self.user}

    def cases(self) -> list[dict[str, Any]]:
        return [
            {
                "title": form.cleaned_data["title"],
                "clue": form.cleaned_data.get("clue_number"),
                "persons": list(form.cleaned_data.get("persons") or []),
            }
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


ExposureCaseFormSet = cast(
    type[BaseExposureCaseFormSet],
    forms.formset_factory(
        ExposureCaseForm, formset=BaseExposureCaseFormSet, extra=3, max_num=200, absolute_max=200
    ),
)
