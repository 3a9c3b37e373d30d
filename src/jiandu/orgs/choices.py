from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    COMMISSION = "commission", _("纪委监委")
    SUPERVISION_ROOM = "supervision_room", _("监督检查室")
    STATIONED_GROUP = "stationed_group", _("派驻纪检监察组")
    CONDUCT_ROOM = "conduct_room", _("党风政风监督室")
    PETITION_ROOM = "petition_room", _("信访室")
    TRIAL_ROOM = "trial_room", _("案件审理室")
    INSPECTION_OFFICE = "inspection_office", _("巡察办")
    CASE_MANAGEMENT_ROOM = "case_management_room", _("案件监督管理室")
    COUNTY = "county", _("县区纪委监委")
    CITY_UNIT = "city_unit", _("市直单位")
    COUNTY_UNIT = "county_unit", _("县直单位")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    TOWNSHIP = "township", _("乡镇街道")
    VILLAGE = "village", _("村社区")
    OTHER = "other", _("其他")


# Kinds that are part of a commission (they handle petitions and clues); the others are
# supervised units.
COMMISSION_KINDS = frozenset(
    {
        OrgKind.COMMISSION,
        OrgKind.SUPERVISION_ROOM,
        OrgKind.STATIONED_GROUP,
        OrgKind.CONDUCT_ROOM,
        OrgKind.PETITION_ROOM,
        OrgKind.TRIAL_ROOM,
        OrgKind.INSPECTION_OFFICE,
        OrgKind.CASE_MANAGEMENT_ROOM,
        OrgKind.COUNTY,
    }
)

# Internal offices of a commission: they work for the commission's whole jurisdiction
# (an org of one of these kinds created under a commission acts for it by default, see
# ``Org.acts_for_commission``). 监督检查室 and 派驻组 are not among them: they keep the
# units they supervise.
OFFICE_KINDS = frozenset(
    {
        OrgKind.CONDUCT_ROOM,
        OrgKind.PETITION_ROOM,
        OrgKind.TRIAL_ROOM,
        OrgKind.INSPECTION_OFFICE,
        OrgKind.CASE_MANAGEMENT_ROOM,
    }
)

# Kinds an office may act for (a 纪委监委 and a 县区纪委监委).
ACTED_FOR_KINDS = frozenset({OrgKind.COMMISSION, OrgKind.COUNTY})
