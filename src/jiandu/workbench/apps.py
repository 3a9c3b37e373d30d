from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "jiandu.workbench"
    verbose_name = "工作台"
