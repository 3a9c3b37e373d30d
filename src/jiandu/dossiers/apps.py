from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "jiandu.dossiers"
    verbose_name = "政治生态档案"
    # Its import kind (档案信息) is in ``import_kinds``, found by the imports app on first use.
