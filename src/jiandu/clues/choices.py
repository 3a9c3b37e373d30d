"""Choices of the case registry. Chinese labels are the terms in docs/glossary.md."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    PHONE = "phone", _("来电")
    ONLINE = "online", _("网络举报")
    HOTLINE_12388 = "12388", _("12388")
    OTHER = "other", _("其他")


class PetitionStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    CONVERTED = "converted", _("已转问题线索")
    TRANSFERRED = "transferred", _("已转办")
    FILED = "filed", _("已存档了结")


class PetitionAction(models.TextChoices):
    REGISTER = "register", _("登记")
    CONVERT = "convert", _("转为问题线索")
    ASSIGN = "assign", _("交办")
    TRANSFER = "transfer", _("转办")
    FILE = "file", _("存档了结")


class ClueSource(models.TextChoices):
    PETITION = "petition", _("信访举报")
    INSPECTION = "inspection", _("巡察移交")
    AUDIT = "audit", _("审计移交")
    SUPERVISION = "supervision", _("监督检查")
    DATACHECK = "datacheck", _("大数据比对")
    HIGHER_ASSIGNED = "higher_assigned", _("上级交办")
    OTHER = "other", _("其他")


class ClueStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    DISPOSING = "disposing", _("处置中")
    CLOSED = "closed", _("已办结")


class DisposalMethod(models.TextChoices):
    TALK_INQUIRY = "talk_inquiry", _("谈话函询")
    PRELIMINARY_VERIFICATION = "preliminary_verification", _("初步核实")
    SHELVED = "shelved", _("暂存待查")
    DISMISSED = "dismissed", _("予以了结")
    CASE_FILED = "case_filed", _("立案审查")


class ClueAction(models.TextChoices):
    RECEIVE = "receive", _("受理")
    DISPOSE = "dispose", _("处置")
    CHANGE_DISPOSAL = "change_disposal", _("变更处置方式")
    CLOSE = "close", _("办结")
    ESCALATE = "escalate", _("提级查办")
    DIRECT_HANDLE = "direct_handle", _("直查直办")
    ASSIGN_DOWN = "assign_down", _("交办")
    EXTEND = "extend", _("延期")


class Conclusion(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("属实")
    PARTLY_SUBSTANTIATED = "partly", _("部分属实")
    UNSUBSTANTIATED = "unsubstantiated", _("不属实")
    UNVERIFIABLE = "unverifiable", _("无法查实")
    OTHER = "other", _("其他")


class OutcomeKind(models.TextChoices):
    CRITICISM = "criticism", _("批评教育")
    ORGANISATIONAL = "organisational", _("组织处理")
    ACCOUNTABILITY = "accountability", _("问责")
    PARTY_DISCIPLINE = "party_discipline", _("党纪处分")
    GOVERNMENT_SANCTION = "government_sanction", _("政务处分")
    JUDICIAL_TRANSFER = "judicial_transfer", _("移送司法机关")
    NAME_CLEARED = "name_cleared", _("澄清正名")
    FALSE_ACCUSATION = "false_accusation", _("诬告陷害查处")


class OutcomeSubtype(models.TextChoices):
    # 批评教育
    REMINDER_TALK = "reminder_talk", _("谈话提醒")
    CRITICISM = "criticism", _("批评教育")
    ORDERED_REVIEW = "ordered_review", _("责令检查")
    ADMONISHMENT = "admonishment", _("诫勉")
    # 组织处理
    SUSPENSION = "suspension", _("停职检查")
    POST_ADJUSTMENT = "post_adjustment", _("调整职务")
    ORDERED_RESIGNATION = "ordered_resignation", _("责令辞职")
    DEMOTION = "demotion", _("降职")
    REMOVAL = "removal", _("免职")
    # 问责方式
    ACC_REVIEW = "acc_review", _("责令检查（问责）")
    ACC_CIRCULATE = "acc_circulate", _("通报问责")
    ACC_ADMONISH = "acc_admonish", _("诫勉（问责）")
    ACC_ORGANISATIONAL = "acc_organisational", _("组织调整或组织处理（问责）")
    ACC_DISCIPLINE = "acc_discipline", _("纪律处分（问责）")
    # 党纪处分
    PARTY_WARNING = "party_warning", _("警告（党纪）")
    PARTY_SERIOUS_WARNING = "party_serious_warning", _("严重警告")
    PARTY_POST_REVOKED = "party_post_revoked", _("撤销党内职务")
    PARTY_PROBATION = "party_probation", _("留党察看")
    PARTY_EXPULSION = "party_expulsion", _("开除党籍")
    # 政务处分
    GOV_WARNING = "gov_warning", _("警告（政务）")
    GOV_DEMERIT = "gov_demerit", _("记过")
    GOV_MAJOR_DEMERIT = "gov_major_demerit", _("记大过")
    GOV_DEMOTION = "gov_demotion", _("降级")
    GOV_DISMISSAL_FROM_POST = "gov_dismissal_from_post", _("撤职")
    GOV_EXPULSION = "gov_expulsion", _("开除")


class ResponsibilityType(models.TextChoices):
    PRINCIPAL = "principal", _("主体责任")
    SUPERVISORY = "supervisory", _("监督责任")
    LEADERSHIP = "leadership", _("领导责任")


class DisciplineForm(models.IntegerChoices):
    """监督执纪 "四种形态"."""

    FIRST = 1, _("第一种形态")
    SECOND = 2, _("第二种形态")
    THIRD = 3, _("第三种形态")
    FOURTH = 4, _("第四种形态")
