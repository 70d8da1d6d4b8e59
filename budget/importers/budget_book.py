"""Onboarding a bureau (or the whole city) from its budget book: a sheet with one row per budget line and
fiscal year, which creates or updates the bureaus, divisions, teams and budget lines it names.

The import: the file screened and read as every upload is (civicbureau.uploads: size, zip bomb, DTD,
formulas, a row limit) → each row's cells → each row against the stored records and the rows before it
→ every problem as (row, column, message) → all rows written in one transaction, or none
(budget.services.budget_book). A dry run takes the same path and is rolled back.

The rules (README, "Onboarding a bureau from its budget book"):
- a bureau is found by its name (국). A new one gets its address name (Bureau.slug, /b/<slug>/) from the
  optional 국 주소 column, or else one derived from its name ("bureau-" and the first 8 hex digits of
  the name's SHA-256: the same name gives the same address in every database, renamed in the admin at
  will; a later book finds the bureau by name). A 국 주소 that differs from a stored bureau's is refused:
  an address is changed in the admin, where its links are seen. Its 조직 신설일 is 1 January of the first
  fiscal year the book gives it (corrected in the admin);
- a division by (bureau, 과 name); a new one's code (Division.code, in its addresses) is derived the
  same way: "div-" and 12 hex digits of the SHA-256 of its bureau's and its own name;
- a team by (division, 팀 name); a blank 팀 means the line has no team;
- a line by (회계연도, 세부사업 코드), unique in the year across the city. A code the year already has in
  another division is refused, not moved: moving a line changes both divisions' figures and history, and
  a book is more often wrong (a code typed twice) than a reorganisation is right; a move is made in the
  admin. Its name, team and 당초예산 are updated;
- a bureau's year with a published edition (budget.models.Publication) is part of what was published: the
  public table of that year shows every line's 당초예산 as stored, so the book may neither change a line's
  당초예산 there nor add a line to it (a change of budget is an adjustment: 추경, 전용 …).
Nothing is deleted: a line missing from the book stays as it is.

xlsx and csv read through civicbureau.uploads rather than django-import-export, as for the monthly sheet:
the rows are checked against each other and the stored records in bulk, and written in bulk.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.validators import slug_re
from django.db import DataError, IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.models import BudgetLine, Publication
from budget.services.budget_book import BudgetBookPlan, budget_book_save
from civicbureau import audit, display, entry
from civicbureau.entry import Problem
from civicbureau.uploads import (
    FileError,
    SheetColumn,
    SheetLayout,
    SheetRow,
    formula_refused,
    is_empty,
    read_rows_logged,
    won_cell,
)
from staffing.models import Bureau, Division, Team

# The whole city's book over ten years is 54,000 rows (30 bureaus × 6 divisions × 30 lines × 10 years):
# about 7 MB as CSV and 1.4 MB as xlsx, which unpacks to 14 MB (shared strings, as Excel saves) or 30 MB
# (inline strings, as openpyxl saves). The limits take a city about twice that size and nothing larger:
# a file past them is not a budget book.
MAX_ROWS = 100_000
MAX_BYTES = 20 * 2**20
MAX_UNPACKED_BYTES = 80 * 2**20

LAYOUT = SheetLayout(
    sheet="예산서",
    columns=(
        SheetColumn("bureau", "국", read=True, input=True),
        SheetColumn("division", "과", read=True, input=True),
        SheetColumn("team", "팀", input=True),
        SheetColumn("line_code", "세부사업 코드", read=True, input=True),
        SheetColumn("line_name", "세부사업명", read=True, input=True, width=40),
        SheetColumn("fiscal_year", "회계연도", read=True, input=True),
        SheetColumn("original_budget", "당초예산(원)", read=True, input=True, number_format="#,##0"),
        SheetColumn("bureau_slug", "국 주소", input=True),
    ),
    max_rows=MAX_ROWS,
    empty_message=gettext_lazy(
        "빈 파일입니다. 첫 행에 머리글(국, 과, 팀, 세부사업 코드, 세부사업명, 회계연도, 당초예산(원))을 두세요."
    ),
    no_rows_message=gettext_lazy("머리글 아래에 세부사업 행이 없습니다."),
    max_bytes=MAX_BYTES,
    max_unpacked_bytes=MAX_UNPACKED_BYTES,
)

# The text columns and their longest value, as the models hold them.
_MAX_LENGTHS = {
    "bureau": Bureau._meta.get_field("name").max_length,
    "bureau_slug": Bureau._meta.get_field("slug").max_length,
    "division": Division._meta.get_field("name").max_length,
    "team": Team._meta.get_field("name").max_length,
    "line_code": BudgetLine._meta.get_field("code").max_length,
    "line_name": BudgetLine._meta.get_field("name").max_length,
}
_MAX_ORDER = 32_767  # the largest order a PositiveSmallIntegerField holds
_CONTROL = re.compile(r"[\x00-\x1f]")  # a line break, a tab, NUL (which PostgreSQL refuses in text)
_ADDRESS = re.compile(r"^[-a-z0-9]+$")  # what staffing.middleware serves under /b/<slug>/


class Kind(StrEnum):
    BUREAU = "bureau"
    DIVISION = "division"
    TEAM = "team"
    LINE = "line"


KIND_LABELS = {
    Kind.BUREAU: gettext_lazy("국"),
    Kind.DIVISION: gettext_lazy("과"),
    Kind.TEAM: gettext_lazy("팀"),
    Kind.LINE: gettext_lazy("세부사업"),
}


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class Change:
    """A record the book creates or updates: its first row, what it is, and for an update what changes."""

    kind: Kind
    row: int
    name: str
    created: bool
    detail: str = ""


@dataclass
class BudgetBookResult:
    rows: int = 0
    tallies: dict = field(default_factory=lambda: {kind: Tally() for kind in Kind})
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = True
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed_count(self) -> int:
        return sum(t.created + t.updated for t in self.tallies.values())

    @property
    def tally_rows(self) -> list[tuple[str, Tally]]:
        return [(KIND_LABELS[kind], tally) for kind, tally in self.tallies.items()]


@dataclass(frozen=True)
class BookRow:
    number: int
    bureau: str
    bureau_slug: str
    division: str
    team: str
    code: str
    name: str
    fiscal_year: int
    original_budget: int

    @property
    def where(self) -> str:
        return f"{self.number}행"


# -- from cells to a row --------------------------------------------------------------------------------


def _text(row: SheetRow, key: str, problems: list[Problem], *, max_length: int, required: bool = True) -> str:
    value = row.cells.get(key)
    if key in row.formulas:
        problems.append(formula_refused(row, key))
        return ""
    if is_empty(value):
        if required:
            problems.append(Problem(f"{row.number}행", key, _("값이 필요합니다.")))
        return ""
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
    if _CONTROL.search(text):
        problems.append(Problem(f"{row.number}행", key, _("줄바꿈이나 제어 문자가 있습니다.")))
        return ""
    if len(text) > max_length:
        problems.append(
            Problem(
                f"{row.number}행",
                key,
                _("%(max)s자 이하여야 합니다 (%(length)s자).") % {"max": max_length, "length": len(text)},
            )
        )
        return ""
    return text


def _year(row: SheetRow, problems: list[Problem]) -> int | None:
    value = row.cells.get("fiscal_year")
    if "fiscal_year" in row.formulas:
        problems.append(formula_refused(row, "fiscal_year"))
        return None
    text = str(int(value)) if isinstance(value, (int, float)) and float(value).is_integer() else str(value or "")
    year = entry.plausible_year(text)
    if year is None:
        problems.append(
            Problem(
                f"{row.number}행",
                "fiscal_year",
                _("%(first)s년부터 %(last)s년까지의 연도(네 자리)여야 합니다: %(value)s")
                % {
                    "first": entry.EARLIEST_ENTRY_YEAR,
                    "last": entry.latest_entry_date().year,
                    "value": str(value)[:40],
                },
            )
        )
    return year


def _book_row(row: SheetRow, problems: list[Problem]) -> BookRow | None:
    """A row's cells as a BookRow, or None with its problems (every column's, not only the first)."""
    found: list[Problem] = []
    texts = {
        key: _text(row, key, found, max_length=length, required=key not in ("team", "bureau_slug"))
        for key, length in _MAX_LENGTHS.items()
    }
    if texts["line_code"] and not slug_re.match(texts["line_code"]):
        message = _("영문자, 숫자, -, _ 만 씁니다: %(value)s") % {"value": texts["line_code"]}
        found.append(Problem(f"{row.number}행", "line_code", message))
    if texts["bureau_slug"] and not _ADDRESS.match(texts["bureau_slug"]):
        message = _("영문 소문자, 숫자, - 만 씁니다: %(value)s") % {"value": texts["bureau_slug"]}
        found.append(Problem(f"{row.number}행", "bureau_slug", message))
    year = _year(row, found)
    amount = won_cell(row, "original_budget", found)
    problems += found
    if found:
        return None
    return BookRow(
        number=row.number,
        bureau=texts["bureau"],
        bureau_slug=texts["bureau_slug"],
        division=texts["division"],
        team=texts["team"],
        code=texts["line_code"],
        name=texts["line_name"],
        fiscal_year=year,
        original_budget=amount,
    )


# -- rows against the stored records ------------------------------------------------------------------


def derived_slug(bureau_name: str) -> str:
    return "bureau-" + hashlib.sha256(bureau_name.encode()).hexdigest()[:8]


def derived_division_code(bureau_name: str, division_name: str) -> str:
    return "div-" + hashlib.sha256(f"{bureau_name}\n{division_name}".encode()).hexdigest()[:12]


class _Planner:
    """Reads what the book refers to in five queries whatever its size (every bureau, division and team,
    the lines of the book's years, the years' editions), then checks each row in order."""

    def __init__(self, rows: list[BookRow], result: BudgetBookResult):
        self.result = result
        self.plan = BudgetBookPlan()
        self.problems: list[Problem] = []
        years = {row.fiscal_year for row in rows}
        self.bureaus = {b.name: b for b in Bureau.objects.all()}
        self.slugs = {b.slug: b.name for b in self.bureaus.values()}
        stored_divisions = list(Division.objects.select_related("bureau"))
        self.divisions = {(d.bureau.name, d.name): d for d in stored_divisions}
        self.division_codes = {d.code for d in stored_divisions}
        self.division_names = {d.pk: (d.bureau.name, d.name) for d in stored_divisions}
        self.teams = {
            (t.division.bureau.name, t.division.name, t.name): t
            for t in Team.objects.select_related("division__bureau")
        }
        self.team_names = {team.pk: team.name for team in self.teams.values()}
        self.lines = {(line.fiscal_year, line.code): line for line in BudgetLine.objects.filter(fiscal_year__in=years)}
        self.published = set(
            Publication.objects.filter(as_of__year__in=years).values_list("bureau_id", "as_of__year").distinct()
        )
        self.first_year, self.given_slug = {}, {}  # a new bureau's first year, and the first 국 주소 given it
        for row in rows:
            self.first_year[row.bureau] = min(row.fiscal_year, self.first_year.get(row.bureau, row.fiscal_year))
            if row.bureau_slug:
                self.given_slug.setdefault(row.bureau, row.bureau_slug)
        self.next_order: dict = {}  # (bureau, division[, year]) → the next free order for a new record
        for division in stored_divisions:
            key = (division.bureau.name,)
            self.next_order[key] = max(self.next_order.get(key, 0), division.order + 1)
        for (bureau, division, _name), team in self.teams.items():
            self.next_order[(bureau, division)] = max(self.next_order.get((bureau, division), 0), team.order + 1)
        for line in self.lines.values():
            key = (*self.division_names[line.division_id], line.fiscal_year)
            self.next_order[key] = max(self.next_order.get(key, 0), line.order + 1)
        self.seen_bureaus: dict[str, BookRow] = {}
        self.seen_divisions: set = set()
        self.seen_teams: set = set()
        self.seen_lines: dict[tuple, BookRow] = {}
        self.line_names: dict[tuple, BookRow] = {}  # (year, bureau, division, name) → the row that names it

    def _order(self, key: tuple, row: BookRow, column: str) -> int | None:
        """The next free order among a new record's siblings; None, with a problem, past what the field holds."""
        order = self.next_order.get(key, 1)
        self.next_order[key] = order + 1
        if order > _MAX_ORDER:
            message = _("한 곳에 %(max)s개를 넘게 둘 수 없습니다.") % {"max": display.number(_MAX_ORDER)}
            self.problems.append(Problem(row.where, column, message))
            return None
        return order

    def bureau(self, row: BookRow) -> Bureau | None:
        bureau = self.bureaus.get(row.bureau)
        first = self.seen_bureaus.setdefault(row.bureau, row)
        if bureau is not None and row.bureau_slug and row.bureau_slug != bureau.slug:
            message = _("이 국의 주소는 %(slug)s입니다 (바꾸려면 관리 화면에서).") % {"slug": bureau.slug}
            self.problems.append(Problem(row.where, "bureau_slug", message))
            return None
        if bureau is not None:  # stored, or created at an earlier row
            if first is row:
                self.result.tallies[Kind.BUREAU].unchanged += 1
            return bureau
        if first is not row:  # refused at its first row
            return None
        given = self.given_slug.get(row.bureau)
        slug = given or derived_slug(row.bureau)
        if slug in self.slugs:
            message = _("주소 %(slug)s를 이미 %(other)s이(가) 씁니다. 국 주소 열에 다른 주소를 넣으세요.") % {
                "slug": slug,
                "other": self.slugs[slug],
            }
            self.problems.append(Problem(row.where, "bureau_slug" if given else "bureau", message))
            return None
        bureau = Bureau(name=row.bureau, slug=slug, established_on=datetime.date(self.first_year[row.bureau], 1, 1))
        self.bureaus[row.bureau] = bureau
        self.slugs[slug] = row.bureau
        self.plan.bureaus.append(bureau)
        self.result.tallies[Kind.BUREAU].created += 1
        self.result.changes.append(Change(Kind.BUREAU, row.number, f"{row.bureau} (/b/{slug}/)", created=True))
        return bureau

    def division(self, row: BookRow, bureau: Bureau) -> Division | None:
        key = (row.bureau, row.division)
        division = self.divisions.get(key)
        if key in self.seen_divisions:
            return division
        self.seen_divisions.add(key)
        if division is not None:
            self.result.tallies[Kind.DIVISION].unchanged += 1
            return division
        code = derived_division_code(row.bureau, row.division)
        if code in self.division_codes:
            message = _("새 과의 부서 코드 %(code)s를 이미 다른 과가 씁니다. 관리 화면에서 이 과를 먼저 만드세요.") % {
                "code": code
            }
            self.problems.append(Problem(row.where, "division", message))
            return None
        order = self._order((row.bureau,), row, "division")
        if order is None:
            return None
        division = Division(bureau=bureau, code=code, name=row.division, order=order)
        self.divisions[key] = division
        self.division_codes.add(code)
        self.plan.divisions.append(division)
        self.result.tallies[Kind.DIVISION].created += 1
        self.result.changes.append(Change(Kind.DIVISION, row.number, f"{row.bureau} {row.division}", created=True))
        return division

    def team(self, row: BookRow, division: Division) -> Team | None:
        if not row.team:
            return None
        key = (row.bureau, row.division, row.team)
        team = self.teams.get(key)
        if key in self.seen_teams:
            return team
        self.seen_teams.add(key)
        if team is not None:
            self.result.tallies[Kind.TEAM].unchanged += 1
            return team
        order = self._order((row.bureau, row.division), row, "team")
        if order is None:
            return None
        team = Team(division=division, name=row.team, order=order)
        self.teams[key] = team
        self.plan.teams.append(team)
        self.result.tallies[Kind.TEAM].created += 1
        self.result.changes.append(Change(Kind.TEAM, row.number, " ".join(key), created=True))
        return team

    def line(self, row: BookRow, bureau: Bureau, division: Division, team: Team | None) -> None:
        key = (row.fiscal_year, row.code)
        first = self.seen_lines.get(key)
        if first is not None:
            message = _("%(row)s와 연도·사업 코드가 같습니다.") % {"row": first.where}
            self.problems.append(Problem(row.where, "line_code", message))
            return
        self.seen_lines[key] = row
        name_key = (row.fiscal_year, row.bureau, row.division, row.name)
        if name_key in self.line_names:
            message = _("%(row)s와 같은 과·연도에 이름이 같습니다.") % {"row": self.line_names[name_key].where}
            self.problems.append(Problem(row.where, "line_name", message))
            return
        self.line_names[name_key] = row
        published = (bureau.pk, row.fiscal_year) in self.published
        line = self.lines.get(key)
        label = f"{row.fiscal_year} {row.code} {row.name}"
        if line is None:
            if published:
                message = _("%(year)s년은 공표된 판이 있어 새 사업을 넣을 수 없습니다 (공표된 표가 바뀝니다).") % {
                    "year": row.fiscal_year
                }
                self.problems.append(Problem(row.where, "line_code", message))
                return
            order = self._order((row.bureau, row.division, row.fiscal_year), row, "line_code")
            if order is None:
                return
            line = BudgetLine(
                division=division,
                team=team,
                fiscal_year=row.fiscal_year,
                code=row.code,
                name=row.name,
                order=order,
                original_budget=row.original_budget,
            )
            self.plan.lines.append(line)
            self.result.tallies[Kind.LINE].created += 1
            self.result.changes.append(
                Change(Kind.LINE, row.number, label, created=True, detail=display.number(row.original_budget))
            )
            return
        if line.division_id != division.pk:
            where = " ".join(self.division_names[line.division_id])
            message = _(
                "이 코드는 %(year)s년 %(where)s의 사업입니다. 다른 과로 옮기지 않습니다 (옮기려면 관리 화면에서)."
            ) % {"year": row.fiscal_year, "where": where}
            self.problems.append(Problem(row.where, "line_code", message))
            return
        details = []
        if line.original_budget != row.original_budget:
            if published:
                message = _(
                    "%(year)s년은 공표된 판이 있어 당초예산(지금 %(old)s원)을 바꿀 수 없습니다. 바뀐 예산은 예산 변경(추경·전용 등)으로 넣습니다."
                ) % {"year": row.fiscal_year, "old": display.number(line.original_budget)}
                self.problems.append(Problem(row.where, "original_budget", message))
                return
            details.append(
                f"{_('당초예산(원)')} {display.number(line.original_budget)} → {display.number(row.original_budget)}"
            )
            line.original_budget = row.original_budget
        if line.name != row.name:
            details.append(f"{_('세부사업명')} {line.name} → {row.name}")
            line.name = row.name
        new_team = team is not None and team.pk is None
        if new_team or line.team_id != (team.pk if team else None):
            details.append(f"{_('팀')} {self.team_names.get(line.team_id, '-')} → {team or '-'}")
            line.team = team
        if not details:
            self.result.tallies[Kind.LINE].unchanged += 1
            return
        self.plan.lines.append(line)
        self.result.tallies[Kind.LINE].updated += 1
        self.result.changes.append(Change(Kind.LINE, row.number, label, created=False, detail="; ".join(details)))

    def names_left_unique(self) -> None:
        """A line the book names may not take the name of a stored line of its division and year that the
        book leaves as it is (BudgetLine's unique name)."""
        for line in self.lines.values():
            if (line.fiscal_year, line.code) in self.seen_lines:
                continue
            row = self.line_names.get((line.fiscal_year, *self.division_names[line.division_id], line.name))
            if row is not None and row.code != line.code:
                message = _("같은 과·연도의 사업 %(code)s와 이름이 같습니다.") % {"code": line.code}
                self.problems.append(Problem(row.where, "line_name", message))


