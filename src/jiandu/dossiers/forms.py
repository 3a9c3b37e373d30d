"""Forms of the 政治生态档案 pages."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from jiandu.dossiers.periods import EARLIEST, PURPOSES


class OpenForm(forms.Form):
    """What opening a dossier asks: the purpose (查阅事由), recorded in the audit log."""

    reason = forms.CharField(label="查阅事由", max_length=100, min_length=2)
    as_of = forms.DateField(label="截至日期", required=False)
    purpose = forms.ChoiceField(
        label="用途（影响期结论）", choices=[(p, p) for p in PURPOSES], initial="提拔任用"
    )

    def clean_as_of(self) -> dt.date:
        day = self.cleaned_data.get("as_of") or timezone.localdate()
        if day > timezone.localdate() or day < EARLIEST:
            raise forms.ValidationError("截至日期应在1950年以后、不晚于今天")
        return day


class BatchForm(forms.Form):
    requester = forms.CharField(label="来函单位", max_length=100, initial="市委组织部")
    request_ref = forms.CharField(label="来函文号", max_length=100, required=False)
    purpose = forms.ChoiceField(label="用途", choices=[(p, p) for p in PURPOSES])
    as_of = forms.DateField(label="截至日期")
    award_year = forms.IntegerField(
        label="评先评优年度", required=False, min_value=2000, max_value=2100,
        help_text="默认为截至日期所在年度",
    )  # fmt: skip
    received_on = forms.DateField(label="收函日期")
    people_file = forms.FileField(label="干部名单（.xlsx：姓名、身份证号码）", required=False)
    units = forms.CharField(
        label="单位（每行一个单位全称）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewForm(forms.Form):
    """Per line: keep the draft or override it with a reason (fields added per line)."""

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        choices = [("有影响", "有影响"), ("无影响", "无影响")]
        for line in self.lines:
            self.fields[f"v{line.pk}"] = forms.ChoiceField(
                label=line.name, choices=choices, initial=line.drafted_verdict
            )
            self.fields[f"r{line.pk}"] = forms.CharField(
                label="理由", max_length=300, required=False
            )

    def decisions(self) -> dict[int, tuple[str, str]]:
        return {
            line.pk: (self.cleaned_data[f"v{line.pk}"], self.cleaned_data[f"r{line.pk}"])
            for line in self.lines
        }


class SanctionDetailForm(forms.Form):
    effective_on = forms.DateField(label="生效日期（与决定日期不同时填写）", required=False)
    period_months = forms.TypedChoiceField(
        label="留党察看期限", required=False, coerce=int, empty_value=None,
        choices=[("", "（不适用）"), (12, "一年"), (24, "二年")],
    )  # fmt: skip
    lifted_on = forms.DateField(label="解除日期", required=False)
    lift_reason = forms.CharField(label="解除理由", max_length=200, required=False)
    annulled_on = forms.DateField(label="撤销日期（复查撤销）", required=False)
    annul_reason = forms.CharField(label="撤销理由", max_length=200, required=False)


class ColourTableForm(forms.Form):
    version = forms.CharField(label="版本", max_length=30)
    valid_from = forms.DateField(label="施行日期")
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, current=None, **kwargs):
        from jiandu.dossiers.choices import Colour, ItemKind

        super().__init__(*args, **kwargs)
        current = current or {}
        choices = [("", "（不上色）"), *Colour.choices]
        for kind, label in ItemKind.choices:
            self.fields[f"c_{kind}"] = forms.ChoiceField(
                label=str(label), choices=choices, required=False, initial=current.get(kind, "")
            )

    def colours(self) -> dict[str, str]:
        return {
            name[2:]: value for name, value in self.cleaned_data.items()
            if name.startswith("c_") and value
        }  # fmt: skip


CAP_COLOURS = {"红": "red", "蓝": "blue", "黄": "yellow", "黑": "black"}
CAP_NAMES = {v: k for k, v in CAP_COLOURS.items()}


class GradingTableForm(forms.Form):
    version = forms.CharField(label="版本", max_length=30)
    valid_from = forms.DateField(label="施行日期")
    window_months = forms.IntegerField(label="回看期（月）", min_value=1, max_value=240)
    red = forms.IntegerField(label="红点权重")
    blue = forms.IntegerField(label="蓝点权重")
    yellow = forms.IntegerField(label="黄点权重")
    black = forms.IntegerField(label="黑点权重")
    bands = forms.CharField(
        label="等次（每行“最低分 等次”，从高到低，最后一行为其余）",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    caps = forms.CharField(
        label="封顶（每行“颜色 个数 最高等次”，颜色写 红、蓝、黄 或 黑，如“黑 1 较差”）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    note = forms.CharField(label="说明", max_length=200, required=False)

    @staticmethod
    def _rows(text: str, width: int, field: str) -> list[list[str]]:
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != width:
                raise forms.ValidationError(f"{field}第{number}行应有{width}项，以空格分隔")
            rows.append(parts)
        return rows

    def clean_bands(self) -> list[list[str]]:
        return self._rows(self.cleaned_data["bands"], 2, "等次")

    def clean_caps(self) -> list[list[str]]:
        rows = self._rows(self.cleaned_data.get("caps") or "", 3, "封顶")
        for number, row in enumerate(rows, start=1):
            colour = CAP_COLOURS.get(row[0].removesuffix("色").removesuffix("点"))
            if colour is None:
                raise forms.ValidationError(f"封顶第{number}行的颜色应为红、蓝、黄或黑")
            row[0] = colour
        return rows
