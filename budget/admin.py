from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from budget.models import (
    BudgetAdjustment,
    BudgetLine,
    BudgetPaceTarget,
    DivisionBudget,
    ExecutionSnapshot,
    RevenueAmount,
    RevenueCategory,
)


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "division", "fiscal_year", "original_budget"]
    list_filter = ["fiscal_year", "division"]
    search_fields = ["code", "name"]


@admin.register(BudgetAdjustment)
class BudgetAdjustmentAdmin(SimpleHistoryAdmin):
    list_display = ["budget_line", "kind", "amount", "effective_on", "reason"]
    list_filter = ["kind"]


@admin.register(ExecutionSnapshot)
class ExecutionSnapshotAdmin(SimpleHistoryAdmin):
    list_display = ["budget_line", "as_of", "obligations", "disbursements"]
    list_filter = ["as_of", "budget_line__division"]


@admin.register(RevenueCategory)
class RevenueCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "order"]


@admin.register(RevenueAmount)
class RevenueAmountAdmin(SimpleHistoryAdmin):
    list_display = ["category", "fiscal_year", "as_of", "amount"]


@admin.register(DivisionBudget)
class DivisionBudgetAdmin(SimpleHistoryAdmin):
    list_display = ["division", "fiscal_year", "original_budget", "final_budget"]


@admin.register(BudgetPaceTarget)
class BudgetPaceTargetAdmin(SimpleHistoryAdmin):
    """The bureau's monthly execution targets; months left out follow a straight line between those set."""

    list_display = ["bureau", "fiscal_year", "month", "target_rate"]
    list_filter = ["fiscal_year", "bureau"]
    ordering = ["bureau", "fiscal_year", "month"]
