from django.apps import AppConfig


class ReconciliationConfig(AppConfig):
    name = "jiandu.reconciliation"
    verbose_name = "对账销账"

    def ready(self) -> None:
        # Registers the detection task with the task layer.
        from jiandu.reconciliation import tasks  # noqa: F401
