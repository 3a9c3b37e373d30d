"""The 多色榜: the indicator library, board definitions, frozen monthly snapshots, the
figures units report themselves, and the warnings a close issues with their follow-up.

What a board *is* (indicators, participants, colours, warning rules) lives in
:class:`Board`; what it *showed* for a month lives in an immutable
:class:`BoardSnapshot`. The ranking itself is the pure calculator in
:mod:`jiandu.boards.ranking`; the close (:func:`jiandu.boards.services.board_close`)
feeds it and freezes its result.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiandu.boards.choices import (
    CumulativeMode,
    Direction,
    IndicatorSource,
    ParticipantRule,
    Visibility,
    WarningAction,
    WarningKind,
    WarningStatus,
)
from jiandu.core.db import JSONDocumentField
from jiandu.core.models import ArchivableModel, TimeStampedModel

MONTH_FIELD_LENGTH = 7  # "YYYY-MM"


class Indicator(TimeStampedModel, ArchivableModel):
    """A work indicator a board can rank on (受理问题线索, 批评教育, 通报曝光 …).

    A COMPUTED indicator counts case records with one of the statistics of
    :mod:`jiandu.clues.statistics` (``statistic``), or — when compound, like
    通报曝光（批次/人次） — one statistic per component (``components``: a list of
    ``{"key", "name", "unit", "statistic"}``, ranked on the first, ties broken by the
    next). A REPORTED indicator is filled in by the units on an .xlsx template each
    month (``components`` then only name the parts). ``domain`` restricts the counted
    records to a problem domain (扶贫 …); empty means the board's domain applies.
    """

    key = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    direction = models.CharField(
        _("方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    source = models.CharField(
        _("数据来源"),
        max_length=12,
        choices=IndicatorSource.choices,
        default=IndicatorSource.COMPUTED,
    )
    statistic = models.CharField(_("统计口径"), max_length=40, blank=True)
    components = models.JSONField(_("分项"), default=list, blank=True)
    domain = models.ForeignKey(
        "clues.DomainTag",
        verbose_name=_("限定领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    is_builtin = models.BooleanField(_("内置"), default=False)

    class Meta:
        verbose_name = _("多色榜指标")
        verbose_name_plural = _("多色榜指标")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.heading

    @property
    def is_compound(self) -> bool:
        return bool(self.components)

    @property
    def is_reported(self) -> bool:
        return self.source == IndicatorSource.REPORTED

    @property
    def display_unit(self) -> str:
        if self.unit or not self.components:
            return self.unit
        return "/".join(c.get("unit") or c.get("name", "") for c in self.components)

    @property
    def heading(self) -> str:
        return f"{self.name}（{self.display_unit}）" if self.display_unit else self.name

    @property
    def statistic_names(self) -> str:
        """What is counted, by name: “受理问题线索”, or “批次：通报曝光批次；人次：通报曝光人次”
        for a compound indicator (empty for a reported one)."""
        from jiandu.clues.statistics import STATISTICS

        def name(key: str) -> str:
            found = STATISTICS.get(key)
            return found.name if found is not None else key

        if self.components:
            return "；".join(
                f"{c.get('name', c['key'])}：{name(c['statistic'])}"
                if c.get("statistic")
                else c.get("name", c["key"])
                for c in self.components
            )
        return name(self.statistic) if self.statistic else ""

    def slots(self) -> list[dict[str, Any]]:
        """The value slots: ``[{"key": None, "statistic": …}]`` for a simple indicator,
        one per component for a compound one."""
        if self.components:
            return [
                {
                    "key": c["key"],
                    "name": c.get("name", c["key"]),
                    "unit": c.get("unit", ""),
                    "statistic": c.get("statistic", ""),
                }
                for c in self.components
            ]
        return [{"key": None, "name": self.name, "unit": self.unit, "statistic": self.statistic}]

    def clean(self) -> None:
        from jiandu.clues.statistics import STATISTICS

        errors: dict[str, str] = {}
        components = self.components or []
        if not isinstance(components, list) or any(not isinstance(c, dict) for c in components):
            raise ValidationError({"components": "分项应为列表"})
        if len(components) == 1:
            errors["components"] = "复合指标至少需要两个分项"
        keys = [c.get("key") for c in components]
        if any(not k or "." in str(k) for k in keys) or len(set(keys)) != len(keys):
            errors["components"] = "分项代码不能为空、不能含“.”，也不能重复"
        if self.source == IndicatorSource.COMPUTED:
            if components:
                unknown = [c.get("statistic") for c in components]
                unknown = [s for s in unknown if s not in STATISTICS]
                if unknown:
                    errors["components"] = f"分项的统计口径无效：{'、'.join(map(str, unknown))}"
                if self.statistic:
                    errors["statistic"] = "复合指标的统计口径写在各分项中"
            elif self.statistic not in STATISTICS:
                errors["statistic"] = "请选择统计口径"
        elif self.statistic or any(c.get("statistic") for c in components):
            errors["statistic"] = "由单位填报的指标没有统计口径"
        if errors:
            raise ValidationError(errors)


class BoardQuerySet(models.QuerySet["Board"]):
    def active(self) -> BoardQuerySet:
        return self.filter(archived_at__isnull=True)


class Board(TimeStampedModel, ArchivableModel):
    """A 多色榜 definition: which units are ranked on which indicators, how cells are
    coloured and scored, how the cumulative period is ranked, which results bring a
    warning, and who may see it.

    The board belongs to ``owner_org`` (usually the 党风政风监督室's commission): users
    whose jurisdiction includes it see the whole board. Participants are listed
    explicitly or found by a rule (every org under the owner with one of
    ``participant_labels`` / of one of ``participant_kinds``); users within a
    participant see the whole board or only their own row (``visibility``).
    """

    key = models.SlugField(_("代码"), max_length=40, unique=True)
    title = models.CharField(_("名称"), max_length=100)
    owner_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("主管单位"), on_delete=models.PROTECT, related_name="+"
    )
    domain = models.ForeignKey(
        "clues.DomainTag",
        verbose_name=_("领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    participant_rule = models.CharField(
        _("参评单位规则"),
        max_length=12,
        choices=ParticipantRule.choices,
        default=ParticipantRule.EXPLICIT,
    )
    participant_orgs = models.ManyToManyField(
        "orgs.Org", verbose_name=_("指定参评单位"), blank=True, related_name="+"
    )
    participant_labels = models.ManyToManyField(
        "orgs.OrgLabel", verbose_name=_("参评单位标签"), blank=True, related_name="+"
    )
    participant_kinds = models.JSONField(_("参评单位类型"), default=list, blank=True)
    yellow_labels = models.ManyToManyField(
        "orgs.OrgLabel", verbose_name=_("标黄的单位标签"), blank=True, related_name="+"
    )
    red_points = models.PositiveSmallIntegerField(_("红色分值"), default=5)
    blue_points = models.PositiveSmallIntegerField(_("蓝色分值"), default=3)
    white_points = models.PositiveSmallIntegerField(_("白色分值"), default=1)
    top_n = models.PositiveSmallIntegerField(
        _("红色名次（前几名）"), default=3, validators=[MinValueValidator(1)]
    )
    cumulative_mode = models.CharField(
        _("累计排名方式"),
        max_length=12,
        choices=CumulativeMode.choices,
        default=CumulativeMode.SUM_VALUES,
    )
    consecutive_months = models.PositiveSmallIntegerField(
        _("连续末位月数"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("综合排名连续几个月末位发出工作预警通知书"),
    )
    quarter_interview = models.BooleanField(
        _("季度末位约谈"), default=True, help_text=_("每季度累计综合排名末位的，约谈单位负责人")
    )
    bottom_k = models.PositiveSmallIntegerField(
        _("集体诫勉谈话名数"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("累计综合排名后几名列入集体诫勉谈话名单；参评单位不多于该数时不启用"),
    )
    bottom_month = models.PositiveSmallIntegerField(
        _("集体诫勉谈话统计截至月份"),
        null=True,
        blank=True,
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_(
            "结账到该月时，1月至该月累计综合排名后几名的单位列入集体诫勉谈话名单；留空不启用"
        ),
    )
    tie_breakers = models.JSONField(
        _("末位并列时依次比较"),
        default=list,
        blank=True,
        help_text=_(
            "综合得分同为最低时，依次比较的指标（代码），最后可加上期综合排名"
            "（previous_rank）；每一项只留下较差的单位"
        ),
    )
    max_tied_last = models.PositiveSmallIntegerField(
        _("末位并列单位数上限"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("依次比较后仍并列末位的单位多于该数时，不确定末位、不发末位预警"),
    )
    visibility = models.CharField(
        _("参评单位可见范围"), max_length=8, choices=Visibility.choices, default=Visibility.WHOLE
    )
    is_builtin = models.BooleanField(_("内置"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = BoardQuerySet.as_manager()

    class Meta:
        verbose_name = _("多色榜")
        verbose_name_plural = _("多色榜")
        ordering = ["pk"]
        permissions = [("close_board", _("多色榜结账"))]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.red_points > self.blue_points > self.white_points >= 0:
            errors["red_points"] = "分值应满足 红 > 蓝 > 白 ≥ 0"
        kinds = self.participant_kinds or []
        if not isinstance(kinds, list):
            errors["participant_kinds"] = "参评单位类型应为列表"
        elif self.participant_rule == ParticipantRule.KIND and not kinds:
            errors["participant_kinds"] = "按类型确定参评单位时，请至少选择一种单位类型"
        breakers = self.tie_breakers
        if not isinstance(breakers, list) or not all(isinstance(b, str) and b for b in breakers):
            errors["tie_breakers"] = "末位并列时的比较项应为指标代码的列表"
        elif len(set(breakers)) != len(breakers):
            errors["tie_breakers"] = "末位并列时的比较项不能重复"
        if errors:
            raise ValidationError(errors)


class BoardIndicator(models.Model):
    """An indicator on a board, in column order; ``label`` renames it on this board
    (e.g. 问责处理 printed as 问责追责)."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="board_indicators")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    label = models.CharField(_("榜上名称"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("多色榜指标列")
        verbose_name_plural = _("多色榜指标列")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["board", "indicator"], name="board_indicator_once")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.label or self.indicator.name


