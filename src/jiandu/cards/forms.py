"""Forms of the card pages. Every org and post offered comes from the user's
jurisdiction (a tampered id is "not a valid choice"); the services validate again and
``add_service_errors`` puts their messages on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from jiandu.cards import selectors
from jiandu.cards.choices import CardStatus, LeaderCategory, ListKind
from jiandu.cards.models import ListTemplate
from jiandu.clues.forms import FilterForm, MultipleFileField
from jiandu.oversight.models import ProblemCategory

QUARTERS = [(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")]


def _years() -> list[tuple[int, str]]:
    year = timezone.localdate().year
    return [(y, f"{y}年") for y in range(year + 1, year - 4, -1)]


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ListTemplate) -> str:
        return f"{obj.name}（第{obj.version}版，{obj.items.count()}项）"


def lines(text: str) -> list[str]:
    """One item a line; a leading “1.”/“1、”/“（1）” the user typed is dropped."""
    import re

    out = []
    for line in (text or "").splitlines():
        line = re.sub(r"^\s*(?:[（(]?\d+[)）.、．]\s*)", "", line).strip()
        if line:
            out.append(line)
    return out


class CardFilterForm(FilterForm):
    text = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "姓名或文号", "type": "search"}),
    )
    year = forms.TypedChoiceField(
        label="年度", required=False, coerce=int, empty_value=None, choices=[("", "全部")]
    )
    quarter = forms.TypedChoiceField(
        label="季度",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "全部"), *QUARTERS],
    )
    committee: forms.ModelChoiceField = forms.ModelChoiceField(
        label="发卡党委", required=False, queryset=None, empty_label="全部"
    )
    category = forms.ChoiceField(
        label="提醒对象", required=False, choices=[("", "全部"), *LeaderCategory.choices]
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *CardStatus.choices]
    )
    overdue = forms.BooleanField(label="仅逾期未总结", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = selectors.committees(user)  # type: ignore[attr-defined]
        self.fields["year"].choices = [("", "全部"), *_years()]  # type: ignore[attr-defined]

    def filters(self) -> selectors.CardFilters:
        v = self.values()
        committee = v.get("committee")
        return selectors.CardFilters(
            year=v.get("year"),
            quarter=v.get("quarter"),
            committee_id=committee.pk if committee else None,
            category=v.get("category", ""),
            status=v.get("status", ""),
            overdue=bool(v.get("overdue")),
            text=v.get("text", ""),
        )


class IssueSetupForm(forms.Form):
    """Step one of issuing: the committee, the quarter and the lists."""

    committee: forms.ModelChoiceField = forms.ModelChoiceField(
        label="以哪个党委（党组）名义", queryset=None
    )
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=[])
    quarter = forms.TypedChoiceField(label="季度", coerce=int, choices=QUARTERS)
    template = TemplateChoiceField(label="主体责任清单", queryset=None)
    negative_list = TemplateChoiceField(
        label="附负面清单", queryset=None, required=False, empty_label="不附"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = selectors.committees(user)  # type: ignore[attr-defined]
        self.fields["year"].choices = _years()  # type: ignore[attr-defined]
        self.fields["template"].queryset = ListTemplate.objects.filter(  # type: ignore[attr-defined]
            kind=ListKind.RESPONSIBILITY, archived_at__isnull=True
        )
        self.fields["negative_list"].queryset = ListTemplate.objects.filter(  # type: ignore[attr-defined]
            kind=ListKind.NEGATIVE, archived_at__isnull=True
        )
        first = self.fields["template"].queryset.order_by("key").first()  # type: ignore[attr-defined]
        self.fields["template"].initial = first.pk if first else None
        year, quarter = selectors.next_quarter(*selectors.last_full_quarter())
        self.fields["year"].initial = year
        self.fields["quarter"].initial = quarter


class ItemsForm(forms.Form):
    items = forms.CharField(
        label="提醒事项",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="每行一项，按顺序排列",
    )

    def clean_items(self) -> list[str]:
        items = lines(self.cleaned_data["items"])
        if not items:
            raise forms.ValidationError("至少需要一项事项")
        return items


class TemplateForm(ItemsForm):
    name = forms.CharField(label="名称", max_length=60)
    description = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    field_order = ["name", "description", "items"]


class TemplateCreateForm(TemplateForm):
    kind = forms.ChoiceField(label="类型", choices=ListKind.choices)
    key = forms.SlugField(
        label="代码", max_length=40, help_text="英文字母、数字、连字符，用于区分不同清单的各版本"
    )
    field_order = ["name", "kind", "key", "description", "items"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


class SummaryForm(forms.Form):
    """One text field per item of the card (``item_<id>``) and optional files."""

    attachments = MultipleFileField(label="附件（可选）")

    def __init__(self, *args: Any, card: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item_fields = []
        for item in card.items.order_by("order"):
            name = f"item_{item.pk}"
            self.fields[name] = forms.CharField(
                label=f"{item.order}．{item.text}",
                required=False,
                initial=item.summary,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.item_fields.append(name)
        self.order_fields([*self.item_fields, "attachments"])

    def summaries(self) -> dict[int, str]:
        return {
            int(name.split("_", 1)[1]): self.cleaned_data.get(name, "") for name in self.item_fields
        }


class SpotCheckForm(forms.Form):
    checked_on = forms.DateField(
        label="抽查日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    checklist = TemplateChoiceField(
        label="对照清单", queryset=None, required=False, empty_label="提醒卡事项"
    )
    note = forms.CharField(label="抽查情况", widget=forms.Textarea(attrs={"rows": 4}))
    findings = forms.CharField(
        label="发现的问题",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一个问题，将登记为“提醒卡抽查”来源的问题，进入整改闭环；未发现问题留空",
    )
    category: forms.ModelChoiceField = forms.ModelChoiceField(
        label="问题类别", queryset=None, required=False, empty_label="主体责任落实"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = ListTemplate.objects.filter(  # type: ignore[attr-defined]
            archived_at__isnull=True
        )
        self.fields["category"].queryset = ProblemCategory.objects.filter(  # type: ignore[attr-defined]
            archived_at__isnull=True
        )
        self.fields["checked_on"].initial = timezone.localdate()

    def clean_findings(self) -> list[str]:
        return lines(self.cleaned_data.get("findings", ""))
