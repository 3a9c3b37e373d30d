"""Kinds of official document and the state of a 文号."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    """The kinds of official document the platform issues, each numbered in its own
    sequence per issuing organ and year."""

    WARNING_NOTICE = "warning_notice", _("工作预警通知书")
    BULLETIN = "bulletin", _("通报")
    RECTIFICATION_NOTICE = "rectification_notice", _("督促整改通知书")
    WARNING_CARD = "warning_card", _("整改警示卡")
    INTERVIEW_NOTICE = "interview_notice", _("约谈通知")
    REPLY_LETTER = "reply_letter", _("函复")
    INQUIRY_MINUTES = "inquiry_minutes", _("质询会纪要")
    REMINDER_CARD = "reminder_card", _("主体责任提醒卡")
    INSPECTION_ENTRY = "inspection_entry", _("巡察进驻通知")
    INSPECTION_FEEDBACK = "inspection_feedback", _("巡察反馈意见")
    APPROVAL_FORM = "approval_form", _("呈批表")


# The type character of a 文号 (昆纪预〔2026〕3号) when an organ has not set its own.
DEFAULT_TYPE_CHARACTERS: dict[str, str] = {
    DocumentType.WARNING_NOTICE: "预",
    DocumentType.BULLETIN: "通",
    DocumentType.RECTIFICATION_NOTICE: "改",
    DocumentType.WARNING_CARD: "警",
    DocumentType.INTERVIEW_NOTICE: "约",
    DocumentType.REPLY_LETTER: "函",
    DocumentType.INQUIRY_MINUTES: "纪要",
    DocumentType.REMINDER_CARD: "提",
    DocumentType.INSPECTION_ENTRY: "巡",
    DocumentType.INSPECTION_FEEDBACK: "巡反",
    DocumentType.APPROVAL_FORM: "批",
}


class DocumentStatus(models.TextChoices):
    ISSUED = "issued", _("已印发")
    VOID = "void", _("已作废")
