"""Kinds and roles of the 督导 campaigns (seed 003)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignKind(models.TextChoices):
    SUPERVISION = "supervision", _("督导")
    SPECIAL = "special", _("专项治理")


class UnitRole(models.TextChoices):
    """The two levels at which the 五个清单 are drawn up (seed 003: 牵头部门和责任部门)."""

    LEAD = "lead", _("牵头部门")
    RESPONSIBLE = "responsible", _("责任部门")


class ListBacking(models.TextChoices):
    """Where a list's items live: entries filled by units, or the problems and
    rectifications of the 整改闭环 themselves (never copies)."""

    ENTRIES = "entries", _("单位填报")
    PROBLEMS = "problems", _("问题（整改闭环）")
    RECTIFICATIONS = "rectifications", _("整改（整改闭环）")


class ListFiller(models.TextChoices):
    """Who fills a list: every participating unit (五个清单), or the lead unit and the
    督导组 as they check the five (两个清单: 督导检查清单, 问责清单)."""

    UNIT = "unit", _("参与单位")
    SUPERVISOR = "supervisor", _("牵头单位、督导组")


class CardReason(models.TextChoices):
    OVERDUE = "overdue", _("逾期未完成整改")
    REJECTED = "rejected", _("验收两次未通过")
