"""Kinds of inbox messages and the states of their delivery to outside channels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageKind(models.TextChoices):
    """Why a message was sent. The first, the last two: written by the business write
    that caused them; the deadline kinds: by the daily reminder job."""

    ASSIGNMENT = "assignment", _("新交办")
    DUE_IN_3 = "due_in_3", _("3个工作日内到期")
    DUE_IN_1 = "due_in_1", _("1个工作日内到期")
    OVERDUE = "overdue", _("已超期")
    ACCEPTANCE = "acceptance", _("待验收")
    WARNING = "warning", _("预警送达")


class DeliveryStatus(models.TextChoices):
    FAILED = "failed", _("发送失败")
    SENT = "sent", _("重试成功")
