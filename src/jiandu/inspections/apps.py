from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "jiandu.inspections"
    verbose_name = "巡察与单元制监督"

    def ready(self) -> None:
        from jiandu.inspections.hooks import register

        register()
