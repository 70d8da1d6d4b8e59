"""The demo held against the report, figure by figure.

Each table is rebuilt from the database through the portal's own selectors and display rules, written
the way the report prints it, and looked up in the report's text (whitespace removed, since the text
extraction broke lines and spaced out names). Derived figures come from the arithmetic module; where the
report's printed derived figure does not follow from its base figures (a slip), the cell is listed in
SLIPS with both values, the portal's value must be the arithmetic one, and the printed one must be what
the report shows.
"""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from budget.selectors.execution import execution_table, expenditure_summary, revenue_summary
from civicbureau import display, figures
from programs.models import IndicatorValue, Program, ScheduleItem
from programs.selectors import consigned_centre_table, indicator_reading_list, program_execution_tables
from staffing.selectors import headcount_table

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2022, 7, 1)
REPORT_PATH = Path(settings.BASE_DIR) / "docs" / "reference" / "bureau-report-2022.txt"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


REPORT = squash(REPORT_PATH.read_text(encoding="utf-8"))

# (table, row, column) → (printed in the report, what the arithmetic gives from the printed base figures)
SLIPS = {
    ("세출총괄", "갈등관리협치과", "증감(A-B)"): ("△8,092,719", "△9,043,428"),
    ("세출총괄", "갈등관리협치과", "증감률"): ("△26.6", "△29.7"),
    ("2022 예산 집행 현황", "갈등관리협치과", "집행률(B/A)"): ("78.2", "78.3"),
    ("민간위탁 운영 현황", "민주주의학습지원센터", "운영예산 증감액"): ("△222", "△225"),
    ("예산집행 현황: 자치구 마을생태계 조성 및 주민자치 지원사업 개선", "마을생태계 조성사업", "집행률 원인행위"): (
        "96.7",
        "96.2",
    ),
    ("예산집행 현황: 자치구 마을생태계 조성 및 주민자치 지원사업 개선", "마을생태계 조성사업", "집행률 지출액"): (
        "96.7",
        "96.2",
    ),
    ("예산집행 현황: 시민공익활동 지원시설 내실화", "권역별NPO지원센터조성및운영", "집행률 원인행위"): ("54.6", "57.6"),
    ("예산집행 현황: 민주시민교육 운영 내실화", "민주시민교육 추진", "집행률 원인행위"): ("94.6", "94.5"),
    ("예산집행 현황: 민주시민교육 운영 내실화", "민주시민교육 추진", "집행률 지출액"): ("94.6", "94.5"),
    ("예산집행 현황: 비영리민간단체 공익활동 공모사업 추진", "비영리민간단체공익활동등지원", "집행률 원인행위"): (
        "67.7",
        "67.8",
    ),
    ("예산집행 현황: 비영리민간단체 공익활동 공모사업 추진", "비영리민간단체공익활동등지원", "집행률 지출액"): (
        "67.7",
        "67.8",
    ),
    ("참여예산 편성 현황", "소계", "2021년"): ("41,957", "41,956"),
}

# Printed with fewer decimals than the report's rule, but the same value: not a slip.
SHORT_FORMS = {
    ("예산집행 현황: 사회문제 공동해결을 위한 민관협력 강화", "기부 및 사회협력 활성화", "집행률 원인행위"): "41",
    ("예산집행 현황: 사회문제 공동해결을 위한 민관협력 강화", "기부 및 사회협력 활성화", "집행률 지출액"): "41",
}


def printed_cell(table: str, row: str, column: str, text: str) -> str:
    """A cell as the report prints it: the portal's text, or the known slip's printed value there."""
    key = (table, str(row), column)
    if key in SLIPS:
        printed, arithmetic = SLIPS[key]
        assert text == arithmetic, f"{key}: the portal shows {text}, the arithmetic gives {arithmetic}"
        return printed
    if key in SHORT_FORMS:
        assert Decimal(SHORT_FORMS[key]) == Decimal(text), key
        return SHORT_FORMS[key]
    return text


def printed_row(
    table: str, row: str, cells: list[tuple[str, str]], *, suffixes: dict | None = None, as_computed: tuple = ()
) -> str:
    """The row as the report prints it: the portal's cells, with the known slips' printed values (except
    in the columns named in `as_computed`, which keep the portal's value)."""
    row = str(row)
    parts = [row]
    for column, text in cells:
        if column not in as_computed:
            text = printed_cell(table, row, column, text)
        parts.append(text + (suffixes or {}).get(column, ""))
    return squash("".join(parts))


def assert_in_report(line: str):
    assert line in REPORT, f"not in the report: {line}"


# -- the tables, rebuilt from the database -------------------------------------------------------------


def headcount_rows(bureau):
    table = headcount_table(bureau=bureau, as_of=AS_OF)
    for row in table.rows:
        cells = [("계", f"{row.total.quota}/{row.total.current}")]
        cells += [
            (g.name, "-" if c.is_empty else f"{c.quota}/{c.current}")
            for g, c in zip(table.grades, row.cells, strict=True)
        ]
        yield "조직 및 인력", row.name, cells, {}


