from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "jiandu.documents"
    verbose_name = "公文与文号"