def _plan(rows: list[BookRow], result: BudgetBookResult) -> tuple[BudgetBookPlan, list[Problem]]:
    planner = _Planner(rows, result)
    for row in rows:
        bureau = planner.bureau(row)
        division = bureau and planner.division(row, bureau)
        if division is None:
            continue
        team = planner.team(row, division)
        planner.line(row, bureau, division, team)
    planner.names_left_unique()
    return planner.plan, planner.problems


# -- the import -----------------------------------------------------------------------------------------


def _row_number(problem: Problem) -> int:
    return int(problem.row.removesuffix("행")) if problem.row.removesuffix("행").isdecimal() else 0


def _no_progress(percent: int, text: str) -> None:
    pass


def budget_book_import(
    *, content: bytes, filename: str, user, dry_run: bool, progress=_no_progress
) -> BudgetBookResult:
    """Import a budget book: all rows or none. `user` is the administrator on the page (the service
    refuses anyone else), None from the management command; the history records them and how ('import').
    `progress(percent, text)` hears of each step (a job's page shows it: budget.jobs)."""
    result = BudgetBookResult(dry_run=dry_run)
    progress(5, _("파일을 읽는 중"))
    try:
        sheet_rows = read_rows_logged(content, filename, LAYOUT, user=user)
    except FileError as exc:
        result.problems.append(exc.problem)
        return result
    result.rows = len(sheet_rows)
    progress(30, _("%(rows)s행의 값을 확인하는 중") % {"rows": display.number(result.rows)})
    problems: list[Problem] = []
    rows = [row for row in (_book_row(sheet_row, problems) for sheet_row in sheet_rows) if row is not None]
    progress(45, _("저장된 국·과·팀·세부사업과 맞춰 보는 중"))
    plan, plan_problems = _plan(rows, result)
    problems += plan_problems
    if problems:
        result.problems = sorted(problems, key=_row_number)
        return result
    progress(65, _("저장하는 중") if not dry_run else _("저장해 보는 중 (되돌립니다)"))
    try:
        with transaction.atomic():
            budget_book_save(plan=plan, user=user, how=audit.How.IMPORT)
            if dry_run:
                transaction.set_rollback(True)
    except (IntegrityError, DataError):  # a rule the database keeps that the checks above missed (a swap of names)
        message = _(
            "저장하지 못했습니다: 같은 과·연도에 이름이 같은 사업이나 같은 코드가 생깁니다. 아무것도 저장하지 않았습니다."
        )
        result.problems = [Problem("", "line_code", message)]
        return result
    result.applied = not dry_run
    return result
