"""Writes of budget figures: a division's month (entry) and the publication of a reporting period (periods).
Every write of execution figures goes through here, from forms, imports and commands alike."""

from budget.services.entry import (
    ExecutionInput,
    budget_adjustment_create,
    caution_keys,
    division_month_approve,
    division_month_correct,
    division_month_lines,
    division_month_return,
    division_month_submit,
    division_month_withdraw,
    execution_month_save,
    execution_month_validate,
)
from budget.services.periods import period_publish

__all__ = [
    "ExecutionInput",
    "caution_keys",
    "budget_adjustment_create",
    "division_month_approve",
    "division_month_correct",
    "division_month_lines",
    "division_month_return",
    "division_month_submit",
    "division_month_withdraw",
    "execution_month_save",
    "execution_month_validate",
    "period_publish",
]
