"""Forms of the 多色榜 pages. Orgs are chosen within the user's jurisdiction; the
services validate again and their errors land on the fields (``add_service_errors``)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from jiandu.boards import ranking
from jiandu.boards.choices import (
    CumulativeMode,
    Direction,
    IndicatorSource,
    ParticipantRule,
    Visibility,
    WarningKind,
    WarningStatus,
)
from jiandu.boards.models import Board, Indicator
from jiandu.clues.models import DomainTag
from jiandu.clues.statistics import STATISTICS
from jiandu.core.forms import LineField, ModelChoiceField, ModelMultipleChoiceField
from jiandu.orgs.choices import COMMISSION_KINDS, OrgKind
from jiandu.orgs.forms import OrgChoiceField, OrgMultipleChoiceField, add_service_errors
from jiandu.orgs.models import Org, OrgLabel
from jiandu.orgs.selectors import org_list

__all__ = ["add_service_errors"]

MONTH_INPUT = {"type": "month"}
# How many tie-breakers the board form offers (the calculator takes any number).
TIE_BREAKER_SLOTS = 3


class MonthField(forms.CharField):
    """A month as ``YYYY-MM`` (``2020-9``, ``2020年9月`` are read too)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs=MONTH_INPUT))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        try:
            return ranking.parse_month(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


def _labels() -> Any:
    return OrgLabel.objects.filter(archived_at__isnull=True).order_by("name")


def _domains() -> Any:
    return DomainTag.objects.filter(archived_at__isnull=True).order_by("sort_order", "name")


class BoardForm(forms.Form):
    """Define or change a board: identity, participants, indicators (chosen from the
    library with a column position and an optional name on this board), colours, the
    cumulative mode, the warning rules and the visibility."""

    key = forms.SlugField(
        label="代码",
        max_length=40,
        help_text="英文字母、数字、连字符，结账命令用它指定多色榜，如 poverty-counties",
    )
    title = LineField(label="名称", max_length=100)
    owner_org = OrgChoiceField(label="主管单位", queryset=Org.objects.none())
    domain = ModelChoiceField(
        label="领域", queryset=DomainTag.objects.none(), required=False, empty_label="不限领域"
    )
    participant_rule = forms.ChoiceField(
        label="参评单位规则", choices=ParticipantRule.choices, widget=forms.RadioSelect
    )
    participant_orgs = OrgMultipleChoiceField(
        label="指定参评单位",
        queryset=Org.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="规则为“指定单位”时使用",
    )
    participant_labels = ModelMultipleChoiceField(
        label="参评单位标签",
        queryset=OrgLabel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="规则为“带有指定标签的单位”时使用：主管单位之下带有任一标签的单位参评",
    )
    participant_kinds = forms.MultipleChoiceField(
        label="参评单位类型",
        choices=OrgKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="规则为“指定类型的单位”时使用：主管单位之下属于任一类型的单位参评",
    )
    yellow_labels = ModelMultipleChoiceField(
        label="标黄的单位标签",
        queryset=OrgLabel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="带有这些标签的参评单位在榜上标为黄色（只作标注，不影响得分）",
    )
    red_points = forms.IntegerField(label="红色分值", min_value=0, initial=5)
    blue_points = forms.IntegerField(label="蓝色分值", min_value=0, initial=3)
    white_points = forms.IntegerField(label="白色分值", min_value=0, initial=1)
    top_n = forms.IntegerField(label="红色名次（前几名）", min_value=1, initial=3)
    cumulative_mode = forms.ChoiceField(
        label="累计排名方式", choices=CumulativeMode.choices, initial=CumulativeMode.SUM_VALUES
    )
    consecutive_months = forms.IntegerField(
        label="连续末位月数",
        min_value=1,
        max_value=12,
        initial=2,
        help_text="综合排名连续几个月末位发出工作预警通知书",
    )
    quarter_interview = forms.BooleanField(
        label="季度累计综合排名末位的，约谈单位负责人", required=False, initial=True
    )
    bottom_k = forms.IntegerField(
        label="集体诫勉谈话名数",
        min_value=1,
        initial=10,
        help_text=(
            "累计综合排名后几名列入集体诫勉谈话名单；分界处并列的按末位比较项依次比较，"
            "仍并列的均不列入（结账时说明原因）；参评单位不多于该数时不启用"
        ),
    )
    bottom_month = forms.IntegerField(
        label="集体诫勉谈话统计截至月份",
        min_value=1,
        max_value=12,
        required=False,
        initial=7,
        help_text="结账到该月时统计1月至该月的累计排名；留空不启用",
    )
    max_tied_last = forms.IntegerField(
        label="末位并列单位数上限",
        min_value=1,
        initial=1,
        help_text="依次比较后仍并列末位的单位多于该数时，不确定末位、不发末位预警（结账时说明原因）",
    )
    visibility = forms.ChoiceField(
        label="参评单位可见范围", choices=Visibility.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, user: Any, instance: Board | None = None, **kwargs: Any):
        self.instance = instance
        self.library = list(Indicator.objects.filter(archived_at__isnull=True).order_by("pk"))
        columns: dict[int, tuple[int, str]] = {}
        if instance is not None:
            for row in instance.board_indicators.all():
                columns[row.indicator_id] = (row.position, row.label)
            if "initial" not in kwargs:
                kwargs["initial"] = {
                    "key": instance.key,
                    "title": instance.title,
                    "owner_org": instance.owner_org_id,
                    "domain": instance.domain_id,
                    "participant_rule": instance.participant_rule,
                    "participant_orgs": list(instance.participant_orgs.all()),
                    "participant_labels": list(instance.participant_labels.all()),
                    "participant_kinds": list(instance.participant_kinds or []),
                    "yellow_labels": list(instance.yellow_labels.all()),
                    **{
                        name: getattr(instance, name)
                        for name in (
                            "red_points",
                            "blue_points",
                            "white_points",
                            "top_n",
                            "cumulative_mode",
                            "consecutive_months",
                            "quarter_interview",
                            "bottom_k",
                            "bottom_month",
                            "max_tied_last",
                            "visibility",
                        )
                    },
                    **{
                        f"tie_breaker_{i}": key
                        for i, key in enumerate(instance.tie_breakers or [], start=1)
                    },
                }
        else:
            kwargs.setdefault(
                "initial",
                {"participant_rule": ParticipantRule.EXPLICIT, "visibility": Visibility.WHOLE},
            )
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["key"].disabled = True
        visible = org_list(user=user)
        cast(forms.ModelChoiceField, self.fields["owner_org"]).queryset = visible.filter(
            kind__in=COMMISSION_KINDS
        )
        cast(forms.ModelChoiceField, self.fields["participant_orgs"]).queryset = visible
        cast(forms.ModelChoiceField, self.fields["domain"]).queryset = _domains()
        cast(forms.ModelChoiceField, self.fields["participant_labels"]).queryset = _labels()
        cast(forms.ModelChoiceField, self.fields["yellow_labels"]).queryset = _labels()
        breaker_choices = [
            ("", "—"),
            *((i.key, f"{i.name}（较差者为末位）") for i in self.library),
            (ranking.PREVIOUS_RANK, "上期综合排名（较靠后者为末位）"),
        ]
        for i in range(1, TIE_BREAKER_SLOTS + 1):
            self.fields[f"tie_breaker_{i}"] = forms.ChoiceField(
                label=f"末位并列时第{i}比较项",
                choices=breaker_choices,
                required=False,
                help_text=(
                    "综合得分同为最低的单位，依次按这些项比较，每项只留下较差的单位；"
                    "集体诫勉谈话名单分界处的并列也按这些项区分；所选指标须在本榜上"
                    if i == 1
                    else ""
                ),
            )
        for indicator in self.library:
            position, label = columns.get(indicator.pk, (None, ""))
            self.fields[f"position_{indicator.pk}"] = forms.IntegerField(
                label=f"{indicator.heading}：顺序",
                min_value=1,
                max_value=99,
                required=False,
                initial=position,
            )
            self.fields[f"label_{indicator.pk}"] = forms.CharField(
                label=f"{indicator.heading}：榜上名称",
                max_length=40,
                required=False,
                initial=label,
            )

    @property
    def indicator_rows(self) -> list[dict[str, Any]]:
        """The library as rows of the indicator table (bound fields)."""
        return [
            {
                "indicator": indicator,
                "position": self[f"position_{indicator.pk}"],
                "label": self[f"label_{indicator.pk}"],
            }
            for indicator in self.library
        ]

    @property
    def main_fields(self) -> list[Any]:
        skip = ("position_", "label_")
        return [f for f in self.visible_fields() if not f.name.startswith(skip)]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        chosen = []
        for indicator in self.library:
            position = data.get(f"position_{indicator.pk}")
            if position is not None:
                chosen.append(
                    (position, indicator.pk, indicator, data.get(f"label_{indicator.pk}") or "")
                )
        if not chosen:
            self.add_error(None, "请至少选用一个指标（在指标的“顺序”中填写列序号）")
        chosen.sort(key=lambda c: (c[0], c[1]))
        data["indicators"] = [(indicator, label) for _, _, indicator, label in chosen]
        red, blue, white = (data.get(k) for k in ("red_points", "blue_points", "white_points"))
        if red is not None and blue is not None and white is not None and not red > blue > white:
            self.add_error("red_points", "分值应满足 红 > 蓝 > 白")
        rule = data.get("participant_rule")
        if rule == ParticipantRule.EXPLICIT and not data.get("participant_orgs"):
            self.add_error("participant_orgs", "规则为“指定单位”时，请选择参评单位")
        if rule == ParticipantRule.LABEL and not data.get("participant_labels"):
            self.add_error("participant_labels", "规则为“带有指定标签的单位”时，请选择标签")
        if rule == ParticipantRule.KIND and not data.get("participant_kinds"):
            self.add_error("participant_kinds", "规则为“指定类型的单位”时，请选择单位类型")
        breakers: list[str] = []
        for i in range(1, TIE_BREAKER_SLOTS + 1):
            key = data.get(f"tie_breaker_{i}") or ""
            if not key:
                continue
            if key in breakers:
                self.add_error(f"tie_breaker_{i}", "与前面的比较项重复")
                continue
            on_board = {indicator.key for indicator, _ in data["indicators"]}
            if key != ranking.PREVIOUS_RANK and key not in on_board:
                self.add_error(f"tie_breaker_{i}", "该指标没有选用在本榜上")
                continue
            breakers.append(key)
        data["tie_breakers"] = breakers
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "owner_org": data["owner_org"],
            "domain": data["domain"],
            "participant_rule": data["participant_rule"],
            "participant_orgs": list(data["participant_orgs"]),
            "participant_labels": list(data["participant_labels"]),
            "participant_kinds": list(data["participant_kinds"]),
            "yellow_labels": list(data["yellow_labels"]),
            "indicators": data["indicators"],
            "red_points": data["red_points"],
            "blue_points": data["blue_points"],
            "white_points": data["white_points"],
            "top_n": data["top_n"],
            "cumulative_mode": data["cumulative_mode"],
            "consecutive_months": data["consecutive_months"],
            "quarter_interview": data["quarter_interview"],
            "bottom_k": data["bottom_k"],
            "bottom_month": data["bottom_month"],
            "tie_breakers": data["tie_breakers"],
            "max_tied_last": data["max_tied_last"],
            "visibility": data["visibility"],
        }


