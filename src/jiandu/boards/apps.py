from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "jiandu.boards"
    verbose_name = "多色榜"

    def ready(self) -> None:
        from jiandu.boards import tasks  # noqa: F401  (registers the "boards.close" task)
