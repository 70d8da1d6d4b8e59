from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = _("예산")

    def ready(self):
        from budget import jobs  # noqa: F401  (registers the big uploads' job kinds with jobs.registry)
        from budget.models import (
            BudgetAdjustment,
            BudgetLine,
            BudgetPaceTarget,
            DivisionBudget,
            DivisionMonth,
            ExecutionSnapshot,
            Publication,
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
                Publication,
            ],
            # Public pages read execution only through editions (a Publication and its copied figures): a
            # month's entry, submission, approval or correction changes nothing public until it is
            # published, and an adjustment only once an edition has made it public.
            public_conditions={
                ExecutionSnapshot: "1 = 0",
                DivisionMonth: "1 = 0",
                BudgetAdjustment: "published_in_id IS NOT NULL",
            },
        )