class BoardSnapshotQuerySet(models.QuerySet["BoardSnapshot"]):
    def update(self, **kwargs):  # type: ignore[override]
        raise PermissionError("多色榜快照不能修改；如需更正请重新结账生成新版本")

    def delete(self):  # type: ignore[override]
        raise PermissionError("多色榜快照不能删除")


class BoardSnapshot(models.Model):
    """A month of a board as closed (结账) and published: frozen, never changed.

    ``data`` holds the calculator's result for January to ``month`` (every month and
    the cumulative period: values, ranks, colours, points, composites, overall ranks),
    the indicator definitions and units used (with each unit's subtree, so a cell can be
    opened down to its records), the quarter's cumulative result at a quarter's end,
    and where reported figures came from. Closing a month again makes the next
    ``version`` with a ``reason``; earlier versions stay readable.

    ``figures`` holds what later closes reuse, apart from the large ``data`` so that
    reading it does not read the whole board: the month's computed figures, the running
    totals of January to ``month`` with the snapshots they came from, and each unit's
    composite and overall rank.
    """

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="snapshots")
    month = models.CharField(_("月份"), max_length=MONTH_FIELD_LENGTH)
    version = models.PositiveIntegerField(_("版本"))
    reason = models.CharField(_("重新计算原因"), max_length=300, blank=True)
    missing_as_zero = models.BooleanField(_("缺报数据按0计"), default=False)
    data = JSONDocumentField(_("结账数据"))
    figures = models.JSONField(_("结账数字"), default=dict, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结账人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("结账时间"), default=timezone.now)

    objects = BoardSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("多色榜快照")
        verbose_name_plural = _("多色榜快照")
        ordering = ["board", "-month", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "month", "version"], name="board_snapshot_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.board} {self.month_label}（第{self.version}版）"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("多色榜快照不能修改；如需更正请重新结账生成新版本")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("多色榜快照不能删除")

    @property
    def month_label(self) -> str:
        from jiandu.boards.ranking import month_label

        return month_label(self.month)


