"""Forms of the 大数据比对 pages. Regions, orgs and dataset versions are offered within
the user's jurisdiction; the services validate again and their errors land on the fields
(``add_service_errors``)."""

from __future__ import annotations

import importlib.util
import re
import shutil
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from jiandu.core.forms import LineField
from jiandu.datacheck.choices import DATASET_CHOICES, Backend, HitPresence, HitStatus
from jiandu.datacheck.engine.catalog import (
    DATASETS,
    RULE_SPECS,
    SUFFIXES,
    RuleSpec,
    guess_column,
)
from jiandu.datacheck.files import StagedUpload
from jiandu.datacheck.models import DatasetVersion
from jiandu.datacheck.scope import default_region, region_choices
from jiandu.orgs.choices import COMMISSION_KINDS
from jiandu.orgs.forms import OrgChoiceField, add_service_errors
from jiandu.orgs.models import Org
from jiandu.orgs.selectors import org_list

__all__ = ["add_service_errors"]

NOT_IMPORTED = ""

# --- datasets --------------------------------------------------------------------


def _offer_regions(form: forms.Form, user: Any) -> None:
    field = cast(forms.ChoiceField, form.fields["region_code"])
    field.choices = region_choices(user)
    field.initial = default_region(user)
    # Nothing to offer: let the empty value through to clean_region_code, which says why.
    field.required = bool(field.choices)


def _known_region(form: forms.Form) -> str:
    if not cast(forms.ChoiceField, form.fields["region_code"]).choices:
        raise ValidationError("您管辖范围内的单位都没有设置行政区划代码，请联系系统管理员")
    return str(form.cleaned_data["region_code"])