def revenue_rows(bureau):
    for row in revenue_summary(fiscal_year=2022, base_year=2021, as_of=AS_OF):
        cells = [
            ("2022년(A)", display.amount(row.current)),
            ("2021년(B)", display.amount(row.base)),
            ("증감(A-B)", display.amount(row.change)),
            ("증감률", display.rate(row.change_rate)),
        ]
        yield "세입총괄", row.name, cells, {}


def expenditure_rows(bureau):
    for row in expenditure_summary(bureau=bureau, fiscal_year=2022, base_year=2021):
        cells = [
            ("2022년(A)", display.amount(row.current)),
            ("2021년 본예산", display.amount(row.base_original)),
            ("2021년 최종예산(B)", display.amount(row.base)),
            ("증감(A-B)", display.amount(row.change)),
            ("증감률", display.rate(row.change_rate)),
        ]
        yield "세출총괄", row.name, cells, {}


def execution_rows(bureau):
    for row in execution_table(bureau=bureau, fiscal_year=2022, as_of=AS_OF).rows:
        cells = [
            ("예산편성액(당초예산)", display.amount(row.original)),
            ("예산현액(A)", display.amount(row.authority)),
            ("집행액(B)", display.amount(row.disbursements)),
            ("집행잔액(A-B)", display.amount(row.balance)),
            ("집행률(B/A)", display.rate(row.rate)),
        ]
        yield "2022 예산 집행 현황", row.name, cells, {}


def program_rows(bureau):
    percent = {"집행률 원인행위": "%", "집행률 지출액": "%"}
    for table in program_execution_tables(bureau=bureau, as_of=AS_OF):
        name = f"예산집행 현황: {table.program.title}"
        rows = [table.total, *table.rows] if table.total else table.rows
        for row in rows:
            cells = [
                ("예산현액", display.amount(row.authority)),
                ("원인행위", display.amount(row.obligations)),
                ("지출액", display.amount(row.disbursements)),
                ("집행률 원인행위", display.rate(row.obligation_rate)),
                ("집행률 지출액", display.rate(row.disbursement_rate)),
            ]
            yield name, row.label, cells, percent


def centre_rows(bureau):
    rows = consigned_centre_table(
        fiscal_year=2022,
        base_year=2021,
        staff_as_of=datetime.date(2022, 6, 1),
        staff_base_as_of=datetime.date(2021, 4, 1),
    )
    for row in rows:
        cells = [
            ("’21년", display.amount(row.budget_base, display.MILLION_WON)),
            ("’22년", display.amount(row.budget_current, display.MILLION_WON)),
            ("운영예산 증감액", display.amount(row.budget_change, display.MILLION_WON)),
            ("’21.4월", display.number(row.staff_base)),
            ("’22.6월", display.number(row.staff_current)),
            ("조정인원", display.number(row.staff_change)),
        ]
        yield "민간위탁 운영 현황", row.name, cells, {}


def participatory_budget_rows(bureau):
    """The 참여예산 편성 table (백만원): 합계(’13~’22년), 2022년, 2021년, each with its share in %."""
    readings = {(r.indicator.code, r.as_of): r for r in indicator_reading_list()}
    columns = [
        ("합계(’13~’22년)", readings[("pb-allocation-cumulative", AS_OF)]),
        ("2022년", readings[("pb-allocation-by-level", AS_OF)]),
        ("2021년", readings[("pb-allocation-by-level", datetime.date(2021, 12, 31))]),
    ]
    subtotal = [(label, r.total) for label, r in columns]
    yield (
        "참여예산 편성 현황",
        "소계",
        [(label, display.number(int(total))) for label, total in subtotal],
        {label: "(100%)" for label, _ in columns},
    )
    for category in ("서울시(광역) 사업", "자치구, 동 사업"):
        cells, shares = [], {}
        for label, reading in columns:
            value = dict(reading.values)[category]
            cells.append((label, display.number(int(value))))
            shares[label] = f"({figures.percent(int(value), int(reading.total), places=0)}%)"
        yield "참여예산 편성 현황", category, cells, shares


TABLES = [
    headcount_rows,
    revenue_rows,
    expenditure_rows,
    execution_rows,
    program_rows,
    centre_rows,
    participatory_budget_rows,
]


@pytest.mark.parametrize("rows", TABLES, ids=lambda f: f.__name__)
def test_every_row_of_the_table_is_printed_in_the_report(bureau, rows):
    checked = 0
    for table, row, cells, suffixes in rows(bureau):
        assert_in_report(printed_row(table, row, cells, suffixes=suffixes))
        checked += 1
    assert checked >= 2, f"{rows.__name__} produced {checked} rows"


