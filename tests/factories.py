"""factory-boy factories: a unit test builds its own small bureau instead of reading the 2022 demo.

Every test database already holds the 2022 demo (tests/conftest.py loads it once per session), so every
unique field here is a sequence that cannot meet the demo's values (codes `t-…`, names `시험…`), and the
default fiscal year is FISCAL_YEAR, not the demo's 2022.

Each factory validates what it creates with the model's own rules (`full_clean()`: fields, `clean()`,
unique and check constraints) before saving, so a test cannot build a row the portal would refuse, and it
saves row by row through the model's manager, so the audited models get their history rows
(civicbureau.audit: their QuerySet.update() and bulk_update() raise).

Order matters where the models say so: an ExecutionSnapshot is refused once its division-month is
submitted or approved, so create the snapshots first and the DivisionMonth after them (or go through the
budget services, as staff would).
"""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from budget.models import BudgetAdjustment, BudgetLine, DivisionMonth, ExecutionSnapshot
from jobs.models import Job
from programs.models import (
    CoreTask,
    Direction,
    Indicator,
    IndicatorValue,
    MeasureTarget,
    Program,
    ProgramOutlineItem,
    ScheduleItem,
)
from programs.schedule_dates import parse_schedule_date
from staffing.models import Bureau, Division, Grade, HeadcountEntry, Membership, Team

FISCAL_YEAR = 2023  # a year the demo has no figures for


class ValidatedFactory(DjangoModelFactory):
    """Creates through `full_clean()` then `save()`: the row obeys every rule the model states."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.full_clean()
        obj.save()
        return obj


# -- staffing -------------------------------------------------------------------------------------


class BureauFactory(ValidatedFactory):
    class Meta:
        model = Bureau

    name = factory.Sequence(lambda n: f"시험국{n}")
    slug = factory.Sequence(lambda n: f"test-bureau-{n}")
    established_on = datetime.date(2021, 7, 25)
    team_count = 4


class DivisionFactory(ValidatedFactory):
    class Meta:
        model = Division

    bureau = factory.SubFactory(BureauFactory)
    code = factory.Sequence(lambda n: f"t-division-{n}")
    name = factory.Sequence(lambda n: f"시험과{n}")
    order = factory.Sequence(lambda n: n % 1000)


class GradeFactory(ValidatedFactory):
    class Meta:
        model = Grade

    code = factory.Sequence(lambda n: f"t-grade-{n}")
    name = factory.Sequence(lambda n: f"시험직급{n}")
    track = Grade.Track.GENERAL
    order = factory.Sequence(lambda n: 10_000 + n)  # unique, after every demo grade


class HeadcountEntryFactory(ValidatedFactory):
    class Meta:
        model = HeadcountEntry

    division = factory.SubFactory(DivisionFactory)
    grade = factory.SubFactory(GradeFactory)
    as_of = datetime.date(FISCAL_YEAR, 7, 1)
    quota = 3
    current = 2


class UserFactory(ValidatedFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"t-user-{n}")
    # no usable password (tests sign in with force_login): hashing one costs a fifth of a second per user
    password = factory.LazyFunction(lambda: make_password(None))


class TeamFactory(ValidatedFactory):
    class Meta:
        model = Team

    division = factory.SubFactory(DivisionFactory)
    name = factory.Sequence(lambda n: f"시험{n}팀")
    order = factory.Sequence(lambda n: n)


class MembershipFactory(ValidatedFactory):
    """A division role (staff, director) by default. A bureau role (planning, bureau_director) has no
    division: pass `division=None` and the bureau."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Membership.Role.STAFF
    division = factory.SubFactory(DivisionFactory)
    bureau = factory.Maybe(
        "division",
        yes_declaration=factory.SelfAttribute("division.bureau"),
        no_declaration=factory.SubFactory(BureauFactory),
    )


def member(role: str, *, division: Division | None = None, bureau: Bureau | None = None):
    """A user holding `role`: in `division` for staff and directors, in `bureau` for the bureau's roles."""
    if role in Membership.DIVISION_ROLES:
        return MembershipFactory(role=role, division=division).user
    return MembershipFactory(role=role, division=None, bureau=bureau).user


# -- budget ---------------------------------------------------------------------------------------


class BudgetLineFactory(ValidatedFactory):
    class Meta:
        model = BudgetLine

    division = factory.SubFactory(DivisionFactory)
    fiscal_year = FISCAL_YEAR
    code = factory.Sequence(lambda n: f"T-{n:04d}")
    name = factory.Sequence(lambda n: f"시험 세부사업 {n}")
    order = factory.Sequence(lambda n: n % 1000)
    original_budget = 100_000_000


class BudgetAdjustmentFactory(ValidatedFactory):
    class Meta:
        model = BudgetAdjustment

    budget_line = factory.SubFactory(BudgetLineFactory)
    kind = BudgetAdjustment.Kind.SUPPLEMENTARY
    amount = 10_000_000
    effective_on = factory.LazyAttribute(lambda a: datetime.date(a.budget_line.fiscal_year, 3, 1))
    reason = "시험 추경"


