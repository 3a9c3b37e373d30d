"""The 文号 register: official documents numbered per issuing organ, document type and
year (昆纪预〔2026〕3号), the numbering rule of each organ and type (reference data), and
the counter row that hands out sequence numbers one at a time.

A number is assigned when a document is issued and is never handed out again: a void
document keeps its number with the reason, and the counter only moves forward.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.core.access import ScopedQuerySet
from jiandu.core.models import ArchivableModel, TimeStampedModel
from jiandu.documents.choices import DocumentStatus, DocumentType


class NumberingRule(TimeStampedModel, ArchivableModel):
    """How an organ writes the 文号 of one document type: the organ's abbreviation
    (``昆纪``) and the type character (``预``) give ``昆纪预〔2026〕3号``. Reference data:
    a changed rule archives the old row; numbers already issued keep their text."""

    organ = models.ForeignKey(
        "orgs.Org", verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="+"
    )
    document_type = models.CharField(_("公文种类"), max_length=32, choices=DocumentType.choices)
    organ_prefix = models.CharField(_("机关代字"), max_length=12)
    type_character = models.CharField(_("类别字"), max_length=4)

    class Meta:
        verbose_name = _("文号规则")
        verbose_name_plural = _("文号规则")
        ordering = ["organ", "document_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "document_type"],
                condition=models.Q(archived_at__isnull=True),
                name="numbering_rule_one_in_force",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organ_prefix}{self.type_character}〔年份〕序号号"


class NumberCounter(models.Model):
    """The last sequence handed out for an organ, type and year. Issuing locks this row
    (SELECT … FOR UPDATE), so two concurrent issues never get the same number."""

    organ = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    document_type = models.CharField(max_length=32, choices=DocumentType.choices)
    year = models.PositiveSmallIntegerField()
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("文号计数")
        verbose_name_plural = _("文号计数")
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "document_type", "year"], name="number_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organ_id} {self.document_type} {self.year}: {self.last_sequence}"


class DocumentQuerySet(ScopedQuerySet):
    # The issuing organ's people and the recipient unit's see a document.
    scope_fields = ("organ", "recipient_org")


def document_file_path(instance: Document, filename: str) -> str:
    return f"documents/{instance.year}/{instance.sha256[:2]}/{instance.sha256}.docx"


class Document(TimeStampedModel):
    """One issued official document and its 文号. ``record_type``/``record_id`` name the
    record it belongs to (a board warning, a problem, a month's 通报 …); the generated
    file is stored as issued. Voiding keeps the row and the number, with who, when, why."""

    number = models.CharField(_("文号"), max_length=40, unique=True)
    organ = models.ForeignKey(
        "orgs.Org", verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="+"
    )
    document_type = models.CharField(_("公文种类"), max_length=32, choices=DocumentType.choices)
    year = models.PositiveSmallIntegerField(_("年份"))
    sequence = models.PositiveIntegerField(_("序号"), validators=[MinValueValidator(1)])
    title = models.CharField(_("标题"), max_length=300)
    recipient_org = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("主送单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateField(_("成文日期"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    record_type = models.CharField(_("所属记录类型"), max_length=64, blank=True)
    record_id = models.CharField(_("所属记录编号"), max_length=64, blank=True)
    file = models.FileField(_("文件"), upload_to=document_file_path)
    file_name = models.CharField(_("文件名"), max_length=200)
    size = models.BigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("状态"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.ISSUED
    )
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作废人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("公文")
        verbose_name_plural = _("公文")
        ordering = ["-year", "organ", "document_type", "-sequence"]
        permissions = [("void_document", _("作废文号"))]
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "document_type", "year", "sequence"],
                name="document_number_unique_per_organ_type_year",
            ),
            # One issued document per record and type; a void one frees the record for
            # a new number (the void number itself is never reused).
            models.UniqueConstraint(
                fields=["document_type", "record_type", "record_id"],
                condition=models.Q(status="issued") & ~models.Q(record_type=""),
                name="document_one_issued_per_record",
            ),
        ]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_void(self) -> bool:
        return self.status == DocumentStatus.VOID
