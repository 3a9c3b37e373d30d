"""党员干部 and 公职人员, and the posts they hold over time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.core.access import ScopedQuerySet
from jiandu.core.crypto import EncryptedTextField
from jiandu.core.idnumbers import mask
from jiandu.core.models import ArchivableModel, TimeStampedModel
from jiandu.people.choices import Gender, ManagementLevel, PoliticalStatus


class PersonQuerySet(ScopedQuerySet):
    scope_fields = ("registered_org", "posts__org")


class Person(TimeStampedModel, ArchivableModel):
    """A cadre or public servant under supervision.

    The ID number is protected: stored encrypted, shown masked unless the user holds
    ``people.view_id_number`` (each such view is audited), and found through
    ``id_search_key`` — a keyed hash — so a search by number never reveals numbers."""

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    id_number = EncryptedTextField(_("身份证号码"), blank=True)
    id_search_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_masked = models.CharField(_("身份证号码（脱敏）"), max_length=18, blank=True, editable=False)
    gender = models.CharField(_("性别"), max_length=2, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    political_status = models.CharField(
        _("政治面貌"),
        max_length=20,
        choices=PoliticalStatus.choices,
        default=PoliticalStatus.PARTY_MEMBER,
    )
    registered_org = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("登记单位"),
        on_delete=models.PROTECT,
        related_name="registered_people",
    )
    note = models.TextField(_("备注"), blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员干部")
        verbose_name_plural = _("党员干部")
        ordering = ["name", "pk"]
        permissions = [("view_id_number", _("查看身份证号码"))]
        constraints = [
            # Unique per registering org, not system-wide: whether a number is registered
            # outside a user's jurisdiction must not show (people.services).
            models.UniqueConstraint(
                fields=["id_search_key", "registered_org"],
                condition=~models.Q(id_search_key=""),
                name="person_unique_id_number_per_org",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_party_member(self) -> bool:
        return self.political_status in {
            PoliticalStatus.PARTY_MEMBER,
            PoliticalStatus.PROBATIONARY,
        }

    def masked_id(self) -> str:
        return self.id_masked or mask(self.id_number)


class PostQuerySet(models.QuerySet["Post"]):
    def current(self) -> PostQuerySet:
        return self.filter(end_date__isnull=True)


class Post(TimeStampedModel):
    """A post held by a person in an org for a period (``end_date`` empty = current)."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="posts"
    )
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="posts"
    )
    title = models.CharField(_("职务"), max_length=100)
    management_level = models.CharField(
        _("干部管理层级"), max_length=20, choices=ManagementLevel.choices
    )
    is_leader = models.BooleanField(_("单位主要负责人"), default=False)
    start_date = models.DateField(_("任职日期"))
    end_date = models.DateField(_("免职日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="post_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.title}"