class DivisionMonthFactory(ValidatedFactory):
    """A division-month in draft; `approved=True` for one approved at its first revision."""

    class Meta:
        model = DivisionMonth

    class Params:
        approved = factory.Trait(status=DivisionMonth.Status.APPROVED, approved_revision=1)

    division = factory.SubFactory(DivisionFactory)
    as_of = datetime.date(FISCAL_YEAR, 7, 31)
    status = DivisionMonth.Status.DRAFT
    revision = 1
    version = 1


class ExecutionSnapshotFactory(ValidatedFactory):
    """A line's cumulative figures at a date; `approved=True` copies them into the approved columns (what a
    division-month's approval does), so public reads count them."""

    class Meta:
        model = ExecutionSnapshot

    class Params:
        approved = factory.Trait(
            approved_obligations=factory.SelfAttribute("obligations"),
            approved_disbursements=factory.SelfAttribute("disbursements"),
        )

    budget_line = factory.SubFactory(BudgetLineFactory)
    as_of = factory.LazyAttribute(lambda s: datetime.date(s.budget_line.fiscal_year, 7, 31))
    obligations = 40_000_000
    disbursements = 30_000_000


def publish(bureau: Bureau, as_of: datetime.date, *, reason: str = "", user=None):
    """Publish the bureau's period as its planning staff would (the next edition), through the service."""
    from budget.selectors.periods import bureau_period
    from budget.services import period_publish

    latest = bureau_period(bureau=bureau, as_of=as_of).latest
    return period_publish(
        user=user or member("planning", bureau=bureau),
        bureau=bureau,
        as_of=as_of,
        edition_seen=latest.edition if latest else 0,
        reason=reason,
    )


# -- programs -------------------------------------------------------------------------------------


class DirectionFactory(ValidatedFactory):
    class Meta:
        model = Direction

    bureau = factory.SubFactory(BureauFactory)
    fiscal_year = FISCAL_YEAR
    number = factory.Sequence(lambda n: n % 1000 + 1)
    title = factory.Sequence(lambda n: f"시험 추진방향 {n}")


class CoreTaskFactory(ValidatedFactory):
    class Meta:
        model = CoreTask

    direction = factory.SubFactory(DirectionFactory)
    number = factory.Sequence(lambda n: n % 1000 + 1)
    title = factory.Sequence(lambda n: f"시험 핵심과제 {n}")


class ProgramFactory(ValidatedFactory):
    class Meta:
        model = Program

    core_task = factory.SubFactory(CoreTaskFactory, direction__bureau=factory.SelfAttribute("...division.bureau"))
    division = factory.SubFactory(DivisionFactory)
    number = factory.Sequence(lambda n: n % 1000 + 1)
    slug = factory.Sequence(lambda n: f"t-program-{n}")
    title = factory.Sequence(lambda n: f"시험 주요사업 {n}")


class ProgramOutlineItemFactory(ValidatedFactory):
    """An item of a program's outline; give `order`, `level` and `marker` to build a nesting."""

    class Meta:
        model = ProgramOutlineItem

    program = factory.SubFactory(ProgramFactory)
    section = "사업개요"
    order = factory.Sequence(lambda n: n + 1)
    level = 1
    marker = "○"
    text = factory.Sequence(lambda n: f"시험 항목 {n}")


class ScheduleItemFactory(ValidatedFactory):
    """A promised step; its month span is what the model's clean() reads from `date_text`."""

    class Meta:
        model = ScheduleItem

    program = factory.SubFactory(ProgramFactory)
    order = factory.Sequence(lambda n: n % 1000 + 1)
    text = factory.Sequence(lambda n: f"시험 추진일정 {n}")
    date_text = "’23. 7월~8월"
    start_month = factory.LazyAttribute(
        lambda i: parse_schedule_date(i.date_text, i.program.core_task.direction.fiscal_year).start
    )


class IndicatorFactory(ValidatedFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"t-indicator-{n}")
    name = factory.Sequence(lambda n: f"시험 지표 {n}")
    unit = "건"
    program = factory.SubFactory(ProgramFactory)
    division = factory.LazyAttribute(lambda o: o.program.division if o.program else None)
    order = factory.Sequence(lambda n: 10_000 + n % 10_000)


class IndicatorValueFactory(ValidatedFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    as_of = datetime.date(FISCAL_YEAR, 7, 1)
    category = ""
    value = Decimal("12")


class MeasureTargetFactory(ValidatedFactory):
    """A year's target of a measure (period_end 12-31), approved; give `period_end` for a quarter or a month."""

    class Meta:
        model = MeasureTarget

    indicator = factory.SubFactory(IndicatorFactory)
    fiscal_year = FISCAL_YEAR
    period_end = factory.LazyAttribute(lambda o: datetime.date(o.fiscal_year, 12, 31))
    value = Decimal("100")
    status = MeasureTarget.Status.APPROVED


class JobFactory(ValidatedFactory):
    """A job row as the queue leaves it (status, attempts, heartbeat_at as given); no builder runs."""

    class Meta:
        model = Job

    kind = "ok"
    params = factory.LazyFunction(lambda: {"n": 0})
    created_by = factory.SubFactory(UserFactory)
