"""The city extract's write: the finance system's cumulative figures of every bureau's lines at one month
end, written as each division's month in draft, in one transaction, for the division to review and submit.

The rules are those of a division's own entry (entry.execution_rows_check: the model's rules of each row,
the cautions, a whole column in 천원); what differs is how they are read and written. Every line of the
year, its previous figures, the month's snapshots and the months are read in five queries for the whole
city, each division's rows checked in memory, and the months and snapshots written by audit.save_many (a
few statements, a history row each, with who and the file it came from).

- A division whose month is submitted or approved is never changed: if the file would change any of its
  lines, the whole file is refused naming those divisions; if the file holds its figures already, the
  division is left as it is.
- Lines of the year the file does not hold are listed by bureau and division and left as they are; rows
  whose code is no line of the year are listed by row and not written; neither refuses the file.
- Cautions (figures that may be slips) hold the file until the person confirms them, as in the staff
  import; each saved row records the cautions confirmed with it, which the division reviews in its draft.
- The extract never submits or approves: a month it writes is a draft (a returned month becomes one).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from budget.models import BudgetLine, DivisionMonth, ExecutionSnapshot
from budget.selectors.execution import budget_line_adjustments, budget_line_figures
from budget.services.entry import ExecutionInput, confirmed_with, execution_rows_check
from civicbureau import audit, figures
from civicbureau.entry import Caution, EntryError, NeedsConfirmation, Problem, StaleVersion, check_entry_date
from civicbureau.locks import ROW_LOCK
from staffing.models import Division
from staffing.permissions import can_import_city_extract

SOURCE = "시 재정시스템 추출"  # the history's change reason, with the file's name: stored data, not translated
REASON_LENGTH = 100  # simple_history's history_change_reason


def extract_reason(filename: str) -> str:
    """How the extract's changes are recorded: "시 재정시스템 추출 <file name>", within the history's column."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return f"{SOURCE} {name}"[:REASON_LENGTH]


@dataclass
class DivisionExtract:
    """One division in the extract: its month at the date, its rows, what would change, the lines of the year
    the file does not hold, its cautions and problems."""

    division: Division
    month: DivisionMonth | None
    rows: int = 0
    to_save: list[ExecutionSnapshot] = field(default_factory=list)
    missing_lines: list[BudgetLine] = field(default_factory=list)
    cautions: list[Caution] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.month.get_status_display() if self.month else DivisionMonth.Status.MISSING.label

    @property
    def locked(self) -> bool:
        return self.month is not None and self.month.is_locked

    @property
    def version(self) -> int:
        return self.month.version if self.month else 0


@dataclass
class ExtractPlan:
    """What the extract would do at `as_of`, division by division (bureau, then division order)."""

    as_of: datetime.date
    divisions: list[DivisionExtract] = field(default_factory=list)
    unknown_codes: list[ExecutionInput] = field(default_factory=list)  # rows whose code is no line of the year
    problems: list[Problem] = field(default_factory=list)
    cautions: list[Caution] = field(default_factory=list)

    @property
    def versions(self) -> dict[str, int]:
        """Each division's month version as read (0: no month yet), to refuse an apply after a change."""
        return {str(d.division.pk): d.version for d in self.divisions if d.rows}

    @property
    def changed_count(self) -> int:
        return sum(len(d.to_save) for d in self.divisions)

    @property
    def missing_count(self) -> int:
        return sum(len(d.missing_lines) for d in self.divisions)


def extract_date_check(as_of: datetime.date) -> None:
    """The extract's date: a plausible month end (EntryError otherwise)."""
    check_entry_date(as_of)
    if as_of != figures.month_end(as_of):
        raise EntryError(
            [
                Problem(
                    "",
                    "as_of",
                    _("기준일은 월말이어야 합니다 (예: %(date)s).") % {"date": figures.month_end(as_of).isoformat()},
                )
            ]
        )


def _locked_problem(item: DivisionExtract) -> Problem:
    message = _(
        "%(status)s 상태의 달이어서 추출로 바꿀 수 없습니다: 파일의 %(n)s개 행이 지금 값과 다릅니다. 이 과를 파일에서 빼거나, 과가 회수·정정한 뒤 다시 올리세요."
    )
    return Problem(
        f"{item.division.bureau.name} {item.division.name}",
        "status",
        message % {"status": item.status, "n": len(item.to_save)},
    )


