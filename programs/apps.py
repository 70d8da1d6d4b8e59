from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("주요사업")

    def ready(self):
        from civicbureau import notes, publication
        from civicbureau.audit import How
        from programs.models import (
            Achievement,
            CentreBudget,
            CentreStaffing,
            CoreTask,
            Direction,
            Indicator,
            IndicatorValue,
            MeasureTarget,
            Program,
            ProgramExecutionRow,
            ScheduleItem,
            Vision,
        )
        from programs.notes import execution_page_notes

        publication.register(
            history=[
                Program,
                ProgramExecutionRow,
                ScheduleItem,
                CentreBudget,
                CentreStaffing,
                Indicator,
                IndicatorValue,
                MeasureTarget,
            ],
            reference=[Vision, Direction, CoreTask, Achievement],
            public_conditions={
                # read as recorded when the bureau's period was published: a save changes nothing public
                IndicatorValue: "1 = 0",
                MeasureTarget: "1 = 0",
                # the staff's progress (status, actual dates) reaches public pages as recorded when the bureau's
                # period is published (programs.selectors.schedule): a save changes nothing public until then
                ScheduleItem: f"history_change_reason IS NULL OR history_change_reason <> '{How.FORM}'",
            },
            published_with_period=[
                (IndicatorValue, "indicator__program__core_task__direction__bureau", _("지표 값")),
                # a target is dated by its year, not a day: any approval since the edition counts
                (MeasureTarget, "indicator__division__bureau", _("지표 목표")),
            ],
        )
        # 예산 집행 현황 (budget, below) notes the lines whose program section gives other figures.
        notes.register("budget:execution", execution_page_notes)
