"""Choices of the statistics centre."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("已上报")
    REOPENED = "reopened", _("已退回修改")


class ReturnAction(models.TextChoices):
    PREPARE = "prepare", _("生成")
    SAVE = "save", _("修改")
    SUBMIT = "submit", _("上报")
    REOPEN = "reopen", _("退回修改")


# The allowed moves: (from status, action) -> to status.
TRANSITIONS = {
    (ReturnStatus.DRAFT, ReturnAction.SAVE): ReturnStatus.DRAFT,
    (ReturnStatus.REOPENED, ReturnAction.SAVE): ReturnStatus.REOPENED,
    (ReturnStatus.DRAFT, ReturnAction.SUBMIT): ReturnStatus.SUBMITTED,
    (ReturnStatus.REOPENED, ReturnAction.SUBMIT): ReturnStatus.SUBMITTED,
    (ReturnStatus.SUBMITTED, ReturnAction.REOPEN): ReturnStatus.REOPENED,
}
