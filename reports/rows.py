"""The council briefing: the report's tables as plain sheets of cells, built from the selectors.

Nothing here knows about xlsx: `reports.writer` writes these sheets. Every figure comes from the
selectors and civicbureau.figures, in the unit the sheet shows (천원, 백만원, 명, %), so the workbook
equals the pages. Each sheet carries the report's title, its as-of and unit line, and its header rows
with the report's merges.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from budget.models import Publication
from budget.selectors.execution import (
    ExecutionRow,
    ExecutionTable,
    RowLevel,
    execution_table,
    expenditure_summary,
    revenue_latest_date,
    revenue_summary,
)
from budget.selectors.periods import Period, bureau_period, publication_on
from civicbureau import display, figures
from programs.selectors.centres import centre_staffing_dates, consigned_centre_table
from programs.selectors.indicators import indicator_reading_list
from programs.selectors.measures import STATUS_LABELS, MeasureRow, bureau_indicators, measure_rows
from programs.selectors.programs import program_execution_tables, program_rows_latest_date, public_program_list
from programs.selectors.schedule import schedule_item_list
from staffing.models import Bureau
from staffing.selectors import bureau_default, division_list, headcount_table, team_count


class BriefingError(Exception):
    """The briefing cannot be built (no figures at or before the date asked for)."""


# Cell kinds: the writer gives each its style and number format.
TEXT, LABEL, HEADER, AMOUNT, RATE, COUNT, QUANTITY, MONTH, NOTE, TITLE, UNIT_LINE, SUBTITLE, UNIT = (
    "text",
    "label",
    "header",
    "amount",
    "rate",
    "count",
    "quantity",
    "month",
    "note",
    "title",
    "unit_line",
    "subtitle",  # a table's own title inside a sheet that holds several tables
    "unit",  # a unit such as 건 or 백만원 in its own column, centred so it never touches the figure beside it
)


@dataclass(frozen=True)
class Cell:
    value: object
    kind: str = TEXT
    bold: bool = False
    indent: int = 0
    link: str = ""  # the name of a sheet this cell links to (the cover's table of contents)


@dataclass
class Sheet:
    """One table of the report as rows of cells (None = empty), with merges and print settings."""

    name: str
    title: str
    as_of: datetime.date
    columns: int
    landscape: bool = False
    rows: list[list[Cell | None]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # (first row, first col, last row, last col), 1-based
    header_end: int = 0  # the last row repeated at the top of every printed page
    max_widths: dict[int, float] = field(default_factory=dict)  # column (1-based) → widest it may be; text wraps
    blocks: list[tuple[int, int]] = field(default_factory=list)  # (first row, last row) never split across pages
    period_line: str = ""  # the printed header when it is not the briefing's (a bureau's edition in the city's)
    owner: str = ""  # the printed footer's owner when it is not the briefing's (a bureau's sheet in the city's)

    def add(self, cells: list[Cell | None]) -> int:
        self.rows.append(cells + [None] * (self.columns - len(cells)))
        return len(self.rows)

    def merge(self, row: int, col: int, last_row: int, last_col: int):
        if (row, col) != (last_row, last_col):
            self.merges.append((row, col, last_row, last_col))

    def add_heading(self, unit_line: str):
        row = self.add([Cell(self.title, TITLE)])
        self.merge(row, 1, row, self.columns)
        row = self.add([Cell(unit_line, UNIT_LINE)])
        self.merge(row, 1, row, self.columns)

    def add_header(self, spec: list[list[tuple[str, int, int] | None]]):
        """Header rows: each entry (text, rows spanned, columns spanned), None where a span covers it."""
        first = len(self.rows) + 1
        for offset, row_spec in enumerate(spec):
            cells, col = [], 1
            for entry in row_spec:
                if entry is None:
                    cells.append(Cell("", HEADER))
                    col += 1
                    continue
                text, row_span, col_span = entry
                cells.append(Cell(text, HEADER))
                cells.extend(Cell("", HEADER) for _ in range(col_span - 1))
                self.merge(first + offset, col, first + offset + row_span - 1, col + col_span - 1)
                col += col_span
            self.add(cells)
        self.header_end = len(self.rows)


PREVIEW = "미확정"  # what every sheet of a briefing of an open period says, in its title and printed header


@dataclass
class Briefing:
    bureau: Bureau
    fiscal_year: int
    as_of: datetime.date
    sheets: list[Sheet]
    publication: Publication | None = None  # the edition the briefing shows; None: a preview of an open period
    printed_on: datetime.date | None = None  # the day the workbook was written, in the site's time zone

    @property
    def is_preview(self) -> bool:
        return self.publication is None

    @property
    def owner(self) -> str:
        """Whose briefing it is: the printed footer."""
        return self.bureau.name

    @property
    def title(self) -> str:
        """The workbook's title (its document properties)."""
        return f"{self.bureau.name} 업무보고 {self.fiscal_year} ({self.period_line})"

    @property
    def filename(self) -> str:
        edition = f"제{self.publication.edition}판" if self.publication else PREVIEW
        return f"{self.bureau.name}-업무보고-{self.as_of:%Y-%m-%d}-{edition}.xlsx"

    @property
    def period_line(self) -> str:
        """The printed header: which edition of which period, or that the figures are not published."""
        if self.publication:
            return f"{display.report_date(self.as_of)} 기준 {display.edition_line(self.publication)}"
        return f"{PREVIEW}: {display.report_date(self.as_of)} 기준 공표 전 미리보기"


