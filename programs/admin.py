"""The admin of the bureau's plan, programs, milestones, centres and indicators. Who sees which records:
staffing.admin_scope (a program's records are its division's; the plan and the centres' figures are the
bureau's reference data)."""

from django.contrib import admin

from civicbureau import audit
from programs.models import (
    Achievement,
    CentreBudget,
    CentreStaffing,
    ConsignedCentre,
    CoreTask,
    Direction,
    Indicator,
    IndicatorValue,
    MeasureTarget,
    Program,
    ProgramExecutionRow,
    ProgramOutlineItem,
    ScheduleItem,
    Vision,
)
from staffing.admin_scope import BureauScope, BureauScopedAdmin, DivisionScope, DivisionScopedAdmin, ScopedTabularInline


@admin.register(Vision, Direction, CoreTask)
class PlanAdmin(BureauScope, admin.ModelAdmin):
    """The bureau's vision, directions and core tasks."""


class ProgramOutlineItemInline(ScopedTabularInline):
    """The program's sections as the report nests them: each item's □ heading, place, level and marker."""

    model = ProgramOutlineItem
    extra = 0
    fields = ["section", "order", "level", "marker", "text"]


class AchievementInline(ScopedTabularInline):
    model = Achievement
    extra = 0


class ProgramExecutionRowInline(ScopedTabularInline):
    model = ProgramExecutionRow
    extra = 0


class ScheduleItemInline(ScopedTabularInline):
    model = ScheduleItem
    extra = 0
    fields = ["order", "text", "date_text", "start_month", "end_month", "status"]
    readonly_fields = ["start_month", "end_month"]


@admin.register(Program)
class ProgramAdmin(DivisionScopedAdmin):
    list_display = ["title", "division", "core_task", "number", "slug"]
    list_filter = ["division"]
    inlines = [ProgramOutlineItemInline, AchievementInline, ProgramExecutionRowInline, ScheduleItemInline]

    def save_formset(self, request, form, formset, change):
        """The inlines' rows (outline items, achievements …) are recorded as the program is: by whom, via the admin."""
        for obj in formset.save(commit=False):
            audit.record(obj, request.user, audit.How.ADMIN)
            obj.save()
        for obj in formset.deleted_objects:
            audit.record(obj, request.user, audit.How.ADMIN)
            obj.delete()
        formset.save_m2m()


@admin.register(ScheduleItem)
class ScheduleItemAdmin(DivisionScopedAdmin):
    list_display = ["text", "program", "date_text", "start_month", "end_month", "status"]
    list_filter = ["status", "program__division"]
    readonly_fields = ["start_month", "end_month"]


@admin.register(ConsignedCentre)
class ConsignedCentreAdmin(DivisionScope, admin.ModelAdmin):
    list_display = ["name", "division", "order"]


@admin.register(CentreBudget)
class CentreBudgetAdmin(BureauScopedAdmin):
    list_display = ["centre", "fiscal_year", "amount"]


@admin.register(CentreStaffing)
class CentreStaffingAdmin(BureauScopedAdmin):
    list_display = ["centre", "as_of", "headcount"]


class IndicatorValueInline(ScopedTabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(DivisionScopedAdmin):
    list_display = ["name", "unit", "program", "division", "direction"]
    list_filter = ["direction", "division"]
    inlines = [IndicatorValueInline]


@admin.register(MeasureTarget)
class MeasureTargetAdmin(DivisionScopedAdmin):
    """Targets, to read: they are proposed, approved and revised on the measures' pages, where the rules of
    a plan hold (an approved target is locked), never changed here."""

    list_display = ["indicator", "fiscal_year", "period_end", "revision", "value", "low", "high", "status"]
    list_filter = ["fiscal_year", "status"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
