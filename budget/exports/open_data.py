"""Open data of the budget pages: pure row builders from the selectors' tables (tested alone), and the
Fiscal Data Package that describes the execution file. Writers are in civicbureau.open_data."""

import datetime

from budget.selectors.execution import ComparisonRow, ExecutionTable, RowLevel
from civicbureau.open_data import Column, Dataset, json_value, table_schema
from staffing.models import Bureau

EXECUTION_COLUMNS = [
    Column("fiscal_year", "integer", "Fiscal year (회계연도; the calendar year)."),
    Column(
        "as_of",
        "date",
        "As-of date of the row's own figures (기준일): execution is cumulative from 1 January to this day. "
        "A line's latest approved figures at or before the period; empty where not reported.",
        nullable=True,
    ),
    Column(
        "level",
        "string",
        "Row level: 'total' (the bureau), 'division' (과) or 'line' (세부사업). Sum only 'line' rows.",
    ),
    Column("division_code", "string", "Stable code of the division (administrative classification)."),
    Column("division", "string", "Division name (부서명) as the report writes it."),
    Column(
        "code",
        "string",
        "Stable code of the row: the budget line's code, the division's code, empty for the total.",
        nullable=True,
    ),
    Column("name", "string", "Row name (구분): the bureau total, the division or the budget line (세부사업명)."),
    Column("original_budget", "integer", "Original budget (예산편성액, 당초예산), phase 'original', in won.", "KRW"),
    Column("budget_authority", "integer", "Current budget authority (예산현액, A), phase 'adjusted', in won.", "KRW"),
    Column(
        "obligations",
        "integer",
        "Cumulative obligations (원인행위), phase 'obligated', in won; empty where not reported.",
        "KRW",
        nullable=True,
    ),
    Column(
        "disbursements",
        "integer",
        "Cumulative executed amount (집행액, B: disbursements), phase 'executed', in won.",
        "KRW",
    ),
    Column("balance", "integer", "Unexecuted balance (집행잔액, A−B), in won.", "KRW", nullable=True),
    Column(
        "execution_rate",
        "number",
        "Execution rate (집행률, B/A×100), percent, one decimal, rounded half up; empty if A is 0.",
        "percent",
        nullable=True,
    ),
    Column(
        "reported",
        "boolean",
        "false where the division had not reported when the period was published (미보고): its execution is "
        "empty, never an older figure; a total with such a part has no execution sum.",
    ),
    Column("period", "date", "The reporting period (기준일) the bureau published these figures for."),
    Column("edition", "integer", "Edition of the period (판): a correction published later is the next edition."),
    Column("published_at", "datetime", "When the edition was published (공표 일시), UTC."),
]


def execution_dataset(table: ExecutionTable, *, levels: tuple[RowLevel, ...] = tuple(RowLevel)) -> Dataset:
    """예산 집행 현황 as records, in the page's order (won, not thousand won; rates as numbers)."""
    division_names = {r.division_code: r.name for r in table.rows if r.level == RowLevel.DIVISION}
    edition = table.publication
    published_at = edition.published_at.astimezone(datetime.UTC).replace(microsecond=0) if edition else None
    rows = [
        {
            "fiscal_year": table.fiscal_year,
            "as_of": r.snapshot_as_of if r.level == RowLevel.LINE else (table.as_of if r.is_reported else None),
            "level": r.level,
            "division_code": r.division_code,
            "division": division_names.get(r.division_code, ""),
            "code": r.code,
            "name": str(r.name),
            "original_budget": r.original,
            "budget_authority": r.authority,
            "obligations": r.obligations,
            "disbursements": r.disbursements,
            "balance": r.balance,
            "execution_rate": r.rate,
            "reported": r.is_reported,
            "period": table.as_of,
            "edition": edition and edition.edition,
            "published_at": published_at,
        }
        for r in table.rows
        if r.level in levels
    ]
    name = "execution" if len(levels) == 3 else "execution-lines"
    meta = {"fiscal_year": table.fiscal_year, "period": table.as_of}
    if edition is not None:
        meta.update(edition=edition.edition, published_at=published_at)
    return Dataset(name, f"{table.fiscal_year} 예산 집행 현황", EXECUTION_COLUMNS, rows, table.as_of, meta)


