"""The briefing's 성과지표 sheet read back cell by cell: each measure's target, result, as-of, achievement and
status computed here from the database with civicbureau.figures (not through the sheet's own code), for the
2022 demo and for a small bureau built with factories (a range, a lower-is-better measure, a missing result,
no target, a target approved after the edition was published)."""

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from budget.models import Publication
from civicbureau import display, figures
from programs.models import Indicator, IndicatorValue, MeasureTarget, Program
from reports import writer
from reports.rows import briefing_build
from tests import factories
from tests.reports.test_briefing import AS_OF, header_end, workbook  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

SHEET = "성과지표"
COLUMNS = ["지표명", "단위", "방향", "목표치", "실적", "기준일", "달성률(%)", "상태"]
STATUS = {figures.ACHIEVED: "달성", figures.NORMAL: "정상", figures.CAUTION: "주의", figures.POOR: "미흡"}


def sheet_lines(ws):
    """The sheet below its header as (kind, cells): a core task's heading, a program's, a measure, a note."""
    for row in ws.iter_rows(min_row=header_end(ws) + 1):
        first = row[0].value
        if first is None:
            continue
        if str(first).startswith("※") or str(first).startswith("   "):
            yield "note", row
        elif re.match(r"\d+\. ", str(first)) and row[1].value is None:
            yield "task", row
        elif re.match(r"\d+-\d+\. ", str(first)) and row[1].value is None:
            yield "program", row
        else:
            yield "measure", row


def expected_measure(indicator: Indicator, *, year: int, as_of: datetime.date, recorded_by) -> list:
    """The cells a measure's row must hold, from the database as recorded when the edition was published:
    the year's target (its latest approved revision for 12-31), the latest result of the year on or before
    the as-of (the headline value, else the categories' sum where they add up), and figures.py's rules."""
    targets = MeasureTarget.history.as_of(recorded_by).filter(
        indicator=indicator, fiscal_year=year, status=MeasureTarget.Status.APPROVED
    )
    year_end = datetime.date(year, 12, 31)
    year_targets = sorted((t for t in targets if t.period_end == year_end), key=lambda t: t.revision)
    target = year_targets[-1] if year_targets else None
    values = IndicatorValue.history.as_of(recorded_by).filter(indicator=indicator, as_of__year=year, as_of__lte=as_of)
    by_day: dict[datetime.date, dict[str, Decimal]] = {}
    for value in values:
        by_day.setdefault(value.as_of, {})[value.category] = value.value
    results = [
        (day, by_day[day][""] if "" in by_day[day] else sum(by_day[day].values(), Decimal(0)))
        for day in sorted(by_day)
        if "" in by_day[day] or indicator.additive
    ]
    day, result = results[-1] if results else (None, None)
    bounds = (target.value, target.low, target.high) if target else (None, None, None)
    parts = [(t.period_end, t) for t in targets if t.period_end != year_end]
    part = figures.expected_part(parts, day) if day else None
    bureau = Publication.objects.filter(published_at=recorded_by).first().bureau
    status = figures.measure_status(
        result,
        direction=indicator.direction,
        year=bounds,
        expected=(part.value, part.low, part.high) if part else None,
        normal_from=bureau.measure_normal_from,
        caution_from=bureau.measure_caution_from,
    )
    if target is None:
        shown_target = "목표 미설정"
    elif indicator.direction == figures.RANGE:
        shown_target = f"{display.quantity(target.low)}~{display.quantity(target.high)}"
    else:
        shown_target = float(target.value)
    achievement = figures.achievement(result, bounds[0], direction=indicator.direction, low=bounds[1], high=bounds[2])
    return [
        indicator.name,
        indicator.unit,
        str(Indicator.Direction(indicator.direction).label),
        shown_target,
        "-" if result is None else float(result),
        "-" if day is None else datetime.datetime.combine(day, datetime.time()),
        "-" if achievement is None else float(achievement),
        STATUS.get(status, "-"),
    ]


