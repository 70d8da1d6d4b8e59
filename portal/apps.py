from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("포털")

    def ready(self):
        from civicbureau import open_data
        from portal.open_data import measure_resources

        open_data.register_resources(measure_resources)
