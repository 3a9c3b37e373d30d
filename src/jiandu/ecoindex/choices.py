"""Choices of the political-ecology index (一图一表一指数)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeafSource(models.TextChoices):
    COMPUTED = "computed", _("平台记录自动计算")
    REPORTED = "reported", _("部门每月填报")


class NodeMethod(models.TextChoices):
    MINMAX = "minmax", _("极差标准化")
    DEDUCTION = "deduction", _("扣分法")
    THRESHOLDS = "thresholds", _("分段计分")


class NodeDirection(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class MissingRuleChoice(models.TextChoices):
    REWEIGHT = "reweight", _("缺项不计、按其余指标权重折算")
    ZERO = "zero", _("缺项按0分计")


class EcoColour(models.TextChoices):
    GREEN = "green", _("绿")
    YELLOW = "yellow", _("黄")
    ORANGE = "orange", _("橙")
    RED = "red", _("红")


COLOUR_BY_LABEL = {str(c.label): c.value for c in EcoColour}
LABEL_BY_COLOUR = {c.value: str(c.label) for c in EcoColour}


class EcoWarningStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    REGREENED = "regreened", _("已复绿")