def expected_sheet(bureau, *, year: int, as_of: datetime.date, recorded_by) -> list[tuple[str, list]]:
    """Core task, program and measure lines in the report's order: programs by direction, core task and
    number; a program's measures by their order; programs without measures left out of the table."""
    programs = Program.objects.filter(core_task__direction__bureau=bureau, core_task__direction__fiscal_year=year)
    programs = sorted(programs, key=lambda p: (p.core_task.direction.number, p.core_task.number, p.number))
    lines, task = [], None
    for program in programs:
        measures = Indicator.objects.filter(program=program).order_by("order", "pk")
        if not measures:
            continue
        if program.core_task != task:
            task = program.core_task
            lines.append(("task", [f"{task.direction.number}. {task.title}"]))
        lines.append(("program", [f"{task.direction.number}-{program.number}. {program.title}"]))
        lines += [("measure", expected_measure(m, year=year, as_of=as_of, recorded_by=recorded_by)) for m in measures]
    return lines


def read_sheet(ws) -> list[tuple[str, list]]:
    lines = []
    for kind, row in sheet_lines(ws):
        if kind == "measure":
            lines.append((kind, [cell.value for cell in row[:8]]))
        elif kind != "note":
            lines.append((kind, [row[0].value]))
    return lines


def check_formats(ws):
    """Figures are numbers with number formats (never text); the as-of is a date."""
    checked = 0
    for kind, row in sheet_lines(ws):
        if kind != "measure":
            continue
        target, result, day, rate = row[3], row[4], row[5], row[6]
        for cell in (target, result):
            if isinstance(cell.value, (int, float)):
                assert cell.number_format == writer.QUANTITY_FORMAT, cell.coordinate
        if isinstance(rate.value, float):
            assert rate.number_format == writer.RATE_FORMAT, rate.coordinate
        if isinstance(day.value, datetime.datetime):
            assert day.number_format == writer.DATE_FORMAT, day.coordinate
        checked += 1
    return checked


def test_the_demo_measures_sheet_equals_the_database(workbook):  # noqa: F811
    ws = workbook[SHEET]
    publication = Publication.objects.get(as_of=AS_OF, edition=1)
    bureau = publication.bureau
    expected = expected_sheet(bureau, year=2022, as_of=AS_OF, recorded_by=publication.published_at)
    got = read_sheet(ws)
    assert got == expected
    measures = [cells for kind, cells in got if kind == "measure"]
    assert len(measures) == Indicator.objects.filter(program__core_task__direction__bureau=bureau).count() == 72
    assert check_formats(ws) == 72
    # the heading, the unit line and the header row, repeated on every printed page
    assert ws["A1"].value == "2022 주요 사업별 성과지표 현황"
    assert "’22. 7. 1." in ws["A2"].value and "달성률 단위 : %" in ws["A2"].value
    assert [c.value.replace("\n", "") for c in ws[3]] == ["지표명", "단위", "방향", "2022년목표치", "실적",
                                                         "실적기준일", "달성률(%)", "상태"]  # fmt: skip
    assert ws.print_title_rows == "$1:$3"
    # the programs the report gives no measure for are named below the table
    without = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("※ 성과지표가 없는 사업")]
    assert without == ["※ 성과지표가 없는 사업 : 1-1. ‘서울시 바로세우기’ 내실있는 추진, 2-3. 서울시민회의 구성․운영"]


def test_the_cover_lists_the_measures_sheet(workbook):  # noqa: F811
    assert workbook.sheetnames[-1] == SHEET
    cover = workbook["표지"]
    row = next(r for r in cover.iter_rows() if r[1].value == SHEET)
    assert row[1].hyperlink.location == f"'{SHEET}'!A1"
    assert row[2].value == "2022 주요 사업별 성과지표 현황"
    assert row[3].value == "’22. 7. 1."


