"""Open data of the programs pages: pure row builders (writers in civicbureau.open_data)."""

import datetime
from decimal import Decimal

from civicbureau.open_data import Column, Dataset
from programs.models import Program
from programs.outline import outline_parents
from programs.selectors.programs import ProgramExecutionTable, PublicMeasures
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


MEASURE_COLUMNS = [
    Column("code", "string", "Stable code of the measure (성과지표)."),
    Column("name", "string", "Name of the measure as the report gives it."),
    Column("unit", "string", "Unit of its values as the report writes it (명, 건, 개소 …)."),
    Column("program", "string", "Stable slug of the major program it measures; empty if none.", nullable=True),
    Column("division", "string", "Code of the division that answers for it; empty if none.", nullable=True),
    Column(
        "direction",
        "string",
        "Which results are good: higher, lower, range (within low-high) or yes_no (1 done, 0 not).",
    ),
    Column("baseline", "number", "Value before the program (기준치); empty if the report gives none.", nullable=True),
    Column("baseline_year", "integer", "Year of the baseline; empty if none.", nullable=True),
    Column("fiscal_year", "integer", "Fiscal year of the target and result."),
    Column(
        "target",
        "number",
        "The year's target (목표치) in force: its latest approved revision; empty if none.",
        nullable=True,
    ),
    Column("target_low", "number", "Lower end of a range target; empty if none.", nullable=True),
    Column("target_high", "number", "Upper end of a range target; empty if none.", nullable=True),
    Column(
        "result",
        "number",
        "Latest result (실적) dated in the fiscal year, cumulative from 1 January; empty if none.",
        nullable=True,
    ),
    Column("result_as_of", "date", "As-of date of the result; empty if none.", nullable=True),
    Column(
        "achievement",
        "number",
        "Achievement (달성률), percent, one decimal (see the README's formulas); empty without a target or result.",
        "percent",
        nullable=True,
    ),
    Column(
        "status",
        "string",
        "achieved (달성), normal (정상), caution (주의), poor (미흡), no_target (목표 미설정); empty when there is a target but no result.",
        nullable=True,
    ),
]


def measures_dataset(measures: PublicMeasures) -> Dataset:
    """Each measure in the published period's fiscal year, as the program pages show it."""
    publication = measures.publication
    rows = []
    for row in measures.rows:
        indicator, target = row.indicator, row.target
        rows.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "program": indicator.program.slug if indicator.program_id else None,
                "division": indicator.division.code if indicator.division_id else None,
                "direction": indicator.direction,
                "baseline": _plain(indicator.baseline),
                "baseline_year": indicator.baseline_year,
                "fiscal_year": row.fiscal_year,
                "target": _plain(target.value) if target else None,
                "target_low": _plain(target.low) if target else None,
                "target_high": _plain(target.high) if target else None,
                "result": _plain(row.result),
                "result_as_of": row.result_as_of,
                "achievement": row.achievement,
                "status": row.status if target else "no_target",
            }
        )
    return Dataset("measures", "성과지표", MEASURE_COLUMNS, rows, publication.as_of, _published(publication))


MEASURE_TARGET_COLUMNS = [
    Column("code", "string", "Stable code of the measure (성과지표)."),
    Column("name", "string", "Name of the measure."),
    Column("unit", "string", "Unit of the target."),
    Column("fiscal_year", "integer", "Fiscal year of the target."),
    Column(
        "period_end",
        "date",
        "End of the period the target is for: 12-31 the year's; an earlier month end a part of the year, cumulative from 1 January.",
    ),
    Column("revision", "integer", "Revision, from 1; the latest approved one is in force."),
    Column("value", "number", "The target (목표치); empty for a range target.", nullable=True),
    Column("low", "number", "Lower end of a range target; empty if none.", nullable=True),
    Column("high", "number", "Upper end of a range target; empty if none.", nullable=True),
    Column("reason", "string", "Why this revision (empty for the first).", nullable=True),
    Column("source", "string", "The sentence of the report the target comes from; empty if none.", nullable=True),
    Column(
        "approved_at", "string", "When it was recorded as approved (ISO 8601, UTC); empty if not known.", nullable=True
    ),
]


def measure_targets_dataset(measures: PublicMeasures) -> Dataset:
    """Every approved revision of every target, as recorded when the period was published."""
    rows = [
        {
            "code": published.target.indicator.code,
            "name": published.target.indicator.name,
            "unit": published.target.indicator.unit,
            "fiscal_year": published.target.fiscal_year,
            "period_end": published.target.period_end,
            "revision": published.target.revision,
            "value": _plain(published.target.value),
            "low": _plain(published.target.low),
            "high": _plain(published.target.high),
            "reason": published.target.reason,
            "source": published.target.source,
            "approved_at": published.approved_at.astimezone(datetime.UTC).isoformat(timespec="seconds")
            if published.approved_at
            else None,
        }
        for published in measures.targets
    ]
    publication = measures.publication
    return Dataset(
        "measure_targets", "성과지표 목표치", MEASURE_TARGET_COLUMNS, rows, publication.as_of, _published(publication)
    )


def _plain(value: Decimal | None) -> Decimal | None:
    """A stored value without the zeros its column pads it with: Decimal('5.00') → 5, Decimal('79.60') → 79.6."""
    if value is None:
        return None
    return Decimal(int(value)) if value == value.to_integral_value() else value.normalize()


def _published(publication) -> dict:
    return {
        "fiscal_year": publication.fiscal_year,
        "edition": publication.edition,
        "published_at": publication.published_at.astimezone(datetime.UTC).isoformat(timespec="seconds"),
    }
