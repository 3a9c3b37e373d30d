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
        OrgKind.COUNTY,
    }
)