def city_extract_plan(*, as_of: datetime.date, rows: list[ExecutionInput], lock: bool = False) -> ExtractPlan:
    """Check the extract's rows against every line of as_of's year, division by division; writes nothing.
    Five queries whatever the number of rows: the divisions, the lines (with their 예산현액), their figures
    before the date, the date's snapshots, the date's months (locked for update with `lock`)."""
    plan = ExtractPlan(as_of=as_of)
    year_lines = BudgetLine.objects.filter(fiscal_year=as_of.year)
    # the divisions apart (a few hundred), not joined to each of the thousands of lines
    division_of = {
        d.pk: d
        for d in Division.objects.filter(budget_lines__fiscal_year=as_of.year).distinct().select_related("bureau")
    }
    lines = {}
    for line in budget_line_adjustments(
        lines=year_lines.order_by("division__bureau__name", "division__order", "division__name", "order"), as_of=as_of
    ):
        line.division = division_of[line.division_id]
        lines[line.code] = line
    previous = {  # only what a caution compares with
        line.pk: line
        for line in budget_line_figures(lines=year_lines.only("pk"), as_of=as_of - datetime.timedelta(days=1))
    }
    existing = {
        s.budget_line_id: s for s in ExecutionSnapshot.objects.filter(budget_line__fiscal_year=as_of.year, as_of=as_of)
    }
    months = DivisionMonth.objects.filter(as_of=as_of)
    months = {m.division_id: m for m in (months.select_for_update(**ROW_LOCK) if lock else months)}

    divisions: dict[int, DivisionExtract] = {}
    by_division: dict[int, list[BudgetLine]] = {}
    for line in lines.values():
        if line.division_id not in divisions:
            divisions[line.division_id] = DivisionExtract(line.division, months.get(line.division_id))
        by_division.setdefault(line.division_id, []).append(line)
    grouped: dict[int, list[ExecutionInput]] = {}
    for row in rows:
        if not row.code:
            plan.problems.append(Problem(row.where, "code", _("사업 코드가 비어 있습니다.")))
        elif row.code not in lines:
            plan.unknown_codes.append(row)
        else:
            grouped.setdefault(lines[row.code].division_id, []).append(row)
    for division_id, item in divisions.items():
        item.rows = len(grouped.get(division_id, []))
        if item.rows:
            item.to_save, item.problems, item.cautions = execution_rows_check(
                division=item.division,
                as_of=as_of,
                rows=grouped[division_id],
                lines=lines,
                previous=previous,
                existing=existing,
                check_lock=False,  # the months are checked here, all at once
            )
        held = {row.code for row in grouped.get(division_id, [])}
        item.missing_lines = [line for line in by_division[division_id] if line.code not in held]
    for item in divisions.values():
        plan.divisions.append(item)
        if item.locked and item.to_save:
            plan.problems.append(_locked_problem(item))
            continue  # a locked month is not written: its rows' cautions do not apply
        plan.problems += item.problems
        plan.cautions += item.cautions
    return plan


def city_extract_save(
    *,
    user,
    as_of: datetime.date,
    rows: list[ExecutionInput],
    source: str,
    confirmed=(),
    versions: dict[str, int] | None = None,
) -> ExtractPlan:
    """Write the extract as each division's month in draft: every row or none, in one transaction.

    Refused (EntryError, nothing written) with every problem at once; held (NeedsConfirmation) until every
    caution is in `confirmed`; refused (StaleVersion) when `versions` (those the preview read) no longer
    match a division's month. Divisions with nothing to change are left as they are (no new version).
    `source` is recorded as the history's change reason (extract_reason)."""
    if not can_import_city_extract(user):
        raise PermissionDenied(_("시 재정시스템 추출은 예산담당관과 관리자만 올릴 수 있습니다."))
    extract_date_check(as_of)
    with transaction.atomic():
        plan = city_extract_plan(as_of=as_of, rows=rows, lock=True)
        if plan.problems:
            raise EntryError(plan.problems + plan.cautions)
        if versions is not None:
            moved = [
                f"{d.division.bureau.name} {d.division.name}"
                for d in plan.divisions
                if d.rows and versions.get(str(d.division.pk), 0) != d.version
            ]
            if moved:
                message = _(
                    "미리보기 뒤에 이 과들의 실적이 바뀌었습니다: %(divisions)s. 다시 올려 미리보기를 확인하세요."
                )
                raise StaleVersion([Problem("", "version", message % {"divisions": ", ".join(moved)})])
        if any(c.key not in confirmed for c in plan.cautions):
            raise NeedsConfirmation(plan.cautions)
        written = [d for d in plan.divisions if d.to_save and not d.locked]
        months = []
        for item in written:
            month = item.month or DivisionMonth(division=item.division, as_of=as_of, version=0)
            month.status = DivisionMonth.Status.DRAFT
            month.version += 1
            month.changed_by = user
            months.append(month)
        snapshots = [snapshot for item in written for snapshot in item.to_save]
        confirmed_with(snapshots, plan.cautions)
        try:
            with transaction.atomic():  # a month opened by its division meanwhile: the unique constraint says so
                audit.save_many(
                    DivisionMonth, months, fields=["status", "version", "changed_by"], user=user, how=source
                )
        except IntegrityError:
            raise StaleVersion(
                [Problem("", "version", _("다른 사람이 그 사이에 어느 과의 이 달을 열었습니다. 다시 올리세요."))]
            ) from None
        audit.save_many(
            ExecutionSnapshot, snapshots, fields=["obligations", "disbursements", "confirmed"], user=user, how=source
        )
    return plan