@pytest.fixture
def small_bureau():
    """A bureau of two programs (two core tasks) whose July is published, with a measure of each kind."""
    year = factories.FISCAL_YEAR
    bureau = factories.BureauFactory(name="시험성과국")
    division = factories.DivisionFactory(bureau=bureau)
    line = factories.BudgetLineFactory(division=division)
    july = datetime.date(year, 7, 31)
    factories.ExecutionSnapshotFactory(budget_line=line, as_of=july, approved=True)
    factories.DivisionMonthFactory(division=division, as_of=july, approved=True)
    first = factories.ProgramFactory(
        division=division, number=1, title="시험 주요사업 가", core_task__number=1, core_task__direction__number=1
    )
    second = factories.ProgramFactory(
        division=division, number=1, title="시험 주요사업 나", core_task__number=1, core_task__direction__number=2
    )
    measure = factories.IndicatorFactory
    ranged = measure(program=first, name="대기 인원 (범위)", unit="명", direction=figures.RANGE, order=1)
    factories.MeasureTargetFactory(indicator=ranged, value=None, low=Decimal(10), high=Decimal(20))
    factories.IndicatorValueFactory(indicator=ranged, as_of=datetime.date(year, 6, 30), value=Decimal(25))
    lower = measure(program=first, name="처리 기간", unit="일", direction=figures.LOWER, order=2)
    factories.MeasureTargetFactory(indicator=lower, value=Decimal(50))
    factories.IndicatorValueFactory(indicator=lower, as_of=datetime.date(year, 7, 1), value=Decimal(40))
    missing = measure(program=second, name="교육 횟수", unit="회", order=3)
    factories.MeasureTargetFactory(indicator=missing, value=Decimal(12))
    untargeted = measure(program=second, name="참여 단체", unit="개", order=4)
    factories.IndicatorValueFactory(indicator=untargeted, as_of=datetime.date(year, 7, 1), value=Decimal(7))
    publication = factories.publish(bureau, july)
    # after the edition: a revised target and a later result, which the edition's briefing must not show
    factories.MeasureTargetFactory(indicator=lower, value=Decimal(30), revision=2, reason="상향 조정")
    factories.IndicatorValueFactory(indicator=missing, as_of=datetime.date(year, 7, 20), value=Decimal(3))
    return bureau, publication


def test_a_small_bureau_measures_sheet_read_back_cell_by_cell(small_bureau):
    bureau, publication = small_bureau
    year = factories.FISCAL_YEAR
    briefing = briefing_build(bureau=bureau, fiscal_year=year)
    assert briefing.publication == publication
    book = load_workbook(BytesIO(writer.briefing_workbook(briefing)))
    assert SHEET in book.sheetnames
    ws = book[SHEET]
    got = read_sheet(ws)
    assert got == expected_sheet(bureau, year=year, as_of=publication.as_of, recorded_by=publication.published_at)
    july = datetime.datetime(year, 7, 1)
    # the same rows by hand, from the formulas the README states, so that the helper above cannot drift
    assert [cells for kind, cells in got if kind == "measure"] == [
        # range [10, 20], 25 is over it: 20 ÷ 25 × 100 = 80.0, 주의 (70 ≤ 80 < 90)
        ["대기 인원 (범위)", "명", "범위 안", "10~20", 25, datetime.datetime(year, 6, 30), 80, "주의"],
        # lower is better: 50 ÷ 40 × 100 = 125.0, 달성; the target as published (50), not the later 30
        ["처리 기간", "일", "낮을수록 좋음", 50, 40, july, 125, "달성"],
        # no result by the edition (the 20 July value came later): '-' for result, date, rate and status
        ["교육 횟수", "회", "높을수록 좋음", 12, "-", "-", "-", "-"],
        ["참여 단체", "개", "높을수록 좋음", "목표 미설정", 7, july, "-", "-"],
    ]
    assert [cells[0] for kind, cells in got if kind != "measure"] == [
        "1. " + bureau_task_title(bureau, 1),
        "1-1. 시험 주요사업 가",
        "2. " + bureau_task_title(bureau, 2),
        "2-1. 시험 주요사업 나",
    ]
    assert check_formats(ws) == 4
    cells = {c.coordinate: c for row in ws.iter_rows() for c in row}
    range_row = next(c.row for c in ws["A"] if c.value == "대기 인원 (범위)")
    assert cells[f"D{range_row}"].data_type == "s" and cells[f"G{range_row}"].value == 80.0
    assert cells[f"G{range_row}"].number_format == writer.RATE_FORMAT
    setup = ws.page_setup
    assert setup.orientation == "landscape" and setup.fitToWidth == 1 and setup.fitToHeight == 0


def bureau_task_title(bureau, direction_number: int) -> str:
    program = Program.objects.get(core_task__direction__bureau=bureau, core_task__direction__number=direction_number)
    return program.core_task.title