def reported_upload_path(instance: ReportedUpload, filename: str) -> str:
    return f"boards/reported/{instance.month}/{instance.sha256[:2]}/{instance.sha256}.xlsx"


class ReportedUpload(models.Model):
    """One filled-in template of reported figures, imported as a whole (or refused)."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="uploads")
    month = models.CharField(_("月份"), max_length=MONTH_FIELD_LENGTH)
    file = models.FileField(_("文件"), upload_to=reported_upload_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.BigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("填报数据文件")
        verbose_name_plural = _("填报数据文件")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name


class ReportedValue(models.Model):
    """A figure a unit reported for a month: a later upload for the same unit, month and
    indicator supersedes it (the latest upload wins; nothing is deleted)."""

    upload = models.ForeignKey(ReportedUpload, on_delete=models.PROTECT, related_name="values")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    month = models.CharField(_("月份"), max_length=MONTH_FIELD_LENGTH)
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    component = models.CharField(_("分项"), max_length=40, blank=True)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)
    row_number = models.PositiveIntegerField(_("行号"))

    class Meta:
        verbose_name = _("填报数据")
        verbose_name_plural = _("填报数据")
        ordering = ["-upload_id", "pk"]
        indexes = [models.Index(fields=["board", "month"])]

    def __str__(self) -> str:
        return f"{self.org} {self.month} {self.indicator.name}"


class BoardWarning(TimeStampedModel):
    """A warning a close issued to a unit, with the snapshots that prove it.

    CONSECUTIVE_LAST: last overall N months running → 工作预警通知书; QUARTER_LAST: last
    in a quarter's cumulative ranking → 约谈 of the unit's leader (``leader_name``);
    CUMULATIVE_BOTTOM: among the bottom K of the cumulative ranking at the configured
    month → the collective 诫勉谈话 list. Follow-up is a lifecycle (已发出 → 已送达 →
    已签收 → 已收到整改报告), one :class:`WarningEvent` per move.
    """

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="warnings")
    snapshot = models.ForeignKey(
        BoardSnapshot,
        verbose_name=_("触发结账"),
        on_delete=models.PROTECT,
        related_name="issued_warnings",
    )
    evidence = models.ManyToManyField(
        BoardSnapshot, verbose_name=_("依据快照"), related_name="evidenced_warnings"
    )
    kind = models.CharField(_("预警类型"), max_length=20, choices=WarningKind.choices)
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("预警单位"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.CharField(_("触发月份"), max_length=MONTH_FIELD_LENGTH)
    scope = models.CharField(_("期间"), max_length=40, blank=True)
    description = models.CharField(_("情况"), max_length=300)
    finding = models.JSONField(_("依据"), default=dict)
    leader_name = models.CharField(_("单位负责人"), max_length=50, blank=True)
    leader_title = models.CharField(_("负责人职务"), max_length=100, blank=True)
    status = models.CharField(
        _("跟踪状态"), max_length=24, choices=WarningStatus.choices, default=WarningStatus.ISSUED
    )

    class Meta:
        verbose_name = _("多色榜预警")
        verbose_name_plural = _("多色榜预警")
        ordering = ["-month", "board", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "kind", "org", "month"], name="board_warning_once"
            )
        ]
        indexes = [models.Index(fields=["status", "month"])]

    @property
    def month_label(self) -> str:
        from jiandu.boards.ranking import month_label

        return month_label(self.month)

    def __str__(self) -> str:
        return f"{self.org} {self.get_kind_display()}（{self.month}）"


def warning_file_path(instance: WarningEvent, filename: str) -> str:
    return f"boards/rectification/{instance.sha256[:2]}/{instance.sha256}"


class WarningEvent(models.Model):
    """One move in a warning's follow-up, with who, when, a note and, for a
    rectification report, the uploaded file."""

    warning = models.ForeignKey(BoardWarning, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("动作"), max_length=24, choices=WarningAction.choices)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    note = models.TextField(_("说明"), blank=True)
    file = models.FileField(_("文件"), upload_to=warning_file_path, blank=True)
    original_name = models.CharField(_("文件名"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("预警跟踪记录")
        verbose_name_plural = _("预警跟踪记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
