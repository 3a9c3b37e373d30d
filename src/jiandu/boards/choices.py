"""Choices of the 多色榜. Chinese labels are the terms in docs/glossary.md (## 多色榜).

Values that the pure calculator (:mod:`jiandu.boards.ranking`) also knows — direction,
cumulative mode, warning kind — use the same strings, so a model field converts to the
calculator's enum with ``ranking.Direction(value)``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorSource(models.TextChoices):
    COMPUTED = "computed", _("按案件记录计算")
    REPORTED = "reported", _("由单位填报")


class Direction(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class ParticipantRule(models.TextChoices):
    EXPLICIT = "explicit", _("指定单位")
    LABEL = "label", _("带有指定标签的单位")
    KIND = "kind", _("指定类型的单位")


class Visibility(models.TextChoices):
    WHOLE = "whole", _("参评单位可查看全榜")
    OWN_ROW = "own_row", _("参评单位只能查看本单位一行")


class CumulativeMode(models.TextChoices):
    SUM_VALUES = "sum_values", _("按各月数值累加后排名")
    SUM_POINTS = "sum_points", _("按各月得分累加后排名")


class WarningKind(models.TextChoices):
    CONSECUTIVE_LAST = "consecutive_last", _("连续末位·工作预警通知书")
    QUARTER_LAST = "quarter_last", _("季度末位·约谈负责人")
    CUMULATIVE_BOTTOM = "cumulative_bottom", _("累计排名靠后·集体诫勉谈话")


class WarningStatus(models.TextChoices):
    ISSUED = "issued", _("已发出")
    NOTICE_SENT = "notice_sent", _("已送达")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    RECTIFICATION_RECEIVED = "rectification_received", _("已收到整改报告")


class WarningAction(models.TextChoices):
    ISSUE = "issue", _("发出预警")
    SEND_NOTICE = "send_notice", _("送达")
    ACKNOWLEDGE = "acknowledge", _("签收")
    RECEIVE_RECTIFICATION = "receive_rectification", _("报送整改报告")


class BoardPeriod(models.TextChoices):
    """Which period of a snapshot a page, a cell or a document shows."""

    MONTH = "month", _("当月")
    CUMULATIVE = "cumulative", _("累计")
    QUARTER = "quarter", _("季度累计")
