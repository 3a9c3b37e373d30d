from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "jiandu.inbox"
    verbose_name = "站内消息"

    def ready(self) -> None:
        from jiandu.inbox import tasks  # noqa: F401  (registers the "inbox.remind" task)
