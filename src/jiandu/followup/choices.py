"""Choices of the follow-up work. Chinese labels are the terms in docs/glossary.md."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("受理告知")
    RESULT = "result", _("结果反馈")


class FeedbackMethod(models.TextChoices):
    IN_PERSON = "in_person", _("当面")
    PHONE = "phone", _("电话")
    LETTER = "letter", _("书面")
    SMS = "sms", _("短信")
    ONLINE = "online", _("网上答复")


class Reply(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


# Replies counted as satisfied in 实名举报满意率.
SATISFIED_REPLIES = (Reply.SATISFIED, Reply.BASICALLY)


class ClarificationMethod(models.TextChoices):
    NOTICE = "notice", _("书面通报")
    MEETING = "meeting", _("会议澄清")


class AccusationNature(models.TextChoices):
    FALSE = "false", _("诬告陷害")
    MALICIOUS = "malicious", _("恶意举报")