def amount_cell(won: int | None, unit: display.Unit = display.THOUSAND_WON, bold=False) -> Cell:
    value = figures.in_unit(won, unit.won)
    return Cell(None if value is None else int(value), AMOUNT, bold)


def rate_cell(value: Decimal | None, bold=False) -> Cell:
    return Cell(value, RATE, bold)


def _count(value: int | None, bold=False) -> Cell:
    return Cell(value, COUNT, bold)


def briefing_build(
    *, bureau: Bureau, fiscal_year: int, as_of: datetime.date | None = None, preview: bool = False
) -> Briefing:
    """The whole briefing of a reporting period.

    By default, the latest published period of the year at or before `as_of` (default: the year's latest),
    in its latest edition: what the council may be given. With `preview`, the period `as_of` itself as it
    stands, published or not (each division's latest figures, drafts included): every sheet then says
    미확정 in its title and printed header, and a first sheet lists each division's status."""
    publication = None
    if preview:
        if as_of is None:
            raise BriefingError("미리보기에는 기준일이 필요합니다.")
        period = bureau_period(bureau=bureau, as_of=as_of)
        if as_of.year != fiscal_year or not any(d.month for d in period.divisions):
            raise BriefingError(f"{bureau.name}: {as_of} 기준 {fiscal_year}년 실적이 아직 없습니다.")
    else:
        publication = publication_on(bureau=bureau, fiscal_year=fiscal_year, on_or_before=as_of)
        if publication is None:
            limit = f"{as_of}까지 " if as_of else ""
            raise BriefingError(f"{bureau.name}: {limit}공표된 {fiscal_year}년 기준일이 없습니다.")
        as_of = publication.as_of
    sheets = [
        status_sheet(period) if preview else None,
        organisation_sheet(bureau=bureau, as_of=as_of, recorded_by=publication and publication.published_at),
        revenue_sheet(bureau=bureau, fiscal_year=fiscal_year, as_of=as_of),
        expenditure_sheet(bureau=bureau, fiscal_year=fiscal_year, as_of=as_of),
        execution_sheet(bureau=bureau, fiscal_year=fiscal_year, as_of=as_of, publication=publication),
        program_sheet(bureau=bureau, as_of=as_of),
        centre_sheet(bureau=bureau, fiscal_year=fiscal_year, as_of=as_of),
        schedule_sheet(bureau=bureau, fiscal_year=fiscal_year, as_of=as_of),
        indicator_sheet(bureau=bureau, as_of=as_of, recorded_by=publication and publication.published_at),
        measure_sheet(
            bureau=bureau, fiscal_year=fiscal_year, as_of=as_of, recorded_by=publication and publication.published_at
        ),
    ]
    sheets = [s for s in sheets if s is not None]
    briefing = Briefing(bureau, fiscal_year, as_of, sheets, publication, printed_on=timezone.localdate())
    briefing.sheets = [cover_sheet(briefing), *sheets]
    if preview:
        for sheet in briefing.sheets:
            sheet.rows[0][0] = Cell(f"{sheet.title} ({PREVIEW})", TITLE)
    return briefing


