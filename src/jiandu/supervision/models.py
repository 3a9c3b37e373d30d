"""督导 campaigns (督导/专项治理, seed 003): the participating units with their lead unit,
the 督导组 and its members, the 四级督导 chain (牵头责任单位 → 督导问责组 → 领导小组办公室 →
领导小组) as ordered levels, the "5+2" lists per unit, the 督导检查 that find problems,
and the 整改警示卡 issued when a rectification runs late or fails acceptance twice.

The 问题清单 and 整改清单 are the ``oversight`` problems and rectifications themselves,
linked to a campaign by :class:`CampaignProblem` — never copies.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.core.access import ScopedQuerySet
from jiandu.core.models import ArchivableModel, TimeStampedModel
from jiandu.supervision.choices import (
    CampaignKind,
    CardReason,
    ListBacking,
    ListFiller,
    UnitRole,
)


class ListKind(ArchivableModel):
    """One of the "5+2" lists (reference data, disabled never deleted): 任务清单, 工作清单,
    责任清单, 问题清单, 整改清单, 督导检查清单, 问责清单. ``backing`` says whether units fill
    entries or the list is the campaign's problems/rectifications."""

    key = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    backing = models.CharField(
        _("内容来源"), max_length=16, choices=ListBacking.choices, default=ListBacking.ENTRIES
    )
    filled_by = models.CharField(
        _("填报方"), max_length=16, choices=ListFiller.choices, default=ListFiller.UNIT
    )
    item_label = models.CharField(_("“事项”列名"), max_length=20, default="事项")
    detail_label = models.CharField(_("“内容”列名"), max_length=20, default="具体内容")
    sort_order = models.IntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("清单种类")
        verbose_name_plural = _("清单种类")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_entries(self) -> bool:
        return self.backing == ListBacking.ENTRIES


class CampaignQuerySet(ScopedQuerySet):
    # The commission that runs it, and every participating unit, see a campaign.
    scope_fields = ("owner_org", "units__org")


class Campaign(TimeStampedModel, ArchivableModel):
    """A 督导 or 专项治理 campaign: its period, the commission that runs it
    (``owner_org``), its 牵头单位, the participating units (:class:`CampaignUnit`), the
    督导组 and the levels of its 督导 chain (:class:`ChainLevel`)."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(
        _("类型"), max_length=16, choices=CampaignKind.choices, default=CampaignKind.SUPERVISION
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    owner_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    lead_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("工作要求"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建立人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("督导")
        verbose_name_plural = _("督导")
        ordering = ["-starts_on", "-pk"]
        permissions = [("fill_campaign_list", _("填报本单位督导清单"))]

    def __str__(self) -> str:
        return self.name


class CampaignUnit(models.Model):
    """A participating unit and the level (牵头部门 or 责任部门) at which it draws up its
    five lists."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="units")
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("参与单位"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        _("层级"), max_length=16, choices=UnitRole.choices, default=UnitRole.RESPONSIBLE
    )

    class Meta:
        verbose_name = _("参与单位")
        verbose_name_plural = _("参与单位")
        ordering = ["campaign", "role", "org__path"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "org"], name="campaign_unit_once")
        ]

    def __str__(self) -> str:
        return f"{self.org}（{self.get_role_display()}）"


class ChainLevel(models.Model):
    """One level of a campaign's 督导 chain, lowest first (position 1 = 牵头责任单位): a
    warning card escalates from one position to the next."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="chain")
    position = models.PositiveSmallIntegerField(_("层级序号"))
    name = models.CharField(_("层级名称"), max_length=30)
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("履职单位"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("督导层级")
        verbose_name_plural = _("督导层级")
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "position"], name="chain_level_once")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.org}）"


class Team(TimeStampedModel):
    """A 督导组 of a campaign; its members (:class:`TeamMember`) are people of the
    registry."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("督导组")
        verbose_name_plural = _("督导组")
        ordering = ["campaign", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="team_name_once")]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    is_leader = models.BooleanField(_("组长"), default=False)

    class Meta:
        verbose_name = _("督导组成员")
        verbose_name_plural = _("督导组成员")
        ordering = ["team", "-is_leader", "pk"]
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.team} {self.person}"


