from django.apps import AppConfig


class CivicBureauConfig(AppConfig):
    name = "civicbureau"
    verbose_name = "CivicBureau"

    def ready(self):
        from civicbureau import security  # noqa: F401  (connects the security-event receivers)
        from civicbureau.publication import connect_signals

        connect_signals()
