"""The case registry: 信访举报 (petitions), 问题线索 (clues), their timelines, outcomes
per person, and 通报曝光 batches."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.clues.choices import (
    Channel,
    ClueAction,
    ClueSource,
    ClueStatus,
    Conclusion,
    DisciplineForm,
    DisposalMethod,
    OutcomeKind,
    OutcomeSubtype,
    PetitionAction,
    PetitionStatus,
    ResponsibilityType,
)
from jiandu.core.access import ScopedQuerySet
from jiandu.core.crypto import EncryptedTextField
from jiandu.core.models import ArchivableModel, TimeStampedModel


class DomainTag(ArchivableModel):
    """A problem domain (扶贫, 四风, 涉疫 …): reference data, disabled never deleted."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    sort_order = models.IntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("领域标签")
        verbose_name_plural = _("领域标签")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


def domain_key(tags: Iterable[DomainTag]) -> str:
    """The record's domain tags as ``",1,4,"``: statistics filter a domain with
    ``domain_key__contains=",1,"`` on the counted table itself, with no join through the
    many-to-many table (a month close runs a dozen such counts over millions of rows)."""
    ids = sorted({tag.pk for tag in tags})
    return f",{','.join(map(str, ids))}," if ids else ""


def domain_key_field(help_text: str) -> models.CharField:
    return models.CharField(
        _("领域索引"), max_length=255, blank=True, default="", editable=False, help_text=help_text
    )


def _refresh_search_grams(record: Any, content_field: str, save_kwargs: dict[str, Any]) -> None:
    """Keep the text-search bigrams (clues.search) in step with 标题 and 内容."""
    # Imported on first save: the search layer (and the list pagination it uses) is not
    # needed by commands that only start Django.
    from jiandu.clues.search import text_grams

    grams = text_grams(record.title, getattr(record, content_field))
    update_fields = save_kwargs.get("update_fields")
    if update_fields is not None:
        if not {"title", content_field} & set(update_fields):
            return
        save_kwargs["update_fields"] = {*update_fields, "search_grams"}
    record.search_grams = grams


class PetitionQuerySet(ScopedQuerySet):
    scope_fields = ("received_org", "handling_org")


