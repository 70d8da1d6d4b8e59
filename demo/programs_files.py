"""The programs' files: programs.yaml (vision, directions, core tasks, programs with their achievements,
execution rows and schedule), consigned_centres.csv, centre_budgets.csv, centre_staffing.csv and
indicators.yaml."""

import datetime
from typing import TYPE_CHECKING

from demo.budget_files import Lines
from demo.rows import UNIT_WON, Row, read_csv, read_yaml, yaml_rows
from programs.models import (
    Achievement,
    CentreBudget,
    CentreStaffing,
    ConsignedCentre,
    CoreTask,
    Direction,
    Indicator,
    IndicatorValue,
    MeasureTarget,
    Program,
    ProgramExecutionRow,
    ProgramOutlineItem,
    ScheduleItem,
    Vision,
)
from programs.outline import OutlineError, outline_parse
from programs.schedule_dates import ScheduleDateError, parse_schedule_date
from staffing.models import Bureau, Division

if TYPE_CHECKING:
    from demo.loader import Loader


def programs(loader: "Loader", bureau: Bureau, divisions: dict[str, Division], lines: Lines) -> dict[str, Program]:
    """The year's vision, directions and programs; returns the programs by slug."""
    name = "programs.yaml"
    data = read_yaml(loader.directory, name) or {}
    top = Row(name, "top", data)
    fiscal_year = top.integer("fiscal_year")
    as_of = top.date("as_of")
    loader.upsert(top, Vision, {"bureau": bureau, "fiscal_year": fiscal_year}, {"text": top.text("vision")})
    programs_by_slug = {}
    for d_row in yaml_rows(name, data.get("directions"), "directions"):
        number = d_row.integer("number", minimum=1)
        direction = loader.upsert(
            d_row,
            Direction,
            {"bureau": bureau, "fiscal_year": fiscal_year, "number": number},
            {"title": d_row.text("title")},
        )
        core_task = loader.upsert(
            d_row, CoreTask, {"direction": direction, "number": 1}, {"title": d_row.text("core_task")}
        )
        for p_row in yaml_rows(name, d_row.values.get("programs"), f"{d_row.number}.programs"):
            slug = p_row.text("slug")
            if slug in programs_by_slug:
                raise p_row.error("slug", f"duplicate program slug {slug!r}")
            programs_by_slug[slug] = _program(loader, p_row, core_task, divisions, lines, fiscal_year, as_of)
    return programs_by_slug


def _program(
    loader: "Loader",
    row: Row,
    core_task: CoreTask,
    divisions: dict[str, Division],
    lines: Lines,
    fiscal_year: int,
    as_of: datetime.date,
) -> Program:
    name = row.file
    stated = row.integer("stated_budget_million_won", required=False)
    program = loader.upsert(
        row,
        Program,
        {"slug": row.text("slug")},
        {
            "core_task": core_task,
            "division": row.ref("division", divisions, required=False),
            "number": row.integer("number", minimum=1),
            "title": row.text("title"),
            "in_overview": row.boolean("in_overview"),
            "summary": row.text("summary", required=False),
            "legal_basis": row.text("legal_basis", required=False),
            "budget_text": row.text("budget_text", required=False),
            "stated_budget": None if stated is None else stated * UNIT_WON["million_won"],
            "execution_total_shown": bool(row.values.get("execution_total", False)),
        },
    )
    _outline(loader, row, program)
    achievements_as_of = row.date("achievements_as_of") if row.values.get("achievements_as_of") else as_of
    items = list(yaml_rows(name, row.values.get("achievements") or [], f"{row.number}.achievements"))
    for order, a_row in enumerate(items, start=1):
        text = a_row.text("text")
        detail = a_row.text("detail", required=False)
        try:
            outline_parse(detail)  # the lines under it, nested as the report has them (programs.outline)
        except OutlineError as exc:
            raise a_row.error("detail", str(exc)) from None
        loader.upsert(
            a_row,
            Achievement,
            {"program": program, "order": order},
            {
                "text": f"{text}\n{detail}" if detail else text,
                "date_text": a_row.text("date_text", required=False),
                "as_of": achievements_as_of,
            },
        )
    loader.delete_after(Achievement, len(items), program=program)
    rows = list(yaml_rows(name, row.values.get("execution") or [], f"{row.number}.execution"))
    for order, e_row in enumerate(rows, start=1):
        line_code = e_row.text("budget_line")
        line = lines.get((fiscal_year, line_code))
        if line is None:
            raise e_row.error("budget_line", f"unknown budget line {line_code!r} in {fiscal_year}")
        obligations = e_row.won("obligations_thousand_won")
        disbursements = e_row.won("disbursements_thousand_won")
        if disbursements > obligations:
            raise e_row.error("disbursements_thousand_won", "disbursements exceed obligations")
        loader.upsert(
            e_row,
            ProgramExecutionRow,
            {"program": program, "as_of": as_of, "order": order},
            {
                "budget_line": line,
                "label": e_row.text("label"),
                "budget_authority": e_row.won("budget_authority_thousand_won"),
                "obligations": obligations,
                "disbursements": disbursements,
            },
        )
    loader.delete_after(ProgramExecutionRow, len(rows), program=program, as_of=as_of)
    items = list(yaml_rows(name, row.values.get("schedule") or [], f"{row.number}.schedule"))
    for order, s_row in enumerate(items, start=1):
        date_text = s_row.text("date_text")
        try:
            span = parse_schedule_date(date_text, fiscal_year)
        except ScheduleDateError as exc:
            raise s_row.error("date_text", str(exc)) from None
        loader.upsert(
            s_row,
            ScheduleItem,
            {"program": program, "order": order},
            {
                "text": s_row.text("text"),
                "detail": s_row.text("detail", required=False),
                "date_text": date_text,
                "start_month": span.start,
                "end_month": span.end,
            },
        )
    loader.delete_after(ScheduleItem, len(items), program=program)
    return program


