"""The demo held against the report, figure by figure.

Each table is rebuilt from the database through the portal's own selectors and display rules, written
the way the report prints it, and looked up in the report's text (whitespace removed, since the text
extraction broke lines and spaced out names). Derived figures come from the arithmetic module; where the
report's printed derived figure does not follow from its base figures (a slip), the cell is listed in
SLIPS with both values, the portal's value must be the arithmetic one, and the printed one must be what
the report shows. Where the report misprints a name once and writes it right elsewhere, the row is listed
in NAME_SLIPS: the portal shows the corrected name, the report's row prints the slip.

Indicators are compared row by row with the report: each indicator's cells (its values, with the derived
total where the report prints one) against the cells parsed from its program's section of the report,
from the table row that names it or from the sentence that gives it.
"""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from budget.selectors.execution import execution_table, expenditure_summary, revenue_summary
from civicbureau import display, figures
from programs.models import IndicatorValue, Program, ScheduleItem
from programs.selectors.centres import consigned_centre_table
from programs.selectors.indicators import indicator_reading_list
from programs.selectors.programs import program_execution_tables
from staffing.selectors import headcount_table
from tests.html_tables import table as html_table

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

# (table, row as the portal names it) → (the name as the report prints it in that row, the corrected part as
# the report writes it elsewhere)
NAME_SLIPS = {
    ("2022 예산 집행 현황", "지역사회혁신계획 (구단위계획형) 지원"): (
        "지역사회혁신계획 (구단위계혁형) 지원",
        "구단위계획형",
    )
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
    """The row as the report prints it: the portal's name and cells, with the known slips' printed values
    (except in the columns named in `as_computed`, which keep the portal's value) and the known name slip."""
    row = str(row)
    parts = [NAME_SLIPS.get((table, row), (row,))[0]]
    for column, text in cells:
        if column not in as_computed:
            text = printed_cell(table, row, column, text)
        parts.append(text + (suffixes or {}).get(column, ""))
    return squash("".join(parts))


def assert_in_report(line: str):
    assert line in REPORT, f"not in the report: {line}"


# -- the tables, rebuilt from the database -------------------------------------------------------------


def headcount_rows(bureau):
    table = headcount_table(bureau=bureau, on_or_before=AS_OF)
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


def test_every_name_slip_is_printed_once_and_the_portal_shows_the_correction(bureau, client):
    """Each listed name slip names a real row; the report prints that row with the slip (and not with the
    portal's name), prints the slip nowhere else and writes the corrected part elsewhere; the public
    execution page shows the corrected name only."""
    rows = {(table, str(row)): (cells, suffixes) for f in TABLES for table, row, cells, suffixes in f(bureau)}
    html = client.get(reverse("budget:execution")).content.decode()
    shown = [row[0] for row in html_table(html, "execution")["rows"]]
    for (table, name), (printed, elsewhere) in NAME_SLIPS.items():
        assert (table, name) in rows, f"{name}: no such row in {table}"
        cells, suffixes = rows[(table, name)]
        assert_in_report(printed_row(table, name, cells, suffixes=suffixes))
        cells_text = squash("".join(printed_cell(table, name, column, text) for column, text in cells))
        assert squash(name) + cells_text not in REPORT, f"{name}: the report prints the portal's name"
        assert REPORT.count(squash(printed)) == 1
        assert elsewhere in name and squash(elsewhere) in REPORT and elsewhere not in printed
        assert name in shown and printed not in shown


def test_organisation_line_and_part_time_note(bureau):
    table = headcount_table(bureau=bureau, on_or_before=AS_OF)
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


# -- indicators: each one's row in the report, parsed, against the portal's ------------------------------

REPORT_LINES = REPORT_PATH.read_text(encoding="utf-8").splitlines()
DOTS = str.maketrans("․‧∙", "···")  # the report writes the middle dot four ways


def program_sections() -> dict[str, list[str]]:
    """Chapter Ⅲ's sections by their squashed heading ('2서울시마을공동체종합지원센터운영개선'), as lines."""
    start = next(i for i, line in enumerate(REPORT_LINES) if line.startswith("Ⅲ."))
    sections: dict[str, list[str]] = {}
    current = None
    for line in REPORT_LINES[start:]:
        if re.match(r"\d \S", line):  # '3 지역커뮤니티 공간 조성 ·운영지원 내실화'
            current = sections.setdefault(squash(line), [])
        elif current is not None:
            current.append(line)
    return sections


SECTIONS = program_sections()


def section_of(program) -> list[str]:
    return SECTIONS[squash(f"{program.number} {program.title}")]


def report_row(lines: list[str], label: str) -> list[str]:
    """The cells of the one table row among `lines` that starts with `label` (the report's spacing inside
    a label varies: '금  액', '지 점 명'), split on whitespace."""
    pattern = re.compile(r"\s*" + r"\s*".join(map(re.escape, squash(label))) + r"(?:\s+(.*))?$")
    found = [match.group(1) or "" for line in lines if (match := pattern.match(line))]
    assert len(found) == 1, f"{len(found)} rows of the section start with {label!r}"
    return found[0].split()


def printed_quantity(value, unit: str = "") -> str:
    return display.quantity(value) + unit


def indicator_table_rows(readings: dict) -> list[tuple[str, list[str], list[str]]]:
    """The report's indicator tables, row by row: (what, the portal's cells, the report's cells). The
    portal's cells are built from `readings` ({(code, as_of): IndicatorReading}); derived totals included."""
    compared = []

    def compare(what, portal, lines, label):
        compared.append((what, portal, report_row(lines, label)))

    # Ⅲ-3-1 서울시간은행 회원현황: 합계 then each 지점, as the header names them
    members = readings[("timebank-members", datetime.date(2022, 7, 15))]
    lines = section_of(members.indicator.program)
    compare("timebank-members: 지점", [category for category, _ in members.values], lines, "지 점 명 합 계")
    compare(
        "timebank-members",
        [printed_quantity(members.total)] + [printed_quantity(v) for _, v in members.values],
        lines,
        "회원현황(명)",
    )

    # Ⅲ-2-2 ’22년 시민참여예산 편성: 계 then each 유형 of the header; a 유형 without a value is printed '-'
    by_type = [readings[(code, AS_OF)] for code in ("pb-2022-projects-by-type", "pb-2022-amount-by-type")]
    lines = section_of(by_type[0].indicator.program)
    types = [t.rstrip("＊") for t in report_row(lines, "구 분 계")]
    for reading, label in zip(by_type, ("사업수", "금 액"), strict=True):
        values, unit = dict(reading.values), reading.indicator.unit
        assert set(values) <= set(types), f"{reading.indicator.code}: {set(values) - set(types)} not in the header"
        portal = [printed_quantity(reading.total, unit)]
        portal += [printed_quantity(values[t], unit) if t in values else display.NOT_AVAILABLE for t in types]
        compare(reading.indicator.code, portal, lines, label)

    # Ⅲ-2-2 참여예산 편성 (백만원): 합계(’13~’22년), 2022년, 2021년 columns; each cell the amount and its share
    columns = [
        ("합계(’13~’22년)", readings[("pb-allocation-cumulative", AS_OF)]),
        ("2022년", readings[("pb-allocation-by-level", AS_OF)]),
        ("2021년", readings[("pb-allocation-by-level", datetime.date(2021, 12, 31))]),
    ]
    compare(
        "pb-allocation: 연도",
        [f"{reading.as_of.year}년" for _, reading in columns[1:]],
        lines,
        "구 분 합 계(’13~’22년)",
    )
    categories = [category for category, _ in columns[0][1].values]
    assert all([c for c, _ in reading.values] == categories for _, reading in columns)
    subtotal = []
    for column, reading in columns:
        text = printed_cell("참여예산 편성 현황", "소계", column, display.number(int(reading.total)))
        subtotal += [text, f"({figures.percent(int(reading.total), int(reading.total), places=0)}%)"]
    compare("pb-allocation: 소계", subtotal, lines, "소 계")
    for category in categories:
        cells = []
        for _, reading in columns:
            value = int(dict(reading.values)[category])
            cells += [display.number(value), f"({figures.percent(value, int(reading.total), places=0)}%)"]
        compare(f"pb-allocation: {category}", cells, lines, category)

    # Ⅲ-3-5 비영리민간단체 지원실적 (’19~’21): 계, derived over the years, then the years of the header
    for code, label in (
        ("npo-grants-budget", "예산액"),
        ("npo-grants-count", "지원건수"),
        ("npo-grants-amount", "지원액(교부액)"),
    ):
        yearly = sorted((r for key, r in readings.items() if key[0] == code), key=lambda r: r.as_of, reverse=True)
        lines = section_of(yearly[0].indicator.program)
        compare(f"{code}: 연도", [str(r.as_of.year) for r in yearly], lines, "구 분 계")
        values = [value for r in yearly for _, value in r.values]
        compare(code, [printed_quantity(sum(values))] + [printed_quantity(v) for v in values], lines, label)

    # Ⅲ-1-1 민간위탁 운영 현황: the 마을공동체종합지원센터 row's 인력 cells (’21.4월, ’22.6월), the staff measure
    # of its own program (Ⅲ-1-2) held against the table of ‘서울시 바로세우기’, where the report prints it
    staff = sorted((r for key, r in readings.items() if key[0] == "village-centre-staff"), key=lambda r: r.as_of)
    cells = report_row(section_of(Program.objects.get(slug="seoul-reset")), "마을공동체종합지원센터")
    compared.append(
        ("village-centre-staff", [printed_quantity(value) for r in staff for _, value in r.values], cells[3:5])
    )
    return compared


N = r"(?<![\d.])(?<!\d,)(\d[\d,.]*)"  # a whole number as printed (4,600 or 10.1), not the tail of one
# The indicators the report gives in its sentences: the pattern of the words around the figures, in the
# squashed text of the indicator's program section (middle dots as '·'). Its groups are the indicator's
# values in order (by date, then by category), after a group named `total` where the report prints the
# derived total. The pattern must match once in the section.
SENTENCES = {
    "village-centre-card-news": rf"카드뉴스\({N}건\)",
    "village-centre-district-staff-training": rf"자치구실무자역량강화교육\({N}회\)",
    "village-hubs": (
        rf"총(?P<total>[\d,]+)개소\(운영중\d+,조성중\d+\)>·운영중:市민간위탁{N},區자체운영{N}\(.*?\)"
        rf"·조성중:市직접조성{N},區조성\d+\(설계중{N},공사중{N},운영준비중{N}\)"
    ),
    "village-hubs-district-grant-districts": rf"심사실시하여{N}개자치구\d+개소지원",
    "village-hubs-district-grant-hubs": rf"심사실시하여\d+개자치구{N}개소지원",
    "village-ecosystem-districts": rf"마을생태계:{N}개자치구의",
    "village-ecosystem-contest-projects": (
        rf"공모사업(?P<total>[\d,]+)건\(사회문제해결공익적가치형{N}건,공동체활동강화형{N}건\)"
    ),
    "village-ecosystem-planned-contests": rf"공익적가치형\d+건중{N}건은",
    "resident-autonomy-districts": rf"지원\({N}개구\d+개동\d+개사업\)",
    "resident-autonomy-dongs": rf"지원\(\d+개구{N}개동\d+개사업\)",
    "resident-autonomy-agendas": rf"자치구제출한의제{N}건",
    "resident-autonomy-training-districts": rf"{N}개자치구\d+명사업담당자교육",
    "resident-autonomy-training-participants": rf"\d+개자치구{N}명사업담당자교육",
    "npo-centres-cumulative-support": rf"총{N}억원\(연평균\d+억원,’13~’21년\)",
    "npo-centres-staff": rf"운영인력(?P<total>[\d,]+)명\(서울시{N}/권역{N}\)",
    "npo-centres-cumulative-personnel-cost": rf"누적인건비{N}억원",
    "samgakji-tenants": rf"{N}개활동가·단체선정및총\d+석입주",
    "samgakji-seats": rf"\d+개활동가·단체선정및총{N}석입주",
    "samgakji-rentals": rf"대관건수증가:4월{N}건→5월{N}건",
    "democracy-academy-programmes": rf"역량강화프로그램운영\({N}회\)",
    "democracy-indicator-tf-meetings": rf"전문가TF구성및운영\({N}회\)",
    "democracy-linked-projects": rf"민주시민교육사업추진\({N}건\)",
    "citizen-proposals-funnel": rf"시민제안\({N}건\),부서검토\({N}건\),제안수용\({N}건\)",
    "citizen-proposals-best": rf"자체우수제안\({N}건\)선정",
    "citizen-proposals-central-candidates": rf"중앙우수제안후보\({N}건\)제출",
    "proposal-budget-projects": rf"’22년예산편성\({N}건,[\d.]+억원\)",
    "proposal-budget-amount": rf"’22년예산편성\(\d+건,{N}억원\)",
    "pb-district-2022": rf"’22년자치구참여예산:{N}억원",
    "pb-district-own-cumulative": rf"자치구자체편성참여예산:{N}억원",
    # '평균 2천여건': the portal keeps 2,000 (an approximation, as the indicator's name says)
    "pb-2021-proposals-funnel": rf"평균(?P<thousands>\d+)천여건제안사업접수→{N}개사업예산편성",
    "timebank-members-gender": rf"총\d+명\(남{N}%,여{N}%\)",
    "timebank-cafe-monthly-visits": rf"월평균방문횟수{N}여회",
    "timebank-pilot-partners": rf"총{N}개주체가참여",
    "innovation-centre-units": rf"\(서울혁신센터조직·인력\){N}실{N}팀",
    "innovation-centre-staff": rf"팀,(?P<total>[\d,]+)명\(사무직{N},시설직{N}\)",
    "innovation-centre-pm": rf"※PM{N}명별도",
    "innovation-park-tenant-support": rf"입주단체지원\({N}건\)",
    "innovation-park-citizen-programme-sessions": rf"시민목공체험\({N}회\d+명\),시민디지털기반제작체험\({N}회\d+명\)",
    "innovation-park-citizen-programme-participants": (
        rf"시민목공체험\(\d+회{N}명\),시민디지털기반제작체험\(\d+회{N}명\)"
    ),
    "innovation-park-social-project-teams": (
        rf"\(목공·디지털\)(?P<total>[\d,]+)개팀\d+명·공원의자·캣타워등목공제작:{N}팀\d+명"
        rf"/3D프린터등디지털장비활용가구등제작:{N}팀\d+명"
    ),
    "innovation-park-social-project-participants": (
        rf"\(목공·디지털\)\d+개팀(?P<total>[\d,]+)명·공원의자·캣타워등목공제작:\d+팀{N}명"
        rf"/3D프린터등디지털장비활용가구등제작:\d+팀{N}명"
    ),
    "innovation-park-safety-inspections": rf"시설물안전점검실시\({N}회\)",
    "innovation-park-repair-sites": rf"보수·보강\({N}개소\d+건\)",
    "innovation-park-repair-items": rf"보수·보강\(\d+개소{N}건\)",
    "csr-network-members-2021": rf"’21년{N}개→’22년\d+개",
    "csr-network-members-by-type": (
        rf"참여기관\((?P<total>[\d,]+)개\):市·산하기관{N},市투자·출연기관{N},기업{N},민간단체등{N}"
    ),
    "donation-zone-partners": rf"KT등{N}개기관·기업",
    "donation-review-meetings": rf"총{N}회개최/\d+건",
    "donation-review-cases": rf"총\d+회개최/{N}건",
    "donation-review-amount": rf"기탁금품(?P<total>[\d,]+)억원상당\(현금{N}억,물품{N}억원상당\)",
    "donation-solicitation-registrations": rf"기부금품모집등록\(’22.1~6월\):(?P<total>[\d,]+)건\(신규{N},변경{N}\)",
    "donation-field-inspections": rf"현장검사\(’22.6~7월\):{N}개단체",
    "sharing-orgs-designated": rf"(?P<total>[\d,]+)개지정\(신규{N},재지정{N}\)",
    "sharing-orgs-projects-supported": rf"{N}개사업지원\(\d+백만원\)",
    "sharing-orgs-support-amount": rf"\d+개사업지원\({N}백만원\)",
    "sharing-district-districts": rf"{N}개자치구\d+개사업\(\d+백만원\)",
    "sharing-district-projects": rf"\d+개자치구{N}개사업\(\d+백만원\)",
    "sharing-district-amount": rf"\d+개자치구\d+개사업\({N}백만원\)",
    "sharing-consulting-targets": rf"컨설팅을희망하는공유기업·단체{N}개소",
    "sharing-orgs-designated-total": rf"서울시지정공유기업:{N}개",
    "npo-grants-2022-organisations": rf"{N}개단체\([\d,]+백만원\)접수,{N}개단체\([\d,]+백만원\)선정",
    "npo-grants-2022-amount": rf"\d+개단체\({N}백만원\)접수,\d+개단체\({N}백만원\)선정",
}


def indicator_sentence_rows(readings: dict) -> list[tuple[str, list[str], list[str]]]:
    """The indicators given in sentences: (code, the portal's cells, the figures the pattern reads in the report)."""
    compared = []
    for code, pattern in SENTENCES.items():
        dated = sorted((r for key, r in readings.items() if key[0] == code), key=lambda r: r.as_of)
        assert dated, f"{code}: no values in the portal"
        text = squash("\n".join(section_of(dated[0].indicator.program))).translate(DOTS)
        matches = list(re.finditer(pattern, text))
        assert len(matches) == 1, f"{code}: the pattern matches {len(matches)} times in its section"
        groups = re.compile(pattern).groupindex
        portal = [printed_quantity(r.total) for r in dated] if "total" in groups else []
        for reading in dated:
            for category, value in reading.values:
                if "thousands" in groups and category == "제안사업 접수":
                    portal.append(printed_quantity(value / 1000))
                else:
                    portal.append(printed_quantity(value))
        compared.append((code, portal, list(matches[0].groups())))
    return compared


def indicator_readings() -> dict:
    return {(r.indicator.code, r.as_of): r for r in indicator_reading_list()}


def test_every_indicator_row_is_the_reports_row_cell_by_cell():
    """Each indicator's values (with the derived totals the report prints) against the report's own row,
    parsed from the table or sentence of the indicator's program section: all cells, in order."""
    readings = indicator_readings()
    compared = indicator_table_rows(readings) + indicator_sentence_rows(readings)
    assert {what: portal for what, portal, _ in compared} == {what: report for what, _, report in compared}


def test_every_indicator_reading_has_its_row_compared():
    """No indicator escapes: the tables and sentences above cover every reading in the portal."""
    readings = indicator_readings()
    in_tables = {
        "timebank-members", "pb-2022-projects-by-type", "pb-2022-amount-by-type", "pb-allocation-by-level",
        "pb-allocation-cumulative", "npo-grants-budget", "npo-grants-count", "npo-grants-amount",
        "village-centre-staff",
    }  # fmt: skip
    assert not in_tables & set(SENTENCES)
    assert {code for code, _ in readings} == in_tables | set(SENTENCES)
    assert sum(len(r.values) for r in readings.values()) == IndicatorValue.objects.count() > 100


def test_every_program_budget_is_printed_as_stated():
    programs = list(Program.objects.exclude(budget_text=""))
    assert len(programs) >= 10
    for program in programs:
        assert_in_report(squash(f"(사업예산) {program.budget_text}"))
        stated = int(re.match(r"[\d,]+", program.budget_text).group(0).replace(",", ""))
        assert program.stated_budget == stated * 1_000_000, program.slug
