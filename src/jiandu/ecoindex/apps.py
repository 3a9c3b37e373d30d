from django.apps import AppConfig


class EcoindexConfig(AppConfig):
    name = "jiandu.ecoindex"
    verbose_name = "政治生态指数"