COMPARISON_COLUMNS = [
    Column("fiscal_year", "integer", "Fiscal year of column A (당해연도)."),
    Column("base_year", "integer", "Comparison year of column B (비교연도)."),
    Column("as_of", "date", "As-of date of the figures (기준일).", nullable=True),
    Column("depth", "integer", "Depth in the table: 0 for the total (계), 1 for a top category or division, 2… below."),
    Column("name", "string", "Row name (구분)."),
    Column(
        "current", "integer", "Amount of the fiscal year (A), in won; empty where not reported.", "KRW", nullable=True
    ),
    Column(
        "base",
        "integer",
        "Amount of the comparison year (B), in won (for expenditure: its final budget, 최종예산).",
        "KRW",
        nullable=True,
    ),
    Column("change", "integer", "Change (증감, A−B), in won.", "KRW", nullable=True),
    Column(
        "change_rate",
        "number",
        "Change rate (증감률, (A−B)×100/B), percent, one decimal; empty if B is 0.",
        "percent",
        nullable=True,
    ),
]
EXPENDITURE_COLUMNS = [
    *COMPARISON_COLUMNS[:6],
    Column(
        "base_original", "integer", "Original budget of the comparison year (본예산), in won.", "KRW", nullable=True
    ),
    *COMPARISON_COLUMNS[6:],
]


def comparison_dataset(
    name: str,
    title: str,
    rows: list[ComparisonRow],
    *,
    fiscal_year: int,
    as_of: datetime.date | None,
    expenditure: bool = False,
) -> Dataset:
    """세입총괄 (revenue) or 세출총괄 (expenditure) as records."""
    records = [
        {
            "fiscal_year": fiscal_year,
            "base_year": fiscal_year - 1,
            "as_of": as_of,
            "depth": r.depth,
            "name": str(r.name),
            "current": r.current,
            "base": r.base,
            "base_original": r.base_original,
            "change": r.change,
            "change_rate": r.change_rate,
        }
        for r in rows
    ]
    columns = EXPENDITURE_COLUMNS if expenditure else COMPARISON_COLUMNS
    return Dataset(name, title, columns, records, as_of, {"fiscal_year": fiscal_year, "base_year": fiscal_year - 1})


# -- Fiscal Data Package ---------------------------------------------------------------------------

PHASES = {
    # our column → (phase as the issue names it, the Fiscal Data Package's phase)
    "original_budget": ("original", "approved"),
    "budget_authority": ("adjusted", "adjusted"),
    "obligations": ("obligated", "executed"),
    "disbursements": ("executed", "executed"),
}


def fiscal_data_package(lines: Dataset, *, bureau: Bureau, resource_path: str) -> dict:
    """datapackage.json for a bureau's execution file (budget lines only, so that amounts may be summed): a
    Data Package whose `model` maps the amounts to their phase, the divisions to the administrative
    classification and the fiscal year and as-of date to the fiscal period (Fiscal Data Package)."""
    fiscal_year = lines.meta["fiscal_year"]
    return {
        # A Tabular Data Package (validated offline) carrying the Fiscal Data Package's `model`; the FDP
        # profile name would make validators fetch its schema from the network.
        "profile": "tabular-data-package",
        "fiscalDataPackage": "1.0",
        "name": f"civicbureau-{bureau.slug}-budget-execution-{fiscal_year}",
        "title": f"{bureau.name} {fiscal_year} 예산 집행 현황 (budget execution)",
        "description": "Expenditure budget and its execution by budget line (세부사업), cumulative to the as-of date. "
        "Amounts are whole won. Published by CivicBureau: the reporting period "
        f"{json_value(lines.meta.get('period'))}, edition {lines.meta.get('edition')}, published "
        f"{json_value(lines.meta.get('published_at'))} (published figures only).",
        "licenses": [{"name": "KOGL-Type1", "title": "공공누리 제1유형 (Korea Open Government License Type 1)"}],
        "countryCode": "KR",
        "fiscalPeriod": {"start": f"{fiscal_year}-01-01", "end": f"{fiscal_year}-12-31"},
        "resources": [
            {
                "name": "execution-lines",
                "path": resource_path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "title": lines.title,
                "schema": table_schema(lines),
            }
        ],
        "model": {
            "measures": {
                column: {
                    "source": column,
                    "title": phase,
                    "currency": "KRW",
                    "factor": 1,
                    "direction": "expenditure",
                    "phase": fdp_phase,
                    "phase_detail": phase,
                }
                for column, (phase, fdp_phase) in PHASES.items()
            },
            "dimensions": {
                "administrative-classification": {
                    "dimensionType": "classification",
                    "classificationType": "administrative",
                    "attributes": {
                        "division_code": {"source": "division_code"},
                        "division": {"source": "division", "labelfor": "division_code"},
                    },
                    "primaryKey": ["division_code"],
                },
                "budget-line": {
                    "dimensionType": "activity",
                    "attributes": {"code": {"source": "code"}, "name": {"source": "name", "labelfor": "code"}},
                    "primaryKey": ["code"],
                },
                "fiscal-period": {
                    "dimensionType": "datetime",
                    "attributes": {"fiscal_year": {"source": "fiscal_year"}, "as_of": {"source": "as_of"}},
                    "primaryKey": ["fiscal_year", "as_of"],
                },
            },
        },
    }
