"""The rectification loop every mechanism shares (整改闭环): a problem found about a unit,
its rectification with states and a deadline on the working-day calendar, acceptance,
销号, and the 回头看 months later.

A problem is visible to the users whose jurisdiction holds the responsible unit or the
supervising body; outside it, it does not exist.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.core.access import ScopedQuerySet
from jiandu.core.models import ArchivableModel, TimeStampedModel
from jiandu.oversight.choices import (
    AttachmentKind,
    FollowUpStatus,
    InterviewKind,
    RectificationAction,
    RectificationStatus,
)


class ProblemSource(ArchivableModel):
    """Where problems come from (督导检查, 巡察, 多色榜预警, 自查自纠, 群众举报 …):
    reference data, disabled never deleted. ``is_self_found`` marks 自查自纠 for the
    零报告 and 对账 rules; ``follow_up_months`` is when the 回头看 falls after 销号."""

    key = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    is_self_found = models.BooleanField(_("属自查自纠"), default=False)
    follow_up_months = models.PositiveSmallIntegerField(
        _("回头看间隔（月）"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    sort_order = models.IntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("问题来源")
        verbose_name_plural = _("问题来源")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ProblemCategory(ArchivableModel):
    """What kind of problem it is (reference data): 作风建设, 资金管理, 主体责任落实 …"""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    sort_order = models.IntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ProblemQuerySet(ScopedQuerySet):
    scope_fields = ("org", "supervising_org")


class Problem(TimeStampedModel):
    """A finding about a unit (and optionally a person) that is to be rectified; not
    necessarily a clue. ``origin_type``/``origin_id`` name the record it came from (a
    board warning, an inspection finding …); ``recurrence_of`` links a problem found
    again at a 回头看 to the one it repeats."""

    number = models.CharField(_("编号"), max_length=32, unique=True, null=True, editable=False)
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="problems"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("涉及人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    description = models.TextField(_("问题描述"))
    category = models.ForeignKey(
        ProblemCategory, verbose_name=_("问题类别"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.ForeignKey(
        ProblemSource, verbose_name=_("问题来源"), on_delete=models.PROTECT, related_name="+"
    )
    found_on = models.DateField(_("发现日期"))
    # Empty when the platform found it (a board warning issued by a scheduled close).
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发现人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    found_by_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("发现单位"), on_delete=models.PROTECT, related_name="+"
    )
    responsible_leader = models.ForeignKey(
        "people.Person",
        verbose_name=_("主体责任领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_problems",
    )
    supervising_org = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("监督责任单位"),
        on_delete=models.PROTECT,
        related_name="supervised_problems",
    )
    clue = models.ForeignKey(
        "clues.Clue",
        verbose_name=_("转为问题线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    origin_type = models.CharField(_("来源记录类型"), max_length=64, blank=True)
    origin_id = models.BigIntegerField(_("来源记录编号"), null=True, blank=True)
    recurrence_of = models.ForeignKey(
        "self",
        verbose_name=_("反弹自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recurrences",
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["-found_on", "-pk"]
        permissions = [
            ("rectify_problem", _("办理本单位问题整改（签收、方案、报告）")),
            ("accept_rectification", _("验收整改、批准延期")),
        ]
        indexes = [
            models.Index(fields=["org", "found_on"]),
            models.Index(fields=["supervising_org", "found_on"]),
            models.Index(fields=["origin_type", "origin_id"]),
            # The lists' order (newest first, keyset on 发现日期 and id).
            models.Index(fields=["found_on", "id"], name="oversight_problem_found_id"),
        ]

    def __str__(self) -> str:
        return f"{self.number or '问题'} {self.description[:30]}"


class Rectification(TimeStampedModel):
    """The rectification of one problem: 待整改 → 正在整改 → 已整改（待验收）→ 已销号, or
    立行立改 (closed at once with evidence); 验收不通过 sends it back to 正在整改.
    ``due_on`` was computed under ``deadline_rule`` when set and only an approved
    extension moves it."""

    problem = models.OneToOneField(
        Problem, verbose_name=_("问题"), on_delete=models.PROTECT, related_name="rectification"
    )
    status = models.CharField(
        _("整改状态"),
        max_length=16,
        choices=RectificationStatus.choices,
        default=RectificationStatus.PENDING,
    )
    immediate = models.BooleanField(_("立行立改"), default=False)
    plan = models.TextField(_("整改方案"), blank=True)
    report = models.TextField(_("整改报告"), blank=True)
    due_on = models.DateField(_("整改期限"))
    deadline_rule = models.ForeignKey(
        "core.DeadlineRule",
        verbose_name=_("期限规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_on = models.DateField(_("报告提交日期"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("销号人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rejection_count = models.PositiveSmallIntegerField(_("验收不通过次数"), default=0)

    class Meta:
        verbose_name = _("整改")
        verbose_name_plural = _("整改")
        indexes = [
            # The open-problem list and the daily reminder job read open rows by due date.
            models.Index(fields=["status", "due_on"], name="rectification_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.problem} {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status != RectificationStatus.CLOSED


class RectificationEvent(models.Model):
    """One move in a rectification's timeline: who, when, why, and for an extension the
    due dates before and after and who approved it."""

    rectification = models.ForeignKey(
        Rectification, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("动作"), max_length=16, choices=RectificationAction.choices)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16)
    reason = models.TextField(_("理由"), blank=True)
    due_before = models.DateField(_("原期限"), null=True, blank=True)
    due_after = models.DateField(_("新期限"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_date = models.DateField(_("业务日期"))
    at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("整改办理记录")
        verbose_name_plural = _("整改办理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.on_date}"


def problem_file_path(instance: ProblemAttachment, filename: str) -> str:
    return f"oversight/{instance.sha256[:2]}/{instance.sha256}"


class ProblemAttachment(models.Model):
    """Evidence, a plan, a report or acceptance material (stored by content hash)."""

    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("材料类型"), max_length=16, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to=problem_file_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("整改材料")
        verbose_name_plural = _("整改材料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class FollowUp(TimeStampedModel):
    """A 回头看: scheduled when a rectification is closed (after the source's
    ``follow_up_months``); when the problem has come back, ``recurrence`` is the new
    problem opened for it."""

    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="follow_ups")
    due_on = models.DateField(_("回头看日期"))
    status = models.CharField(
        _("结果"),
        max_length=16,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.SCHEDULED,
    )
    checked_on = models.DateField(_("检查日期"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("检查情况"), blank=True)
    recurrence = models.OneToOneField(
        Problem,
        verbose_name=_("反弹问题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="found_at_follow_up",
    )

    class Meta:
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.problem} 回头看 {self.due_on}"


class InterviewQuerySet(ScopedQuerySet):
    scope_fields = ("org", "recorded_by_org")


class Interview(TimeStampedModel):
    """A talk held with a unit's leader or staff (约谈, 诫勉谈话, 提醒谈话), recorded as an
    event with its date, the interviewing leader, participants and minutes, usually
    about a problem (the 多色榜 warning's) but possibly on its own."""

    kind = models.CharField(_("谈话类型"), max_length=20, choices=InterviewKind.choices)
    problem = models.ForeignKey(
        Problem,
        verbose_name=_("所涉问题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("谈话单位"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("谈话对象"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    held_on = models.DateField(_("谈话日期"))
    leader = models.CharField(_("谈话领导"), max_length=100)
    participants = models.TextField(_("参加人员"))
    minutes = models.TextField(_("谈话记录"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("记录单位"), on_delete=models.PROTECT, related_name="+"
    )

    objects = InterviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("约谈记录")
        verbose_name_plural = _("约谈记录")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.org} {self.get_kind_display()} {self.held_on}"


def interview_file_path(instance: InterviewAttachment, filename: str) -> str:
    return f"oversight/interviews/{instance.sha256[:2]}/{instance.sha256}"


class InterviewAttachment(models.Model):
    """A file of an interview (notice, signed minutes), stored by content hash."""

    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=interview_file_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("约谈材料")
        verbose_name_plural = _("约谈材料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
