"""The budget's files: budget_lines.csv, budget_adjustments.csv, execution.csv, revenue_categories.csv,
revenue.csv and division_budgets.csv."""

from typing import TYPE_CHECKING

from budget.models import (
    BudgetAdjustment,
    BudgetLine,
    DivisionBudget,
    DivisionMonth,
    ExecutionSnapshot,
    RevenueAmount,
    RevenueCategory,
)
from budget.services.periods import report_period_publish
from demo.rows import Row, read_csv
from staffing.models import Division

if TYPE_CHECKING:
    from demo.loader import Loader

Lines = dict[tuple[int, str], BudgetLine]  # by fiscal year and code


def budget_lines(loader: "Loader", divisions: dict[str, Division]) -> Lines:
    lines = {}
    columns = ["code", "division", "fiscal_year", "order", "name", "is_basic_expense", "original_thousand_won"]
    for row in read_csv(loader.directory, "budget_lines.csv", columns):
        key = (row.integer("fiscal_year"), row.text("code"))
        if key in lines:
            raise row.error("code", f"duplicate budget line code {key[1]!r}")
        lines[key] = loader.upsert(
            row,
            BudgetLine,
            {"fiscal_year": key[0], "code": key[1]},
            {
                "division": row.ref("division", divisions),
                "name": row.text("name"),
                "order": row.integer("order"),
                "is_basic_expense": row.boolean("is_basic_expense"),
                "original_budget": row.won("original_thousand_won"),
            },
            {"original_budget": "original_thousand_won", "name": "name"},
        )
    return lines


def _line(row: Row, lines: Lines, field: str = "budget_line") -> BudgetLine:
    key = (row.integer("fiscal_year"), row.text(field))
    if key not in lines:
        raise row.error(field, f"unknown budget line {key[1]!r} in {key[0]}")
    return lines[key]


def budget_adjustments(loader: "Loader", lines: Lines) -> None:
    columns = ["budget_line", "fiscal_year", "kind", "effective_on", "amount_thousand_won", "reason"]
    for row in read_csv(loader.directory, "budget_adjustments.csv", columns):
        amount = row.won("amount_thousand_won", minimum=None)
        if amount == 0:
            raise row.error("amount_thousand_won", "an adjustment of zero changes nothing")
        loader.upsert(
            row,
            BudgetAdjustment,
            {
                "budget_line": _line(row, lines),
                "kind": row.choice("kind", BudgetAdjustment.Kind.values),
                "effective_on": row.date("effective_on"),
            },
            {"amount": amount, "reason": row.text("reason")},
        )


def _report_figures_validate(snapshot: ExecutionSnapshot) -> None:
    """full_clean's rules but the month's lock: the report's own figures go into the month they approve."""
    snapshot.validate_entry(check_lock=False)
    snapshot.validate_constraints()


def execution(loader: "Loader", lines: Lines) -> set:
    """The report's cumulative execution; the report is the approved record, so each division's month at
    each date is created approved (revision 1) and the figures are its approved figures. Returns the
    (bureau, date) of each reporting period, for `publish` once everything is loaded."""
    columns = ["budget_line", "fiscal_year", "as_of", "obligations_thousand_won", "disbursements_thousand_won"]
    months = {}
    for row in read_csv(loader.directory, "execution.csv", columns):
        line = _line(row, lines)
        as_of = row.date("as_of")
        obligations = row.won("obligations_thousand_won", required=False)
        disbursements = row.won("disbursements_thousand_won")
        loader.upsert(
            row,
            ExecutionSnapshot,
            {"budget_line": line, "as_of": as_of},
            {
                "obligations": obligations,
                "disbursements": disbursements,
                "approved_obligations": obligations,
                "approved_disbursements": disbursements,
            },
            {"obligations": "obligations_thousand_won", "disbursements": "disbursements_thousand_won"},
            validate=_report_figures_validate,
        )
        months.setdefault((line.division, as_of), row)
    for (division, as_of), row in months.items():
        loader.upsert(
            row,
            DivisionMonth,
            {"division": division, "as_of": as_of},
            {"status": DivisionMonth.Status.APPROVED, "revision": 1, "approved_revision": 1},
        )
    return {(division.bureau, as_of) for division, as_of in months}


def publish(loader: "Loader", periods: set) -> None:
    """The report was published to the council: each of its periods is loaded published (edition 1; a
    reload that changed figures makes the next edition), after every file, so that the edition holds all
    the report's figures (headcount and indicators are read as recorded when their period was published)."""
    for bureau, as_of in sorted(periods, key=lambda k: (k[1], k[0].pk)):
        if report_period_publish(bureau=bureau, as_of=as_of) is None:
            loader.unchanged += 1
        else:
            loader.written += 1


def revenue(loader: "Loader") -> None:
    categories = {}
    for row in read_csv(loader.directory, "revenue_categories.csv", ["code", "parent", "order", "name"]):
        code = row.text("code")
        parent = row.ref("parent", categories, required=False)
        categories[code] = loader.upsert(
            row,
            RevenueCategory,
            {"code": code},
            {"name": row.text("name"), "parent": parent, "order": row.integer("order")},
        )
    parents = {c.parent_id for c in categories.values() if c.parent_id}
    for row in read_csv(loader.directory, "revenue.csv", ["category", "fiscal_year", "as_of", "amount_thousand_won"]):
        category = row.ref("category", categories)
        if category.pk in parents:
            raise row.error(
                "category", f"{category.name} is a sum of its sub-categories; give the sub-categories' amounts"
            )
        loader.upsert(
            row,
            RevenueAmount,
            {"category": category, "fiscal_year": row.integer("fiscal_year"), "as_of": row.date("as_of")},
            {"amount": row.won("amount_thousand_won")},
        )


def division_budgets(loader: "Loader", divisions: dict[str, Division]) -> None:
    columns = ["division", "fiscal_year", "as_of", "original_thousand_won", "final_thousand_won"]
    for row in read_csv(loader.directory, "division_budgets.csv", columns):
        loader.upsert(
            row,
            DivisionBudget,
            {"division": row.ref("division", divisions), "fiscal_year": row.integer("fiscal_year")},
            {
                "as_of": row.date("as_of"),
                "original_budget": row.won("original_thousand_won"),
                "final_budget": row.won("final_thousand_won", required=False),
            },
        )
