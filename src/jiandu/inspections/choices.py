"""Choices of the 巡察 rounds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundForm(models.TextChoices):
    SECTOR = "sector", _("板块式")
    LINKED = "linked", _("联动式")
    MENU = "menu", _("菜单式")
    REGULAR = "regular", _("常规巡察")
    SPECIAL = "special", _("专项巡察")
    MOBILE = "mobile", _("机动巡察")


class RoundLevel(models.TextChoices):
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    JOINT = "joint", _("市县统合")


class RoundStage(models.TextChoices):
    PREPARING = "preparing", _("准备")
    STATIONED = "stationed", _("进驻")
    REPORTING = "reporting", _("报告")
    FEEDBACK = "feedback", _("反馈")
    TRANSFER = "transfer", _("移交")
    RECTIFYING = "rectifying", _("整改")
    EVALUATING = "evaluating", _("整改评估")
    ARCHIVED = "archived", _("归档")


# The stages in order: a round moves one step forward at a time.
STAGE_ORDER: list[str] = [s.value for s in RoundStage]


class TeamRole(models.TextChoices):
    LEADER = "leader", _("组长")
    MEMBER = "member", _("组员")


class ConflictReason(models.TextChoices):
    RELATIVE = "relative", _("亲属在该单位任职")
    FORMER = "former", _("曾在该单位任职")
    OTHER = "other", _("其他应当回避的情形")


class EscalationKind(models.TextChoices):
    VILLAGE_COMMITTEE = "village_committee", _("被反映人是村（社区）两委成员")
    DOMAIN = "domain", _("问题领域")


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已提级")
    DECLINED = "declined", _("不提级")


class ReportKind(models.TextChoices):
    INSPECTION = "inspection", _("巡察报告")
    CLUES = "clues", _("专题报告（问题线索报告）")


class CommentOutcome(models.TextChoices):
    NOTE = "note", _("意见")
    PROBLEM = "problem", _("发现问题")
    CLUE = "clue", _("发现问题线索")


class UnitMemberRole(models.TextChoices):
    STATIONED = "stationed", _("派驻纪检监察组")
    TOWNSHIP = "township", _("镇（园区）纪（工）委、纪检监察室")
    DEPARTMENT = "department", _("职能部门")
    VILLAGE_COMMITTEE = "village_committee", _("村务监督委员会")


class CheckStep(models.TextChoices):
    """The six steps of a 单元制 check (seed 000), in order."""

    PROBLEMS = "problems", _("看问题")
    LEDGERS = "ledgers", _("查台账")
    VISITS = "visits", _("走访谈")
    CAUSES = "causes", _("找症结")
    RECTIFY = "rectify", _("促整改")
    REVIEW = "review", _("回头看")
    DONE = "done", _("已完成")


CHECK_STEP_ORDER: list[str] = [s.value for s in CheckStep]


class CheckOutcomeKind(models.TextChoices):
    ORDER = "order", _("责令整改")
    TALK = "talk", _("责任提醒谈话")
    ADMONISH = "admonish", _("纠错诫勉")


class LedgerKind(models.TextChoices):
    """The 三本账 a county keeps (seed 002)."""

    TRANSFERRED = "transferred", _("巡察移交问题线索台账")
    GOVERNANCE = "governance", _("专项治理建议台账")
    ASSIGNED = "assigned", _("市级交办事项台账")


class LedgerStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    DONE = "done", _("已办结")
