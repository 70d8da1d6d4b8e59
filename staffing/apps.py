from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "staffing"
    verbose_name = _("조직 및 인력")

    def ready(self):
        from civicbureau import publication
        from staffing.models import Bureau, Division, DivisionDuty, Grade, HeadcountEntry, PartTimeStaff

        publication.register(history=[HeadcountEntry, PartTimeStaff], reference=[Bureau, Division, DivisionDuty, Grade])
