"""主体责任提醒卡 (seed 001): quarterly cards issued in the name of a party committee to
named leaders, each holding the leader's 主体责任清单 items for the quarter; the leader's
quarterly summary per item (一季一提醒、一季一总结); spot checks whose findings are
problems of the rectification loop; and the list templates (主体责任清单, 八小时以外
负面清单) the cards and checks draw on, kept as data.

A card is visible to the jurisdiction holding the issuing committee and to the one
holding the leader's unit; outside both, it does not exist.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.cards.choices import CardAction, CardStatus, LeaderCategory, ListKind
from jiandu.core.access import ScopedQuerySet
from jiandu.core.models import ArchivableModel, TimeStampedModel


class ListTemplate(TimeStampedModel, ArchivableModel):
    """A list (清单) as data: its name, kind and ordered items. ``key`` names the list
    across its versions; revising a list archives the version in force and adds the
    next one, so cards issued from an old version keep what they were issued with."""

    key = models.SlugField(_("代码"), max_length=40)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=16, choices=ListKind.choices)
    description = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("清单模板")
        verbose_name_plural = _("清单模板")
        ordering = ["kind", "key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="list_template_key_version"),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(archived_at__isnull=True),
                name="list_template_one_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class ListTemplateItem(models.Model):
    """One item of a list template, in order."""

    template = models.ForeignKey(ListTemplate, on_delete=models.PROTECT, related_name="items")
    order = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("内容"))

    class Meta:
        verbose_name = _("清单事项")
        verbose_name_plural = _("清单事项")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="list_item_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:30]}"


class CardQuerySet(ScopedQuerySet):
    # The issuing side (the committee's jurisdiction) and the leader's unit see a card.
    scope_fields = ("committee", "leader_org")


class ReminderCard(TimeStampedModel):
    """One 主体责任提醒卡: issued in the name of ``committee`` to ``leader`` (a person of
    the registry, in the post ``leader_title`` at ``leader_org``) for a quarter. Its
    items are copied from a template and may be edited while it is a draft; issuing
    gives it a 文号 from the register and stores the printable file."""

    committee = models.ForeignKey(
        "orgs.Org", verbose_name=_("发卡党委（党组）"), on_delete=models.PROTECT, related_name="+"
    )
    prepared_by_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(
        "people.Person",
        verbose_name=_("提醒对象"),
        on_delete=models.PROTECT,
        related_name="reminder_cards",
    )
    leader_org = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("提醒对象所在单位"),
        on_delete=models.PROTECT,
        related_name="reminder_cards",
    )
    leader_title = models.CharField(_("职务"), max_length=100)
    category = models.CharField(_("提醒对象类别"), max_length=24, choices=LeaderCategory.choices)
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("季度"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    template = models.ForeignKey(
        ListTemplate,
        verbose_name=_("主体责任清单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    negative_list = models.ForeignKey(
        ListTemplate,
        verbose_name=_("附负面清单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=CardStatus.choices, default=CardStatus.DRAFT
    )
    summary_due = models.DateField(_("履责小结报送期限"))
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("文号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("文号"), max_length=40, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CardQuerySet.as_manager()

    class Meta:
        verbose_name = _("主体责任提醒卡")
        verbose_name_plural = _("主体责任提醒卡")
        ordering = ["-year", "-quarter", "committee_id", "pk"]
        permissions = [
            ("issue_reminder_card", _("起草、印发、作废提醒卡")),
            ("submit_card_summary", _("报送提醒卡履责小结")),
            ("spot_check_card", _("抽查提醒卡落实情况")),
        ]
        constraints = [
            # One live card per leader, committee and quarter (a void one frees the slot).
            models.UniqueConstraint(
                fields=["committee", "leader", "year", "quarter"],
                condition=~models.Q(status="void"),
                name="reminder_card_one_per_quarter",
            )
        ]
        indexes = [
            models.Index(fields=["year", "quarter", "committee"]),
            models.Index(fields=["status", "summary_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.quarter}季度提醒卡 {self.leader}"

    @property
    def quarter_label(self) -> str:
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"


class CardItem(models.Model):
    """One 主体责任 item on a card, and the leader's summary of it for the quarter
    (entered by the leader's unit staff)."""

    card = models.ForeignKey(ReminderCard, on_delete=models.PROTECT, related_name="items")
    order = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("事项"))
    summary = models.TextField(_("履责小结"), blank=True)
    summarised_on = models.DateField(_("报送日期"), null=True, blank=True)
    summarised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("提醒事项")
        verbose_name_plural = _("提醒事项")
        ordering = ["card", "order"]
        constraints = [
            models.UniqueConstraint(fields=["card", "order"], name="card_item_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:30]}"


def card_file_path(instance: CardAttachment, filename: str) -> str:
    return f"cards/{instance.sha256[:2]}/{instance.sha256}"


class CardAttachment(models.Model):
    """Material sent with a summary (optional), stored by content hash."""

    card = models.ForeignKey(ReminderCard, on_delete=models.PROTECT, related_name="attachments")
    item = models.ForeignKey(
        CardItem, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=card_file_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("履责材料")
        verbose_name_plural = _("履责材料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class CardEvent(models.Model):
    """One move in a card's timeline (起草, 修改事项, 印发, 报送小结, 抽查, 作废)."""

    card = models.ForeignKey(ReminderCard, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("动作"), max_length=16, choices=CardAction.choices)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("提醒卡办理记录")
        verbose_name_plural = _("提醒卡办理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"


class SpotCheck(TimeStampedModel):
    """A spot check (抽查) of how a leader carries out the card's items, optionally
    against a checklist (the 八小时以外 负面清单 …). Each finding is a problem of the
    rectification loop (source 提醒卡抽查) whose origin is this check."""

    card = models.ForeignKey(ReminderCard, on_delete=models.PROTECT, related_name="spot_checks")
    checked_on = models.DateField(_("抽查日期"))
    checklist = models.ForeignKey(
        ListTemplate,
        verbose_name=_("对照清单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("抽查情况"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽查人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_by_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("抽查单位"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("提醒卡抽查")
        verbose_name_plural = _("提醒卡抽查")
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.card} 抽查 {self.checked_on}"
