"""Choices of the 政治生态档案 and the 廉政意见 batches."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.dossiers.periods import PURPOSES


class Colour(models.TextChoices):
    RED = "red", _("红色（表彰嘉奖）")
    BLUE = "blue", _("蓝色（中性信息）")
    YELLOW = "yellow", _("黄色（问题组织处理）")
    BLACK = "black", _("黑色（党纪政务处分）")


class ItemKind(models.TextChoices):
    """What an item of a dossier is. The first group comes from the platform's own
    records, the second is imported from other bodies; the colour of each is decided
    by the versioned colour table (data), not here."""

    CLUE_SUBJECT = "clue_subject", _("被反映问题线索")
    OUTCOME_CRITICISM = "outcome_criticism", _("批评教育")
    OUTCOME_ORGANISATIONAL = "outcome_organisational", _("组织处理")
    OUTCOME_ACCOUNTABILITY = "outcome_accountability", _("问责")
    OUTCOME_PARTY = "outcome_party", _("党纪处分")
    OUTCOME_GOVERNMENT = "outcome_government", _("政务处分")
    OUTCOME_JUDICIAL = "outcome_judicial", _("移送司法机关")
    OUTCOME_NAME_CLEARED = "outcome_name_cleared", _("澄清正名")
    PROBLEM = "problem", _("发现问题（单位）")
    PROBLEM_RECTIFIED = "problem_rectified", _("问题整改销号（单位）")
    BOARD_WARNING = "board_warning", _("多色榜预警（单位）")
    BOARD_TOP = "board_top", _("多色榜综合排名前列（单位）")
    # imported
    COMMENDATION = "commendation", _("表彰嘉奖")
    APPRAISAL_EXCELLENT = "appraisal_excellent", _("年度考核优秀")
    APPRAISAL_COMPETENT = "appraisal_competent", _("年度考核称职（合格）")
    APPRAISAL_BASIC = "appraisal_basic", _("年度考核基本称职（基本合格）")
    APPRAISAL_INCOMPETENT = "appraisal_incompetent", _("年度考核不称职（不合格）")
    PERSONAL_MATTERS_OK = "personal_matters_ok", _("个人有关事项查核一致")
    PERSONAL_MATTERS_FINDING = "personal_matters_finding", _("个人有关事项漏报瞒报")
    AUDIT_FINDING = "audit_finding", _("审计发现问题")
    POLICE_RECORD = "police_record", _("公安机关通报")
    OTHER_INFO = "other_info", _("其他信息")


IMPORTED_KINDS = (
    ItemKind.COMMENDATION,
    ItemKind.APPRAISAL_EXCELLENT,
    ItemKind.APPRAISAL_COMPETENT,
    ItemKind.APPRAISAL_BASIC,
    ItemKind.APPRAISAL_INCOMPETENT,
    ItemKind.PERSONAL_MATTERS_OK,
    ItemKind.PERSONAL_MATTERS_FINDING,
    ItemKind.AUDIT_FINDING,
    ItemKind.POLICE_RECORD,
    ItemKind.OTHER_INFO,
)

# Enum's functional API, which django-stubs 5.2 does not declare for TextChoices (its
# overloads are a member's (value) / (value, label) only).
Purpose = models.TextChoices("Purpose", [(p, p) for p in PURPOSES])  # type: ignore[call-overload]


class BatchStatus(models.TextChoices):
    DRAFTED = "drafted", _("已起草")
    REVIEWED = "reviewed", _("已审核")
    APPROVED = "approved", _("已审批")
    ISSUED = "issued", _("已函复")


class Verdict(models.TextChoices):
    IMPACT = "有影响", _("有影响")
    NO_IMPACT = "无影响", _("无影响")
