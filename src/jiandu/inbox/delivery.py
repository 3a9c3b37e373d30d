"""Delivery of inbox messages to outside channels (SMS, 政务钉钉, e-mail …).

An adapter is a class with ``deliver(message)``: it sends one message and raises on
failure. ``settings.JIANDU_INBOX_ADAPTERS`` lists the adapters in use by dotted path;
the default is :class:`LoggingAdapter`, which writes a log line. The inbox row is always
written first and stays whatever an adapter does: ``services.messages_deliver`` calls
every adapter, records each failure (``DeliveryFailure``) and retries the failed adapter
alone on the next sweep. docs/operations.md shows how to add one.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("jiandu.inbox.delivery")


class DeliveryAdapter(Protocol):
    """What an adapter provides. ``deliver`` may be slow (a network call) but must not
    touch the database: it is called outside any transaction of the platform."""

    def deliver(self, message: Any) -> None: ...


class LoggingAdapter:
    """The default: one INFO line per message on the ``jiandu.inbox.delivery`` logger
    (recipient, kind, title, link) — no message leaves the server."""

    def deliver(self, message: Any) -> None:
        log.info(
            "站内消息 #%s → 用户%s【%s】%s %s",
            message.pk,
            message.recipient_id,
            message.get_kind_display(),
            message.title,
            message.link,
        )


_loaded: dict[tuple[str, ...], list[tuple[str, DeliveryAdapter]]] = {}


def configured_adapters() -> list[tuple[str, DeliveryAdapter]]:
    """(dotted path, instance) of each configured adapter, in the order listed. A path
    that cannot be imported is a configuration error and raises at once."""
    paths = tuple(getattr(settings, "JIANDU_INBOX_ADAPTERS", ()))
    found = _loaded.get(paths)
    if found is None:
        found = [(path, import_string(path)()) for path in paths]
        _loaded.clear()
        _loaded[paths] = found
    return found
