"""The kinds of import, by key and label, without the importers behind them (which load
every app's models): the ``import`` command's help reads these. imports.kinds.KINDS holds
the importers in the same order (checked by a test)."""

from django.db import models


class ImportKindKey(models.TextChoices):
    ORGS = "orgs", "组织机构"
    PEOPLE = "people", "党员干部"
    POSTS = "posts", "任职信息"
    CLUES = "clues", "问题线索（含处理结果）"
    OUTCOMES = "outcomes", "处理结果"
