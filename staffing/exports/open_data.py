"""Open data of the organisation page: headcount as records (writers in civicbureau.open_data)."""

from civicbureau.open_data import Column, Dataset
from staffing.selectors import HeadcountTable

HEADCOUNT_COLUMNS = [
    Column(
        "as_of",
        "date",
        "As-of date of the row's headcount (기준일): each division's latest date; for 계, the latest of them.",
        nullable=True,
    ),
    Column("row", "string", "Row of the table: 계 (the bureau) or the division's name."),
    Column("is_total", "boolean", "true for the bureau's 계 row (the sum of the divisions)."),
    Column("grade", "string", "Grade (직급) as the report names it, or 계 for the row's total over the grades."),
    Column("quota", "integer", "Authorised headcount (정원), persons.", "persons"),
    Column("current", "integer", "Current headcount (현원), persons.", "persons"),
    Column(
        "vacancy", "integer", "정원 − 현원, persons; negative when more people are in post than the quota.", "persons"
    ),
]


def headcount_dataset(table: HeadcountTable, *, total_label: str = "계") -> Dataset:
    """One record per row and grade, the row's total over the grades first (as the page's 계 column)."""
    records = []
    for index, row in enumerate(table.rows):
        cells = [(total_label, row.total), *((g.name, c) for g, c in zip(table.grades, row.cells, strict=True))]
        for grade, cell in cells:
            records.append(
                {
                    "as_of": table.as_of if index == 0 else row.as_of,
                    "row": str(row.name),
                    "is_total": index == 0,
                    "grade": str(grade),
                    "quota": cell.quota,
                    "current": cell.current,
                    "vacancy": cell.vacancy,
                }
            )
    return Dataset("headcount", "인력 (정원/현원)", HEADCOUNT_COLUMNS, records, table.as_of)