def _outline(loader: "Loader", row: Row, program: Program) -> None:
    """The program's sections as the report nests them: `outline` lists each □ heading (`section`) with its
    items as indented text (programs.outline), one item a line, the report's marker first."""
    order = 0
    for s_row in yaml_rows(row.file, row.values.get("outline") or [], f"{row.number}.outline"):
        section = s_row.text("section")
        try:
            lines = outline_parse(s_row.text("items"))
        except OutlineError as exc:
            raise s_row.error("items", str(exc)) from None
        for line in lines:
            order += 1
            loader.upsert(
                s_row,
                ProgramOutlineItem,
                {"program": program, "order": order},
                {"section": section, "level": line.level, "marker": line.marker, "text": line.text},
            )
    loader.delete_after(ProgramOutlineItem, order, program=program)


def consigned_centres(loader: "Loader", divisions: dict[str, Division]) -> None:
    centres = {}
    for row in read_csv(loader.directory, "consigned_centres.csv", ["code", "order", "name", "division"]):
        code = row.text("code")
        centres[code] = loader.upsert(
            row,
            ConsignedCentre,
            {"code": code},
            {
                "name": row.text("name"),
                "order": row.integer("order"),
                "division": row.ref("division", divisions, required=False),
            },
        )
    for row in read_csv(
        loader.directory, "centre_budgets.csv", ["centre", "fiscal_year", "as_of", "amount_million_won"]
    ):
        loader.upsert(
            row,
            CentreBudget,
            {"centre": row.ref("centre", centres), "fiscal_year": row.integer("fiscal_year")},
            {"as_of": row.date("as_of"), "amount": row.won("amount_million_won")},
        )
    for row in read_csv(loader.directory, "centre_staffing.csv", ["centre", "as_of", "headcount"]):
        loader.upsert(
            row,
            CentreStaffing,
            {"centre": row.ref("centre", centres), "as_of": row.date("as_of")},
            {"headcount": row.integer("headcount")},
        )


def indicators(loader: "Loader", programs_by_slug: dict[str, Program]) -> None:
    name = "indicators.yaml"
    items = read_yaml(loader.directory, name) or []
    for order, row in enumerate(yaml_rows(name, items, "indicators"), start=1):
        program = row.ref("program", programs_by_slug, required=False)
        indicator = loader.upsert(
            row,
            Indicator,
            {"code": row.text("code")},
            {
                "name": row.text("name"),
                "unit": row.text("unit"),
                "program": program,
                "division": program.division if program else None,
                "direction": row.text("direction", required=False) or Indicator.Direction.HIGHER,
                "breakdown_label": row.text("breakdown_label", required=False),
                "additive": bool(row.values.get("additive", False)),
                "source": row.text("source", required=False),
                "order": order,
            },
        )
        per_date: dict = {}
        for v_row in yaml_rows(name, row.values.get("values") or [], f"{row.number}.values"):
            as_of = v_row.date("as_of")
            category = v_row.text("category", required=False)
            if category in per_date.setdefault(as_of, []):
                raise v_row.error("category", f"duplicate value for {category or 'the headline'} as of {as_of}")
            per_date[as_of].append(category)
            loader.upsert(
                v_row,
                IndicatorValue,
                {"indicator": indicator, "as_of": as_of, "category": category},
                {"value": v_row.decimal("value"), "order": len(per_date[as_of])},
            )
        measure_targets(loader, indicator, name, row.values.get("targets") or [], f"{row.number}.targets")


def measure_targets(loader: "Loader", indicator: Indicator, name: str, items: list, where: str) -> None:
    """A measure's targets as the report states them, each with the sentence it comes from (`source`). The
    report went to the council, so they load approved, as revision 1 (the year's target dated 12-31, a part
    of the year by its last day)."""
    for t_row in yaml_rows(name, items, where):
        fiscal_year = t_row.integer("fiscal_year")
        period_end = t_row.date("period_end") if t_row.values.get("period_end") else datetime.date(fiscal_year, 12, 31)
        loader.upsert(
            t_row,
            MeasureTarget,
            {"indicator": indicator, "period_end": period_end, "revision": 1},
            {
                "fiscal_year": fiscal_year,
                "value": t_row.decimal("value") if "value" in t_row.values else None,
                "low": t_row.decimal("low") if "low" in t_row.values else None,
                "high": t_row.decimal("high") if "high" in t_row.values else None,
                "status": MeasureTarget.Status.APPROVED,
                "source": t_row.text("source"),
            },
        )
