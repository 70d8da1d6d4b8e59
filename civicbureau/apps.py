from django.apps import AppConfig


class CivicBureauConfig(AppConfig):
    name = "civicbureau"
    verbose_name = "CivicBureau"

    def ready(self):
        from civicbureau import security  # noqa: F401  (connects the security-event receivers)
