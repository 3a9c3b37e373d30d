from django.apps import AppConfig


class SweepsConfig(AppConfig):
    name = "jiandu.sweeps"
    verbose_name = "线索大起底"
