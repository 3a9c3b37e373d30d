from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "jiandu.oversight"
    verbose_name = "整改闭环"
