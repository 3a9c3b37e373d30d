from django.apps import AppConfig


class DatacheckConfig(AppConfig):
    name = "jiandu.datacheck"
    verbose_name = "大数据比对"

    def ready(self) -> None:
        from jiandu.datacheck import tasks  # noqa: F401  (registers the "datacheck.run" task)
