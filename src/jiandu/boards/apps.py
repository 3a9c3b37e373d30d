from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "jiandu.boards"
    verbose_name = "多色榜"
