"""Reasons, states and decisions of 零报告 detection, 对账销账 and the 质询会."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FlagReason(models.TextChoices):
    """Why a unit was flagged for 专项督导."""

    ZERO = "zero", _("零报告")
    LOW_SHARE = "low_share", _("自查问题偏少")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("待专项督导")
    SUPERVISED = "supervised", _("已专项督导")


class EvidenceKind(models.TextChoices):
    """Which number of a flag a record stands behind."""

    SELF_FOUND = "self_found", _("自查自纠问题")
    OTHER_PROBLEM = "other_problem", _("其他来源问题")
    PETITION = "petition", _("反映该单位的信访举报")


class PairKind(models.TextChoices):
    AUTO = "auto", _("自动匹配")
    MANUAL = "manual", _("人工配对")


class ReconciliationStatus(models.TextChoices):
    OPEN = "open", _("对账中")
    CLOSED = "closed", _("已销账")


class ReconciliationAction(models.TextChoices):
    CLOSE = "close", _("销账")
    REOPEN = "reopen", _("重新对账")


class AccountabilityForm(models.TextChoices):
    """Forms of accountability of a person (《中国共产党问责条例》第八条)."""

    CRITICISM = "criticism", _("批评教育")
    EXAMINATION = "examination", _("责令检查")
    CIRCULATED = "circulated", _("通报批评")
    ADMONISHMENT = "admonishment", _("诫勉")
    ORGANISATIONAL = "organisational", _("组织调整或组织处理")
    DISCIPLINARY = "disciplinary", _("纪律处分")


class InquiryStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    HELD = "held", _("已召开")
    MINUTED = "minuted", _("纪要已印发")


class InquiryAction(models.TextChoices):
    HOLD = "hold", _("召开会议")
    ISSUE_MINUTES = "issue_minutes", _("印发纪要")


class InquiryDecision(models.TextChoices):
    """The decision a 质询会 takes on each problem (seed 002: 对账、交账、销账、清账)."""

    HAND_OVER = "hand_over", _("交账")
    CLOSE = "close", _("销账")
    CLEAR = "clear", _("清账")
