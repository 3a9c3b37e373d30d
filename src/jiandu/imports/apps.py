from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "jiandu.imports"
    verbose_name = "数据导入"
