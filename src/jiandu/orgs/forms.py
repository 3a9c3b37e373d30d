"""Forms of the organisation pages. Choices of orgs always come from the user's
jurisdiction; the services validate again and their errors land on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.forms import LineField, ModelChoiceField, ModelMultipleChoiceField
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org, OrgLabel
from jiandu.orgs.selectors import org_list


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: a message keyed by a form field goes
    to that field, anything else to the top of the form (never lost, never a 500)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class OrgChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Org) -> str:
        # Indent by depth so a flat <select> still reads as the tree.
        return f"{'　' * obj.depth}{obj.name}"


class OrgMultipleChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Org) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


class OrgForm(forms.Form):
    """Create or edit an org. The parent is chosen within the jurisdiction; an org whose
    parent lies outside it (the user's own top org, the city root) keeps its parent."""

    name = LineField(label="名称", max_length=100)
    short_name = LineField(label="简称", max_length=50, required=False)
    kind = forms.ChoiceField(label="类型", choices=OrgKind.choices)
    parent = OrgChoiceField(label="上级单位", queryset=Org.objects.none())
    region_code = forms.CharField(
        label="行政区划代码",
        max_length=12,
        required=False,
        help_text="县6位、乡镇9位、村12位数字；非行政区划单位可不填",
    )
    labels = ModelMultipleChoiceField(
        label="标签",
        queryset=OrgLabel.objects.filter(archived_at__isnull=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sort_order = forms.IntegerField(label="排序", initial=0, required=False)
    acts_for_commission = forms.BooleanField(
        label="代表所属纪委监委履职",
        required=False,
        help_text="内设机构（信访室、案件监督管理室、党风政风监督室、案件审理室等）勾选："
        "其人员在所属纪委监委的全部管辖范围内工作。监督检查室、派驻组不勾选。"
        "新建时不勾选则按类型确定：纪委监委下的上述内设机构自动勾选。",
    )

    def __init__(self, *args: Any, user: Any, instance: Org | None = None, **kwargs: Any):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "short_name": instance.short_name,
                "kind": instance.kind,
                "parent": instance.parent_id,
                "region_code": instance.region_code,
                "labels": list(instance.labels.all()),
                "sort_order": instance.sort_order,
                "acts_for_commission": instance.acts_for_commission,
            }
        super().__init__(*args, **kwargs)
        parents = org_list(user=user)
        if instance is not None:
            parents = parents.exclude(path__startswith=instance.path)
            if instance.parent_id is None or instance.parent_id not in jurisdiction_org_ids(user):
                del self.fields["parent"]
        if "parent" in self.fields:
            self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    def clean_sort_order(self) -> int:
        return self.cleaned_data.get("sort_order") or 0

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["labels"] = list(data.get("labels") or [])
        if self.instance is None and not data.get("acts_for_commission"):
            data["acts_for_commission"] = None  # by kind (orgs.services.org_create)
        return data


class OrgSupervisionForm(forms.Form):
    """The units an org supervises, chosen among the orgs the user can see."""

    supervised = OrgMultipleChoiceField(
        label="监督对象",
        queryset=Org.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Any, org: Org, **kwargs: Any):
        self.org = org
        visible = jurisdiction_org_ids(user)
        current = list(org.supervises.all())
        # Supervised units the user cannot see are kept as they are: choosing among
        # visible units must not silently drop invisible ones.
        self.hidden_supervised = [o for o in current if o.pk not in visible]
        kwargs.setdefault("initial", {"supervised": [o for o in current if o.pk in visible]})
        super().__init__(*args, **kwargs)
        self.fields["supervised"].queryset = org_list(user=user).exclude(pk=org.pk)  # type: ignore[attr-defined]

    def supervised_orgs(self) -> list[Org]:
        return [*self.cleaned_data["supervised"], *self.hidden_supervised]


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        label="归档原因",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "归档必须填写原因"},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("归档必须填写原因")
        return reason
