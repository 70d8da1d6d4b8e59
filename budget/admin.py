from django.contrib import admin

from budget.models import (
    BudgetAdjustment,
    BudgetLine,
    BudgetPaceTarget,
    DivisionBudget,
    DivisionMonth,
    ExecutionSnapshot,
    RevenueAmount,
    RevenueCategory,
)
from civicbureau.admin import AuditedAdmin
from staffing.admin import DivisionScopedAdmin


@admin.register(BudgetLine)
class BudgetLineAdmin(DivisionScopedAdmin):
    list_display = ["code", "name", "division", "fiscal_year", "original_budget"]
    list_filter = ["fiscal_year", "division"]
    search_fields = ["code", "name"]


@admin.register(BudgetAdjustment)
class BudgetAdjustmentAdmin(DivisionScopedAdmin):
    list_display = ["budget_line", "kind", "amount", "effective_on", "reason"]
    list_filter = ["kind"]


@admin.register(ExecutionSnapshot)
class ExecutionSnapshotAdmin(DivisionScopedAdmin):
    list_display = [
        "budget_line",
        "as_of",
        "obligations",
        "disbursements",
        "approved_obligations",
        "approved_disbursements",
    ]
    list_filter = ["as_of", "budget_line__division"]
    readonly_fields = ["approved_obligations", "approved_disbursements"]


@admin.register(DivisionMonth)
class DivisionMonthAdmin(DivisionScopedAdmin):
    """Read only: a month's status changes only through submission, approval, return and correction."""

    list_display = ["division", "as_of", "status", "revision", "approved_revision", "version", "changed_by"]
    list_filter = ["status", "as_of", "division"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RevenueCategory)
class RevenueCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "order"]


@admin.register(RevenueAmount)
class RevenueAmountAdmin(AuditedAdmin):
    list_display = ["category", "fiscal_year", "as_of", "amount"]


@admin.register(DivisionBudget)
class DivisionBudgetAdmin(AuditedAdmin):
    list_display = ["division", "fiscal_year", "original_budget", "final_budget"]


@admin.register(BudgetPaceTarget)
class BudgetPaceTargetAdmin(AuditedAdmin):
    """The bureau's monthly execution targets; months left out follow a straight line between those set."""

    list_display = ["bureau", "fiscal_year", "month", "target_rate"]
    list_filter = ["fiscal_year", "bureau"]
    ordering = ["bureau", "fiscal_year", "month"]
