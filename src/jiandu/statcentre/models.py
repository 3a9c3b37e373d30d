"""Upward returns (统计报表): a commission's figures for one form and period, prepared
from the statistics, cross-checked, submitted (then locked) and, by the receiving level
only, reopened with a reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.statcentre.choices import ReturnAction, ReturnStatus


class StatReturn(models.Model):
    """One commission's return of one form for one period. ``values`` holds the counts
    (figure key -> integer, or a decimal string for amounts); ratios are computed."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="+"
    )
    form = models.CharField(_("报表"), max_length=16)
    period_start = models.DateField(_("期间起"))
    period_end = models.DateField(_("期间止"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    values = models.JSONField(_("数据"), default=dict)
    prepared_values = models.JSONField(_("统计生成的数据"), default=dict, editable=False)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    prepared_at = models.DateTimeField(_("生成时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上报人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("统计报表")
        verbose_name_plural = _("统计报表")
        ordering = ["-period_start", "org__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "form", "period_start"], name="statreturn_one_per_period"
            )
        ]
        permissions = [
            ("view_statistics", _("查看统计中心")),
            ("prepare_return", _("填报和上报统计报表")),
            ("receive_return", _("汇总和退回下级统计报表")),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.form} {self.period_start:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        return self.status == ReturnStatus.SUBMITTED


class ReturnEvent(models.Model):
    """One step in a return's history, with actor, time and (for 退回) the reason."""

    stat_return = models.ForeignKey(StatReturn, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("动作"), max_length=16, choices=ReturnAction.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    reason = models.TextField(_("理由"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("统计报表记录")
        verbose_name_plural = _("统计报表记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class DailyFigure(models.Model):
    """The maintained daily aggregate of the statistics centre (ADR 0016): one row per
    org, day and part key (a count figure, or a part a composed figure is made of), with
    ``value`` the number of records (or the sum of a decimal field) counted on that day.
    ``day2`` is set only on the span rows of petitions (``day`` the 受理日期, ``day2`` the
    办结 day, later than ``day``), from which the figures counted "by period end" are
    composed. Rows are derived: written by :mod:`jiandu.statcentre.aggregate` only (on
    every write of the records counted, and by ``jiandu stats rebuild``); absent = 0."""

    org = models.ForeignKey(
        "orgs.Org",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # (org, day|month) below
        related_name="+",
    )
    key = models.CharField(max_length=64)
    day = models.DateField()
    day2 = models.DateField(null=True, blank=True)
    value = models.DecimalField(max_digits=20, decimal_places=2)

    class Meta:
        verbose_name = _("统计日汇总")
        verbose_name_plural = _("统计日汇总")
        indexes = [
            models.Index(fields=["key", "day"], include=["org", "value"], name="dailyfig_key_day"),
            models.Index(fields=["org", "day"], name="dailyfig_org_day"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.org_id} {self.day}"


class MonthlyFigure(models.Model):
    """The months and the years of :class:`DailyFigure` (span rows excepted) summed: one
    row per org, key and month (``grain`` "m", ``month`` its first day) or year (``grain``
    "y", ``month`` its 1 January), kept with the daily rows (same transaction). A period
    reads its whole years and whole months here and its other days from the daily rows."""

    org = models.ForeignKey(
        "orgs.Org",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # (org, day|month) below
        related_name="+",
    )
    key = models.CharField(max_length=64)
    grain = models.CharField(max_length=1)  # "m" a month, "y" a year
    month = models.DateField()
    value = models.DecimalField(max_digits=20, decimal_places=2)

    class Meta:
        verbose_name = _("统计月、年汇总")
        verbose_name_plural = _("统计月、年汇总")
        indexes = [
            models.Index(
                fields=["key", "grain", "month"],
                include=["org", "value"],
                name="monthlyfig_key_month",
            ),
            models.Index(fields=["org", "month"], name="monthlyfig_org_month"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.org_id} {self.month:%Y-%m}"
