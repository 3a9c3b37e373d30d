"""Forms of the 零报告, 对账销账 and 质询会 pages. Orgs and problems are offered from the
user's jurisdiction only; the services validate again and :func:`add_service_errors`
puts their messages on the fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiandu.orgs.forms import OrgChoiceField, add_service_errors
from jiandu.orgs.models import Org
from jiandu.oversight.models import Problem
from jiandu.oversight.selectors import supervising_orgs
from jiandu.people.models import Person
from jiandu.reconciliation.choices import AccountabilityForm as AccountabilityKind
from jiandu.reconciliation.choices import InquiryDecision
from jiandu.reconciliation.periods import Period, period_of, period_parse
from jiandu.reconciliation.services import inquiry_units, scope_units

__all__ = ["add_service_errors"]

DATE_INPUT = {"type": "date"}


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"))


class PeriodField(forms.CharField):
    """A period as people write it (2026Q3, 2026-09, 2026H1, 2026); cleans to a Period."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("label", "期间")
        kwargs.setdefault(
            "help_text", "如 2026Q3（季度）、2026-09（月）、2026H1（半年）、2026（年）"
        )
        super().__init__(max_length=8, **kwargs)

    def clean(self, value: Any) -> Period | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        try:
            return period_parse(text)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["period"]) from None


def current_period_key() -> str:
    return period_of(timezone.localdate()).key


def _units(user: Any) -> Any:
    return scope_units(actor=user).order_by("path")


class DetectForm(forms.Form):
    period = PeriodField()
    within = OrgChoiceField(
        label="范围",
        required=False,
        queryset=Org.objects.none(),
        empty_label="管辖范围内全部单位",
        help_text="只检测该单位及其下属单位（可不选）",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        kwargs.setdefault("initial", {"period": current_period_key()})
        super().__init__(*args, **kwargs)
        from jiandu.orgs.selectors import org_list

        cast(forms.ModelChoiceField, self.fields["within"]).queryset = org_list(user=user)


class RuleForm(forms.Form):
    zero_min_other = forms.IntegerField(
        label="零报告：其他来源至少（件）",
        min_value=0,
        help_text="自查为0且其他来源问题和信访举报达到此数即标记；填0表示自查为0即标记",
    )
    share_percent = forms.DecimalField(
        label="自查占比下限（%）",
        min_value=Decimal(0),
        max_value=Decimal(1000),
        decimal_places=1,
        help_text="自查问题数低于其他来源件数的此百分比即标记（恰好等于不标记）",
    )
    share_min_other = forms.IntegerField(label="占比规则：其他来源至少（件）", min_value=1)
    basis = forms.CharField(label="依据", max_length=200, required=False)
    reason = forms.CharField(label="修改原因", widget=forms.Textarea(attrs={"rows": 2}))


class SuperviseForm(forms.Form):
    supervised_on = _date_field("专项督导日期")
    note = forms.CharField(label="专项督导情况", widget=forms.Textarea(attrs={"rows": 3}))


class LedgerSelectForm(forms.Form):
    org = OrgChoiceField(label="单位", queryset=Org.objects.none())
    period = PeriodField()

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["org"]).queryset = _units(user)


class ProblemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Problem) -> str:
        return f"{obj.number} {obj.found_on:%Y-%m-%d} {obj.category.name}：{obj.description[:40]}"


class PairForm(forms.Form):
    self_problem = ProblemChoiceField(label="自查问题", queryset=Problem.objects.none())
    other_problem = ProblemChoiceField(
        label="被查问题（差额清单）", queryset=Problem.objects.none()
    )
    reason = forms.CharField(label="配对理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, self_choices: Any, other_choices: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["self_problem"]).queryset = self_choices
        cast(forms.ModelChoiceField, self.fields["other_problem"]).queryset = other_choices


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class MoveForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        posts = list(obj.posts.all())
        title = posts[0].title if posts else ""
        return f"{obj.name}（{title}）" if title else obj.name


class GapAccountabilityForm(forms.Form):
    """One form for the whole gap list: which gap item, and who is held to account."""

    problem = ProblemChoiceField(label="差额问题", queryset=Problem.objects.none())
    supervising_leader = PersonChoiceField(label="主管领导", queryset=Person.objects.none())
    principal = PersonChoiceField(label="一把手", queryset=Person.objects.none())
    form = forms.ChoiceField(label="问责方式", choices=AccountabilityKind.choices)
    decided_on = _date_field("决定日期")
    decision = forms.CharField(label="问责决定", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, gaps: Any, people: Any, principal: Any = None, **kwargs: Any):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("decided_on", timezone.localdate())
        if principal is not None:
            initial.setdefault("principal", principal.pk)
        super().__init__(*args, **kwargs)
        for name in ("supervising_leader", "principal"):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = people
        cast(forms.ModelChoiceField, self.fields["problem"]).queryset = gaps


class InquiryOrgForm(forms.Form):
    org = OrgChoiceField(label="被质询单位", queryset=Org.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        units = inquiry_units(actor=user).order_by("path")
        cast(forms.ModelChoiceField, self.fields["org"]).queryset = units


class ProblemMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Problem) -> str:
        return (
            f"{obj.number} {obj.description[:40]}（{obj.source.name}，"
            f"{obj.rectification.get_status_display()}）"
        )


class InquiryForm(forms.Form):
    title = forms.CharField(label="会议名称", max_length=100)
    convening_org = OrgChoiceField(label="召集单位", queryset=Org.objects.none())
    held_on = _date_field("会议日期")
    place = forms.CharField(label="地点", max_length=100)
    chair = forms.CharField(label="主持人", max_length=100, help_text="职务和姓名")
    participants = forms.CharField(
        label="参加人员", widget=forms.Textarea(attrs={"rows": 3}), help_text="每行一人"
    )
    requirements = forms.CharField(
        label="会议要求",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一条，写入纪要",
    )
    problems = ProblemMultipleField(
        label="质询的问题",
        queryset=Problem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    records = forms.MultipleChoiceField(
        label="质询的台账事项",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="被质询单位三本账中的条目，逐条交账、销账、清账",
    )

    def __init__(
        self, *args: Any, user: Any, org: Org, problems: Any, records: Any = (), **kwargs: Any
    ):
        kwargs.setdefault(
            "initial",
            {"title": f"{org.name}问题整改质询会", "held_on": timezone.localdate()},
        )
        super().__init__(*args, **kwargs)
        conveners = supervising_orgs(user)
        cast(forms.ModelChoiceField, self.fields["convening_org"]).queryset = conveners
        if not self.is_bound and conveners.exists():
            self.initial.setdefault("convening_org", conveners.last())
        cast(forms.ModelChoiceField, self.fields["problems"]).queryset = problems
        self.record_map = {f"{r.record_type}:{r.record_id}": r for r in records}
        field = cast(forms.MultipleChoiceField, self.fields["records"])
        field.choices = [
            (key, f"{r.reference} {r.text[:40]}（{r.status}）")
            for key, r in self.record_map.items()
        ]
        if not records:
            del self.fields["records"]

    def chosen_records(self) -> list[Any]:
        return [self.record_map[k] for k in self.cleaned_data.get("records") or []]


class MarkForm(forms.Form):
    decision = forms.ChoiceField(label="决定", choices=InquiryDecision.choices)
    text = forms.CharField(label="决定内容", widget=forms.Textarea(attrs={"rows": 2}))
