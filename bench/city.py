"""A synthetic city with a fixed seed, written through the same models and database constraints as
real data, by bulk paths (COPY on PostgreSQL, bulk_create elsewhere). On PostgreSQL the COPY rows carry no
history (nobody made these changes); audited bulk_create (SQLite) writes a history row per object. Measures,
their targets and results are the exception: public pages read them as recorded when the period was
published (civicbureau.audit.as_recorded), so they get their history rows on both databases (COPY with
reserved keys on PostgreSQL), dated before the city's publications.

For imports (the benchmark's, and the kill test's): a staff login of a division (city_staff) and its
month's sheet with every line corrected (correction_sheet)."""

import datetime
import random
import time
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone
from openpyxl import Workbook
from simple_history.utils import get_history_manager_for_model

from budget.exports.sheet import LAYOUT, template_rows
from budget.models import BudgetLine, DivisionMonth, ExecutionSnapshot, Publication, PublishedFigure, PublishedMonth
from budget.selectors.entry import division_month_grid
from civicbureau import figures
from civicbureau.audit import How
from programs.models import CoreTask, Direction, Indicator, IndicatorValue, MeasureTarget, Program, ScheduleItem
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
    measures_per_division: int = 6  # a year's measures each division answers for (each of a program of the year)

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
        columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
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