def cover_sheet(briefing: Briefing) -> Sheet:
    """The first sheet: which bureau, period and edition the briefing shows, the day it was printed, and a
    table of contents linking to every sheet after it (with each sheet's own as-of date)."""
    bureau, as_of = briefing.bureau, briefing.as_of
    sheet = Sheet("표지", f"{bureau.name} {briefing.fiscal_year}년 업무보고", as_of, 4)
    sheet.max_widths = {2: 30, 3: 44}
    sheet.add_heading(f"({display.report_date(as_of)} 기준)")
    if briefing.publication:
        edition = display.edition_line(briefing.publication)
    else:
        edition = f"{PREVIEW}: 공표 전 미리보기 (의회에는 공표된 판을 제출합니다)"
    facts = [
        ("부서", bureau.name),
        ("기간", f"{briefing.fiscal_year} 회계연도, {display.report_date(as_of)} 기준"),
        ("판", edition),
        ("출력일", display.report_date(briefing.printed_on)),
    ]
    add_cover_facts(sheet, facts)
    add_contents(sheet, briefing.sheets)
    return sheet


def add_cover_facts(sheet: Sheet, facts: list[tuple[str, str]]):
    """The cover's facts (label, value), one a row, the value over the three columns after its label."""
    for label, value in facts:
        row = sheet.add([Cell(label, HEADER), Cell(value, TEXT)] + [Cell("", TEXT)] * 2)
        sheet.merge(row, 2, row, 4)


def add_contents(sheet: Sheet, sheets: list[Sheet]):
    """The cover's table of contents: each sheet linked, with its table's title and its own as-of date."""
    sheet.add([])
    row = sheet.add([Cell("목 차", SUBTITLE)])
    sheet.merge(row, 1, row, 4)
    first = len(sheet.rows) + 1
    sheet.add([Cell("번호", HEADER), Cell("시트", HEADER), Cell("표", HEADER), Cell("기준일", HEADER)])
    for number, target in enumerate(sheets, start=1):
        sheet.add(
            [
                Cell(number, COUNT),
                Cell(target.name, TEXT, link=target.name),
                Cell(target.title, TEXT),
                Cell(display.report_date(target.as_of), TEXT),
            ]
        )
    sheet.blocks = [(first, len(sheet.rows))]


def status_sheet(period: Period) -> Sheet:
    """A preview's first sheet: each division's status for the period and the edition it would replace."""
    sheet = Sheet("공표 상태", f"{period.bureau.name} 과별 실적 상태", period.as_of, 4)
    sheet.add_heading(f"({display.report_date(period.as_of)} 기준, {PREVIEW}: 공표 전 미리보기)")
    latest = f"제{period.latest.edition}판" if period.latest else "미공표"
    sheet.add_header([[("과", 1, 1), ("상태", 1, 1), ("승인된 차수", 1, 1), (f"최근 판({latest})에 실린 차수", 1, 1)]])
    for row in period.divisions:
        published = row.published_revision if period.latest else None
        sheet.add(
            [
                Cell(row.division.name, LABEL),
                Cell(str(row.status_label), LABEL),
                _count(row.approved_revision),
                _count(published) if published or not period.latest else Cell(str(display.NOT_REPORTED), LABEL),
            ]
        )
    line = sheet.add([Cell("승인되지 않은 과의 실적은 확정되지 않은 것입니다. 의회에는 공표된 판을 제출합니다.", NOTE)])
    sheet.merge(line, 1, line, 4)
    return sheet


