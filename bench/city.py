"""A synthetic city with a fixed seed, written through the same models and database constraints as
real data, by bulk paths (COPY on PostgreSQL, bulk_create elsewhere). On PostgreSQL the COPY rows carry no
history (nobody made these changes); audited bulk_create (SQLite) writes a history row per object.

For imports (the benchmark's, and the kill test's): a staff login of a division (city_staff) and its
month's sheet with every line corrected (correction_sheet)."""

import datetime
import random
from dataclasses import dataclass
from io import BytesIO

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from openpyxl import Workbook

from budget.exports.sheet import LAYOUT, template_rows
from budget.models import BudgetLine, DivisionMonth, ExecutionSnapshot, Publication, PublishedFigure, PublishedMonth
from budget.selectors.entry import division_month_grid
from civicbureau import figures
from programs.models import CoreTask, Direction, Program, ScheduleItem
from staffing.models import Bureau, Division, Grade, HeadcountEntry, Membership

SEED = 2022
LAST_YEAR = 2022
# Months approved and published; the later months of the last year stay open for staff to enter and import
# (the load test's saves, the kill test's import), with figures in the snapshots as staff's drafts would be.
PUBLISHED_THROUGH = datetime.date(LAST_YEAR, 7, 31)


@dataclass(frozen=True)
class Scale:
    bureaus: int = 30
    divisions_per_bureau: int = 6
    lines_per_division: int = 30
    years: int = 10
    programs_per_year: int = 12
    items_per_program: int = 10

    @property
    def lines(self) -> int:
        return self.bureaus * self.divisions_per_bureau * self.lines_per_division

    @property
    def monthly_rows(self) -> int:
        return self.lines * self.years * 12


DEFAULT = Scale()
QUICK = Scale(
    bureaus=3, divisions_per_bureau=6, lines_per_division=10, years=2, programs_per_year=12, items_per_program=5
)


def _copy(model, fields: list[str], rows):
    """COPY on PostgreSQL (the fastest bulk path), bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        columns = ", ".join(model._meta.get_field(f).column for f in fields)
        with connection.cursor() as cursor, cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        batch = []
        for row in rows:
            batch.append(model(**dict(zip(fields, row, strict=True))))
            if len(batch) >= 5000:
                model.objects.bulk_create(batch)
                batch = []
        model.objects.bulk_create(batch)


@transaction.atomic
def city_generate(scale: Scale = DEFAULT) -> dict:
    """Add `scale.bureaus` synthetic bureaus to the database; returns what was written."""
    rng = random.Random(SEED)
    grades = list(Grade.objects.order_by("order"))
    years = list(range(LAST_YEAR - scale.years + 1, LAST_YEAR + 1))
    counts = {
        "bureaus": 0,
        "divisions": 0,
        "budget_lines": 0,
        "monthly_rows": 0,
        "schedule_items": 0,
        "headcount_rows": 0,
    }
    for b in range(1, scale.bureaus + 1):
        bureau = Bureau.objects.create(
            name=f"합성국 {b:02d}", established_on=datetime.date(2012, 1, 1), team_count=scale.divisions_per_bureau * 4
        )
        divisions = Division.objects.bulk_create(
            Division(bureau=bureau, code=f"b{b:02d}-d{d}", name=f"합성{b:02d} {d}과", order=d)
            for d in range(1, scale.divisions_per_bureau + 1)
        )
        lines = BudgetLine.objects.bulk_create(
            BudgetLine(
                division=division,
                fiscal_year=year,
                code=f"B{b:02d}D{division.order}L{n:02d}",
                name=f"합성 세부사업 {division.order}-{n}",
                order=n,
                is_basic_expense=n == scale.lines_per_division,
                original_budget=rng.randrange(10, 5_000) * 1_000_000,
            )
            for year in years
            for division in divisions
            for n in range(1, scale.lines_per_division + 1)
        )
        _copy(
            ExecutionSnapshot,
            [
                "budget_line_id",
                "as_of",
                "obligations",
                "disbursements",
                "approved_obligations",
                "approved_disbursements",
            ],
            (
                (pk, day, obligated, paid, *((obligated, paid) if day <= PUBLISHED_THROUGH else (None, None)))
                for pk, day, obligated, paid in _figures(lines)
            ),
        )
        editions = _published_months(bureau, divisions, years)
        _copy(
            PublishedFigure,
            ["publication_id", "budget_line_id", "as_of", "obligations", "disbursements"],
            (
                (editions[day], pk, day, obligated, paid)
                for pk, day, obligated, paid in _figures(lines)
                if day in editions
            ),
        )
        _copy(
            HeadcountEntry,
            ["division_id", "grade_id", "as_of", "quota", "current"],
            _headcount(rng, divisions, grades, years),
        )
        items = _programs(rng, bureau, years, scale)
        counts["bureaus"] += 1
        counts["divisions"] += len(divisions)
        counts["budget_lines"] += len(lines)
        counts["monthly_rows"] += len(lines) * 12
        counts["schedule_items"] += items
        counts["headcount_rows"] += len(divisions) * len(grades) * 12 * len(years)
    return counts


def city_staff(division, username: str):
    """A login of the division's staff (주무관), to enter or import its figures."""
    user = get_user_model().objects.create_user(username=username)
    Membership.objects.create(user=user, bureau=division.bureau, division=division, role=Membership.Role.STAFF)
    return user