def _audited(model, fields: list[str], rows, recorded_at: datetime.datetime) -> list[int]:
    """Rows of an audited model, each with its history row (created, 'bulk', dated `recorded_at`); returns
    their keys in order. PostgreSQL: keys reserved from the table's sequence, then COPY of the rows and of
    their history rows; elsewhere bulk_create of both."""
    rows = list(rows)
    if not rows:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, len(rows)],
            )
            keys = [pk for (pk,) in cursor.fetchall()]
        _copy(model, ["id", *fields], ((pk, *row) for pk, row in zip(keys, rows, strict=True)))
        _copy(
            model.history.model,
            ["id", *fields, "history_date", "history_change_reason", "history_type"],
            ((pk, *row, recorded_at, How.BULK.value, "+") for pk, row in zip(keys, rows, strict=True)),
        )
        return keys
    objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
    models.QuerySet(model=model).bulk_create(objs, batch_size=2000)  # the plain queryset: history follows
    get_history_manager_for_model(model).bulk_history_create(
        objs, batch_size=2000, default_change_reason=How.BULK, default_date=recorded_at
    )
    return [obj.pk for obj in objs]


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
        "measures": 0,
        "measure_targets": 0,
        "measure_values": 0,
        "measures_seconds": 0.0,  # of the build's time, the measures' (with their targets and results)
    }
    recorded_at = timezone.now()  # the measures' history rows: before any of the city's publications
    for b in range(1, scale.bureaus + 1):
        bureau = Bureau.objects.create(
            name=f"합성국 {b:02d}",
            slug=f"synthetic-{b:02d}",
            established_on=datetime.date(2012, 1, 1),
            team_count=scale.divisions_per_bureau * 4,
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
        items, programs = _programs(rng, bureau, years, scale)
        started = time.perf_counter()
        measures, targets, values = _measures(rng, divisions, programs, years, scale, recorded_at)
        counts["measures_seconds"] += time.perf_counter() - started
        counts["bureaus"] += 1
        counts["divisions"] += len(divisions)
        counts["budget_lines"] += len(lines)
        counts["monthly_rows"] += len(lines) * 12
        counts["schedule_items"] += items
        counts["headcount_rows"] += len(divisions) * len(grades) * 12 * len(years)
        counts["measures"] += measures
        counts["measure_targets"] += targets
        counts["measure_values"] += values
    counts["measures_seconds"] = round(counts["measures_seconds"], 1)
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


def _programs(rng, bureau, years, scale) -> tuple[int, dict[int, list[Program]]]:
    """Directions, core tasks, programs and their schedule items; returns the items' count and each year's
    programs."""
    items = []
    by_year = {}
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
            by_year.setdefault(year, []).extend(programs)
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
    return len(items), by_year


# The measures' kinds, with their weights: (direction, unit, cumulative). A cumulative measure counts from
# 1 January (사업 건수), so its year's target comes with quarterly parts (cumulative too); the others are
# levels read at a date (a rate, days taken, a headcount kept within a range, a milestone done or not).
MEASURE_KINDS = [
    ((figures.HIGHER, "건", True), 40),
    ((figures.HIGHER, "%", False), 30),
    ((figures.LOWER, "일", False), 15),
    ((figures.RANGE, "명", False), 10),
    ((figures.YES_NO, "건", False), 5),
]
QUARTERS = (3, 6, 9)
REVISED = "상반기 실적을 반영하여 목표를 조정함"
RETURNED = "조정 근거를 보완하여 다시 제안해 주십시오"


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def _measures(rng, divisions, programs, years, scale, recorded_at) -> tuple[int, int, int]:
    """Each year, `scale.measures_per_division` measures a division answers for, each of a program of the
    year (in turn), with the year's target approved (the cumulative ones also their quarters'; a few revised,
    a few with a revision proposed or returned, a few with their first target only proposed: 목표 미설정) and
    a result at each month's end of the year up to PUBLISHED_THROUGH. Results land around each measure's
    own pace, so every status (달성, 정상, 주의, 미흡) occurs. Returns the counts written."""
    indicators, plans = [], []
    for year in years:
        year_programs = programs.get(year, [])
        for d, division in enumerate(divisions):
            for k in range(scale.measures_per_division):
                n = d * scale.measures_per_division + k
                program = year_programs[n % len(year_programs)] if year_programs else None
                direction, unit, cumulative = rng.choices(
                    [kind for kind, _ in MEASURE_KINDS], [weight for _, weight in MEASURE_KINDS]
                )[0]
                plan = _plan(rng, direction, cumulative, year)
                indicators.append(
                    (
                        f"city-{division.bureau_id}-{year}-d{division.order}-m{k + 1}",
                        f"합성 성과지표 {division.order}-{k + 1}",
                        unit,
                        program.pk if program else None,
                        division.pk,
                        direction,
                        plan["baseline"],
                        year - 1 if plan["baseline"] is not None else None,
                        "",
                        False,
                        "",
                        n + 1,
                    )
                )
                plans.append((year, plan))
    keys = _audited(
        Indicator,
        ["code", "name", "unit", "program_id", "division_id", "direction", "baseline", "baseline_year",
         "breakdown_label", "additive", "source", "order"],
        indicators,
        recorded_at,
    )  # fmt: skip
    targets = [(pk, year, *target) for pk, (year, plan) in zip(keys, plans, strict=True) for target in plan["targets"]]
    values = [
        (pk, day, "", 0, value) for pk, (_year, plan) in zip(keys, plans, strict=True) for day, value in plan["values"]
    ]
    _audited(
        MeasureTarget,
        ["indicator_id", "fiscal_year", "period_end", "revision", "value", "low", "high", "status", "reason", "source"],
        targets,
        recorded_at,
    )
    _audited(IndicatorValue, ["indicator_id", "as_of", "category", "order", "value"], values, recorded_at)
    return len(keys), len(targets), len(values)


def _plan(rng, direction, cumulative, year) -> dict:
    """One measure's baseline, targets ((period_end, revision, value, low, high, status, reason, source))
    and results ((as_of, value)) in a year."""
    approved, proposed = MeasureTarget.Status.APPROVED, MeasureTarget.Status.PROPOSED
    year_end = datetime.date(year, 12, 31)
    pace = rng.triangular(0.55, 1.2, 1.0)  # where its results land against what is expected of them
    months = [figures.month_end(datetime.date(year, m, 1)) for m in range(1, 13)]
    months = [day for day in months if day <= PUBLISHED_THROUGH]
    low = high = None
    parts = []
    if direction == figures.RANGE:
        target, low = None, rng.randrange(5, 50)
        high = low + rng.randrange(2, 20)
        baseline = rng.randrange(low, high + 1)
        results = [rng.uniform(low * 0.7, high * 1.2) for _ in months]
    elif direction == figures.YES_NO:
        target, baseline = 1, None
        parts = [(datetime.date(year, 6, 30), 0), (datetime.date(year, 9, 30), 1)]  # done by September
        done = rng.randrange(4, 13)
        results = [1 if day.month >= done else 0 for day in months]
    elif direction == figures.LOWER:
        target = rng.randrange(3, 30)
        baseline = round(target * rng.uniform(1.0, 1.3))
        results = [target / pace * rng.uniform(0.95, 1.05) for _ in months]
    elif cumulative:
        target = rng.randrange(20, 2000)
        baseline = round(target * rng.uniform(0.8, 1.0))
        parts = [(figures.month_end(datetime.date(year, q, 1)), round(target * q / 12)) for q in QUARTERS]
        results, total = [], 0.0
        for day in months:
            total = max(total, target * pace * day.month / 12 * rng.uniform(0.95, 1.05))
            results.append(round(total))
    else:
        target = rng.randrange(60, 100)
        baseline = round(target * rng.uniform(0.85, 1.0))
        results = [min(100.0, target * pace * rng.uniform(0.97, 1.03)) for _ in months]

    def row(end, revision, value, status, reason="", hi=high):
        return (end, revision, *(None if v is None else _money(v) for v in (value, low, hi)), status, reason, "")

    chance = rng.random()
    last = year == PUBLISHED_THROUGH.year  # the year under way: proposals and returns still open
    targets = [row(end, 1, value, approved) for end, value in parts]
    if last and chance < 0.03:  # the first target only proposed: 목표 미설정 until approved
        targets.append(row(year_end, 1, target, proposed))
    else:
        targets.append(row(year_end, 1, target, approved))
        if direction != figures.YES_NO and chance > 0.9:
            revised = None if target is None else target * 1.1
            hi = None if high is None else high + 2
            if chance > 0.96:  # revised and approved: the revision is in force
                targets.append(row(year_end, 2, revised, approved, REVISED, hi=hi))
            elif last and chance > 0.93:  # a revision awaiting the director
                targets.append(row(year_end, 2, revised, proposed, REVISED, hi=hi))
            elif last:  # a revision returned with the director's reason
                targets.append(row(year_end, 2, revised, MeasureTarget.Status.RETURNED, RETURNED, hi=hi))
    return {
        "baseline": None if baseline is None else _money(baseline),
        "targets": targets,
        "values": [(day, _money(value)) for day, value in zip(months, results, strict=True)],
    }