class ListEntryQuerySet(ScopedQuerySet):
    scope_fields = ("org",)


class ListEntry(TimeStampedModel, ArchivableModel):
    """One row of a unit's list of one kind in a campaign (任务/工作/责任清单, and the
    督导检查/问责清单 that the lead unit and the 督导组 keep about it). Replaced rows are
    archived, never deleted."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="entries")
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.ForeignKey(
        ListKind, verbose_name=_("清单"), on_delete=models.PROTECT, related_name="entries"
    )
    position = models.PositiveIntegerField(_("序号"))
    item = models.CharField(_("事项"), max_length=200)
    detail = models.TextField(_("具体内容"), blank=True)
    responsible = models.CharField(_("责任领导/责任人"), max_length=100, blank=True)
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("清单条目")
        verbose_name_plural = _("清单条目")
        ordering = ["campaign", "org", "kind", "position", "pk"]
        indexes = [models.Index(fields=["campaign", "org", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.position}. {self.item}"


class InspectionQuerySet(ScopedQuerySet):
    scope_fields = ("campaign__owner_org", "units")


class Inspection(TimeStampedModel):
    """A 督导检查 (集中督导检查, 明察暗访 …): when, by which 督导组, which units; its
    findings are problems of the 整改闭环 linked to the campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="inspections")
    held_on = models.DateField(_("检查日期"))
    team = models.ForeignKey(
        Team, verbose_name=_("督导组"), on_delete=models.PROTECT, related_name="inspections"
    )
    units = models.ManyToManyField("orgs.Org", verbose_name=_("被检查单位"), related_name="+")
    method = models.CharField(_("检查方式"), max_length=50, default="集中督导检查")
    summary = models.TextField(_("检查情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("督导检查")
        verbose_name_plural = _("督导检查")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.campaign} {self.method} {self.held_on}"


class CampaignProblem(models.Model):
    """Links a problem of the 整改闭环 to a campaign (its 问题清单/整改清单), and to the
    督导检查 that found it when one did. A problem belongs to one campaign at most."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="problem_links")
    problem = models.OneToOneField(
        "oversight.Problem", on_delete=models.PROTECT, related_name="campaign_link"
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("督导检查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(_("纳入时间"))

    class Meta:
        verbose_name = _("督导问题")
        verbose_name_plural = _("督导问题")
        ordering = ["campaign", "pk"]

    def __str__(self) -> str:
        return f"{self.campaign} {self.problem_id}"


class WarningCardQuerySet(ScopedQuerySet):
    scope_fields = ("org", "issuing_org")


class WarningCard(TimeStampedModel):
    """A 整改警示卡: issued when a rectification is overdue (one card per overdue period,
    each one level further up the 督导 chain) or fails acceptance twice. ``ordinal``
    counts the cards of one reason for one rectification, so running the check twice
    issues nothing new. The card's 文号 and .docx are in the documents register."""

    rectification = models.ForeignKey(
        "oversight.Rectification", on_delete=models.PROTECT, related_name="warning_cards"
    )
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("督导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="warning_cards",
    )
    reason = models.CharField(_("警示事由"), max_length=16, choices=CardReason.choices)
    ordinal = models.PositiveSmallIntegerField(_("第几张"))
    level_position = models.PositiveSmallIntegerField(_("督导层级序号"))
    level_name = models.CharField(_("督导层级"), max_length=30)
    issuing_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("发卡单位"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("发卡日期"))
    due_on = models.DateField(_("发卡时整改期限"))
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("文号"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = WarningCardQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改警示卡")
        verbose_name_plural = _("整改警示卡")
        ordering = ["-issued_on", "-pk"]
        permissions = [("issue_warning_card", _("运行整改警示卡检查"))]
        constraints = [
            models.UniqueConstraint(
                fields=["rectification", "reason", "ordinal"], name="warning_card_once"
            )
        ]

    def __str__(self) -> str:
        return f"整改警示卡 {self.document.number}"
