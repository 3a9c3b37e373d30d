"""States, moves and kinds of the 主体责任提醒卡 (seed 001)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListKind(models.TextChoices):
    """What a list template is for."""

    RESPONSIBILITY = "responsibility", _("主体责任清单")
    NEGATIVE = "negative", _("负面清单")


class LeaderCategory(models.TextChoices):
    """Who receives a card (seed 001: 以同级党委名义发给同级党委常委、政府党组副职以及下级
    党委（党组）一把手)."""

    STANDING_MEMBER = "standing_member", _("同级党委常委")
    GOVERNMENT_DEPUTY = "government_deputy", _("政府党组副职")
    SUBORDINATE_HEAD = "subordinate_head", _("下级党委（党组）一把手")


class CardStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")
    VOID = "void", _("已作废")


class CardAction(models.TextChoices):
    """A move of a card; each is one row of ``lifecycle.TRANSITIONS``."""

    CREATE = "create", _("起草")
    EDIT = "edit", _("修改事项")
    ISSUE = "issue", _("印发")
    VOID = "void", _("作废")
    SUMMARY = "summary", _("报送履责小结")
    SPOT_CHECK = "spot_check", _("抽查")
