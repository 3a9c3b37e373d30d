from django.db import models
from django.utils.translation import gettext_lazy as _


class SweepDecision(models.TextChoices):
    """A reviewer's decision on one clue of a 线索大起底."""

    UNREVIEWED = "", _("未复核")
    MAINTAIN = "maintain", _("维持原处置")
    REDISPOSE = "redispose", _("重新处置")
