from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("의회 업무보고")

    def ready(self):
        from reports import jobs  # noqa: F401  (registers the city briefing's job kind with jobs.registry)
