"""States and moves of the rectification loop (整改闭环)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RectificationStatus(models.TextChoices):
    PENDING = "pending", _("待整改")
    IN_PROGRESS = "in_progress", _("正在整改")
    SUBMITTED = "submitted", _("已整改（待验收）")
    CLOSED = "closed", _("已销号")


class RectificationAction(models.TextChoices):
    """A move of a rectification; each is one row of ``lifecycle.TRANSITIONS``."""

    SIGN = "sign", _("签收")
    PLAN = "plan", _("提交整改方案")
    SUBMIT = "submit", _("提交整改报告")
    ACCEPT = "accept", _("验收通过（销号）")
    REJECT = "reject", _("验收不通过")
    IMMEDIATE = "immediate", _("立行立改")
    EXTEND = "extend", _("延期")


class FollowUpStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("待回头看")
    PASSED = "passed", _("未发现反弹")
    RECURRED = "recurred", _("问题反弹")


class AttachmentKind(models.TextChoices):
    EVIDENCE = "evidence", _("问题证据")
    PLAN = "plan", _("整改方案")
    REPORT = "report", _("整改报告")
    ACCEPTANCE = "acceptance", _("验收材料")


class InterviewKind(models.TextChoices):
    """Talks held with a unit's leader or staff after a finding (多色榜 warnings, 督导)."""

    ADMONITION_TALK = "admonition_talk", _("约谈")
    ADMONISHMENT = "admonishment", _("诫勉谈话")
    REMINDER_TALK = "reminder_talk", _("提醒谈话")