def organisation_sheet(
    *, bureau: Bureau, as_of: datetime.date, recorded_by: datetime.datetime | None = None
) -> Sheet | None:
    table = headcount_table(bureau=bureau, on_or_before=as_of, recorded_by=recorded_by)
    day = table.as_of
    if day is None:
        return None
    general = [g for g in table.grades if g.track != "fixed_term"]
    columns = 1 + 2 * (1 + len(table.grades))
    sheet = Sheet("조직 및 인력", "조직 및 인력", day, columns, landscape=True)
    divisions = division_list(bureau=bureau)
    total = table.rows[0].total
    sheet.add_heading(f"({display.report_date(day)} 기준, 단위 : 명)")
    line = sheet.add(
        [
            Cell(
                f"조 직 : {len(divisions)}과 {team_count(bureau, divisions=divisions) or '-'}팀 (조직 신설 : {display.report_date(bureau.established_on)})",
                NOTE,
            )
        ]
    )
    sheet.merge(line, 1, line, columns)
    line = sheet.add([Cell(f"인 력 : {total.quota}명 / {total.current}명(정원/현원)", NOTE)])
    sheet.merge(line, 1, line, columns)
    top: list = [("구 분", 3, 1), ("계", 2, 2), ("일 반 직", 1, 2 * len(general))]
    top += [(g.name, 2, 2) for g in table.grades if g.track == "fixed_term"]
    middle: list = [None, None, None] + [(g.name, 1, 2) for g in general]
    bottom: list = [None] + [("정원", 1, 1), ("현원", 1, 1)] * (1 + len(table.grades))
    sheet.add_header([top, _expand(middle, columns), bottom])
    for index, row in enumerate(table.rows):
        bold = index == 0
        cells = [Cell(row.name, LABEL, bold), _count(row.total.quota, bold), _count(row.total.current, bold)]
        for cell in row.cells:
            cells += (
                [_count(cell.quota, bold), _count(cell.current, bold)]
                if not cell.is_empty
                else [Cell("-", TEXT), Cell("-", TEXT)]
            )
        sheet.add(cells)
    if table.dates_differ:
        older = ", ".join(
            f"{r.name} {display.report_date(r.as_of) if r.as_of else '-'}" for r in table.rows[1:] if r.as_of != day
        )
        row = sheet.add([Cell(f"※ 기준일이 다른 과 : {older}", NOTE)])
        sheet.merge(row, 1, row, columns)
    if table.part_time:
        note = ", ".join(f"{p.division.name} {p.get_grade_display()} {p.count}명" for p in table.part_time)
        row = sheet.add([Cell(f"※ 시간선택제 임기제(정원 외) : {note}", NOTE)])
        sheet.merge(row, 1, row, columns)
    sheet.add([])
    row = sheet.add([Cell("부서별 주요업무", TITLE)])
    sheet.merge(row, 1, row, columns)
    first = sheet.add([Cell("부 서", HEADER), Cell("주 요 업 무", HEADER)] + [Cell("", HEADER)] * (columns - 2))
    sheet.merge(first, 2, first, columns)
    for division in divisions:
        duties = [f"○ {duty.text}" for duty in division.duties.all()] or ["-"]
        start = len(sheet.rows) + 1
        for duty in duties:
            row = sheet.add([Cell(division.name, LABEL), Cell(duty, TEXT)] + [Cell("", TEXT)] * (columns - 2))
            sheet.merge(row, 2, row, columns)
        sheet.merge(start, 1, start + len(duties) - 1, 1)
    return sheet


def _expand(spec: list, columns: int) -> list:
    """A header row given with spans, padded with None for the columns a span above covers."""
    used = sum(1 if e is None else e[2] for e in spec)
    return spec + [None] * (columns - used)


def revenue_sheet(*, bureau: Bureau, fiscal_year: int, as_of: datetime.date) -> Sheet | None:
    """세입총괄. The revenue tree belongs to no bureau (budget.models.RevenueCategory): it is the 2022 report's,
    that is the demo's bureau's, the portal's default bureau (the first made). So only that bureau's briefing
    has the sheet; another bureau has no revenue figures of its own and no such sheet."""
    default = bureau_default()
    if default is None or bureau.pk != default.pk:
        return None
    day = revenue_latest_date(fiscal_year=fiscal_year, on_or_before=as_of)
    if day is None:
        return None
    base = fiscal_year - 1
    sheet = Sheet("세입총괄", "세입총괄", day, 5)
    sheet.add_heading(display.as_of_line(day, display.THOUSAND_WON, display.PERCENT))
    sheet.add_header(
        [
            [
                ("구 분", 1, 1),
                (f"{fiscal_year}년(A)", 1, 1),
                (f"{base}년(B)", 1, 1),
                ("증 감\n(A-B)", 1, 1),
                ("증감률\n(A-B)×100/B", 1, 1),
            ]
        ]
    )
    for row in revenue_summary(fiscal_year=fiscal_year, base_year=base, as_of=day):
        bold = row.depth <= 1
        sheet.add(
            [
                Cell(str(row.name), LABEL, bold, indent=max(row.depth - 1, 0)),
                amount_cell(row.current, bold=bold),
                amount_cell(row.base, bold=bold),
                amount_cell(row.change, bold=bold),
                rate_cell(row.change_rate, bold),
            ]
        )
    return sheet


