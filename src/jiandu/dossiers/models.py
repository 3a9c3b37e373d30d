"""政治生态档案 (dossiers of cadres and units) and 廉政意见 batches (seed 001).

A dossier is not a stored row: it is built, when opened, from the platform's records
(clues, outcomes with their sanction details, problems) and from :class:`DossierItem`
rows imported from other bodies, coloured by the :class:`ColourTable` in force and
graded by the :class:`GradingTable` in force on the as-of date. What a batch answered
is stored line by line, so an issued opinion never changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.core.access import ScopedQuerySet
from jiandu.core.models import ArchivableModel, TimeStampedModel
from jiandu.dossiers.choices import BatchStatus, Colour, ItemKind, Purpose, Verdict


class ColourTable(TimeStampedModel):
    """A version of the colour table: which item kind gives which colour. A version is
    never edited once in force; a change is a new version with a later ``valid_from``."""

    version = models.CharField(_("版本"), max_length=30, unique=True)
    valid_from = models.DateField(_("施行日期"), unique=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("档案颜色表")
        verbose_name_plural = _("档案颜色表")
        ordering = ["-valid_from"]
        # The app's permissions hang here (a dossier itself is not a stored row).
        permissions = [
            ("manage_dossier_tables", _("维护档案颜色表和评定表")),
            ("view_dossier", _("查阅政治生态档案")),
            ("view_inspector_dossier", _("查阅纪检监察干部政治生态档案")),
            ("import_dossier_item", _("导入档案信息")),
            ("record_sanction_detail", _("登记处分影响期信息")),
        ]

    def __str__(self) -> str:
        return f"{self.version}（{self.valid_from}起）"


class ColourRule(models.Model):
    table = models.ForeignKey(ColourTable, on_delete=models.CASCADE, related_name="rules")
    item_kind = models.CharField(_("信息类别"), max_length=32, choices=ItemKind.choices)
    colour = models.CharField(_("颜色"), max_length=8, choices=Colour.choices)

    class Meta:
        verbose_name = _("颜色规则")
        verbose_name_plural = _("颜色规则")
        constraints = [
            models.UniqueConstraint(fields=["table", "item_kind"], name="colour_rule_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_item_kind_display()}：{self.get_colour_display()}"


class GradingTable(TimeStampedModel):
    """A version of the grading table: look-back window, weight per colour, bands
    (``[[min_score, grade], …]`` best first) and caps (``[[colour, count, grade], …]``)."""

    version = models.CharField(_("版本"), max_length=30, unique=True)
    valid_from = models.DateField(_("施行日期"), unique=True)
    window_months = models.PositiveSmallIntegerField(_("回看期（月）"))
    weights = models.JSONField(_("权重"))
    bands = models.JSONField(_("等次"))
    caps = models.JSONField(_("封顶"), default=list, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("档案评定表")
        verbose_name_plural = _("档案评定表")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.version}（{self.valid_from}起）"


class DossierItemQuerySet(ScopedQuerySet):
    scope_fields = ("person__registered_org", "person__posts__org", "org")


class DossierItem(TimeStampedModel, ArchivableModel):
    """An item imported from another body (组织部, 公安, 审计 …) about a person or a unit,
    with where it came from: the body, the file and the row."""

    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT,
        related_name="dossier_items", verbose_name=_("人员"),
    )  # fmt: skip
    org = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.PROTECT,
        related_name="dossier_items", verbose_name=_("单位"),
    )  # fmt: skip
    kind = models.CharField(_("信息类别"), max_length=32, choices=ItemKind.choices)
    occurred_on = models.DateField(_("日期"), db_index=True)
    title = models.CharField(_("内容"), max_length=300)
    source_body = models.CharField(_("来源单位"), max_length=100)
    source_file = models.CharField(_("来源文件"), max_length=200, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    source_row = models.PositiveIntegerField(_("来源行"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = DossierItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("档案信息")
        verbose_name_plural = _("档案信息")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["person", "occurred_on"], name="dossieritem_person")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, org__isnull=True)
                | models.Q(person__isnull=True, org__isnull=False),
                name="dossieritem_person_or_org",
            )
        ]

    def __str__(self) -> str:
        return self.title


class SanctionDetail(TimeStampedModel):
    """What the effect-period rules need beyond the outcome row: the effective date when
    it is not the decision date, 留党察看's period, an early lift (解除) and an annulment
    (撤销 on review: the sanction then counts for nothing). One per sanction outcome."""

    outcome = models.OneToOneField(
        "clues.Outcome", on_delete=models.PROTECT, related_name="sanction_detail",
        verbose_name=_("处理结果"),
    )  # fmt: skip
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    period_months = models.PositiveSmallIntegerField(_("留党察看期限（月）"), null=True, blank=True)
    lifted_on = models.DateField(_("解除日期"), null=True, blank=True)
    lift_reason = models.CharField(_("解除理由"), max_length=200, blank=True)
    annulled_on = models.DateField(_("撤销日期"), null=True, blank=True)
    annul_reason = models.CharField(_("撤销理由"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("处分影响期信息")
        verbose_name_plural = _("处分影响期信息")


class OpinionBatchQuerySet(ScopedQuerySet):
    scope_fields = ("owner_org",)


class OpinionBatch(TimeStampedModel):
    """One request for 廉政意见 (from 组织部 or another requester) and its answer."""

    owner_org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("办理单位")
    )
    requester = models.CharField(_("来函单位"), max_length=100)
    request_ref = models.CharField(_("来函文号"), max_length=100, blank=True)
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    as_of = models.DateField(_("截至日期"))
    award_year = models.PositiveSmallIntegerField(_("评先评优年度"))
    received_on = models.DateField(_("收函日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.DRAFTED
    )
    source_file = models.CharField(_("名单文件"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    approved_at = models.DateTimeField(null=True, blank=True)
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("函复"),
    )  # fmt: skip
    issued_on = models.DateField(_("函复日期"), null=True, blank=True)

    objects = OpinionBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("廉政意见批次")
        verbose_name_plural = _("廉政意见批次")
        ordering = ["-received_on", "-pk"]
        permissions = [
            ("review_opinion", _("审核廉政意见")),
            ("approve_opinion", _("审批廉政意见")),
        ]

    def __str__(self) -> str:
        return f"{self.requester} {self.purpose} {self.received_on}"


class OpinionLine(models.Model):
    """One person or unit of a batch: what was drafted from the records, and what the
    reviewer decided (an override needs a reason)."""

    batch = models.ForeignKey(OpinionBatch, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveIntegerField(_("序号"))
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    org = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名或单位"), max_length=100)
    post = models.CharField(_("单位及职务"), max_length=200, blank=True)
    drafted_verdict = models.CharField(_("起草意见"), max_length=8, choices=Verdict.choices)
    drafted_text = models.TextField(_("起草内容"))
    facts = models.JSONField(_("依据"), default=dict)
    verdict = models.CharField(_("审核意见"), max_length=8, choices=Verdict.choices)
    text = models.TextField(_("意见内容"))
    override_reason = models.CharField(_("改变意见的理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("廉政意见")
        verbose_name_plural = _("廉政意见")
        ordering = ["batch", "order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, org__isnull=True)
                | models.Q(person__isnull=True, org__isnull=False),
                name="opinionline_person_or_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}：{self.verdict}"

    @property
    def overridden(self) -> bool:
        return self.verdict != self.drafted_verdict

    @property
    def objection(self) -> bool:
        """A 不同意见: the answer says the record stands in the way."""
        return self.verdict == Verdict.IMPACT
