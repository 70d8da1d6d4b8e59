"""The city briefing, for the budget office: every bureau's latest published execution side by side, then
each bureau's 예산 집행 현황 on a sheet of its own (reports.rows.execution_table_sheet, as in the bureau's own
briefing). Published figures only: a bureau with nothing published by the date is 미공표 in the summary and
has no sheet. Like reports.rows, nothing here knows about xlsx: reports.writer writes these sheets.
"""

import dataclasses
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from budget.models import Publication
from budget.selectors.execution import ExecutionRow, RowLevel, execution_table, pace_curve, sum_rows
from budget.selectors.periods import publication_on, published_by
from civicbureau import display, figures
from reports.rows import (
    AMOUNT,
    LABEL,
    NOTE,
    RATE,
    TEXT,
    BriefingError,
    Cell,
    Sheet,
    add_contents,
    add_cover_facts,
    amount_cell,
    execution_table_sheet,
    rate_cell,
)
from staffing.models import Bureau
from staffing.selectors import bureau_list

CITY = "시 전체"
NOT_PUBLISHED = "미공표"
COVER, SUMMARY = "표지", "국별 집행 요약"
SHEET_NAME_LIMIT = 31  # Excel's limit on a sheet's name
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet's name


@dataclass
class CityRow:
    """A bureau's line of the summary: its edition and its table's total (None: nothing published)."""

    bureau: Bureau
    publication: Publication | None
    total: ExecutionRow | None  # with the bureau's pace at its own as-of date (ExecutionRow.pace)
    not_reported: bool = False  # a division of the edition was 미보고: no 지출액 total (no partial sum)


@dataclass
class CityBriefing:
    """The city briefing: the rows of its summary and its sheets (the cover first)."""

    fiscal_year: int
    as_of: datetime.date  # the date asked for (default: the latest period published); each bureau's own is its row's
    rows: list[CityRow]
    total: ExecutionRow | None  # the city's: the published bureaus' amounts summed, the rates derived from the sums
    sheets: list[Sheet]
    printed_on: datetime.date | None = None

    owner = CITY

    @property
    def period_line(self) -> str:
        return f"{display.report_date(self.as_of)} 이전 공표분 (국별 최근 공표 기준일)"

    @property
    def title(self) -> str:
        return f"{CITY} 예산 집행 현황 {self.fiscal_year} ({self.period_line})"

    @property
    def filename(self) -> str:
        return f"시전체-예산집행-{self.as_of:%Y-%m-%d}.xlsx"


def city_briefing_check(*, fiscal_year: int, as_of: datetime.date | None = None) -> None:
    """Raises the BriefingError city_briefing_build would when no bureau published a period of the year by
    `as_of`: one query, so a request is refused at once instead of starting a job bound to fail."""
    if not published_by(fiscal_year=fiscal_year, on_or_before=as_of):
        raise _nothing_published(fiscal_year, as_of)


def _nothing_published(fiscal_year: int, as_of: datetime.date | None) -> BriefingError:
    limit = f"{as_of}까지 " if as_of else ""
    return BriefingError(f"{CITY}: {limit}공표된 {fiscal_year}년 기준일이 없습니다.")


def city_briefing_build(
    *, fiscal_year: int, as_of: datetime.date | None = None, progress: Callable[[int, int, str], None] | None = None
) -> CityBriefing:
    """The city briefing of a fiscal year: each bureau as of its latest period of the year published at or
    before `as_of` (default: the year's latest), in that period's latest edition. Queries: the bureaus, then
    three a bureau (its edition, its table, its pace), whatever the number of lines. `progress(done, count,
    name)` is called as each bureau is taken up (the job queue's progress, reports.jobs)."""
    rows, sheets = [], []
    bureaus = bureau_list()
    for done, bureau in enumerate(bureaus, start=1):
        if progress is not None:
            progress(done, len(bureaus), bureau.name)
        publication = publication_on(bureau=bureau, fiscal_year=fiscal_year, on_or_before=as_of)
        if publication is None:
            rows.append(CityRow(bureau, None, None))
            continue
        table = execution_table(bureau=bureau, fiscal_year=fiscal_year, publication=publication)
        pace = pace_curve(bureau=bureau, fiscal_year=fiscal_year).at(figures.months_elapsed(publication.as_of))
        total = dataclasses.replace(table.total, name=bureau.name, snapshot_as_of=publication.as_of, pace=pace)
        rows.append(CityRow(bureau, publication, total, not_reported=bool(table.not_reported)))
        sheet = execution_table_sheet(table, as_of=publication.as_of, owner=bureau.name)
        sheet.period_line = (
            f"{bureau.name} {display.report_date(publication.as_of)} 기준 {display.edition_line(publication)}"
        )
        sheets.append(sheet)
    published = [row for row in rows if row.publication]
    if not published:
        raise _nothing_published(fiscal_year, as_of)
    dates = {row.publication.as_of for row in published}
    as_of = as_of or max(dates)
    common = next(iter(dates)) if len(dates) == 1 else None  # the city's pace only when every bureau is at one date
    total = sum_rows(
        RowLevel.TOTAL,
        f"{CITY} 합계",
        [row.total for row in published],
        pace=pace_curve(bureau=None, fiscal_year=fiscal_year).at(figures.months_elapsed(common)) if common else None,
        snapshot_as_of=common,
    )
    for sheet, name in zip(
        sheets, sheet_names([row.bureau.name for row in published], taken=[COVER, SUMMARY]), strict=True
    ):
        sheet.name = name
    briefing = CityBriefing(fiscal_year, as_of, rows, total, [], printed_on=timezone.localdate())
    summary = city_summary_sheet(briefing)
    briefing.sheets = [city_cover_sheet(briefing, [summary, *sheets]), summary, *sheets]
    return briefing


