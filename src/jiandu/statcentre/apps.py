from django.apps import AppConfig


class StatcentreConfig(AppConfig):
    name = "jiandu.statcentre"
    verbose_name = "统计中心"

    def ready(self) -> None:
        # The daily aggregate follows the registry's writes (ADR 0016): see
        # jiandu.statcentre.signals.
        from jiandu.statcentre import signals  # noqa: F401
