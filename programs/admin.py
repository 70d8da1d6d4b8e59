from django.contrib import admin

from civicbureau.admin import AuditedAdmin
from programs.models import (
    Achievement,
    CentreBudget,
    CentreStaffing,
    ConsignedCentre,
    CoreTask,
    Direction,
    Indicator,
    IndicatorValue,
    Program,
    ProgramExecutionRow,
    ScheduleItem,
    Vision,
)

admin.site.register([Vision, Direction, CoreTask])


class AchievementInline(admin.TabularInline):
    model = Achievement
    extra = 0


class ProgramExecutionRowInline(admin.TabularInline):
    model = ProgramExecutionRow
    extra = 0


class ScheduleItemInline(admin.TabularInline):
    model = ScheduleItem
    extra = 0
    fields = ["order", "text", "date_text", "start_month", "end_month", "status"]
    readonly_fields = ["start_month", "end_month"]


@admin.register(Program)
class ProgramAdmin(AuditedAdmin):
    list_display = ["title", "division", "core_task", "number", "slug"]
    list_filter = ["division"]
    inlines = [AchievementInline, ProgramExecutionRowInline, ScheduleItemInline]


@admin.register(ScheduleItem)
class ScheduleItemAdmin(AuditedAdmin):
    list_display = ["text", "program", "date_text", "start_month", "end_month", "status"]
    list_filter = ["status", "program__division"]
    readonly_fields = ["start_month", "end_month"]


@admin.register(ConsignedCentre)
class ConsignedCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "division", "order"]


@admin.register(CentreBudget)
class CentreBudgetAdmin(AuditedAdmin):
    list_display = ["centre", "fiscal_year", "amount"]


@admin.register(CentreStaffing)
class CentreStaffingAdmin(AuditedAdmin):
    list_display = ["centre", "as_of", "headcount"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "program"]
    inlines = [IndicatorValueInline]
