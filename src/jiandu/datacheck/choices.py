"""Choices of the 大数据比对 platform. Chinese labels are the terms in docs/glossary.md
(## 大数据比对).

The canonical datasets and the rules themselves are defined by the engine
(:mod:`jiandu.datacheck.engine`); the choices here are read from it so that the
platform and the engine never disagree on a name. They come from the engine's
catalogue (:mod:`jiandu.datacheck.engine.catalog`), which imports nothing heavy: loading
Django must not load Ibis, DuckDB, pandas or PyArrow.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.datacheck.engine.catalog import DATASETS, RULE_SPECS

DATASET_CHOICES: list[tuple[str, str]] = [(d.name, d.label) for d in DATASETS.values()]
RULE_CHOICES: list[tuple[str, str]] = [(r.code, f"{r.code} {r.name}") for r in RULE_SPECS.values()]


class Backend(models.TextChoices):
    DUCKDB = "duckdb", _("DuckDB（单机，默认）")
    SPARK = "spark", _("Spark（集群）")


class HitStatus(models.TextChoices):
    PENDING = "pending", _("待核查")
    ASSIGNED = "assigned", _("已分派")
    CONFIRMED = "confirmed", _("已确认")
    EXCLUDED = "excluded", _("已排除")
    CONVERTED = "converted", _("已转线索")


class HitAction(models.TextChoices):
    ASSIGN = "assign", _("分派核查")
    CONFIRM = "confirm", _("确认问题")
    EXCLUDE = "exclude", _("排除疑点")
    CONVERT = "convert", _("转为问题线索")
    IDENTIFY = "identify", _("记录身份认定")
    CARRY = "carry", _("沿用上次比对的核查")


class HitPresence(models.TextChoices):
    """How a run's hit relates to the earlier runs (see ``Hit.identity_key``)."""

    NEW = "new", _("新发现")
    STILL = "still", _("仍存在")
    GONE = "gone", _("已消失")


# Rules whose subject is an account number rather than an ID number.
ACCOUNT_RULES = frozenset({"R07"})
