"""呈批: a decision proposed by the 承办人 and signed step by step along its office's
approval route; it takes effect only when the last step approves.

The approvals app sits below the apps whose decisions it carries (ADR 0015): a request
names its target generically (app label, model, id), and the target app registers each
kind of decision with the function that applies it (``approvals.registry``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiandu.approvals.choices import RequestStatus, SignerRole, StepDecision, step_label
from jiandu.core.access import ScopedQuerySet
from jiandu.core.models import ArchivableModel, TimeStampedModel


class ApprovalRoute(TimeStampedModel, ArchivableModel):
    """The steps a kind of decision goes through in one org (an office or a commission).

    An office without its own route uses its commission's; a commission without one
    uses the shipped default (``registry.DEFAULT_STEPS``)."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("适用单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("呈批事项"), max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("审批流程")
        verbose_name_plural = _("审批流程")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "kind"],
                condition=models.Q(archived_at__isnull=True),
                name="approvals_route_one_active_per_org_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.org}·{self.kind}"


class ApprovalRouteStep(models.Model):
    route = models.ForeignKey(
        ApprovalRoute, verbose_name=_("审批流程"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("顺序"))
    signer_role = models.CharField(_("签批人"), max_length=20, choices=SignerRole.choices)

    class Meta:
        verbose_name = _("审批步骤")
        verbose_name_plural = _("审批步骤")
        ordering = ["route", "order"]
        constraints = [
            models.UniqueConstraint(fields=["route", "order"], name="approvals_route_step_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.get_signer_role_display()}"


class ApprovalRequestQuerySet(ScopedQuerySet):
    scope_fields = ("org",)


class ApprovalRequest(TimeStampedModel):
    """One 呈批: a decision of a registered kind about one record, its payload (what is
    proposed), and where it stands on its route. The route's steps are copied when it is
    submitted, so a later change of the route does not move a request under way."""

    kind = models.CharField(_("呈批事项"), max_length=40, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=60)
    target_id = models.PositiveBigIntegerField(_("对象"))
    target_label = models.CharField(_("对象"), max_length=200)
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(_("呈批事由"), max_length=300)
    payload = models.JSONField(_("拟办内容"), default=dict)
    reason = models.TextField(_("拟办意见"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    round = models.PositiveSmallIntegerField(_("呈批轮次"), default=1)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("呈批时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("生效时间"), null=True, blank=True)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    source = models.CharField(_("来源"), max_length=60, blank=True)

    objects = ApprovalRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("呈批件")
        verbose_name_plural = _("呈批件")
        ordering = ["-submitted_at", "-pk"]
        permissions = [
            ("review_request", _("室主任审核呈批件")),
            ("approve_request", _("分管领导审批呈批件")),
            ("manage_route", _("设置审批流程")),
        ]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["status", "org"]),
        ]

    def __str__(self) -> str:
        return self.summary


class ApprovalStep(models.Model):
    """One signature on a request's route: who signed, the opinion, when."""

    request = models.ForeignKey(
        ApprovalRequest, verbose_name=_("呈批件"), on_delete=models.CASCADE, related_name="steps"
    )
    round = models.PositiveSmallIntegerField(_("呈批轮次"), default=1)
    order = models.PositiveSmallIntegerField(_("顺序"))
    signer_role = models.CharField(_("签批人"), max_length=20, choices=SignerRole.choices)
    decision = models.CharField(
        _("意见"), max_length=20, choices=StepDecision.choices, default="", blank=True
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opinion = models.TextField(_("签批意见"), blank=True)
    signed_at = models.DateTimeField(_("签批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("签批")
        verbose_name_plural = _("签批")
        ordering = ["request", "round", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "round", "order"], name="approvals_step_order"
            )
        ]

    def __str__(self) -> str:
        return f"第{self.round}次·{self.label}"

    @property
    def label(self) -> str:
        """The step as its request's office reads it (a 派驻组's 室主任审核 is “组长审核”)."""
        return step_label(self.signer_role, self.request.org)
