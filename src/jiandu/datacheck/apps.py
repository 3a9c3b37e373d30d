from django.apps import AppConfig


class DatacheckConfig(AppConfig):
    name = "jiandu.datacheck"
    verbose_name = "大数据比对"
