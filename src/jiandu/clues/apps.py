from django.apps import AppConfig


class CluesConfig(AppConfig):
    name = "jiandu.clues"
    verbose_name = "信访与线索"