def sheet_names(names: list[str], *, taken: list[str]) -> list[str]:
    """Each name as a sheet's name: the characters Excel refuses replaced, cut to 31 characters, and made
    unique (Excel compares names without case) by a number at the end, ' (2)', ' (3)' …, when two bureaus'
    names are the same once cut."""
    used = {name.casefold() for name in taken}
    out = []
    for name in names:
        base = SHEET_NAME_FORBIDDEN.sub("_", name).strip("'").strip() or "국"
        candidate, number = base[:SHEET_NAME_LIMIT], 1
        while candidate.casefold() in used:
            number += 1
            suffix = f" ({number})"
            candidate = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        used.add(candidate.casefold())
        out.append(candidate)
    return out


def city_cover_sheet(briefing: CityBriefing, sheets: list[Sheet]) -> Sheet:
    """The first sheet: the city, the period, the day it was printed, and the contents linking every sheet."""
    published = sum(1 for row in briefing.rows if row.publication)
    sheet = Sheet(COVER, f"{briefing.fiscal_year}년 {CITY} 예산 집행 현황", briefing.as_of, 4)
    sheet.max_widths = {2: 30, 3: 44}
    sheet.add_heading(f"({display.report_date(briefing.as_of)} 이전 공표분)")
    add_cover_facts(
        sheet,
        [
            ("구분", f"{CITY} ({len(briefing.rows)}개 국, 공표 {published}개 국)"),
            (
                "기간",
                f"{briefing.fiscal_year} 회계연도, 각 국이 {display.report_date(briefing.as_of)}이나 그 전에 "
                "공표한 가장 최근 기준일",
            ),
            ("판", "각 국의 그 기준일 최신 판 (공표된 실적만)"),
            ("출력일", display.report_date(briefing.printed_on)),
        ],
    )
    add_contents(sheet, sheets)
    return sheet


COLUMNS = 9


def city_summary_sheet(briefing: CityBriefing) -> Sheet:
    """Each bureau's latest published period: its date and edition, 예산현액, 원인행위, 지출액, 집행률, the pace
    expected at that date and the gap; the city's total first, from the summed amounts."""
    sheet = Sheet(SUMMARY, f"{briefing.fiscal_year} 국별 예산 집행 현황", briefing.as_of, COLUMNS, landscape=True)
    sheet.max_widths = {1: 24}
    sheet.add_heading(f"({display.report_date(briefing.as_of)} 이전 공표분, 국별 기준일, 단위 : 천원, %, %p)")
    sheet.add_header(
        [
            [
                ("국", 2, 1),
                ("기준일", 2, 1),
                ("판", 2, 1),
                ("예산현액\n(A)", 2, 1),
                ("집행액", 1, 2),
                ("집행률(%)\n(B/A)", 2, 1),
                ("목표\n진도율(%)", 2, 1),
                ("차이(%p)", 2, 1),
            ],
            [None, None, None, None, ("원인행위", 1, 1), ("지출액(B)", 1, 1), None, None, None],
        ]
    )
    total = briefing.total
    date = Cell(total.snapshot_as_of, "date", True) if total.snapshot_as_of else Cell("국별 상이", LABEL, True)
    sheet.add([Cell(total.name, LABEL, True), date, Cell("-", TEXT), *_figures(total, bold=True)])
    for row in briefing.rows:
        if row.publication is None:
            sheet.add(
                [Cell(row.bureau.name, LABEL), Cell(None, "date"), Cell(NOT_PUBLISHED, LABEL)]
                + [Cell(None, AMOUNT)] * 3
                + [Cell(None, RATE)] * 3
            )
            continue
        sheet.add(
            [
                Cell(row.bureau.name, LABEL),
                Cell(row.publication.as_of, "date"),
                Cell(f"제{row.publication.edition}판", LABEL),
                *_figures(row.total),
            ]
        )
    notes = [
        "※ 각 국은 고른 날이나 그 전에 그 국이 공표한 가장 최근 기준일의 최신 판이며, 공표된 실적만 싣습니다.",
        "※ 집행률 = 지출액 ÷ 예산현액 × 100. 목표 진도율 : 그 국의 기준일에 기대되는 집행률(국의 목표, 없으면 시 목표).",
        "※ 합계 : 공표한 국의 금액을 더한 값이며, 목표 진도율은 모든 국의 기준일이 같을 때만 (시 목표) 싣습니다.",
    ]
    unpublished = [row.bureau.name for row in briefing.rows if row.publication is None]
    if unpublished:
        notes.append(f"※ {NOT_PUBLISHED} (합계에 넣지 않음) : {', '.join(unpublished)}")
    partial = [row.bureau.name for row in briefing.rows if row.not_reported]
    if partial:
        notes.append(f"※ 미보고 과가 있는 국 (지출액·집행률과 합계의 지출액을 싣지 않음) : {', '.join(partial)}")
    sheet.add([])
    for note in notes:
        line = sheet.add([Cell(note, NOTE)])
        sheet.merge(line, 1, line, COLUMNS)
    return sheet


def _figures(row: ExecutionRow, *, bold: bool = False) -> list[Cell]:
    pace: Decimal | None = row.pace
    return [
        amount_cell(row.authority, bold=bold),
        amount_cell(row.obligations, bold=bold),
        amount_cell(row.disbursements, bold=bold),
        rate_cell(row.rate, bold),
        rate_cell(pace, bold),
        rate_cell(row.pace_gap, bold),
    ]
