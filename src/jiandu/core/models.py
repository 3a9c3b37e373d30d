"""Shared base models: timestamps, archiving, the audit log and background tasks."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiandu.core.choices import AuditAction, CalendarDayKind, PeriodKind, TaskStatus


class TimeStampedModel(models.Model):
    """Creation and last-change times."""

    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class ArchivableModel(models.Model):
    """Reference data and business records are archived, never deleted: who, when, why."""

    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("归档人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    archive_reason = models.CharField(_("归档原因"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class AuditLogQuerySet(models.QuerySet["AuditLog"]):
    def update(self, **kwargs):  # type: ignore[override]
        raise PermissionError("审计日志只能追加，不能修改")

    def delete(self):  # type: ignore[override]
        raise PermissionError("审计日志只能追加，不能删除")


class AuditLog(models.Model):
    """One append-only row per login, failed login, logout, write, and every view or
    export of protected fields. Each row carries the hash of the previous one, so a
    changed or removed row breaks the chain (``jiandu audit verify``).

    A row is written *unsealed* inside the business transaction (no sequence, no hashes,
    no lock); the sealer (``core.audit.audit_seal``) gives it its place in the chain
    after commit, in a short transaction of its own (ADR 0010)."""

    sequence = models.BigIntegerField(_("序号"), unique=True, null=True, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    ip_address = models.CharField(_("IP地址"), max_length=45, blank=True)
    previous_hash = models.CharField(_("上一条哈希"), max_length=64, blank=True)
    row_hash = models.CharField(_("本条哈希"), max_length=64, blank=True)
    # Which audit key (JIANDU_AUDIT_KEY) made row_hash; "" for rows hashed before the
    # chain was keyed (plain SHA-256).
    key_id = models.CharField(_("密钥编号"), max_length=32, blank=True)
    sealed_at = models.DateTimeField(_("入链时间"), null=True, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The sealer's queue: rows not yet in the chain, oldest first.
            models.Index(
                fields=["id"],
                condition=models.Q(sequence__isnull=True),
                name="core_auditlog_unsealed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除")


class AuditChainHead(models.Model):
    """A single row locked by the sealer while it extends the chain (SELECT ... FOR
    UPDATE on PostgreSQL; SQLite serialises writers anyway). ``mac`` is the keyed hash of
    (last_sequence, last_hash), so rewinding the head needs the audit key."""

    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    key_id = models.CharField(max_length=32, blank=True)
    mac = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.last_sequence}"


class RateCount(models.Model):
    """How many requests of one kind (``scope``) a user made in the current rate window
    (``core.ratelimit``). One row per user and kind, reset when a new window starts, so
    the table never grows past users × kinds; counted in the database so that every
    server process shares one limit."""

    scope = models.CharField(max_length=40)
    user_id = models.BigIntegerField()
    window_start = models.BigIntegerField(help_text="Start of the window, in seconds since 1970")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("访问频率计数")
        constraints = [
            models.UniqueConstraint(fields=["scope", "user_id"], name="ratecount_scope_user")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.user_id}: {self.count}"


class AccessStamp(models.Model):
    """A single row whose token changes whenever something that decides access changes:
    the org tree, supervision, roles and group memberships (core.signals). Each process
    caches jurisdictions and permission sets under the current token (core.access), so a
    request reads one short row instead of recomputing them, and a change made by any
    process is seen by every other on its next request."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("权限版本")

    def __str__(self) -> str:
        return self.token


class Task(TimeStampedModel):
    """A background job (import, monthly close, comparison run) with visible progress.

    ``org`` scopes who can see it: the task belongs to the starting user's jurisdiction."""

    kind = models.CharField(_("任务类型"), max_length=64)
    status = models.CharField(
        _("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.QUEUED
    )
    params = models.JSONField(_("参数"), default=dict, blank=True)
    progress = models.FloatField(_("进度"), default=0.0)
    message = models.CharField(_("进度说明"), max_length=300, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", null=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class CalendarDay(TimeStampedModel):
    """A date that departs from the week in the working-day calendar (工作日历): a
    statutory holiday (休) or a weekend day worked in exchange (班, 调休). Every date not
    listed follows the week. A year counts as loaded once any of its dates is listed."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=CalendarDayKind.choices)
    note = models.CharField(_("说明"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"


class DeadlineRule(TimeStampedModel, ArchivableModel):
    """One row of the deadline table (期限表): how long a step may take, counted in
    working days, calendar days or months from the step's start. Changing a step's rule
    archives the row in force and adds a new one; a deadline already set keeps the rule
    it was set under (it stores the rule's id and its own due date)."""

    step = models.CharField(_("环节代码"), max_length=64)
    label = models.CharField(_("环节"), max_length=60)
    period_kind = models.CharField(_("计算方式"), max_length=16, choices=PeriodKind.choices)
    length = models.PositiveIntegerField(_("期限长度"), validators=[MinValueValidator(1)])
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("期限规则")
        verbose_name_plural = _("期限表")
        ordering = ["step", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["step"],
                condition=models.Q(archived_at__isnull=True),
                name="deadline_rule_one_in_force_per_step",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}：{self.length}{self.get_period_kind_display()}"

    @property
    def describe(self) -> str:
        unit = {"workdays": "个工作日", "days": "日", "months": "个月"}[self.period_kind]
        return f"{self.length}{unit}"


class AuditJob(models.Model):
    """The audit rows of one long job (an import of 50,000 people), written ahead of its
    publication where no reader of the log looks (:class:`AuditJobRow`). Publishing the
    job is one UPDATE of this row (``published_at`` and ``order_key``, in the job's short
    write transaction); the sealer then moves its rows into the log and the chain, in
    batches, after the commit (ADR 0010, "审计行的发布与行数无关")."""

    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    # Set in the publishing transaction: the rows' time in the log, and their place in
    # the sealer's queue (an id drawn from the audit log's own id sequence, so that the
    # job's rows queue after every row committed before it and before every row after).
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    order_key = models.BigIntegerField(_("入链次序"), null=True, blank=True)
    sealed_at = models.DateTimeField(_("全部入链时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计任务")
        verbose_name_plural = _("审计任务")
        indexes = [
            models.Index(
                fields=["order_key"],
                condition=models.Q(published_at__isnull=False, sealed_at__isnull=True),
                name="core_auditjob_to_seal",
            ),
        ]

    def __str__(self) -> str:
        return f"审计任务{self.pk}"


class AuditJobRow(models.Model):
    """An audit row of an :class:`AuditJob`, as :class:`AuditLog` will hold it (no time,
    no chain fields yet). Nobody reads these but the sealer, which inserts each into the
    log (timed when its job was published) and deletes it in the same transaction."""

    job = models.ForeignKey(AuditJob, on_delete=models.CASCADE, related_name="rows")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.CharField(max_length=45, blank=True)

    class Meta:
        verbose_name = _("待发布审计行")
        verbose_name_plural = _("待发布审计行")
        indexes = [models.Index(fields=["job", "id"], name="core_auditjobrow_job")]

    def __str__(self) -> str:
        return f"{self.job_id}/{self.pk} {self.action}"
