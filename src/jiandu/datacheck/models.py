"""大数据比对 in the platform: imported dataset versions, comparison runs, their hits
and the verification of each hit.

The comparison itself is the engine's (:mod:`jiandu.datacheck.engine`, no Django): a
:class:`DatasetVersion` is one version of a dataset in an org's engine store, a
:class:`Run` is one ``run_suite`` over chosen versions, executed as a background
:class:`~jiandu.core.models.Task`, and each row of its ``hits.csv`` becomes a
:class:`Hit` that officers verify (:mod:`jiandu.datacheck.lifecycle`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.core.access import ScopedQuerySet
from jiandu.core.choices import TaskStatus
from jiandu.core.crypto import EncryptedTextField
from jiandu.core.models import TimeStampedModel
from jiandu.datacheck.choices import (
    ACCOUNT_RULES,
    DATASET_CHOICES,
    Backend,
    HitAction,
    HitPresence,
    HitStatus,
)
from jiandu.datacheck.engine.catalog import RULE_SPECS
from jiandu.orgs.models import region_code_validator


class DatasetVersionQuerySet(ScopedQuerySet):
    scope_fields = ("org",)


class DatasetVersion(TimeStampedModel):
    """One imported version of a canonical dataset (户籍人口, 资金发放记录 …).

    The normalised rows are a Parquet file in the store of the uploader's org under
    ``settings.JIANDU_DATA_DIR`` (``file_path`` is relative to it); versions are never
    changed or deleted, so a run can always say exactly what it read. ``region_code``
    is the region the data is about; ``report`` keeps the import report (errors and
    flagged rows, each with row, column and message)."""

    dataset = models.CharField(_("数据集"), max_length=32, choices=DATASET_CHOICES)
    version = models.PositiveIntegerField(_("版本"))
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(
        _("数据所属地区"), max_length=12, validators=[region_code_validator]
    )
    file_path = models.CharField(_("存储文件"), max_length=300)
    source_name = models.CharField(_("上传文件名"), max_length=200)
    mapping = models.JSONField(_("列映射"), default=dict, blank=True)
    rows_read = models.PositiveIntegerField(_("读取行数"), default=0)
    rows_rejected = models.PositiveIntegerField(_("拒绝行数"), default=0)
    report = models.JSONField(_("导入报告"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = DatasetVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("数据集版本")
        verbose_name_plural = _("数据集版本")
        ordering = ["dataset", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "dataset", "version"], name="datacheck_version_unique"
            )
        ]
        indexes = [
            models.Index(fields=["dataset", "org", "-created_at"], name="dataset_version_latest")
        ]

    def __str__(self) -> str:
        return f"{self.get_dataset_display()} 第{self.version}版"

    @property
    def rows_imported(self) -> int:
        return self.rows_read - self.rows_rejected


class RunQuerySet(ScopedQuerySet):
    scope_fields = ("org",)


class Run(TimeStampedModel):
    """One comparison run: the rules and parameters used, the dataset versions read, and
    the summary the engine wrote. Its progress and status are those of its background
    ``task``; ``finished_at`` is set once the hits are stored."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("发起单位"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("比对地区"), max_length=12, validators=[region_code_validator])
    rules = models.JSONField(_("比对规则"), default=list)
    params = models.JSONField(_("规则参数"), default=dict, blank=True)
    backend = models.CharField(
        _("计算后端"), max_length=16, choices=Backend.choices, default=Backend.DUCKDB
    )
    dataset_versions = models.ManyToManyField(
        DatasetVersion, verbose_name=_("读取的数据集版本"), related_name="runs"
    )
    task = models.OneToOneField(
        "core.Task",
        verbose_name=_("后台任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.JSONField(_("运行摘要"), default=dict, blank=True)
    hit_count = models.PositiveIntegerField(_("疑点数"), default=0)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = _("比对任务")
        verbose_name_plural = _("比对任务")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"比对任务 #{self.pk}"

    @property
    def status(self) -> str:
        return self.task.status if self.task_id and self.task else TaskStatus.QUEUED

    @property
    def is_running(self) -> bool:
        return self.status in (TaskStatus.QUEUED, TaskStatus.RUNNING)

    @property
    def succeeded(self) -> bool:
        return self.status == TaskStatus.SUCCEEDED and self.finished_at is not None

    @property
    def error_message(self) -> str:
        """Why the run failed, as the engine said it (without the traceback)."""
        task = self.task if self.task_id else None
        return task.error.split("\n\n")[0] if task is not None and task.error else ""


class HitQuerySet(models.QuerySet["Hit"]):
    """Hits are scoped by their run's org (or the org they were assigned to) and by the
    subject's region: see :func:`jiandu.datacheck.selectors.hit_list`."""


class Hit(TimeStampedModel):
    """One hit of a rule: a person (or, for R07, an account) whose records match the
    rule, with the money involved and the evidence naming the source rows.

    ``subject`` is protected like a person's ID number: stored encrypted, found through
    ``subject_key`` and shown as ``subject_masked`` unless the viewer holds
    ``people.view_id_number`` (each full view audited).

    A hit has an identity across runs, ``identity_key``: rule + subject + programme +
    period (+ the evidence fields the rule declares, ``RuleSpec.identity_fields``). A
    later run that finds the same identity stores a new row for its own evidence, linked
    to the earlier one (``previous``), marked 仍存在 and carrying its verification
    (status, handling org, conclusion, clue); the earlier row stops being ``is_current``
    and verification continues on the new one. A current hit that a later run of its
    rule over its region no longer finds is marked 已消失 (``gone_in_run``).
    """

    run = models.ForeignKey(
        Run, verbose_name=_("比对任务"), on_delete=models.PROTECT, related_name="hits"
    )
    rule_code = models.CharField(_("规则"), max_length=8)
    subject = EncryptedTextField(_("比对对象"))
    subject_key = models.CharField(max_length=64, db_index=True, editable=False)
    subject_masked = models.CharField(_("比对对象（脱敏）"), max_length=40)
    subject_name = models.CharField(_("姓名"), max_length=50, blank=True)
    program = models.CharField(_("项目"), max_length=100, blank=True)
    period = models.CharField(_("所属月份"), max_length=7, blank=True)
    amount = models.DecimalField(
        _("涉及金额（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    evidence = models.JSONField(_("比对证据"), default=dict, blank=True)
    region_code = models.CharField(_("所在地区"), max_length=12, db_index=True)
    status = models.CharField(
        _("核查状态"), max_length=16, choices=HitStatus.choices, default=HitStatus.PENDING
    )
    handling_org = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("核查单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reason = models.TextField(_("核查结论说明"), blank=True)
    decided_at = models.DateTimeField(_("核查结论时间"), null=True, blank=True)
    clue = models.ForeignKey(
        "clues.Clue",
        verbose_name=_("转成的问题线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="datacheck_hits",
    )
    identity_key = models.CharField(
        _("疑点标识"), max_length=64, db_index=True, editable=False, blank=True
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("上次比对中的同一疑点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successor",
    )
    presence = models.CharField(
        _("与上次比对相比"), max_length=8, choices=HitPresence.choices, default=HitPresence.NEW
    )
    is_current = models.BooleanField(_("最新一次发现"), default=True)
    gone_in_run = models.ForeignKey(
        Run,
        verbose_name=_("未再发现于比对任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gone_hits",
    )

    objects = HitQuerySet.as_manager()

    class Meta:
        verbose_name = _("比对疑点")
        verbose_name_plural = _("比对疑点")
        ordering = ["run", "pk"]
        permissions = [("verify_hit", _("核查比对疑点"))]
        indexes = [
            models.Index(fields=["run", "rule_code", "id"], name="hit_run_rule"),
            models.Index(fields=["run", "status", "id"], name="hit_run_status"),
            models.Index(fields=["handling_org", "status"], name="hit_handling_status"),
            models.Index(fields=["rule_code", "subject_key", "is_current"], name="hit_group"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_code} {self.subject_masked}"

    @property
    def rule_name(self) -> str:
        rule = RULE_SPECS.get(self.rule_code)
        return rule.name if rule else self.rule_code

    @property
    def subject_is_account(self) -> bool:
        return self.rule_code in ACCOUNT_RULES

    @property
    def presence_label(self) -> str:
        """新发现 / 仍存在, or 已消失 once a later run no longer finds it."""
        if self.gone_in_run_id:
            return str(HitPresence.GONE.label)
        return self.get_presence_display()


class HitEvent(models.Model):
    """One step of a hit's verification (or an identity note), with actor, time and
    reason."""

    hit = models.ForeignKey(Hit, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("动作"), max_length=16, choices=HitAction.choices)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16)
    from_org = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("附加信息"), default=dict, blank=True)
    identified_id_no = EncryptedTextField(_("认定的身份证号码"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("疑点核查记录")
        verbose_name_plural = _("疑点核查记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.hit_id} {self.action}"
