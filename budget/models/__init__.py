"""Money: budget lines and their adjustments, cumulative execution, revenue and the expenditure summary.

Every amount is whole won. Only base figures are stored; 예산현액, 집행잔액, rates, totals and changes
are derived by civicbureau.figures in the selectors.
"""

from budget.models.execution import CAUTION_RULES, DivisionMonth, ExecutionSnapshot
from budget.models.lines import BudgetAdjustment, BudgetLine
from budget.models.periods import Publication, PublishedFigure, PublishedMonth
from budget.models.summaries import BudgetPaceTarget, DivisionBudget, RevenueAmount, RevenueCategory

__all__ = [
    "CAUTION_RULES",
    "BudgetAdjustment",
    "BudgetLine",
    "BudgetPaceTarget",
    "DivisionBudget",
    "DivisionMonth",
    "ExecutionSnapshot",
    "Publication",
    "PublishedFigure",
    "PublishedMonth",
    "RevenueAmount",
    "RevenueCategory",
]
