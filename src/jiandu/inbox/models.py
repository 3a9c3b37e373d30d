"""站内消息: one row per message per recipient, and the failures of delivering it to
outside channels (SMS, 政务钉钉 …).

A message belongs to exactly one user; to anybody else it does not exist. The inbox row
is the message: delivery adapters are copies sent elsewhere, and a failing one never
removes or holds back the row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiandu.inbox.choices import DeliveryStatus, MessageKind


class Message(models.Model):
    """A message to one user about one record (a problem, a clue, a board warning).

    ``due_on`` is set on deadline messages (T−3, T−1, overdue): with the recipient, the
    record and the kind it is the reminder's key, unique, so a job run twice (or once a
    day through a deadline window) writes each reminder once. A new due date (an
    extension, a clue's next stage) is a new key. Event messages (assignment, acceptance
    request, warning) have no ``due_on``: each event is its own message.

    ``unread`` mirrors ``read_at IS NULL`` as a plain column so that the inbox can page
    "unread first, newest first" on one index (keyset needs NOT NULL sort keys)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.PROTECT,
        related_name="inbox_messages",
        db_index=False,  # the (recipient, unread, id) index leads with it
    )
    kind = models.CharField(_("类型"), max_length=16, choices=MessageKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    record_type = models.CharField(_("记录类型"), max_length=64)
    record_id = models.BigIntegerField(_("记录编号"))
    due_on = models.DateField(_("期限"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    unread = models.BooleanField(_("未读"), default=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    # Delivery to outside channels: attempts made, and when every adapter took it.
    delivery_attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    delivered_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-unread", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "record_type", "record_id", "kind", "due_on"],
                condition=Q(due_on__isnull=False),
                name="inbox_reminder_once",
            )
        ]
        indexes = [
            # The inbox (unread first, newest first) and the header's unread count.
            models.Index(fields=["recipient", "unread", "id"], name="inbox_recipient_unread"),
            # The delivery sweep reads only the few messages not yet delivered.
            models.Index(
                fields=["id"], condition=Q(delivered_at__isnull=True), name="inbox_undelivered"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DeliveryFailure(models.Model):
    """An adapter that failed to deliver a message: how often, the last error, and
    whether a later retry got it through. Messages with an open failure are retried by
    the next delivery sweep (up to ``JIANDU_INBOX_DELIVERY_ATTEMPTS`` attempts)."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="failures")
    adapter = models.CharField(_("发送渠道"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.FAILED
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=1)
    error = models.TextField(_("错误"), blank=True)
    first_failed_at = models.DateTimeField(_("首次失败时间"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("最近尝试时间"), default=timezone.now)

    class Meta:
        verbose_name = _("消息发送失败记录")
        verbose_name_plural = _("消息发送失败记录")
        ordering = ["-last_attempt_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["message", "adapter"], name="inbox_failure_once")
        ]

    def __str__(self) -> str:
        return f"{self.adapter} {self.get_status_display()}"
