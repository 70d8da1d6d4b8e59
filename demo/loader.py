"""The 2022 report as the portal's demo: loading `demo_data/` into the database, and the demo logins.

Every file is one table of the report, in the report's own unit (천원, 백만원), readable in a diff.
The load runs in one transaction: a bad row stops it with a message naming the file, the row and the
field, and the database is left exactly as it was. Loading twice changes nothing: a row is written only
when a figure differs, so the history records real changes only.
"""

import csv
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction

from budget.models import (
    BudgetAdjustment,
    BudgetLine,
    DivisionBudget,
    DivisionMonth,
    ExecutionSnapshot,
    RevenueAmount,
    RevenueCategory,
)
from programs.models import (
    Achievement,
    CentreBudget,
    CentreStaffing,
    ConsignedCentre,
    CoreTask,
    Direction,
    Indicator,
    IndicatorValue,
    Program,
    ProgramExecutionRow,
    ScheduleItem,
    Vision,
)
from programs.schedule_dates import ScheduleDateError, parse_schedule_date
from staffing.models import Bureau, Division, DivisionDuty, Grade, HeadcountEntry, Membership, PartTimeStaff

DEMO_DATA_DIR = Path(__file__).resolve().parent.parent / "demo_data"
CHANGE_REASON = "load_demo"

UNIT_WON = {"thousand_won": 1_000, "million_won": 1_000_000}


class DemoDataError(Exception):
    """A bad value in a demo data file: names the file, the row and the field."""

    def __init__(self, file: str, row, field: str, message: str):
        self.file, self.row, self.field, self.message = file, row, field, message
        super().__init__(f"{file}, row {row}, field '{field}': {message}")


@dataclass
class Row:
    """One record of a data file: where it is (file, row number or path) and its raw values."""

    file: str
    number: object
    values: dict

    def error(self, field: str, message: str) -> DemoDataError:
        return DemoDataError(self.file, self.number, field, message)

    def text(self, field: str, *, required: bool = True) -> str:
        value = self.values.get(field)
        value = "" if value is None else str(value).strip()
        if required and not value:
            raise self.error(field, "a value is required")
        return value

    def integer(self, field: str, *, required: bool = True, minimum: int | None = 0) -> int | None:
        raw = self.values.get(field)
        if raw is None or str(raw).strip() == "":
            if required:
                raise self.error(field, "a number is required")
            return None
        if isinstance(raw, bool):
            raise self.error(field, f"not a whole number: {raw!r}")
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise self.error(field, f"not a number: {raw!r}") from None
        if value != value.to_integral_value():
            raise self.error(field, f"not a whole number: {raw!r}")
        if minimum is not None and value < minimum:
            raise self.error(field, f"must be {minimum} or more, got {raw!r}")
        return int(value)

    def decimal(self, field: str) -> Decimal:
        raw = self.values.get(field)
        if isinstance(raw, bool) or raw is None or str(raw).strip() == "":
            raise self.error(field, "a number is required")
        try:
            return Decimal(str(raw).strip())
        except InvalidOperation:
            raise self.error(field, f"not a number: {raw!r}") from None

    def won(self, field: str, *, required: bool = True, minimum: int | None = 0) -> int | None:
        """An amount written in the unit its column names (`…_thousand_won`), as whole won."""
        unit = next((won for suffix, won in UNIT_WON.items() if field.endswith(suffix)), None)
        value = self.integer(field, required=required, minimum=minimum)
        return None if value is None else value * unit

    def date(self, field: str) -> datetime.date:
        raw = self.values.get(field)
        if isinstance(raw, datetime.date):
            return raw
        try:
            return datetime.date.fromisoformat(str(raw).strip())
        except (TypeError, ValueError):
            raise self.error(field, f"not a date (YYYY-MM-DD): {raw!r}") from None

    def boolean(self, field: str) -> bool:
        raw = self.values.get(field)
        if isinstance(raw, bool):
            return raw
        text = self.text(field)
        if text in ("yes", "true"):
            return True
        if text in ("no", "false"):
            return False
        raise self.error(field, f"expected yes or no, got {raw!r}")

    def choice(self, field: str, choices) -> str:
        value = self.text(field)
        if value not in choices:
            raise self.error(field, f"unknown value {value!r}; expected one of {', '.join(choices)}")
        return value

    def ref(self, field: str, mapping: dict, *, required: bool = True):
        key = self.text(field, required=required)
        if not key and not required:
            return None
        try:
            return mapping[key]
        except KeyError:
            raise self.error(field, f"unknown reference {key!r}") from None


