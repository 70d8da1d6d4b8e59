"""The organisation's files: organisation.yaml (bureau, divisions and their duties, grades), headcount.csv
and part_time_staff.csv."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from demo.rows import Row, read_csv, read_yaml, yaml_rows
from staffing.models import Bureau, Division, DivisionDuty, Grade, HeadcountEntry, PartTimeStaff

if TYPE_CHECKING:
    from demo.loader import Loader


@dataclass
class Organisation:
    """What the later files refer to: the bureau, and divisions and grades by their codes."""

    bureau: Bureau
    divisions: dict[str, Division]
    grades: dict[str, Grade]


def organisation(loader: "Loader") -> Organisation:
    name = "organisation.yaml"
    data = read_yaml(loader.directory, name) or {}
    bureau_row = Row(name, "bureau", data.get("bureau") or {})
    bureau = loader.upsert(
        bureau_row,
        Bureau,
        {"name": bureau_row.text("name")},
        {
            "slug": bureau_row.text("slug"),
            "established_on": bureau_row.date("established_on"),
            "team_count": bureau_row.integer("team_count", required=False),
        },
    )
    divisions = {}
    for order, row in enumerate(yaml_rows(name, data.get("divisions"), "divisions"), start=1):
        code = row.text("code")
        if code in divisions:
            raise row.error("code", f"duplicate division code {code!r}")
        division = loader.upsert(
            row, Division, {"code": code}, {"bureau": bureau, "name": row.text("name"), "order": order}
        )
        divisions[code] = division
        duties = row.values.get("duties") or []
        for duty_order, text in enumerate(duties, start=1):
            duty_row = Row(name, f"{row.number}.duties[{duty_order - 1}]", {"text": text})
            loader.upsert(
                duty_row, DivisionDuty, {"division": division, "order": duty_order}, {"text": duty_row.text("text")}
            )
        loader.delete_after(DivisionDuty, len(duties), division=division)
    grades = {}
    for order, row in enumerate(yaml_rows(name, data.get("grades"), "grades"), start=1):
        code = row.text("code")
        grades[code] = loader.upsert(
            row,
            Grade,
            {"code": code},
            {"name": row.text("name"), "track": row.choice("track", Grade.Track.values), "order": order},
        )
    return Organisation(bureau, divisions, grades)


def headcount(loader: "Loader", divisions: dict[str, Division], grades: dict[str, Grade]) -> None:
    seen = {}
    for row in read_csv(loader.directory, "headcount.csv", ["division", "grade", "as_of", "quota", "current"]):
        key = (row.text("division"), row.text("grade"), row.text("as_of"))
        if key in seen:
            raise row.error("grade", f"duplicate of row {seen[key]}")
        seen[key] = row.number
        loader.upsert(
            row,
            HeadcountEntry,
            {"division": row.ref("division", divisions), "grade": row.ref("grade", grades), "as_of": row.date("as_of")},
            {"quota": row.integer("quota"), "current": row.integer("current")},
        )


def part_time_staff(loader: "Loader", divisions: dict[str, Division]) -> None:
    for row in read_csv(loader.directory, "part_time_staff.csv", ["division", "grade", "as_of", "count"]):
        loader.upsert(
            row,
            PartTimeStaff,
            {
                "division": row.ref("division", divisions),
                "grade": row.choice("grade", PartTimeStaff.Grade.values),
                "as_of": row.date("as_of"),
            },
            {"count": row.integer("count", minimum=1)},
        )
