"""The organisation tree: commissions, their rooms and groups, and the units they
supervise."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.core.models import ArchivableModel, TimeStampedModel
from jiandu.orgs.choices import ACTED_FOR_KINDS, COMMISSION_KINDS, OrgKind

region_code_validator = RegexValidator(
    r"^(\d{6}|\d{9}|\d{12})$", _("行政区划代码应为6位（县）、9位（乡镇）或12位（村）数字")
)


class OrgLabel(ArchivableModel):
    """A label on orgs (脱贫摘帽县, 牵头单位纪检组 …); boards colour labelled units yellow."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("单位标签")
        verbose_name_plural = _("单位标签")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Org(TimeStampedModel, ArchivableModel):
    """An organisation node. ``path`` is the materialised chain of ancestor ids
    (``/1/5/23/``) so a subtree is one indexed prefix query.

    ``acts_for_commission`` marks an internal office of a commission (信访室, 案件监督管理室,
    党风政风监督室 …): its users work within the parent commission's whole jurisdiction
    (``core.access``), see ADR 0009."""

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=32, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("层级"), default=0, editable=False)
    region_code = models.CharField(
        _("行政区划代码"), max_length=12, blank=True, validators=[region_code_validator]
    )
    labels = models.ManyToManyField(OrgLabel, verbose_name=_("标签"), blank=True)
    supervises = models.ManyToManyField(
        "self",
        verbose_name=_("监督对象"),
        symmetrical=False,
        blank=True,
        related_name="supervised_by",
    )
    sort_order = models.IntegerField(_("排序"), default=0)
    acts_for_commission = models.BooleanField(
        _("代表所属纪委监委履职"),
        default=False,
        help_text=_(
            "纪委监委的内设机构（信访室、案件监督管理室、党风政风监督室、案件审理室等）"
            "在所属纪委监委的全部管辖范围内工作；监督检查室、派驻组只管其监督对象，不勾选"
        ),
    )

    class Meta:
        verbose_name = _("组织机构")
        verbose_name_plural = _("组织机构")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["region_code"])]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_commission(self) -> bool:
        return self.kind in COMMISSION_KINDS

    def clean(self) -> None:
        super().clean()
        if self.acts_for_commission and (
            self.kind in ACTED_FOR_KINDS
            or self.parent is None
            or self.parent.kind not in ACTED_FOR_KINDS
        ):
            raise ValidationError(
                {"acts_for_commission": _("只有纪委监委的内设机构才能代表所属纪委监委履职")}
            )

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]