def statistic_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(s.key, f"{s.name}（{s.unit}）") for s in STATISTICS.values()]


class IndicatorForm(forms.Form):
    """Add an indicator to the library: counted from the case records with a statistic
    (two statistics make a compound indicator ranked on the first), or reported."""

    key = forms.SlugField(label="代码", max_length=40)
    name = LineField(label="名称", max_length=40)
    unit = forms.CharField(label="计量单位", max_length=20, required=False, help_text="如 件、人")
    direction = forms.ChoiceField(label="方向", choices=Direction.choices)
    source = forms.ChoiceField(label="数据来源", choices=IndicatorSource.choices)
    statistic = forms.ChoiceField(
        label="统计口径",
        choices=statistic_choices,
        required=False,
        help_text="按案件记录计算时必选",
    )
    second_statistic = forms.ChoiceField(
        label="第二统计口径",
        choices=statistic_choices,
        required=False,
        help_text="选填：填写后成为复合指标，先比第一项，相同时比第二项",
    )
    component_names = forms.CharField(
        label="分项名称",
        max_length=60,
        required=False,
        help_text="复合指标的分项名称，用“/”分隔，如 批次/人次",
    )
    domain = ModelChoiceField(
        label="限定领域",
        queryset=DomainTag.objects.none(),
        required=False,
        empty_label="随多色榜的领域",
    )
    description = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["domain"]).queryset = _domains()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        names = [n.strip() for n in (data.get("component_names") or "").split("/") if n.strip()]
        components: list[dict[str, Any]] = []
        statistic = data.get("statistic") or ""
        if data.get("source") == IndicatorSource.COMPUTED:
            if not statistic:
                self.add_error("statistic", "按案件记录计算的指标须选择统计口径")
                return data
            second = data.get("second_statistic") or ""
            if second:
                if second == statistic:
                    self.add_error("second_statistic", "两个统计口径不能相同")
                    return data
                for i, key in enumerate((statistic, second)):
                    stat = STATISTICS[key]
                    name = names[i] if i < len(names) else stat.unit or stat.name
                    components.append(
                        {"key": key, "name": name, "unit": stat.unit, "statistic": key}
                    )
                statistic = ""
        else:
            if statistic or data.get("second_statistic"):
                self.add_error("statistic", "由单位填报的指标不选统计口径")
                return data
            if len(names) == 1:
                self.add_error("component_names", "复合指标至少需要两个分项")
            elif names:
                components = [
                    {"key": f"part{i}", "name": name, "unit": name}
                    for i, name in enumerate(names, start=1)
                ]
        data["statistic"] = statistic
        data["components"] = components
        return data


