"""零报告 detection, 对账销账 and the 质询会 (seeds 002 and 003).

- :class:`ZeroReportRule` — the rule and its thresholds, versioned like the deadline
  table: a change archives the row in force and adds a new one; a flag keeps the rule it
  was raised under.
- :class:`ZeroReportFlag` — a unit flagged for 专项督导 in a period, with its counts and
  (:class:`ZeroReportEvidence`) the records behind each count, frozen when detected.
- :class:`Reconciliation` — one unit's 对账 for a period: self-found problems (自查台账)
  against problems found by others (被查台账); :class:`LedgerPair` pairs one of each,
  automatically (same unit, category and period) or by hand with a reason; the others'
  problems left unpaired are the gap list. :class:`GapAccountability` is the outcome of a
  gap item (被动整改 → 问责 of 主管领导 and 一把手).
- :class:`InquiryMeeting` — a 质询会 on a set of problems of one unit, each
  (:class:`InquiryItem`) marked 交账 / 销账 / 清账 with the decision.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.core.access import ScopedQuerySet
from jiandu.core.models import ArchivableModel, TimeStampedModel
from jiandu.reconciliation.choices import (
    AccountabilityForm,
    EvidenceKind,
    FlagReason,
    FlagStatus,
    InquiryDecision,
    InquiryStatus,
    PairKind,
    ReconciliationStatus,
)


class ZeroReportRule(TimeStampedModel, ArchivableModel):
    """The 零报告 rule in force (one row without ``archived_at``) and its history.

    A unit of the scope is flagged in a period when its self-found problems (sources
    marked 自查自纠) are 0 while the problems and petitions about it from other sources
    number at least ``zero_min_other`` (零报告), or when they are fewer than
    ``share_threshold`` × that number while that number is at least
    ``share_min_other`` (自查问题偏少)."""

    # One rule in force for the platform; the key lets the database say so.
    key = models.CharField(max_length=16, default="zero_report", editable=False)
    zero_min_other = models.PositiveIntegerField(
        _("零报告：其他来源至少（件）"),
        default=1,
        help_text=_("自查为0且其他来源问题和信访举报达到此数即标记；0表示自查为0即标记"),
    )
    share_threshold = models.DecimalField(
        _("自查占比下限"),
        max_digits=4,
        decimal_places=3,
        default="0.500",
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text=_("自查问题数低于其他来源件数的此倍数即标记，如0.5即一半"),
    )
    share_min_other = models.PositiveIntegerField(
        _("占比规则：其他来源至少（件）"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("其他来源件数达到此数时才按占比判断"),
    )
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("零报告规则")
        verbose_name_plural = _("零报告规则")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(archived_at__isnull=True),
                name="zero_report_rule_one_in_force",
            ),
        ]

    def __str__(self) -> str:
        return self.describe

    @property
    def share_percent(self) -> str:
        # Decimal(): a rule made with the field's default holds it as text until reloaded
        return f"{(Decimal(self.share_threshold) * 100).normalize():f}%"

    @property
    def describe(self) -> str:
        zero = (
            "自查为0即标记"
            if self.zero_min_other == 0
            else f"自查为0且其他来源≥{self.zero_min_other}件"
        )
        return (
            f"零报告：{zero}；自查偏少：其他来源≥{self.share_min_other}件且"
            f"自查数低于其{self.share_percent}"
        )


class ZeroReportFlagQuerySet(ScopedQuerySet):
    scope_fields = ("org",)


class ZeroReportFlag(TimeStampedModel):
    """A unit flagged for 专项督导 in a period, under the rule then in force. Its counts
    and evidence are frozen at detection; detecting again leaves it unchanged."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    period_key = models.CharField(_("期间"), max_length=8)
    period_start = models.DateField(_("期间起"))
    period_end = models.DateField(_("期间止"))
    rule = models.ForeignKey(
        ZeroReportRule, verbose_name=_("所依规则"), on_delete=models.PROTECT, related_name="flags"
    )
    reason = models.CharField(_("标记原因"), max_length=16, choices=FlagReason.choices)
    self_found_count = models.PositiveIntegerField(_("自查自纠问题"))
    other_problem_count = models.PositiveIntegerField(_("其他来源问题"))
    petition_count = models.PositiveIntegerField(_("信访举报"))
    status = models.CharField(
        _("状态"), max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    detected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检测人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supervised_on = models.DateField(_("专项督导日期"), null=True, blank=True)
    supervision_note = models.TextField(_("专项督导情况"), blank=True)
    supervised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ZeroReportFlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("零报告标记")
        verbose_name_plural = _("零报告标记")
        ordering = ["-period_start", "org__path", "pk"]
        permissions = [("detect_zeroreport", _("运行零报告检测、登记专项督导"))]
        constraints = [
            models.UniqueConstraint(fields=["org", "period_key"], name="zero_report_flag_once")
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.period_key} {self.get_reason_display()}"

    @property
    def other_count(self) -> int:
        return self.other_problem_count + self.petition_count


class ZeroReportEvidence(models.Model):
    """One record behind one of a flag's counts."""

    flag = models.ForeignKey(ZeroReportFlag, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("类别"), max_length=16, choices=EvidenceKind.choices)
    problem = models.ForeignKey(
        "oversight.Problem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    petition = models.ForeignKey(
        "clues.Petition", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("零报告依据")
        verbose_name_plural = _("零报告依据")
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(problem__isnull=False) & models.Q(petition__isnull=True))
                | (models.Q(problem__isnull=True) & models.Q(petition__isnull=False)),
                name="zero_report_evidence_one_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.problem_id or self.petition_id}"


class ReconciliationQuerySet(ScopedQuerySet):
    scope_fields = ("org",)


class Reconciliation(TimeStampedModel):
    """One unit's 对账 for one period. The ledgers are the unit's problems of the period
    (read live from the rectification loop); the pairs and gap outcomes are stored here.
    销账 freezes the counts; 重新对账 reopens with a reason."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    period_key = models.CharField(_("期间"), max_length=8)
    period_start = models.DateField(_("期间起"))
    period_end = models.DateField(_("期间止"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ReconciliationStatus.choices,
        default=ReconciliationStatus.OPEN,
    )
    matched_at = models.DateTimeField(_("最近自动对账"), null=True, blank=True)
    closed_on = models.DateField(_("销账日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("销账人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    self_count = models.PositiveIntegerField(_("自查台账（销账时）"), null=True, blank=True)
    other_count = models.PositiveIntegerField(_("被查台账（销账时）"), null=True, blank=True)
    gap_count = models.PositiveIntegerField(_("差额清单（销账时）"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    objects = ReconciliationQuerySet.as_manager()

    class Meta:
        verbose_name = _("对账销账")
        verbose_name_plural = _("对账销账")
        ordering = ["-period_start", "org__path"]
        constraints = [
            models.UniqueConstraint(fields=["org", "period_key"], name="reconciliation_once")
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.period_key}"


class ReconciliationEvent(models.Model):
    """One move of a reconciliation (销账, 重新对账), with its reason."""

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("动作"), max_length=16)
    from_status = models.CharField(_("原状态"), max_length=16)
    to_status = models.CharField(_("新状态"), max_length=16)
    reason = models.TextField(_("理由"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("对账办理记录")
        verbose_name_plural = _("对账办理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d}"


class LedgerPair(TimeStampedModel):
    """A self-found problem paired with a problem found by others: the unit had found it
    itself. Unpairing ends the pair (who, when, why) instead of deleting it, and automatic
    matching never pairs an ended couple again."""

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.PROTECT, related_name="pairs"
    )
    self_problem = models.ForeignKey(
        "oversight.Problem",
        verbose_name=_("自查问题"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    other_problem = models.ForeignKey(
        "oversight.Problem",
        verbose_name=_("被查问题"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("方式"), max_length=8, choices=PairKind.choices)
    reason = models.TextField(_("配对理由"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    ended_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解除人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    end_reason = models.TextField(_("解除理由"), blank=True)

    class Meta:
        verbose_name = _("对账配对")
        verbose_name_plural = _("对账配对")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_problem"],
                condition=models.Q(ended_at__isnull=True),
                name="ledger_pair_self_once",
            ),
            models.UniqueConstraint(
                fields=["other_problem"],
                condition=models.Q(ended_at__isnull=True),
                name="ledger_pair_other_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.self_problem_id} ↔ {self.other_problem_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class GapAccountability(TimeStampedModel):
    """The outcome of a gap item (seed 003: 对被动查纠的问责追责主管领导和“一把手”): the
    unit did not find the problem itself, so its 主管领导 and 一把手 are held to account.
    Recorded on the gap item (the problem found by others), naming both persons."""

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.PROTECT, related_name="accountabilities"
    )
    problem = models.OneToOneField(
        "oversight.Problem",
        verbose_name=_("差额问题"),
        on_delete=models.PROTECT,
        related_name="gap_accountability",
    )
    supervising_leader = models.ForeignKey(
        "people.Person",
        verbose_name=_("主管领导"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    principal = models.ForeignKey(
        "people.Person",
        verbose_name=_("一把手"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    form = models.CharField(_("问责方式"), max_length=16, choices=AccountabilityForm.choices)
    decided_on = models.DateField(_("决定日期"))
    decision = models.TextField(_("问责决定"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("被动整改问责")
        verbose_name_plural = _("被动整改问责")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.get_form_display()}"


class InquiryMeetingQuerySet(ScopedQuerySet):
    scope_fields = ("org", "convening_org")


class InquiryMeeting(TimeStampedModel):
    """A 质询会 (seed 002): the convening body questions one unit face to face on a set of
    its problems (对账) and marks each 交账, 销账 or 清账 with the decision. The agenda and
    the minutes (纪要, numbered in the 文号 register) are .docx."""

    title = models.CharField(_("会议名称"), max_length=100)
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("被质询单位"), on_delete=models.PROTECT, related_name="+"
    )
    convening_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("召集单位"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("地点"), max_length=100)
    chair = models.CharField(_("主持人"), max_length=100)
    participants = models.TextField(_("参加人员"), help_text=_("每行一人（单位、职务、姓名）"))
    requirements = models.TextField(_("会议要求"), blank=True, help_text=_("每行一条，写入纪要"))
    status = models.CharField(
        _("状态"), max_length=16, choices=InquiryStatus.choices, default=InquiryStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = InquiryMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("质询会")
        verbose_name_plural = _("质询会")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def participant_list(self) -> list[str]:
        return [line.strip() for line in self.participants.splitlines() if line.strip()]

    @property
    def requirement_list(self) -> list[str]:
        return [line.strip() for line in self.requirements.splitlines() if line.strip()]


class InquiryItem(models.Model):
    """One problem on a 质询会's agenda and the decision taken on it."""

    meeting = models.ForeignKey(InquiryMeeting, on_delete=models.PROTECT, related_name="items")
    problem = models.ForeignKey(
        "oversight.Problem", verbose_name=_("问题"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    decision = models.CharField(
        _("决定"), max_length=16, choices=InquiryDecision.choices, blank=True
    )
    decision_text = models.TextField(_("决定内容"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("标记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("质询事项")
        verbose_name_plural = _("质询事项")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "problem"], name="inquiry_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}-{self.order}"


class InquiryRecordItem(models.Model):
    """A record of another app on a 质询会's agenda (a county's 三本账 row), put there
    through :mod:`jiandu.core.hooks` (this app imports no app above it): its reference
    and text are kept as the meeting read them, and it is marked 交账 / 销账 / 清账 like
    a problem. 销账 asks the record's app whether the record may be struck off."""

    meeting = models.ForeignKey(
        InquiryMeeting, on_delete=models.PROTECT, related_name="record_items"
    )
    record_type = models.CharField(_("类别"), max_length=40)
    record_id = models.BigIntegerField(_("编号"))
    reference = models.CharField(_("台账"), max_length=100)
    text = models.TextField(_("事项"))
    order = models.PositiveSmallIntegerField(_("序号"))
    decision = models.CharField(
        _("决定"), max_length=16, choices=InquiryDecision.choices, blank=True
    )
    decision_text = models.TextField(_("决定内容"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("标记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("质询台账事项")
        verbose_name_plural = _("质询台账事项")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "record_type", "record_id"], name="inquiry_record_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}-{self.record_type}-{self.record_id}"