def expenditure_sheet(*, bureau: Bureau, fiscal_year: int, as_of: datetime.date) -> Sheet:
    base = fiscal_year - 1
    sheet = Sheet("세출총괄", "세출총괄", as_of, 6)
    sheet.add_heading(display.as_of_line(as_of, display.THOUSAND_WON, display.PERCENT))
    sheet.add_header(
        [
            [("구 분", 2, 1), (f"{fiscal_year}년(A)", 2, 1), (f"{base}년", 1, 2), (f"{base}년 대비", 1, 2)],
            [
                None,
                None,
                ("본예산", 1, 1),
                ("최종예산(B)", 1, 1),
                ("증 감\n(A-B)", 1, 1),
                ("증감률\n(A-B)×100/B", 1, 1),
            ],
        ]
    )
    for index, row in enumerate(expenditure_summary(bureau=bureau, fiscal_year=fiscal_year, base_year=base)):
        bold = index == 0
        sheet.add(
            [
                Cell(str(row.name), LABEL, bold),
                amount_cell(row.current, bold=bold),
                amount_cell(row.base_original, bold=bold),
                amount_cell(row.base, bold=bold),
                amount_cell(row.change, bold=bold),
                rate_cell(row.change_rate, bold),
            ]
        )
    return sheet


def _executed(row: ExecutionRow, bold: bool) -> Cell:
    """집행액, or 미보고 for a division (or its line) the edition has no figures of."""
    if row.is_not_reported_part:
        return Cell(str(display.NOT_REPORTED), LABEL, bold)
    return amount_cell(row.disbursements, bold=bold)


def execution_sheet(
    *, bureau: Bureau, fiscal_year: int, as_of: datetime.date, publication: Publication | None = None
) -> Sheet:
    table = execution_table(bureau=bureau, fiscal_year=fiscal_year, as_of=as_of, publication=publication)
    return execution_table_sheet(table, as_of=as_of)


def execution_table_sheet(table: ExecutionTable, *, as_of: datetime.date, owner: str = "") -> Sheet:
    """예산 집행 현황 of an execution table already read (the city briefing reads its total too, and names
    the bureau, the `owner`, in the title)."""
    fiscal_year, publication = table.fiscal_year, table.publication
    title = f"{owner} {fiscal_year} 예산 집행 현황" if owner else f"{fiscal_year} 예산 집행 현황"
    sheet = Sheet("예산 집행 현황", title, as_of, 6, owner=owner)
    sheet.max_widths = {1: 30}  # longer line names wrap: the figures print at 9 pt or more on A4 portrait
    sheet.add_heading(display.as_of_line(as_of, display.THOUSAND_WON, display.PERCENT))
    sheet.add_header(
        [
            [
                ("구    분", 1, 1),
                ("예산편성액\n(당초예산)", 1, 1),
                ("예산현액\n(A)", 1, 1),
                ("집행액\n(B)", 1, 1),
                ("집행잔액\n(A-B)", 1, 1),
                ("집행률\n(B/A)", 1, 1),
            ]
        ]
    )
    for row in table.rows:
        bold = row.level != RowLevel.LINE
        sheet.add(
            [
                Cell(str(row.name), LABEL, bold, indent=1 if row.level == RowLevel.LINE else 0),
                amount_cell(row.original, bold=bold),
                amount_cell(row.authority, bold=bold),
                _executed(row, bold),
                amount_cell(row.balance, bold=bold),
                rate_cell(row.rate, bold),
            ]
        )
    if table.not_reported:
        names = ", ".join(str(r.name) for r in table.not_reported)
        reason = f" (공표 사유 : {publication.reason})" if publication and publication.reason else ""
        line = sheet.add(
            [
                Cell(
                    f"※ 미보고 : {names}. 공표 때 승인된 실적이 없어 집행액과 합계의 집행액을 싣지 않았습니다{reason}",
                    NOTE,
                )
            ]
        )
        sheet.merge(line, 1, line, 6)
    return sheet