def test_table_row_counts_match_the_report(bureau):
    """Nothing extra or missing: the row counts of the report's tables."""
    counts = {f.__name__: sum(1 for _ in f(bureau)) for f in TABLES}
    assert counts == {
        "headcount_rows": 6,  # 계 + 5 divisions
        "revenue_rows": 12,  # 계 + 11 categories
        "expenditure_rows": 6,
        "execution_rows": 1 + 5 + 34,  # 합계, divisions, lines
        "program_rows": 15 + 1,  # 15 rows and the NPO table's 계
        "centre_rows": 6,
        "participatory_budget_rows": 3,
    }


def test_every_slip_is_a_cell_the_portal_computes(bureau):
    """Each listed slip names a real cell, the portal computes the arithmetic value there, and the report
    prints the slip instead: the row is in the report with the slip, and not with the portal's value."""
    seen = set()
    for rows in TABLES:
        for table, row, cells, suffixes in rows(bureau):
            for column, text in cells:
                key = (table, str(row), column)
                seen.add(key)
                if key not in SLIPS:
                    continue
                printed, arithmetic = SLIPS[key]
                assert text == arithmetic, f"{key}: the portal shows {text}"
                assert_in_report(printed_row(table, row, cells, suffixes=suffixes))
                as_computed = printed_row(table, row, cells, suffixes=suffixes, as_computed=(column,))
                assert as_computed not in REPORT, f"{key}: the report prints the portal's {text}, not a slip"
    assert set(SLIPS) <= seen, set(SLIPS) - seen
    assert set(SHORT_FORMS) <= seen, set(SHORT_FORMS) - seen


def test_organisation_line_and_part_time_note(bureau):
    table = headcount_table(bureau=bureau, as_of=AS_OF)
    total = table.rows[0].total
    established = display.report_date(bureau.established_on)
    assert_in_report(squash(f"{bureau.divisions.count()}과 {bureau.team_count}팀 (조직 신설 : {established})"))
    assert_in_report(squash(f"인 력 : {total.quota}명 / {total.current}명(정원/현원)"))
    note = ", ".join(f"{p.division.name} {p.get_grade_display()} {p.count}명" for p in table.part_time)
    assert_in_report(squash(f"※ 시간선택제 임기제(정원 외) : {note}"))


def test_every_division_duty_is_in_the_report(bureau):
    for division in bureau.divisions.prefetch_related("duties"):
        for duty in division.duties.all():
            assert_in_report(squash(f"○ {duty.text}"))


def test_every_schedule_item_is_in_the_report_with_its_date_text():
    items = list(ScheduleItem.objects.all())
    assert len(items) == 23
    for item in items:
        assert_in_report(squash(f"{item.text} : {item.date_text}"))


def test_every_indicator_value_is_printed_in_the_report():
    values = list(IndicatorValue.objects.select_related("indicator"))
    assert len(values) > 100
    for value in values:
        text = display.quantity(value.value)
        assert squash(text) in REPORT, f"{value.indicator.code} {value.category}: {text}"


def test_indicator_tables_with_derived_totals():
    readings_all = indicator_reading_list()
    readings = {r.indicator.code: r for r in readings_all}
    members = readings["timebank-members"]
    assert_in_report(
        squash("회원현황(명) " + " ".join(str(int(v)) for v in [members.total, *(v for _, v in members.values)]))
    )
    by_type = readings["pb-2022-projects-by-type"]
    assert_in_report(
        squash(f"사업수 {int(by_type.total)}건 " + " ".join(f"{int(v)}건" for _, v in by_type.values) + " -")
    )
    amounts = readings["pb-2022-amount-by-type"]
    amount_cells = " ".join(f"{display.quantity(v)}억원" for _, v in amounts.values)
    assert_in_report(squash(f"금  액 {display.quantity(amounts.total)}억원 {amount_cells} -"))
    # 비영리민간단체 지원실적 (’19~’21): 계, derived over the years, then 2021, 2020, 2019
    for label, code in (
        ("예산액", "npo-grants-budget"),
        ("지원건수", "npo-grants-count"),
        ("지원액(교부액)", "npo-grants-amount"),
    ):
        yearly = sorted((r for r in readings_all if r.indicator.code == code), key=lambda r: r.as_of, reverse=True)
        values = [int(r.values[0][1]) for r in yearly]
        assert_in_report(
            squash(f"{label} {display.number(sum(values))} " + " ".join(display.number(v) for v in values))
        )


def test_every_program_budget_is_printed_as_stated():
    programs = list(Program.objects.exclude(budget_text=""))
    assert len(programs) >= 10
    for program in programs:
        assert_in_report(squash(f"(사업예산) {program.budget_text}"))
        stated = int(re.match(r"[\d,]+", program.budget_text).group(0).replace(",", ""))
        assert program.stated_budget == stated * 1_000_000, program.slug
