from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "jiandu.supervision"
    verbose_name = "督导"

    def ready(self) -> None:
        from jiandu.supervision import tasks  # noqa: F401  (registers the task kind)