def program_sheet(*, bureau: Bureau, as_of: datetime.date) -> Sheet | None:
    """Every program's execution table on one sheet, one after another as the report's chapter III gives
    them; the writer breaks pages between programs only, so no table is split and pages fill up."""
    day = program_rows_latest_date(bureau=bureau, on_or_before=as_of)
    if day is None:
        return None
    sheet = Sheet("사업별 집행", "주요 사업별 예산집행 현황", day, 6)
    sheet.max_widths = {1: 28}
    sheet.add_heading(f"(단위: 천원, {display.report_date(day)}기준)")
    sheet.header_end = 2  # the sheet's title and unit line on every page; each table carries its own header
    for table in program_execution_tables(bureau=bureau, as_of=day):
        program = table.program
        number = f"{program.core_task.direction.number}-{program.number}"
        first = sheet.add([Cell(f"{number}. {program.title} ‣ 예산집행 현황", SUBTITLE)])
        sheet.merge(first, 1, first, 6)
        header = len(sheet.rows) + 1
        for top in (True, False):
            cells = (
                ["사업명", "예산현액", "집행액", "", "집행률(%)", ""]
                if top
                else ["", "", "원인행위", "지출액", "원인행위", "지출액"]
            )
            sheet.add([Cell(text, HEADER) for text in cells])
        for col, last_row, last_col in ((1, header + 1, 1), (2, header + 1, 2), (3, header, 4), (5, header, 6)):
            sheet.merge(header, col, last_row, last_col)
        rows = [(table.total, True)] if table.total else []
        rows += [(row, False) for row in table.rows]
        for row, bold in rows:
            sheet.add(
                [
                    Cell(str(row.label), LABEL, bold),
                    amount_cell(row.authority, bold=bold),
                    amount_cell(row.obligations, bold=bold),
                    amount_cell(row.disbursements, bold=bold),
                    rate_cell(row.obligation_rate, bold),
                    rate_cell(row.disbursement_rate, bold),
                ]
            )
        sheet.add([])  # a line between programs
        sheet.blocks.append((first, len(sheet.rows)))
    return sheet


def centre_sheet(*, bureau: Bureau, fiscal_year: int, as_of: datetime.date) -> Sheet | None:
    """민간위탁 운영 현황: the centres of the bureau's divisions (a centre of no division is no bureau's)."""
    staff_current, staff_base = centre_staffing_dates(on_or_before=as_of, bureau=bureau)
    if staff_current is None:
        return None
    rows = consigned_centre_table(
        fiscal_year=fiscal_year,
        base_year=fiscal_year - 1,
        staff_as_of=staff_current,
        staff_base_as_of=staff_base,
        bureau=bureau,
    )
    sheet = Sheet("민간위탁 운영 현황", f"{bureau.name} 주요 민간위탁 사업 운영 현황", as_of, 7)
    sheet.add_heading(f"({display.report_date(as_of)} 기준, 운영예산 단위 : 백만 원, 인력 단위 : 명)")

    def month(day):
        return f"’{day:%y}.{day.month}월" if day else "-"

    sheet.add_header(
        [
            [("센 터 명", 2, 1), ("운영예산(단위 : 백만 원)", 1, 3), ("인 력(단위 : 명)", 1, 3)],
            [
                None,
                (f"’{(fiscal_year - 1) % 100:02d}년", 1, 1),
                (f"’{fiscal_year % 100:02d}년", 1, 1),
                ("증감액", 1, 1),
                (month(staff_base), 1, 1),
                (month(staff_current), 1, 1),
                ("조정인원", 1, 1),
            ],
        ]
    )
    for index, row in enumerate(rows):
        bold = index == 0
        sheet.add(
            [
                Cell(str(row.name), LABEL, bold),
                amount_cell(row.budget_base, display.MILLION_WON, bold),
                amount_cell(row.budget_current, display.MILLION_WON, bold),
                amount_cell(row.budget_change, display.MILLION_WON, bold),
                _count(row.staff_base, bold),
                _count(row.staff_current, bold),
                _count(row.staff_change, bold),
            ]
        )
    return sheet


