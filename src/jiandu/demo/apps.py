from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jiandu.demo"
    verbose_name = "演示数据"
