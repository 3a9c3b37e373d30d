from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiandu.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from jiandu.core import signals  # noqa: F401  (login/logout audit)