class CloseForm(forms.Form):
    month = MonthField(label="结账月份")
    missing_as_zero = forms.BooleanField(
        label="缺报数据按0计",
        required=False,
        help_text="单位未报送的填报指标按0计，并在榜上注明",
    )
    reason = forms.CharField(
        label="重新计算原因",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "该月已结账时必填"}),
    )


class ReportedUploadForm(forms.Form):
    month = MonthField(label="填报月份")
    file = forms.FileField(label="填报文件（.xlsx）")


class ReportedTemplateForm(forms.Form):
    month = MonthField(label="填报月份")


class WarningFilterForm(forms.Form):
    board = forms.ChoiceField(label="多色榜", required=False)
    kind = forms.ChoiceField(
        label="预警类型", required=False, choices=[("", "全部"), *WarningKind.choices]
    )
    status = forms.ChoiceField(
        label="跟踪状态", required=False, choices=[("", "全部"), *WarningStatus.choices]
    )
    month = MonthField(label="触发月份", required=False)
    org = forms.ChoiceField(label="预警单位", required=False)

    def __init__(
        self,
        *args: Any,
        boards: list[Board],
        orgs: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["board"]).choices = [
            ("", "全部"),
            *((str(b.pk), b.title) for b in boards),
        ]
        cast(forms.ChoiceField, self.fields["org"]).choices = [
            ("", "全部"),
            *((str(pk), name) for pk, name in orgs or []),
        ]


class WarningActionForm(forms.Form):
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label="整改报告文件", required=False)


class ArchiveForm(forms.Form):
    reason = forms.CharField(label="停用原因", max_length=200)
