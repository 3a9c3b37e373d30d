from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "jiandu.dossiers"
    verbose_name = "政治生态档案"

    def ready(self) -> None:
        # The imports app offers every registered kind on its pages and command line.
        from jiandu.dossiers.imports import register

        register()