def schedule_sheet(*, bureau: Bureau, fiscal_year: int, as_of: datetime.date) -> Sheet:
    sheet = Sheet("향후 추진일정", "향후 추진일정", as_of, 6, landscape=True)
    sheet.max_widths = {1: 18, 2: 22, 3: 42, 4: 14}  # the texts wrap, so the sheet prints at 9 pt or more
    sheet.add_heading(f"({display.report_date(as_of)} 기준)")
    sheet.add_header(
        [
            [
                ("추진방향", 1, 1),
                ("주요 추진 사업", 1, 1),
                ("추진 내용", 1, 1),
                ("일정", 1, 1),
                ("시작 월", 1, 1),
                ("종료 월", 1, 1),
            ]
        ]
    )
    runs: dict[int, tuple[object, int]] = {}  # column → (value, first row) of the run being merged
    for item in schedule_item_list(bureau=bureau, fiscal_year=fiscal_year):
        program = item.program
        direction = program.core_task.direction
        grouped = [
            f"{direction.number}. {program.core_task.title}",
            f"{direction.number}-{program.number}. {program.title}",
        ]
        row = sheet.add(
            [
                *(Cell(text, TEXT) for text in grouped),
                Cell(item.text + (f"\n{item.detail}" if item.detail else ""), TEXT),
                Cell(item.date_text, TEXT),
                Cell(item.start_month, MONTH),
                Cell(item.end_month if item.end_month else "계속", MONTH),
            ]
        )
        for column, text in enumerate(grouped, start=1):
            value, first = runs.get(column, (None, row))
            if value != text:
                if value is not None:
                    sheet.merge(first, column, row - 1, column)
                runs[column] = (text, row)
    for column, (_value, first) in runs.items():
        sheet.merge(first, column, len(sheet.rows), column)
    # each direction on a page of its own where it fits, so that its merged name is never cut by a page break
    for row, cells in enumerate(sheet.rows[sheet.header_end :], start=sheet.header_end + 1):
        if sheet.blocks and sheet.rows[sheet.blocks[-1][0] - 1][0].value == cells[0].value:
            sheet.blocks[-1] = (sheet.blocks[-1][0], row)
        else:
            sheet.blocks.append((row, row))
    return sheet


def indicator_sheet(*, bureau: Bureau, as_of: datetime.date, recorded_by: datetime.datetime | None = None) -> Sheet:
    """Each indicator's reading: its name, date and program once (merged over its categories), each value
    with its unit in a column of its own. Landscape, the long texts wrapped, a reading never split."""
    sheet = Sheet("지표", "주요 지표", as_of, 6, landscape=True)
    sheet.max_widths = {1: 34, 2: 20, 6: 28}
    sheet.add_heading(f"({display.report_date(as_of)} 이전 기준일별)")
    sheet.add_header(
        [
            [
                ("지표", 1, 1),
                ("세부 구분", 1, 1),
                ("기준일", 1, 1),
                ("값", 1, 1),
                ("단위", 1, 1),
                ("주요 추진 사업", 1, 1),
            ]
        ]
    )
    indicators = list(bureau_indicators(bureau=bureau, fiscal_year=as_of.year))  # the year's, not every year's
    for reading in indicator_reading_list(indicators=indicators, on_or_before=as_of, recorded_by=recorded_by):
        indicator = reading.indicator
        program = indicator.program.title if indicator.program else "-"
        values = list(reading.values)
        if reading.total is not None and len(values) > 1:
            values = [("계", reading.total)] + values
        first = len(sheet.rows) + 1
        for category, value in values:
            sheet.add(
                [
                    Cell(indicator.name, TEXT),
                    Cell(category or "-", TEXT, bold=category == "계"),
                    Cell(reading.as_of, "date"),
                    Cell(value, QUANTITY, bold=category == "계"),
                    Cell(indicator.unit, UNIT),
                    Cell(program, TEXT),
                ]
            )
        last = len(sheet.rows)
        for column in (1, 3, 6):
            sheet.merge(first, column, last, column)
        sheet.blocks.append((first, last))
    return sheet


def _program_number(program) -> str:
    return f"{program.core_task.direction.number}-{program.number}. {program.title}"


def _target_cell(row: MeasureRow) -> Cell:
    """목표치: the year's target in force as a number, a range as 하한~상한 (text), or 목표 미설정."""
    target = row.target
    if target is None:
        return Cell("목표 미설정", LABEL)
    if row.direction == figures.RANGE:
        return Cell(f"{display.quantity(target.low)}~{display.quantity(target.high)}", LABEL)
    return Cell(target.value, QUANTITY)


