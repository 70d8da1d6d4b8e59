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
        from civicbureau.audit import How

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
                f" OR history_change_reason NOT IN ('{How.FORM}', '{How.IMPORT}')",
                DivisionMonth: f"history_type = '-' OR status = '{DivisionMonth.Status.APPROVED}'"
                f" OR history_change_reason = '{How.ADMIN}'",
            },
        )
