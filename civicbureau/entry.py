"""What every entry path shares (forms, imports, commands; budget, programs, staffing): a refused value is
a Problem naming its row and field, a refused submission is an EntryError carrying all of them, and an
edit that started from an older version is a StaleVersion. The words of a refusal live here once."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from civicbureau import figures

# The field of a problem, as people read it (the same words as the grids' headers and the template's).
FIELD_LABELS = {
    "code": _("사업 코드"),
    "obligations": _("원인행위 누계(원)"),
    "disbursements": _("지출액 누계(원)"),
    "as_of": _("기준일"),
    "fiscal_year": _("회계연도"),
    "version": _("버전"),
    "reason": _("사유"),
    "status": _("상태"),
    "kind": _("구분"),
    "amount": _("금액(원)"),
    "effective_on": _("적용일"),
    "actual_start": _("실제 시작일"),
    "actual_end": _("실제 종료일"),
    "note": _("진행 메모"),
    "value": _("값"),
    "category": _("세부 구분"),
    "quota": _("정원"),
    "current": _("현원"),
    "grade": _("직급"),
    # the budget book's columns (budget.importers.budget_book)
    "bureau": _("국"),
    "bureau_slug": _("국 주소"),
    "division": _("과"),
    "team": _("팀"),
    "line_code": _("세부사업 코드"),
    "line_name": _("세부사업명"),
    "original_budget": _("당초예산(원)"),
}

# The bounds of figures.py in words, and as the validators of every model field that holds such a figure
# (each model states them again as a CheckConstraint with the same words).
WON_OUT_OF_BOUNDS = _("금액은 ±1,000조 원(10¹⁵) 안이어야 합니다.")
PEOPLE_OUT_OF_BOUNDS = _("인원은 100만 명(10⁶) 이하여야 합니다.")
INDICATOR_OUT_OF_BOUNDS = _("값은 ±10조(10¹³) 안이어야 합니다.")
WON_BOUNDS = [
    MinValueValidator(-figures.MAX_WON, WON_OUT_OF_BOUNDS),
    MaxValueValidator(figures.MAX_WON, WON_OUT_OF_BOUNDS),
]
PEOPLE_BOUNDS = [MaxValueValidator(figures.MAX_PEOPLE, PEOPLE_OUT_OF_BOUNDS)]
INDICATOR_BOUNDS = [
    MinValueValidator(-figures.MAX_INDICATOR_VALUE, INDICATOR_OUT_OF_BOUNDS),
    MaxValueValidator(figures.MAX_INDICATOR_VALUE, INDICATOR_OUT_OF_BOUNDS),
]

VERSION_UNKNOWN = _("어느 버전에서 시작한 수정인지 알 수 없어 저장하지 않았습니다. 화면을 새로 불러오세요.")


@dataclass(frozen=True)
class Problem:
    """One refused value: where it is (a budget line code, or a spreadsheet row), which field, and why."""

    row: str
    field: str
    message: str

    def __str__(self):
        label = FIELD_LABELS.get(self.field, self.field)
        return f"{self.row} · {label}: {self.message}" if self.row else f"{label}: {self.message}"


@dataclass(frozen=True)
class Caution(Problem):
    """A value that may be a slip but can be true (a cumulative figure below the previous one, a figure about
    1,000 times off): the save is held until the person confirms it. `key` names it in a confirmation:
    "<line code>:<rule>:<field>"."""

    key: str = ""


class EntryError(Exception):
    """A submission refused as a whole: nothing of it was saved. `problems` holds every refusal of the
    submission and, with them, its cautions, so that one answer names everything."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))

    @property
    def cautions(self) -> list[Caution]:
        return [p for p in self.problems if isinstance(p, Caution)]


class NeedsConfirmation(EntryError):
    """Nothing is refused, but some cautions are not confirmed yet: nothing was saved until each is."""


class StaleVersion(EntryError):
    """Someone changed the record after this edit started; their changes are named."""


def version_unknown(row: str = "") -> Problem:
    """An edit that does not say which version it started from (a form without its hidden version)."""
    return Problem(row, "version", str(VERSION_UNKNOWN))


def require_version(version: int | None, row: str = "") -> None:
    """Refuse an edit without a version: optimistic locking cannot tell what it would overwrite."""
    if version is None:
        raise EntryError([version_unknown(row)])


def problems_from(exc: ValidationError, row: str) -> list[Problem]:
    """A model's ValidationError as problems of one row, field by field."""
    return [
        Problem(row, "status" if field == NON_FIELD_ERRORS else field, m)
        for field, messages in exc.message_dict.items()
        for m in messages
    ]


def form_problems(form, row: str = "") -> list[Problem]:
    """A bound form's errors as problems naming the field (the same words as a service's)."""
    return [
        Problem(row, "status" if field == NON_FIELD_ERRORS else field, e)
        for field, errors in form.errors.items()
        for e in errors
    ]


def formset_problems(formset, version_form, *, key_field: str, row_name) -> list[Problem]:
    """A grid's errors, all at once: the missing version, the grid's own errors (under `key_field`), and
    each row's errors under the name `row_name(key)` gives the row's posted key (a line code, a grade)."""
    problems = [] if version_form.is_valid() else [version_unknown()]
    problems += [Problem("", key_field, e) for e in formset.non_form_errors()]
    for form in formset.forms:
        problems += form_problems(form, row_name(form.data.get(f"{form.prefix}-{key_field}", "")))
    return problems


EARLIEST_ENTRY_YEAR = 2000  # no figure of the portal's bureaus is older


def latest_entry_date() -> datetime.date:
    """The last day a figure may be dated: the end of next year."""
    return datetime.date(datetime.date.today().year + 1, 12, 31)


def is_plausible_date(day: datetime.date) -> bool:
    """A day the portal can hold figures for: from 2000 to the end of next year."""
    return datetime.date(EARLIEST_ENTRY_YEAR, 1, 1) <= day <= latest_entry_date()


def plausible_year(text: str) -> int | None:
    """A year asked for in an address ('2022'), when it is one the portal can hold figures for (2000 to the
    end of next year, as check_entry_date): None for anything else ('0', '-1', '99999999999999999999', '²')."""
    text = text.strip()
    if not (text.isascii() and text.isdecimal() and len(text) == 4):
        return None
    year = int(text)
    return year if EARLIEST_ENTRY_YEAR <= year <= latest_entry_date().year else None


def check_entry_date(day, *, row: str = "", field: str = "as_of") -> None:
    """A date typed for a figure must be plausible: from 2000 to the end of next year (a slip such as
    9999-12-31 would otherwise become the bureau's latest date)."""
    latest = latest_entry_date()
    if not is_plausible_date(day):
        raise EntryError(
            [
                Problem(
                    row,
                    field,
                    _("기준일 %(day)s이 입력할 수 있는 범위(%(first)s년 ~ %(last)s년) 밖입니다.")
                    % {"day": day.isoformat(), "first": EARLIEST_ENTRY_YEAR, "last": latest.year},
                )
            ]
        )