def measure_sheet(
    *, bureau: Bureau, fiscal_year: int, as_of: datetime.date, recorded_by: datetime.datetime | None = None
) -> Sheet | None:
    """성과지표: each program's measures, under its core task as the report orders them, with the year's
    target in force, the latest result of the year on or before `as_of` and its date, the achievement and
    the status from the bureau's thresholds; as recorded when the edition was published (approved targets
    only), like the indicator sheet. A program without measures is named in a note below the table."""
    rows = measure_rows(
        indicators=bureau_indicators(bureau=bureau, fiscal_year=fiscal_year),
        bureau=bureau,
        fiscal_year=fiscal_year,
        on_or_before=as_of,
        recorded_by=recorded_by,
    )
    if not rows:
        return None
    columns = 8
    sheet = Sheet("성과지표", f"{fiscal_year} 주요 사업별 성과지표 현황", as_of, columns, landscape=True)
    sheet.max_widths = {1: 40, 3: 16}  # long names wrap: A4 landscape fitted to width stays above 9 pt
    sheet.add_heading(f"({display.report_date(as_of)} 이전 최근 실적 기준, 목표치·실적 단위 : 지표별, 달성률 단위 : %)")
    sheet.add_header(
        [
            [
                ("지표명", 1, 1),
                ("단위", 1, 1),
                ("방향", 1, 1),
                (f"{fiscal_year}년\n목표치", 1, 1),
                ("실적", 1, 1),
                ("실적\n기준일", 1, 1),
                ("달성률\n(%)", 1, 1),
                ("상태", 1, 1),
            ]
        ]
    )
    programs = [
        summary.program
        for summary in public_program_list(bureau=bureau)
        if summary.program.core_task.direction.fiscal_year == fiscal_year
    ]
    by_program: dict = {program: [] for program in programs}
    others: list[MeasureRow] = []  # measures of a division tied to no program of the year
    for row in rows:
        by_program.get(row.indicator.program, others).append(row)
    groups = [(program, by_program[program]) for program in programs if by_program[program]]
    if others:
        groups.append((None, others))
    task = None
    for program, measures in groups:
        first = len(sheet.rows) + 1
        if program is not None and program.core_task != task:
            task = program.core_task
            line = sheet.add([Cell(f"{task.direction.number}. {task.title}", SUBTITLE)])
            sheet.merge(line, 1, line, columns)
        heading = _program_number(program) if program else "그 밖의 지표"
        line = sheet.add([Cell(heading, LABEL, bold=True)] + [Cell("", LABEL)] * (columns - 1))
        sheet.merge(line, 1, line, columns)
        for row in measures:
            indicator = row.indicator
            sheet.add(
                [
                    Cell(indicator.name, TEXT),
                    Cell(indicator.unit, UNIT),
                    Cell(str(indicator.get_direction_display()), LABEL),
                    _target_cell(row),
                    Cell(row.result, QUANTITY),
                    Cell(row.result_as_of, "date"),
                    rate_cell(row.achievement),
                    Cell(str(STATUS_LABELS.get(row.status, display.NOT_AVAILABLE)), LABEL),
                ]
            )
        sheet.blocks.append((first, len(sheet.rows)))
    normal, caution = display.quantity(bureau.measure_normal_from), display.quantity(bureau.measure_caution_from)
    notes = [
        "※ 달성률 : 높을수록 좋음 = 실적 ÷ 목표 × 100, 낮을수록 좋음 = 목표 ÷ 실적 × 100,",
        "   범위 안 = 범위 안이면 100, 밑이면 실적 ÷ 하한 × 100, 위면 상한 ÷ 실적 × 100",
        f"※ 상태 : 달성 = 연간 목표 달성; 그 밖에는 기준일에 기대되는 목표 대비 {normal}% 이상 정상,",
        f"   {caution}% 이상 주의, 그 밑은 미흡; 목표나 실적이 없으면 '-'",
    ]
    without = [_program_number(program) for program in programs if not by_program[program]]
    if without:
        notes.append(f"※ 성과지표가 없는 사업 : {', '.join(without)}")
    for note in notes:
        line = sheet.add([Cell(note, NOTE)])
        sheet.merge(line, 1, line, columns)
    return sheet
