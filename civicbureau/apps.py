from django.apps import AppConfig


class CivicBureauConfig(AppConfig):
    name = "civicbureau"

    def ready(self):
        from civicbureau.publication import connect_signals

        connect_signals()
