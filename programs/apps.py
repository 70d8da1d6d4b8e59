from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("주요사업")

    def ready(self):
        from civicbureau import publication
        from programs.models import (
            Achievement,
            CentreBudget,
            CentreStaffing,
            CoreTask,
            Direction,
            Indicator,
            IndicatorValue,
            Program,
            ProgramExecutionRow,
            ScheduleItem,
            Vision,
        )

        publication.register(
            history=[Program, ProgramExecutionRow, ScheduleItem, CentreBudget, CentreStaffing, IndicatorValue],
            reference=[Vision, Direction, CoreTask, Achievement, Indicator],
        )