def correction_sheet(division, as_of: datetime.date) -> tuple[bytes, int]:
    """The division-month's sheet (xlsx) as staff download it, with every line's 지출액 누계 lowered by 1,000
    won (a correction within the obligations): an import of it changes every row. Returns the file and its
    number of rows."""
    rows = template_rows(division_month_grid(division=division, as_of=as_of))
    for row in rows:
        row[8] = max(0, row[8] - 1_000)
    # as Excel saves a sheet: with its <dimension> (write-only mode leaves it out, and the reader then parses twice)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = LAYOUT.sheet
    sheet.append([c.header for c in LAYOUT.columns])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), len(rows)


def _figures(lines):
    """(line id, month end, obligations, disbursements) of every month of each line, approved as entered;
    each line's figures follow from its own seed, so that they can be read twice (snapshots, editions)."""
    for line in lines:
        rng = random.Random(f"{SEED}-{line.fiscal_year}-{line.code}")
        final_share = rng.uniform(0.55, 0.98)
        obligated_share = min(1.0, final_share + rng.uniform(0.0, 0.1))
        for month in range(1, 13):
            progress = month / 12
            disbursed = int(line.original_budget * final_share * progress)
            obligated = max(disbursed, int(line.original_budget * obligated_share * min(1.0, progress * 1.3)))
            yield line.pk, figures.month_end(datetime.date(line.fiscal_year, month, 1)), obligated, disbursed


def _published_months(bureau, divisions, years) -> dict[datetime.date, int]:
    """Every month of the years up to PUBLISHED_THROUGH approved (revision 1) in each division and published
    as a first edition of the bureau's period; returns each period's edition id."""
    days = [figures.month_end(datetime.date(year, month, 1)) for year in years for month in range(1, 13)]
    days = [day for day in days if day <= PUBLISHED_THROUGH]
    DivisionMonth.objects.bulk_create(
        DivisionMonth(division=d, as_of=day, status=DivisionMonth.Status.APPROVED, approved_revision=1)
        for d in divisions
        for day in days
    )
    now = timezone.now()
    editions = Publication.objects.bulk_create(
        Publication(bureau=bureau, as_of=day, edition=1, published_at=now) for day in days
    )
    PublishedMonth.objects.bulk_create(
        PublishedMonth(publication=edition, division=d, revision=1) for edition in editions for d in divisions
    )
    return {edition.as_of: edition.pk for edition in editions}


def _headcount(rng, divisions, grades, years):
    for division in divisions:
        quotas = {g.pk: rng.randrange(0, 12) for g in grades}
        for year in years:
            for month in range(1, 13):
                for grade in grades:
                    quota = quotas[grade.pk]
                    yield (
                        division.pk,
                        grade.pk,
                        figures.month_end(datetime.date(year, month, 1)),
                        quota,
                        max(0, quota + rng.randrange(-2, 2)),
                    )


def _programs(rng, bureau, years, scale) -> int:
    items = []
    per_direction = scale.programs_per_year // 3
    for year in years:
        for number in range(1, 4):
            direction = Direction.objects.create(
                bureau=bureau, fiscal_year=year, number=number, title=f"합성 추진방향 {number}"
            )
            task = CoreTask.objects.create(direction=direction, number=1, title=f"합성 핵심과제 {number}")
            programs = Program.objects.bulk_create(
                Program(
                    core_task=task,
                    number=p,
                    slug=f"b{bureau.pk}-{year}-{number}-{p}",
                    title=f"합성 주요사업 {number}-{p}",
                )
                for p in range(1, per_direction + 1)
            )
            for program in programs:
                for order in range(1, scale.items_per_program + 1):
                    start = rng.randrange(1, 13)
                    end = rng.choice([None, min(12, start + rng.randrange(0, 4))])
                    text = f"’{year % 100:02d}. {start}월~" + (f"{end}월" if end else "")
                    items.append(
                        ScheduleItem(
                            program=program,
                            order=order,
                            text=f"합성 추진일정 {order}",
                            date_text=text,
                            start_month=datetime.date(year, start, 1),
                            end_month=datetime.date(year, end, 1) if end else None,
                        )
                    )
    ScheduleItem.objects.bulk_create(items, batch_size=5000)
    return len(items)
