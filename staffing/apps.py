from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "staffing"
    verbose_name = _("조직 및 인력")

    def ready(self):
        from civicbureau import publication
        from staffing.models import Bureau, Division, DivisionDuty, Grade, HeadcountEntry, PartTimeStaff, Team

        publication.register(
            history=[HeadcountEntry, PartTimeStaff, Team],  # a team added or renamed: the team count, the groups
            reference=[Bureau, Division, DivisionDuty, Grade],
            # read as recorded when the bureau's period was published: a save changes nothing public
            public_conditions={HeadcountEntry: "1 = 0", PartTimeStaff: "1 = 0"},
            published_with_period=[
                (HeadcountEntry, "division__bureau", _("정원·현원")),
                (PartTimeStaff, "division__bureau", _("시간선택제 임기제")),
            ],
        )
