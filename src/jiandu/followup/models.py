"""Follow-up of the case registry: feedback to real-name reporters (受理告知, 结果反馈
and the reporter's reply), 三名 (澄清正名 and 严查诬名 records), 处分执行 (the
decision served; personnel and pay changes after a heavy sanction) and 回访教育.

Each record with a period stores its due date and the deadline-table rule it was
computed under, so a later change of the table does not move it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.core.access import ScopedQuerySet
from jiandu.followup.choices import (
    AccusationNature,
    ClarificationMethod,
    FeedbackKind,
    FeedbackMethod,
    Reply,
)


class FeedbackStepQuerySet(ScopedQuerySet):
    # Visible exactly where the petition is.
    scope_fields = ("petition__received_org", "petition__handling_org")

    def open(self) -> FeedbackStepQuerySet:
        return self.filter(done_on__isnull=True)


class FeedbackStep(models.Model):
    """One feedback step owed to the reporter of a real-name petition: 受理告知 (due
    from receipt) or 结果反馈 (due from closing). The reporter's reply is recorded on
    the 结果反馈 step."""

    petition = models.ForeignKey(
        "clues.Petition",
        verbose_name=_("信访举报"),
        on_delete=models.PROTECT,
        related_name="feedback_steps",
    )
    kind = models.CharField(_("环节"), max_length=16, choices=FeedbackKind.choices)
    unit = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("告知单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("登记该信访件的单位（其信访受理人员负责告知、反馈）"),
    )
    start_on = models.DateField(
        _("起算日期"), help_text=_("受理告知：受理日期；结果反馈：办结日期")
    )
    due_on = models.DateField(_("应告知日期"))
    rule = models.ForeignKey(
        "core.DeadlineRule", verbose_name=_("期限规则"), on_delete=models.PROTECT, related_name="+"
    )
    done_on = models.DateField(_("告知日期"), null=True, blank=True)
    method = models.CharField(
        _("告知方式"), max_length=16, choices=FeedbackMethod.choices, blank=True
    )
    note = models.TextField(_("告知内容摘要"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reply = models.CharField(_("举报人评价"), max_length=16, choices=Reply.choices, blank=True)
    reply_on = models.DateField(_("评价日期"), null=True, blank=True)
    objection = models.TextField(_("异议内容"), blank=True)

    objects = FeedbackStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("实名举报告知反馈")
        verbose_name_plural = _("实名举报告知反馈")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "kind"], name="feedback_one_per_kind")
        ]
        indexes = [
            models.Index(fields=["due_on"], name="feedback_due"),
            models.Index(fields=["reply_on"], name="feedback_reply"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.petition.number or '信访件'}）"


class OutcomeScopedQuerySet(ScopedQuerySet):
    scope_fields = ("outcome__clue__handling_org", "outcome__clue__registered_org")


class SanctionExecution(models.Model):
    """处分执行 of one sanction outcome (党纪处分, 政务处分): the decision served and,
    for 降级 and above (:data:`jiandu.followup.rules.PERSONNEL_SUBTYPES`), the
    personnel and pay changes due within the table's period from the decision date."""

    outcome = models.OneToOneField(
        "clues.Outcome",
        verbose_name=_("处理结果"),
        on_delete=models.PROTECT,
        related_name="execution",
    )
    served_on = models.DateField(_("处分决定送达日期"), null=True, blank=True)
    personnel_required = models.BooleanField(_("须变更职务工资"), default=False)
    personnel_due = models.DateField(_("变更应完成日期"), null=True, blank=True)
    rule = models.ForeignKey(
        "core.DeadlineRule",
        verbose_name=_("期限规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    post_changed_on = models.DateField(_("职务（级别）变更日期"), null=True, blank=True)
    pay_changed_on = models.DateField(_("工资待遇变更日期"), null=True, blank=True)
    completed_on = models.DateField(
        _("执行完毕日期"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("须变更职务工资的：两项变更都已记录之日；其他：送达之日"),
    )
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = OutcomeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("处分执行")
        verbose_name_plural = _("处分执行")
        ordering = ["personnel_due", "pk"]
        indexes = [models.Index(fields=["personnel_due"], name="execution_due")]

    def __str__(self) -> str:
        return f"处分执行：{self.outcome}"


class FollowUpVisit(models.Model):
    """回访教育 of a sanctioned person: planned (when, by which unit, by whom), then
    recorded (the date held, the findings)."""

    outcome = models.ForeignKey(
        "clues.Outcome",
        verbose_name=_("处理结果"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("回访单位"), on_delete=models.PROTECT, related_name="+"
    )
    visitors = models.CharField(_("回访人员"), max_length=100)
    planned_on = models.DateField(_("计划回访日期"))
    held_on = models.DateField(_("回访日期"), null=True, blank=True)
    findings = models.TextField(_("回访情况"), blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = OutcomeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("回访教育")
        verbose_name_plural = _("回访教育")
        ordering = ["planned_on", "pk"]
        indexes = [models.Index(fields=["planned_on"], name="visit_planned")]

    def __str__(self) -> str:
        return f"回访教育 {self.planned_on}"


class ClueScopedQuerySet(ScopedQuerySet):
    scope_fields = ("clue__handling_org", "clue__registered_org")


class Clarification(models.Model):
    """澄清正名: a person named in a clue found not to have done it is cleared, by a
    written notice or at a meeting, within a stated scope."""

    clue = models.ForeignKey(
        "clues.Clue", verbose_name=_("问题线索"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("被澄清人"),
        on_delete=models.PROTECT,
        related_name="clarifications",
    )
    org = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("澄清单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("线索的承办单位"),
    )
    method = models.CharField(_("澄清方式"), max_length=16, choices=ClarificationMethod.choices)
    held_on = models.DateField(_("澄清日期"))
    scope = models.CharField(_("澄清范围"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ClueScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("澄清正名")
        verbose_name_plural = _("澄清正名")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["held_on"], name="clarification_held")]

    def __str__(self) -> str:
        return f"澄清正名 {self.held_on}"


class FalseAccusation(models.Model):
    """严查诬名: an accusation found false (诬告陷害) or malicious, with the outcome
    decided about it (the same clue's 处理结果, normally 诬告陷害查处)."""

    clue = models.ForeignKey(
        "clues.Clue", verbose_name=_("问题线索"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.ForeignKey(
        "clues.Outcome",
        verbose_name=_("处理结果"),
        on_delete=models.PROTECT,
        related_name="false_accusations",
    )
    org = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("查处单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("线索的承办单位"),
    )
    nature = models.CharField(_("性质"), max_length=16, choices=AccusationNature.choices)
    found_on = models.DateField(_("认定日期"))
    description = models.TextField(_("认定情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ClueScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("严查诬名")
        verbose_name_plural = _("严查诬名")
        ordering = ["-found_on", "-pk"]
        indexes = [models.Index(fields=["found_on"], name="accusation_found")]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} {self.found_on}"