def read_csv(directory: Path, name: str, columns: list[str]) -> Iterator[Row]:
    path = directory / name
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        if missing:
            raise DemoDataError(name, 1, missing[0], f"missing column (the header must be {','.join(columns)})")
        for number, values in enumerate(reader, start=2):
            if None in values:
                raise DemoDataError(name, number, columns[-1], "more cells than columns")
            yield Row(name, number, values)


def read_yaml(directory: Path, name: str):
    path = directory / name
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DemoDataError(name, mark.line + 1 if mark else "?", "-", f"not valid YAML: {exc}") from None


def yaml_rows(name: str, items, path: str) -> Iterator[Row]:
    if not isinstance(items, list):
        raise DemoDataError(name, path, path.rsplit(".", 1)[-1], "expected a list")
    for index, values in enumerate(items):
        if not isinstance(values, dict):
            raise DemoDataError(name, f"{path}[{index}]", "-", "expected a mapping")
        yield Row(name, f"{path}[{index}]", values)


class Loader:
    """Loads every file of a data directory; `load()` is all or nothing."""

    def __init__(self, directory: Path = DEMO_DATA_DIR):
        self.directory = Path(directory)
        self.written = 0
        self.unchanged = 0

    def load(self) -> "Loader":
        with transaction.atomic():
            self.organisation()
            self.headcount()
            self.part_time_staff()
            self.budget_lines()
            self.budget_adjustments()
            self.execution()
            self.revenue()
            self.division_budgets()
            self.programs()
            self.consigned_centres()
            self.indicators()
        return self

    # -- writing -----------------------------------------------------------------------------------

    def upsert(
        self,
        row: Row,
        model: type[models.Model],
        lookup: dict,
        values: dict,
        fields: dict | None = None,
        *,
        lock_exempt: bool = False,
    ):
        """Create or update the record found by `lookup`; save only when a value differs.

        `fields` maps model fields to the file's columns, so that a model validation error names the column.
        `lock_exempt`: the report's own figures may be reloaded into the month they approve.
        """
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
        else:
            changed = False
            for name, value in values.items():
                current = getattr(obj, model._meta.get_field(name).attname)
                new = value.pk if isinstance(value, models.Model) else value
                if current != new:
                    setattr(obj, name, value)
                    changed = True
            if not changed:
                self.unchanged += 1
                return obj
        obj.lock_exempt = lock_exempt
        try:
            obj.full_clean()
        except ValidationError as exc:
            errors = exc.message_dict
            field = next((f for f in errors if f != NON_FIELD_ERRORS), NON_FIELD_ERRORS)
            column = (fields or {}).get(field, field)
            raise row.error(column, " ".join(errors[field])) from None
        obj._change_reason = CHANGE_REASON
        obj.save()
        self.written += 1
        return obj

    # -- the files ---------------------------------------------------------------------------------

    def organisation(self):
        name = "organisation.yaml"
        data = read_yaml(self.directory, name) or {}
        bureau_row = Row(name, "bureau", data.get("bureau") or {})
        self.bureau = self.upsert(
            bureau_row,
            Bureau,
            {"name": bureau_row.text("name")},
            {
                "established_on": bureau_row.date("established_on"),
                "team_count": bureau_row.integer("team_count", required=False),
            },
        )
        self.divisions = {}
        for order, row in enumerate(yaml_rows(name, data.get("divisions"), "divisions"), start=1):
            code = row.text("code")
            if code in self.divisions:
                raise row.error("code", f"duplicate division code {code!r}")
            division = self.upsert(
                row, Division, {"code": code}, {"bureau": self.bureau, "name": row.text("name"), "order": order}
            )
            self.divisions[code] = division
            duties = row.values.get("duties") or []
            for duty_order, text in enumerate(duties, start=1):
                duty_row = Row(name, f"{row.number}.duties[{duty_order - 1}]", {"text": text})
                self.upsert(
                    duty_row, DivisionDuty, {"division": division, "order": duty_order}, {"text": duty_row.text("text")}
                )
            DivisionDuty.objects.filter(division=division, order__gt=len(duties)).delete()
        self.grades = {}
        for order, row in enumerate(yaml_rows(name, data.get("grades"), "grades"), start=1):
            code = row.text("code")
            self.grades[code] = self.upsert(
                row,
                Grade,
                {"code": code},
                {"name": row.text("name"), "track": row.choice("track", Grade.Track.values), "order": order},
            )

    def headcount(self):
        seen = {}
        for row in read_csv(self.directory, "headcount.csv", ["division", "grade", "as_of", "quota", "current"]):
            key = (row.text("division"), row.text("grade"), row.text("as_of"))
            if key in seen:
                raise row.error("grade", f"duplicate of row {seen[key]}")
            seen[key] = row.number
            self.upsert(
                row,
                HeadcountEntry,
                {
                    "division": row.ref("division", self.divisions),
                    "grade": row.ref("grade", self.grades),
                    "as_of": row.date("as_of"),
                },
                {"quota": row.integer("quota"), "current": row.integer("current")},
            )

    def part_time_staff(self):
        for row in read_csv(self.directory, "part_time_staff.csv", ["division", "grade", "as_of", "count"]):
            self.upsert(
                row,
                PartTimeStaff,
                {
                    "division": row.ref("division", self.divisions),
                    "grade": row.choice("grade", PartTimeStaff.Grade.values),
                    "as_of": row.date("as_of"),
                },
                {"count": row.integer("count", minimum=1)},
            )

    def budget_lines(self):
        self.lines = {}
        columns = ["code", "division", "fiscal_year", "order", "name", "is_basic_expense", "original_thousand_won"]
        for row in read_csv(self.directory, "budget_lines.csv", columns):
            key = (row.integer("fiscal_year"), row.text("code"))
            if key in self.lines:
                raise row.error("code", f"duplicate budget line code {key[1]!r}")
            self.lines[key] = self.upsert(
                row,
                BudgetLine,
                {"fiscal_year": key[0], "code": key[1]},
                {
                    "division": row.ref("division", self.divisions),
                    "name": row.text("name"),
                    "order": row.integer("order"),
                    "is_basic_expense": row.boolean("is_basic_expense"),
                    "original_budget": row.won("original_thousand_won"),
                },
                {"original_budget": "original_thousand_won", "name": "name"},
            )

    def _line(self, row: Row, field: str = "budget_line") -> BudgetLine:
        key = (row.integer("fiscal_year"), row.text(field))
        if key not in self.lines:
            raise row.error(field, f"unknown budget line {key[1]!r} in {key[0]}")
        return self.lines[key]

    def budget_adjustments(self):
        columns = ["budget_line", "fiscal_year", "kind", "effective_on", "amount_thousand_won", "reason"]
        for row in read_csv(self.directory, "budget_adjustments.csv", columns):
            amount = row.won("amount_thousand_won", minimum=None)
            if amount == 0:
                raise row.error("amount_thousand_won", "an adjustment of zero changes nothing")
            self.upsert(
                row,
                BudgetAdjustment,
                {
                    "budget_line": self._line(row),
                    "kind": row.choice("kind", BudgetAdjustment.Kind.values),
                    "effective_on": row.date("effective_on"),
                },
                {"amount": amount, "reason": row.text("reason")},
            )

    def execution(self):
        """The report's cumulative execution; the report is the approved record, so each division's month
        at each date is created approved (revision 1) and the figures are its approved figures."""
        columns = ["budget_line", "fiscal_year", "as_of", "obligations_thousand_won", "disbursements_thousand_won"]
        months = {}
        for row in read_csv(self.directory, "execution.csv", columns):
            line = self._line(row)
            as_of = row.date("as_of")
            obligations = row.won("obligations_thousand_won", required=False)
            disbursements = row.won("disbursements_thousand_won")
            self.upsert(
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
                lock_exempt=True,
            )
            months.setdefault((line.division, as_of), row)
        for (division, as_of), row in months.items():
            self.upsert(
                row,
                DivisionMonth,
                {"division": division, "as_of": as_of},
                {"status": DivisionMonth.Status.APPROVED, "revision": 1, "approved_revision": 1},
            )

    def revenue(self):
        categories = {}
        for row in read_csv(self.directory, "revenue_categories.csv", ["code", "parent", "order", "name"]):
            code = row.text("code")
            parent = row.ref("parent", categories, required=False)
            categories[code] = self.upsert(
                row,
                RevenueCategory,
                {"code": code},
                {"name": row.text("name"), "parent": parent, "order": row.integer("order")},
            )
        parents = {c.parent_id for c in categories.values() if c.parent_id}
        for row in read_csv(self.directory, "revenue.csv", ["category", "fiscal_year", "as_of", "amount_thousand_won"]):
            category = row.ref("category", categories)
            if category.pk in parents:
                raise row.error(
                    "category", f"{category.name} is a sum of its sub-categories; give the sub-categories' amounts"
                )
            self.upsert(
                row,
                RevenueAmount,
                {"category": category, "fiscal_year": row.integer("fiscal_year"), "as_of": row.date("as_of")},
                {"amount": row.won("amount_thousand_won")},
            )

    def division_budgets(self):
        columns = ["division", "fiscal_year", "as_of", "original_thousand_won", "final_thousand_won"]
        for row in read_csv(self.directory, "division_budgets.csv", columns):
            self.upsert(
                row,
                DivisionBudget,
                {"division": row.ref("division", self.divisions), "fiscal_year": row.integer("fiscal_year")},
                {
                    "as_of": row.date("as_of"),
                    "original_budget": row.won("original_thousand_won"),
                    "final_budget": row.won("final_thousand_won", required=False),
                },
            )

    def programs(self):
        name = "programs.yaml"
        data = read_yaml(self.directory, name) or {}
        top = Row(name, "top", data)
        fiscal_year = top.integer("fiscal_year")
        as_of = top.date("as_of")
        self.upsert(top, Vision, {"bureau": self.bureau, "fiscal_year": fiscal_year}, {"text": top.text("vision")})
        self.programs_by_slug = {}
        for d_row in yaml_rows(name, data.get("directions"), "directions"):
            number = d_row.integer("number", minimum=1)
            direction = self.upsert(
                d_row,
                Direction,
                {"bureau": self.bureau, "fiscal_year": fiscal_year, "number": number},
                {"title": d_row.text("title")},
            )
            core_task = self.upsert(
                d_row, CoreTask, {"direction": direction, "number": 1}, {"title": d_row.text("core_task")}
            )
            for p_row in yaml_rows(name, d_row.values.get("programs"), f"{d_row.number}.programs"):
                self._program(p_row, core_task, fiscal_year, as_of)

    def _program(self, row: Row, core_task: CoreTask, fiscal_year: int, as_of: datetime.date):
        name = row.file
        slug = row.text("slug")
        if slug in self.programs_by_slug:
            raise row.error("slug", f"duplicate program slug {slug!r}")
        stated = row.integer("stated_budget_million_won", required=False)
        program = self.upsert(
            row,
            Program,
            {"slug": slug},
            {
                "core_task": core_task,
                "division": row.ref("division", self.divisions, required=False),
                "number": row.integer("number", minimum=1),
                "title": row.text("title"),
                "in_overview": row.boolean("in_overview"),
                "summary": row.text("summary", required=False),
                "legal_basis": row.text("legal_basis", required=False),
                "content": row.text("content", required=False),
                "budget_text": row.text("budget_text", required=False),
                "stated_budget": None if stated is None else stated * UNIT_WON["million_won"],
                "execution_total_shown": bool(row.values.get("execution_total", False)),
            },
        )
        self.programs_by_slug[slug] = program
        achievements_as_of = row.date("achievements_as_of") if row.values.get("achievements_as_of") else as_of
        items = list(yaml_rows(name, row.values.get("achievements") or [], f"{row.number}.achievements"))
        for order, a_row in enumerate(items, start=1):
            text = a_row.text("text")
            detail = a_row.text("detail", required=False)
            self.upsert(
                a_row,
                Achievement,
                {"program": program, "order": order},
                {
                    "text": f"{text}\n{detail}" if detail else text,
                    "date_text": a_row.text("date_text", required=False),
                    "as_of": achievements_as_of,
                },
            )
        Achievement.objects.filter(program=program, order__gt=len(items)).delete()
        rows = list(yaml_rows(name, row.values.get("execution") or [], f"{row.number}.execution"))
        for order, e_row in enumerate(rows, start=1):
            line_code = e_row.text("budget_line")
            line = self.lines.get((fiscal_year, line_code))
            if line is None:
                raise e_row.error("budget_line", f"unknown budget line {line_code!r} in {fiscal_year}")
            obligations = e_row.won("obligations_thousand_won")
            disbursements = e_row.won("disbursements_thousand_won")
            if disbursements > obligations:
                raise e_row.error("disbursements_thousand_won", "disbursements exceed obligations")
            self.upsert(
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
        ProgramExecutionRow.objects.filter(program=program, as_of=as_of, order__gt=len(rows)).delete()
        items = list(yaml_rows(name, row.values.get("schedule") or [], f"{row.number}.schedule"))
        for order, s_row in enumerate(items, start=1):
            date_text = s_row.text("date_text")
            try:
                span = parse_schedule_date(date_text, fiscal_year)
            except ScheduleDateError as exc:
                raise s_row.error("date_text", str(exc)) from None
            self.upsert(
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
        ScheduleItem.objects.filter(program=program, order__gt=len(items)).delete()

    def consigned_centres(self):
        centres = {}
        for row in read_csv(self.directory, "consigned_centres.csv", ["code", "order", "name", "division"]):
            code = row.text("code")
            centres[code] = self.upsert(
                row,
                ConsignedCentre,
                {"code": code},
                {
                    "name": row.text("name"),
                    "order": row.integer("order"),
                    "division": row.ref("division", self.divisions, required=False),
                },
            )
        for row in read_csv(
            self.directory, "centre_budgets.csv", ["centre", "fiscal_year", "as_of", "amount_million_won"]
        ):
            self.upsert(
                row,
                CentreBudget,
                {"centre": row.ref("centre", centres), "fiscal_year": row.integer("fiscal_year")},
                {"as_of": row.date("as_of"), "amount": row.won("amount_million_won")},
            )
        for row in read_csv(self.directory, "centre_staffing.csv", ["centre", "as_of", "headcount"]):
            self.upsert(
                row,
                CentreStaffing,
                {"centre": row.ref("centre", centres), "as_of": row.date("as_of")},
                {"headcount": row.integer("headcount")},
            )

    def indicators(self):
        name = "indicators.yaml"
        items = read_yaml(self.directory, name) or []
        for order, row in enumerate(yaml_rows(name, items, "indicators"), start=1):
            indicator = self.upsert(
                row,
                Indicator,
                {"code": row.text("code")},
                {
                    "name": row.text("name"),
                    "unit": row.text("unit"),
                    "program": row.ref("program", self.programs_by_slug, required=False),
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
                self.upsert(
                    v_row,
                    IndicatorValue,
                    {"indicator": indicator, "as_of": as_of, "category": category},
                    {"value": v_row.decimal("value"), "order": len(per_date[as_of])},
                )


def load_demo(directory: Path = DEMO_DATA_DIR) -> Loader:
    return Loader(directory).load()


# -- demo logins --------------------------------------------------------------------------------------

DEMO_DIVISION = "participation"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    description: str


DEMO_LOGINS = [
    DemoLogin("staff", "staff-demo-2022", Membership.Role.STAFF, "시민참여과 주무관 (division staff)"),
    DemoLogin("director", "director-demo-2022", Membership.Role.DIRECTOR, "시민참여과장 (division director)"),
    DemoLogin("bureau", "bureau-demo-2022", Membership.Role.BUREAU_DIRECTOR, "시민협력국장 (bureau director)"),
    DemoLogin(
        "planning", "planning-demo-2022", Membership.Role.PLANNING, "시민협력국 기획 담당 (bureau planning staff)"
    ),
    DemoLogin("admin", "admin-demo-2022", "admin", "관리자 (administrator)"),
]


@transaction.atomic
def demo_users_ensure() -> list[DemoLogin]:
    """Create the demo logins, one per role, or bring them back to their demo state (idempotent)."""
    bureau = Bureau.objects.get(divisions__code=DEMO_DIVISION)
    division = Division.objects.get(code=DEMO_DIVISION)
    User = get_user_model()
    for login in DEMO_LOGINS:
        user, _ = User.objects.get_or_create(username=login.username)
        is_admin = login.role == "admin"
        if not user.check_password(login.password) or user.is_staff != is_admin or user.is_superuser != is_admin:
            user.set_password(login.password)
            user.is_staff = user.is_superuser = is_admin
            user.save()
        if is_admin:
            continue
        division_for_role = division if login.role in Membership.DIVISION_ROLES else None
        membership = Membership.objects.filter(user=user).first()
        if membership is None or (membership.role, membership.division_id, membership.bureau_id) != (
            login.role,
            division_for_role and division_for_role.pk,
            bureau.pk,
        ):
            Membership.objects.update_or_create(
                user=user, defaults={"role": login.role, "division": division_for_role, "bureau": bureau}
            )
    return DEMO_LOGINS
