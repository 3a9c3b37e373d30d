"""线索大起底: a re-review campaign over a filtered set of clues (e.g. every 暂存待查 clue
received since 2018). The filters are stored; the clues they selected when the campaign
started are its items; each gets a reviewer's decision, and a 重新处置 goes through its
approval route (a 呈批件 of the clue)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.clues.choices import DisposalMethod
from jiandu.core.access import ScopedQuerySet
from jiandu.core.models import TimeStampedModel
from jiandu.sweeps.choices import SweepDecision


class SweepQuerySet(ScopedQuerySet):
    scope_fields = ("org",)


class Sweep(TimeStampedModel):
    name = models.CharField(_("名称"), max_length=100)
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    filters = models.JSONField(_("筛选条件"), default=dict)
    filters_text = models.CharField(_("筛选条件"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SweepQuerySet.as_manager()

    class Meta:
        verbose_name = _("线索大起底")
        verbose_name_plural = _("线索大起底")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class SweepItemQuerySet(ScopedQuerySet):
    scope_fields = ("clue__handling_org",)


class SweepItem(models.Model):
    """One clue of a campaign, as it stood when the campaign started, and its review."""

    sweep = models.ForeignKey(
        Sweep, verbose_name=_("线索大起底"), on_delete=models.CASCADE, related_name="items"
    )
    clue = models.ForeignKey(
        "clues.Clue", verbose_name=_("问题线索"), on_delete=models.PROTECT, related_name="+"
    )
    method_at_start = models.CharField(
        _("起底时处置方式"), max_length=32, blank=True, choices=DisposalMethod.choices
    )
    decision = models.CharField(
        _("复核意见"), max_length=16, choices=SweepDecision.choices, default="", blank=True
    )
    new_method = models.CharField(
        _("拟处置方式"), max_length=32, blank=True, choices=DisposalMethod.choices
    )
    note = models.TextField(_("复核说明"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    request = models.ForeignKey(
        "approvals.ApprovalRequest",
        verbose_name=_("呈批件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SweepItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("起底线索")
        verbose_name_plural = _("起底线索")
        ordering = ["sweep", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sweep", "clue"], name="sweeps_item_one_per_clue")
        ]

    def __str__(self) -> str:
        return f"{self.sweep}·{self.clue_id}"


class CollectiveReviewQuerySet(ScopedQuerySet):
    scope_fields = ("org",)


class CollectiveReview(TimeStampedModel):
    """集体排查: a meeting that goes through a list of clues and decides on each; the
    decisions then go through their approval routes (one 呈批件 each)."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("召开单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("会议名称"), max_length=100)
    held_on = models.DateField(_("会议日期"))
    attendees = models.TextField(_("参会人员"))
    minutes = models.TextField(_("会议纪要"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CollectiveReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("集体排查")
        verbose_name_plural = _("集体排查")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class CollectiveReviewItem(models.Model):
    review = models.ForeignKey(
        CollectiveReview, verbose_name=_("集体排查"), on_delete=models.CASCADE, related_name="items"
    )
    clue = models.ForeignKey(
        "clues.Clue", verbose_name=_("问题线索"), on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(_("排查决定"), max_length=32, choices=DisposalMethod.choices)
    note = models.TextField(_("理由"))
    request = models.ForeignKey(
        "approvals.ApprovalRequest",
        verbose_name=_("呈批件"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("排查线索")
        verbose_name_plural = _("排查线索")
        ordering = ["review", "pk"]

    def __str__(self) -> str:
        return f"{self.review}·{self.clue_id}"
