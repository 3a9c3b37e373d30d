from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "jiandu.inspections"
    verbose_name = "巡察与单元制监督"
