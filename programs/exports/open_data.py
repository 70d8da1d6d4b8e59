"""Open data of the programs pages: pure row builders (writers in civicbureau.open_data)."""

import datetime

from civicbureau.open_data import Column, Dataset
from programs.models import Program
from programs.outline import outline_parents
from programs.selectors.programs import ProgramExecutionTable
from programs.selectors.schedule import ScheduleMonth

PROGRAM_EXECUTION_COLUMNS = [
    Column("program", "string", "Stable slug of the major program (주요사업)."),
    Column("as_of", "date", "As-of date of the figures (기준일)."),
    Column("is_total", "boolean", "true for the 계 row the report prints for some programs (a sum of the other rows)."),
    Column("label", "string", "Row label (사업명) as the program's section writes it."),
    Column("budget_authority", "integer", "Budget authority (예산현액), in won.", "KRW"),
    Column("obligations", "integer", "Obligations (집행액: 원인행위), in won.", "KRW"),
    Column("disbursements", "integer", "Disbursements (집행액: 지출액), in won.", "KRW"),
    Column(
        "obligation_rate",
        "number",
        "Execution rate on obligations, percent, one decimal; empty if 예산현액 is 0.",
        "percent",
        nullable=True,
    ),
    Column(
        "disbursement_rate",
        "number",
        "Execution rate on disbursements, percent, one decimal; empty if 예산현액 is 0.",
        "percent",
        nullable=True,
    ),
]


def program_execution_dataset(table: ProgramExecutionTable) -> Dataset:
    """The rows as the page shows them: the 계 row first where the program prints one."""
    total = table.total  # a property that builds a new row: taken once, so that `row is total` holds
    rows = [
        {
            "program": table.program.slug,
            "as_of": table.as_of,
            "is_total": row is total,
            "label": str(row.label),
            "budget_authority": row.authority,
            "obligations": row.obligations,
            "disbursements": row.disbursements,
            "obligation_rate": row.obligation_rate,
            "disbursement_rate": row.disbursement_rate,
        }
        for row in ([total, *table.rows] if total else table.rows)
    ]
    return Dataset(
        table.program.slug,
        f"{table.program.title}: 예산집행 현황",
        PROGRAM_EXECUTION_COLUMNS,
        rows,
        table.as_of,
        {"program": table.program.slug},
    )


SCHEDULE_COLUMNS = [
    Column("from_date", "date", "The chosen date: items still running in its month or starting later are listed."),
    Column(
        "group_month",
        "date",
        "The month the item is listed under (first day): its start month, or the chosen month if it began before.",
    ),
    Column("program", "string", "Stable slug of the major program (주요사업)."),
    Column("program_title", "string", "Title of the major program."),
    Column(
        "divisions",
        "string",
        "Division(s) of the program: its own, then those of its budget lines, separated by '; '; empty if none.",
        nullable=True,
    ),
    Column("text", "string", "What will be done (추진 내용)."),
    Column("date_text", "string", "The date as the report writes it (e.g. ’22. 7월~)."),
    Column("start_month", "date", "First month of the item (first day)."),
    Column("end_month", "date", "Last month of the item (first day); empty when open-ended (ongoing).", nullable=True),
    Column("ongoing", "boolean", "true when the report gives no end (`~`)."),
    Column(
        "status",
        "string",
        "planned (예정), in_progress (추진 중), done (완료) or delayed (지연), at the published period's date.",
    ),
    Column("actual_start", "date", "The day it actually began, as the latest edition published it.", nullable=True),
    Column("actual_end", "date", "The day it actually ended, as the latest edition published it.", nullable=True),
]


def schedule_dataset(months: list[ScheduleMonth], *, from_day: datetime.date, as_of: datetime.date | None) -> Dataset:
    rows = [
        {
            "from_date": from_day,
            "group_month": month.month,
            "program": entry.item.program.slug,
            "program_title": entry.item.program.title,
            "divisions": "; ".join(d.name for d in entry.divisions),
            "text": entry.item.text,
            "date_text": entry.item.date_text,
            "start_month": entry.item.start_month,
            "end_month": entry.item.end_month,
            "ongoing": entry.ongoing,
            "status": entry.status.value,
            "actual_start": entry.progress.actual_start,
            "actual_end": entry.progress.actual_end,
        }
        for month in months
        for entry in month.entries
    ]
    return Dataset("schedule", "향후 추진일정", SCHEDULE_COLUMNS, rows, as_of, {"from_date": from_day})


PROGRAM_OUTLINE_COLUMNS = [
    Column("program", "string", "Stable slug of the major program (주요사업)."),
    Column("section", "string", "The report's □ heading the item stands under (사업개요, 추진계획 …)."),
    Column("order", "integer", "Place of the item in the program's outline, from 1."),
    Column("level", "integer", "Nesting level, 1 the outermost; a level-n item belongs to the item `parent`."),
    Column("parent", "integer", "`order` of the item it is nested under; empty for a level-1 item.", nullable=True),
    Column("marker", "string", "The report's marker (□ ○ － · ※ …); empty where it gives none.", nullable=True),
    Column("text", "string", "The item's text as the report writes it."),
]


def program_outline_dataset(program: Program, items) -> Dataset:
    """A program's outline items in order, each with its parent, so that the nesting can be rebuilt."""
    items = list(items)
    parents = outline_parents(items)
    rows = [
        {
            "program": program.slug,
            "section": item.section,
            "order": item.order,
            "level": item.level,
            "parent": None if parent is None else items[parent].order,
            "marker": item.marker,
            "text": item.text,
        }
        for item, parent in zip(items, parents, strict=True)
    ]
    return Dataset(
        f"{program.slug}-outline",
        f"{program.title}: 사업 항목",
        PROGRAM_OUTLINE_COLUMNS,
        rows,
        None,
        {"program": program.slug},
    )