class Petition(TimeStampedModel):
    """A 信访举报 item: a letter, visit, call or online report as received."""

    number = models.CharField(_("编号"), max_length=32, unique=True, null=True, editable=False)
    received_date = models.DateField(_("受理日期"))
    channel = models.CharField(_("来源渠道"), max_length=16, choices=Channel.choices)
    is_real_name = models.BooleanField(_("实名举报"), default=False)
    received_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("登记单位"), on_delete=models.PROTECT, related_name="+"
    )
    handling_org = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="handled_petitions",
    )
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("反映内容"))
    domains = models.ManyToManyField(DomainTag, verbose_name=_("领域"), blank=True)
    domain_key = domain_key_field("领域标签编号，统计用（与“领域”同时写入）")
    subject_people = models.ManyToManyField(
        "people.Person", verbose_name=_("被反映人"), blank=True, related_name="petitions"
    )
    subject_orgs = models.ManyToManyField(
        "orgs.Org", verbose_name=_("被反映单位"), blank=True, related_name="petitions_about"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=PetitionStatus.choices, default=PetitionStatus.PENDING
    )
    is_first_time = models.BooleanField(_("初信初访"), default=True)
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("重复举报于"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
    )
    reporter_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    transferred_to = models.CharField(_("转办至"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    search_grams = models.TextField(
        _("检索用二元组"), blank=True, default="", editable=False, help_text=_("由标题和内容生成")
    )

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("信访举报")
        verbose_name_plural = _("信访举报")
        ordering = ["-received_date", "-pk"]
        permissions = [("view_reporter_identity", _("查看举报人身份信息"))]
        indexes = [
            models.Index(fields=["handling_org", "status", "received_date"]),
            # Monthly counts read only the index on PostgreSQL (see docs/benchmarks.md).
            models.Index(
                fields=["received_date"],
                include=["received_org", "domain_key", "is_first_time", "repeat_of", "closed_at"],
                name="petition_month_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or '信访件'} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _refresh_search_grams(self, "content", kwargs)
        super().save(*args, **kwargs)


class ReporterIdentity(models.Model):
    """Who reported: kept apart from the petition, encrypted at rest, shown only to
    holders of ``clues.view_reporter_identity``, every view audited."""

    petition = models.OneToOneField(
        Petition, on_delete=models.PROTECT, related_name="reporter", verbose_name=_("信访举报")
    )
    name = EncryptedTextField(_("举报人姓名"), blank=True)
    phone = EncryptedTextField(_("联系电话"), blank=True)
    id_number = EncryptedTextField(_("身份证号码"), blank=True)
    address = EncryptedTextField(_("联系地址"), blank=True)

    class Meta:
        verbose_name = _("举报人身份")
        verbose_name_plural = _("举报人身份")

    def __str__(self) -> str:
        return "举报人身份信息"


class PetitionEvent(models.Model):
    """One step in a petition's timeline (registration and each triage decision)."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("动作"), max_length=16, choices=PetitionAction.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    from_org = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("理由"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("信访办理记录")
        verbose_name_plural = _("信访办理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class ClueQuerySet(ScopedQuerySet):
    scope_fields = ("handling_org", "registered_org")

    def open(self) -> ClueQuerySet:
        return self.exclude(status=ClueStatus.CLOSED)


class Clue(TimeStampedModel):
    """A 问题线索 under disposal by a handling org."""

    number = models.CharField(_("编号"), max_length=32, unique=True, null=True, editable=False)
    source = models.CharField(_("线索来源"), max_length=24, choices=ClueSource.choices)
    petition = models.ForeignKey(
        Petition,
        verbose_name=_("来源信访件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("主要问题"), blank=True)
    received_date = models.DateField(_("受理日期"))
    registered_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("登记单位"), on_delete=models.PROTECT, related_name="+"
    )
    handling_org = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="handled_clues",
    )
    domains = models.ManyToManyField(DomainTag, verbose_name=_("领域"), blank=True)
    domain_key = domain_key_field("领域标签编号，统计用（与“领域”同时写入）")
    subject_people = models.ManyToManyField(
        "people.Person", verbose_name=_("被反映人"), blank=True, related_name="clues"
    )
    subject_orgs = models.ManyToManyField(
        "orgs.Org", verbose_name=_("被反映单位"), blank=True, related_name="clues_about"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ClueStatus.choices, default=ClueStatus.RECEIVED
    )
    disposal_method = models.CharField(
        _("处置方式"), max_length=32, choices=DisposalMethod.choices, blank=True
    )
    disposed_at = models.DateField(_("处置日期"), null=True, blank=True)
    closed_at = models.DateField(_("办结日期"), null=True, blank=True)
    conclusion = models.CharField(
        _("办结结论"), max_length=20, choices=Conclusion.choices, blank=True
    )
    conclusion_text = models.TextField(_("办结情况"), blank=True)
    is_escalated = models.BooleanField(_("提级查办"), default=False)
    is_direct = models.BooleanField(_("直查直办"), default=False)
    due_date = models.DateField(_("办理期限"), null=True, blank=True)
    funds_involved = models.DecimalField(
        _("涉及金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    evidence = models.JSONField(_("比对证据"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    search_grams = models.TextField(
        _("检索用二元组"), blank=True, default="", editable=False, help_text=_("由标题和内容生成")
    )

    objects = ClueQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题线索")
        verbose_name_plural = _("问题线索")
        ordering = ["-received_date", "-pk"]
        indexes = [
            # Keyset pages, and on PostgreSQL the monthly 受理 counts from the index alone.
            models.Index(
                fields=["received_date", "id"],
                include=["registered_org", "domain_key"],
                name="clue_received_id",
            ),
            models.Index(fields=["handling_org", "received_date", "id"], name="clue_org_received"),
            models.Index(fields=["status", "received_date", "id"], name="clue_status_received"),
            models.Index(fields=["source", "received_date", "id"], name="clue_source_received"),
            # Monthly 处置/办结 counts read only these on PostgreSQL.
            models.Index(
                fields=["disposed_at"],
                include=["handling_org", "domain_key"],
                name="clue_disposed_counts",
            ),
            models.Index(
                fields=["closed_at"],
                include=["handling_org", "domain_key"],
                name="clue_closed_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or '线索'} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _refresh_search_grams(self, "content", kwargs)
        super().save(*args, **kwargs)


class ClueEvent(models.Model):
    """One transition in a clue's timeline, with actor and time."""

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("动作"), max_length=24, choices=ClueAction.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    disposal_method = models.CharField(max_length=32, blank=True)
    from_org = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_date = models.DateField(_("业务日期"))
    at = models.DateTimeField(_("记录时间"))
    domain_key = domain_key_field("所属线索的领域标签编号，统计用")

    class Meta:
        verbose_name = _("线索办理记录")
        verbose_name_plural = _("线索办理记录")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(
                fields=["action", "on_date"],
                include=["to_org", "clue", "domain_key"],
                name="clueevent_action_counts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.on_date}"


class OutcomeQuerySet(ScopedQuerySet):
    scope_fields = ("clue__handling_org", "clue__registered_org")

    def active(self) -> OutcomeQuerySet:
        return self.filter(archived_at__isnull=True)


class Outcome(TimeStampedModel, ArchivableModel):
    """What was decided for one person on one clue (处理结果), classed into the
    四种形态. Corrections archive the row with a reason and record a new one."""

    clue = models.ForeignKey(
        Clue, verbose_name=_("问题线索"), on_delete=models.PROTECT, related_name="outcomes"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("对象"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
    )
    subject_name = models.CharField(_("对象姓名"), max_length=50, blank=True)
    kind = models.CharField(_("处理类别"), max_length=24, choices=OutcomeKind.choices)
    subtype = models.CharField(
        _("处理方式"), max_length=32, choices=OutcomeSubtype.choices, blank=True
    )
    responsibility_type = models.CharField(
        _("责任类型"), max_length=16, choices=ResponsibilityType.choices, blank=True
    )
    discipline_form = models.PositiveSmallIntegerField(
        _("四种形态"), choices=DisciplineForm.choices, null=True, blank=True, editable=False
    )
    decision_date = models.DateField(_("决定日期"), db_index=True)
    decided_by = models.ForeignKey(
        "orgs.Org", verbose_name=_("决定单位"), on_delete=models.PROTECT, related_name="+"
    )
    domain_key = domain_key_field("所属线索的领域标签编号，统计用")
    funds_recovered = models.DecimalField(
        _("追缴挽回资金（元）"), max_digits=14, decimal_places=2, default=0
    )
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("处理结果")
        verbose_name_plural = _("处理结果")
        ordering = ["-decision_date", "-pk"]
        indexes = [
            models.Index(
                fields=["kind", "decision_date"],
                include=["decided_by", "responsibility_type", "clue", "domain_key", "archived_at"],
                name="outcome_kind_counts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.get_kind_display()}"


class ExposureBatchQuerySet(ScopedQuerySet):
    scope_fields = ("org",)


class ExposureBatch(TimeStampedModel):
    """A published 通报曝光 batch (批次) of typical cases."""

    title = models.CharField(_("标题"), max_length=200)
    published_on = models.DateField(_("通报日期"))
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("通报单位"), on_delete=models.PROTECT, related_name="+"
    )
    domains = models.ManyToManyField(DomainTag, verbose_name=_("领域"), blank=True)
    domain_key = domain_key_field("领域标签编号，统计用（与“领域”同时写入）")
    medium = models.CharField(_("发布载体"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ExposureBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("通报曝光批次")
        verbose_name_plural = _("通报曝光批次")
        ordering = ["-published_on", "-pk"]
        indexes = [
            models.Index(
                fields=["published_on"], include=["org", "domain_key"], name="exposure_month_counts"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ExposureCase(models.Model):
    """One typical case (起) in a batch, naming the persons (人) it exposes."""

    batch = models.ForeignKey(ExposureBatch, on_delete=models.PROTECT, related_name="cases")
    title = models.CharField(_("案例"), max_length=200)
    clue = models.ForeignKey(
        Clue, null=True, blank=True, on_delete=models.PROTECT, related_name="exposures"
    )
    persons = models.ManyToManyField("people.Person", verbose_name=_("涉及人员"), blank=True)

    class Meta:
        verbose_name = _("通报案例")
        verbose_name_plural = _("通报案例")

    def __str__(self) -> str:
        return self.title


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.uploaded_at:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    """A file attached to a petition or a clue (stored by content hash)."""

    petition = models.ForeignKey(
        Petition, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    clue = models.ForeignKey(
        Clue, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=attachment_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(petition__isnull=False) | models.Q(clue__isnull=False),
                name="attachment_has_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name
