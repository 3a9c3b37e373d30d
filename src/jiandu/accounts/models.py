"""Users, their org, and API tokens for machine clients."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff member. Belongs to exactly one org, which fixes the jurisdiction; roles
    are permission groups (see ``accounts.roles``)."""

    org = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    # The account holder's own record in the cadre registry, if any: a 巡察组 member sees
    # the rounds they sit on (inspections.selectors), even outside the jurisdiction.
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("本人干部信息"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    must_change_password = models.BooleanField(
        _("须修改密码"),
        default=False,
        help_text=_("密码由系统管理员设置（新建账号或重置密码），本人登录后须先修改密码。"),
    )
    # Disabling is how an account ends (users are never deleted): who, when and why.
    disabled_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    disabled_by = models.ForeignKey(
        "self",
        verbose_name=_("停用人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    disabled_reason = models.CharField(_("停用原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        permissions = [
            ("change_user_roles", _("分配用户角色")),
            ("view_signin", _("查看登录记录和账号锁定")),
            ("unlock_user", _("解除账号锁定")),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        # The person's name is ``full_name``; Django's first and last names stay empty.
        return self.full_name


class ApiToken(models.Model):
    """A bearer token for a machine client, acting as its user with the same scoping.
    Only a hash is stored; the token is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=8, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    @staticmethod
    def generate() -> str:
        return "jd_" + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
