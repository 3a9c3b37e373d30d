from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "jiandu.people"
    verbose_name = "党员干部"
