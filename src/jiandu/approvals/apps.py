from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "jiandu.approvals"
    verbose_name = "呈批"