class UploadForm(forms.Form):
    """Step 1 of an import: which dataset, which region, which file."""

    dataset = forms.ChoiceField(label="数据集", choices=DATASET_CHOICES)
    region_code = forms.ChoiceField(label="数据所属地区", choices=())
    file = forms.FileField(
        label="数据文件",
        help_text="CSV（UTF-8）、Excel（.xlsx）或 Parquet；第一行为表头，下一步对应各列",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_regions(self, user)
        cast(forms.ChoiceField, self.fields["dataset"]).choices = [
            (name, label) for name, label in DATASET_CHOICES
        ]

    def clean_region_code(self) -> str:
        return _known_region(self)

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        name = uploaded.name or ""
        if not any(name.lower().endswith(s) for s in SUFFIXES):
            raise ValidationError("不支持的文件格式（应为 .csv、.xlsx 或 .parquet）")
        limit = settings.JIANDU_MAX_DATASET_BYTES
        if uploaded.size > limit:
            raise ValidationError(f"文件超过大小上限（{limit // (1024 * 1024)} MB）")
        return uploaded


class MappingForm(forms.Form):
    """Step 2: each header of the file → a canonical column (or not imported)."""

    def __init__(self, *args: Any, staged: StagedUpload, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staged = staged
        self.spec = DATASETS[staged.dataset]
        choices = [(NOT_IMPORTED, "（不导入）")] + [
            (c.name, f"{c.label}{'' if c.required else '（可空）'}") for c in self.spec.columns
        ]
        for index, header in enumerate(staged.headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=guess_column(header, self.spec),
            )

    def rows(self) -> list[tuple[str, forms.BoundField, list[str]]]:
        """(header, its select, its sample values) for the mapping table."""
        return [
            (header, self[f"col_{index}"], [row[index] if index < len(row) else ""
                                             for row in self.staged.samples])
            for index, header in enumerate(self.staged.headers)
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        mapping: dict[str, str] = {}
        targets: dict[str, list[str]] = {}
        canonical = set(self.spec.column_names)
        for index, header in enumerate(self.staged.headers):
            target = data.get(f"col_{index}") or NOT_IMPORTED
            if target == NOT_IMPORTED:
                if header in canonical:
                    self.add_error(
                        f"col_{index}",
                        f"表头“{header}”与标准列同名，系统会按该列导入，不能设为不导入",
                    )
                continue
            mapping[header] = target
            targets.setdefault(target, []).append(header)
        for target, headers in targets.items():
            if len(headers) > 1:
                label = self.spec.column(target).label
                raise ValidationError(f"“{'”“'.join(headers)}”都对应了{label}，只能选一列")
        chosen = set(targets) | (canonical & set(self.staged.headers))
        missing = [c for c in self.spec.columns if c.required and c.name not in chosen]
        if missing:
            names = "、".join(c.label for c in missing)
            raise ValidationError(f"缺少必需的列：{names}")
        data["mapping"] = mapping
        return data


# --- runs ------------------------------------------------------------------------

_LIST_SPLIT = re.compile(r"[,，、;；\s]+")


def _param_initial(value: Any) -> Any:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{k}={v}" for k, v in value.items())
    return value


class ParamField(forms.CharField):
    """A rule parameter typed after its default: a list is entered as 低保、特困供养, a
    mapping as 高龄津贴=80, an amount as 0.00."""

    def __init__(self, *, default: Any, **kwargs: Any) -> None:
        self.default = default
        kwargs.setdefault("initial", _param_initial(default))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        text = (super().clean(value) or "").strip()
        default = self.default
        if isinstance(default, list):
            items = [i for i in _LIST_SPLIT.split(text) if i]
            if not items:
                raise ValidationError("至少填写一项")
            return items
        if isinstance(default, dict):
            result: dict[str, int] = {}
            for item in (i for i in re.split(r"[,，;；\n]+", text) if i.strip()):
                key, sep, number = item.partition("=")
                if not sep or not key.strip():
                    raise ValidationError(f"“{item.strip()}”应写成 项目=数值，如 高龄津贴=80")
                try:
                    result[key.strip()] = int(number.strip())
                except ValueError:
                    raise ValidationError(f"“{item.strip()}”中的数值应为整数") from None
            if not result:
                raise ValidationError("至少填写一项，如 高龄津贴=80")
            return result
        if isinstance(default, int):
            try:
                number = int(text)
            except ValueError:
                raise ValidationError("应为整数") from None
            if number < 0:
                raise ValidationError("不能小于0")
            return number
        try:
            amount = Decimal(text)
        except (InvalidOperation, ValueError):
            return text
        if amount < 0:
            raise ValidationError("不能小于0")
        return f"{amount.quantize(Decimal('0.01'))}"


def available_backends() -> list[tuple[str, str]]:
    """DuckDB always; Spark where PySpark and Java are installed on this server."""
    choices = [(Backend.DUCKDB.value, str(Backend.DUCKDB.label))]
    if importlib.util.find_spec("pyspark") is not None and shutil.which("java"):
        choices.append((Backend.SPARK.value, str(Backend.SPARK.label)))
    return choices


def _version_label(version: DatasetVersion) -> str:
    return (
        f"第{version.version}版 · {version.org} · {version.region_code} · "
        f"{version.created_at:%Y-%m-%d} · {version.rows_imported}行"
    )


class RunForm(forms.Form):
    """Start a run: rules (with parameters), the dataset versions (default: latest),
    the region and the backend."""

    rules = forms.MultipleChoiceField(
        label="比对规则", choices=(), widget=forms.CheckboxSelectMultiple
    )
    region_code = forms.ChoiceField(label="比对地区", choices=())
    backend = forms.ChoiceField(label="计算后端", choices=Backend.choices, initial=Backend.DUCKDB)

    def __init__(self, *args: Any, user: Any, versions: list[DatasetVersion], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["backend"]).choices = available_backends()
        cast(forms.ChoiceField, self.fields["rules"]).choices = [
            (r.code, f"{r.code} {r.name}") for r in RULE_SPECS.values()
        ]
        self.fields["rules"].initial = list(RULE_SPECS)
        _offer_regions(self, user)
        by_dataset: dict[str, list[DatasetVersion]] = {}
        for version in versions:
            by_dataset.setdefault(version.dataset, []).append(version)
        self.versions = {v.pk: v for v in versions}
        for name, spec in DATASETS.items():
            options = by_dataset.get(name, [])
            self.fields[f"v_{name}"] = forms.ChoiceField(
                label=spec.label,
                choices=[("", "（不使用）")] + [(str(v.pk), _version_label(v)) for v in options],
                required=False,
                initial=str(options[0].pk) if options else "",
            )
        for rule in RULE_SPECS.values():
            for parameter in rule.parameters:
                param, default = parameter.name, parameter.default
                field_name = f"p_{rule.code}_{param}"
                label = parameter.label + (f"（{parameter.unit}）" if parameter.unit else "")
                help_text = parameter.help
                if isinstance(default, bool):
                    self.fields[field_name] = forms.BooleanField(
                        label=label, required=False, initial=default, help_text=help_text
                    )
                else:
                    self.fields[field_name] = ParamField(
                        label=label, default=default, required=False, help_text=help_text
                    )

    def clean_region_code(self) -> str:
        return _known_region(self)

    def rule_rows(self) -> list[tuple[RuleSpec, Any, list[forms.BoundField]]]:
        """(rule, its checkbox, its parameter fields) for the template."""
        checkboxes = {w.data["value"]: w for w in self["rules"]}
        return [
            (rule, checkboxes[rule.code], [self[f"p_{rule.code}_{p}"] for p in rule.defaults])
            for rule in RULE_SPECS.values()
        ]

    def version_fields(self) -> list[forms.BoundField]:
        return [self[f"v_{name}"] for name in DATASETS]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        codes = data.get("rules") or []
        params: dict[str, dict[str, Any]] = {}
        for code in codes:
            for param in RULE_SPECS[code].defaults:
                value = data.get(f"p_{code}_{param}")
                if value not in (None, ""):
                    params.setdefault(code, {})[param] = value
        needed = {d for code in codes for d in RULE_SPECS[code].datasets}
        chosen: list[DatasetVersion] = []
        for name in DATASETS:
            value = data.get(f"v_{name}") or ""
            if name not in needed:
                continue
            if not value:
                users = "、".join(c for c in codes if name in RULE_SPECS[c].datasets)
                self.add_error(f"v_{name}", f"规则 {users} 需要此数据集，请选择版本（或先导入）")
                continue
            chosen.append(self.versions[int(value)])
        data["params"] = params
        data["versions"] = chosen
        return data


# --- hits ------------------------------------------------------------------------


class HitFilterForm(forms.Form):
    rule = forms.ChoiceField(label="规则", required=False, choices=())
    status = forms.ChoiceField(
        label="核查状态", required=False, choices=[("", "全部"), *HitStatus.choices]
    )
    subject = forms.CharField(label="身份证号码/账号", required=False, max_length=40)
    presence = forms.ChoiceField(
        label="与上次比对相比", required=False, choices=[("", "全部"), *HitPresence.choices]
    )
    view = forms.ChoiceField(
        label="显示方式",
        required=False,
        choices=[("", "逐条显示"), ("groups", "按人员归并（同一人同一规则）")],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["rule"]).choices = [("", "全部")] + [
            (r.code, f"{r.code} {r.name}") for r in RULE_SPECS.values()
        ]


class HitBulkForm(forms.Form):
    """分派 or 排除 several hits of one person under one rule at once: the hits chosen, the
    handling org (分派) and one text (核查要求 for 分派, the reason for 排除)."""

    hits = forms.TypedMultipleChoiceField(
        label="疑点", coerce=int, choices=(), widget=forms.CheckboxSelectMultiple
    )
    handling_org = OrgChoiceField(
        label="核查单位（分派时必选）", queryset=Org.objects.none(), required=False
    )
    reason = forms.CharField(
        label="核查要求／排除理由（排除时必填）",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: Any, hits: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["hits"]).choices = [(h.pk, f"#{h.pk}") for h in hits]
        cast(forms.ModelChoiceField, self.fields["handling_org"]).queryset = handling_orgs(user)


def handling_orgs(user: Any) -> Any:
    """Orgs a hit can be assigned to: commission bodies within the jurisdiction."""
    return org_list(user=user).filter(kind__in=COMMISSION_KINDS)


class AssignForm(forms.Form):
    handling_org = OrgChoiceField(label="核查单位", queryset=Org.objects.none())
    reason = forms.CharField(
        label="核查要求", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["handling_org"]).queryset = handling_orgs(user)


class ConfirmForm(forms.Form):
    reason = forms.CharField(
        label="核查情况", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExcludeForm(forms.Form):
    reason = forms.CharField(
        label="排除理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConvertForm(forms.Form):
    title = LineField(label="线索标题", required=False, max_length=200)
    handling_org = OrgChoiceField(
        label="承办单位", queryset=Org.objects.none(), required=False, empty_label="（核查单位）"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["handling_org"]).queryset = handling_orgs(user)


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "assign": AssignForm,
    "confirm": ConfirmForm,
    "exclude": ExcludeForm,
    "convert": ConvertForm,
}


def action_form(action: str, data: Any = None, *, user: Any) -> forms.Form:
    form_class = ACTION_FORMS[action]
    prefix = action
    if form_class is AssignForm:
        return AssignForm(data, user=user, prefix=prefix)
    if form_class is ConvertForm:
        return ConvertForm(data, user=user, prefix=prefix)
    return form_class(data, prefix=prefix)


class IdentifyForm(forms.Form):
    candidate = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    note = forms.CharField(label="认定说明", required=False, max_length=500)
