from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiandu.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from jiandu.core import signals  # login/logout audit, access stamp

        signals.connect_access_signals()
        signals.connect_migrate_signals(self)
