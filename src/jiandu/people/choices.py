from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "男", _("男")
    FEMALE = "女", _("女")


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party_member", _("中共党员")
    PROBATIONARY = "probationary", _("中共预备党员")
    NON_PARTY = "non_party", _("群众")
    OTHER_PARTY = "other_party", _("民主党派")


class ManagementLevel(models.TextChoices):
    CITY_MANAGED = "city_managed", _("市管干部")
    COUNTY_MANAGED = "county_managed", _("县管干部")
    SECTION = "section", _("科级")
    GENERAL = "general", _("一般干部")
    VILLAGE = "village", _("村(社区)干部")
    OTHER = "other", _("其他")
