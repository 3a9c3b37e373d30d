from django.apps import AppConfig


class StatcentreConfig(AppConfig):
    name = "jiandu.statcentre"
    verbose_name = "统计中心"
