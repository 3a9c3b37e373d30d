from django.apps import AppConfig


class CardsConfig(AppConfig):
    name = "jiandu.cards"
    verbose_name = "主体责任提醒卡"
