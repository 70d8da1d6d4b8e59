from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = _("예산")

    def ready(self):
        from budget.models import (
            BudgetAdjustment,
            BudgetLine,
            BudgetPaceTarget,
            DivisionBudget,
            DivisionMonth,
            ExecutionSnapshot,
            RevenueAmount,
        )
        from civicbureau import publication

        publication.register(
            history=[
                BudgetLine,
                BudgetAdjustment,
                ExecutionSnapshot,
                DivisionMonth,
                RevenueAmount,
                DivisionBudget,
                BudgetPaceTarget,
            ],
            # a month's figures saved as a draft (form or import) and its status before approval stay off
            public_conditions={
                ExecutionSnapshot: "history_type = '-' OR history_change_reason IS NULL"
                " OR history_change_reason NOT IN ('form', 'import')",
                DivisionMonth: "history_type = '-' OR status = 'approved' OR history_change_reason = 'admin'",
            },
        )
