"""Writes of execution figures: a division's month is saved, submitted, approved, returned or reopened for
correction only here, by forms, imports and commands alike.

Every service checks permission again (staffing.permissions), validates every row with the model's
own rules before writing anything, locks the division-month row (select_for_update on PostgreSQL; on
SQLite, where it does nothing, the transaction holds the database's write lock from BEGIN: settings),
compares the version the person started from, and saves row by row so each change is in the history
with who, when and how ('form', 'import').
"""

import datetime
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from budget.models import CAUTION_RULES, BudgetAdjustment, BudgetLine, DivisionMonth, ExecutionSnapshot
from budget.selectors.execution import adjustment_total, budget_line_adjustments, budget_line_figures
from civicbureau import audit, display, figures
from civicbureau.entry import (
    FIELD_LABELS,
    Caution,
    EntryError,
    NeedsConfirmation,
    Problem,
    StaleVersion,
    problems_from,
    require_version,
)
from civicbureau.locks import ROW_LOCK
from staffing.models import Division
from staffing.permissions import can_approve, can_edit_division


@dataclass(frozen=True)
class ExecutionInput:
    """One line's cumulative-to-date figures as entered; `row` says where it came from (code or sheet row)."""

    code: str
    obligations: int | None
    disbursements: int | None
    row: str = ""

    @property
    def where(self) -> str:
        return self.row or self.code


def _month_for_update(division: Division, as_of: datetime.date) -> DivisionMonth | None:
    return DivisionMonth.objects.select_for_update(**ROW_LOCK).filter(division=division, as_of=as_of).first()


def _changes_since(month: DivisionMonth, version: int) -> list[str]:
    """What was written to the division-month after `version`: who, when, which field, old → new."""
    # Each save writes the month's record (its new version) first, then its lines: the changes since
    # `version` are those from the first record of the next version on.
    since = (
        month.history.filter(version=version + 1)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    changes = []
    month_records = month.history.filter(version__gt=version).select_related("history_user").order_by("history_date")
    for record in month_records:
        previous = record.prev_record
        if previous is not None and previous.status != record.status:
            changes.append(
                _("%(who)s: 상태 %(old)s → %(new)s")
                % {
                    "who": record.history_user or "-",
                    "old": previous.get_status_display(),
                    "new": record.get_status_display(),
                }
            )
    snapshots = ExecutionSnapshot.history.filter(budget_line__division=month.division_id, as_of=month.as_of)
    if since is not None:
        snapshots = snapshots.filter(history_date__gte=since)
    for record in snapshots.select_related("history_user", "budget_line").order_by("history_date"):
        previous = record.prev_record
        for field in ("obligations", "disbursements"):
            old = getattr(previous, field) if previous else None
            new = getattr(record, field)
            if old != new:
                changes.append(
                    _("%(who)s: %(code)s %(field)s %(old)s → %(new)s")
                    % {
                        "who": record.history_user or "-",
                        "code": record.budget_line.code,
                        "field": FIELD_LABELS[field],
                        "old": display.number(old),
                        "new": display.number(new),
                    }
                )
    return changes


def _check_version(month: DivisionMonth | None, version: int | None) -> None:
    require_version(version)
    current = month.version if month else 0
    if version == current:
        return
    if month is None or version > current:
        raise StaleVersion(
            [Problem("", "version", _("이 달의 실적이 그 사이에 바뀌었습니다. 화면을 새로 불러오세요."))]
        )
    changes = _changes_since(month, version)
    shown = "; ".join(changes[:3]) + (_(" 외 %(n)s건") % {"n": len(changes) - 3} if len(changes) > 3 else "")
    raise StaleVersion(
        [
            Problem(
                "",
                "version",
                _(
                    "다른 사람이 그 사이에 이 달을 바꿨습니다 (버전 %(old)s → %(new)s): %(changes)s. 아무것도 저장하지 않았습니다; 새로 불러와 다시 입력하세요."
                )
                % {"old": version, "new": current, "changes": shown or "-"},
            )
        ]
    )


def division_month_lines(*, division: Division, fiscal_year: int):
    return BudgetLine.objects.filter(division=division, fiscal_year=fiscal_year).order_by("order")


def _validate_rows(
    *, division: Division, as_of: datetime.date, rows: list[ExecutionInput], month_checked: bool = False
):
    """Every row checked by the model's rules, and every changed row for cautions (figures that may be
    slips); returns (snapshots to save, problems, cautions). Writes nothing."""
    if not rows:
        return [], [Problem("", "code", _("입력된 행이 없습니다."))], []
    codes = [r.code for r in rows if r.code]
    scope = BudgetLine.objects.filter(fiscal_year=as_of.year, code__in=codes)
    lines = {line.code: line for line in budget_line_adjustments(lines=scope.select_related("division"), as_of=as_of)}
    previous = {  # each line's latest figures before this date: what a caution compares with
        line.pk: line for line in budget_line_figures(lines=scope, as_of=as_of - datetime.timedelta(days=1))
    }
    existing = {
        s.budget_line_id: s for s in ExecutionSnapshot.objects.filter(budget_line__in=lines.values(), as_of=as_of)
    }
    return execution_rows_check(
        division=division,
        as_of=as_of,
        rows=rows,
        lines=lines,
        previous=previous,
        existing=existing,
        check_lock=not month_checked,
    )


def execution_rows_check(
    *, division: Division, as_of: datetime.date, rows: list[ExecutionInput], lines, previous, existing, check_lock: bool
):
    """The rules of _validate_rows on what the caller has read: `lines` by code (annotated by
    budget_line_adjustments at `as_of`, with their division), `previous` by line id (annotated by
    budget_line_figures the day before), `existing` snapshots at `as_of` by line id. Queries nothing when
    `check_lock` is False; returns (snapshots to save, problems, cautions). The city extract
    (budget.services.extract) reads these for every division at once and checks each division's rows here."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    to_save, cautions = [], []
    compared = Counter()  # by field: the changed rows whose figure can be compared with a previous one
    for number, row in enumerate(rows, start=1):
        # a row with neither a label nor a code (a blank grid row) is named by its position
        where = row.where or _("%(n)s번째 행") % {"n": number}
        if not row.code:
            problems.append(Problem(where, "code", _("사업 코드가 비어 있습니다.")))
            continue
        line = lines.get(row.code)
        if line is None:
            problems.append(
                Problem(
                    where,
                    "code",
                    _("%(year)s년에 없는 사업 코드입니다: %(code)s") % {"year": as_of.year, "code": row.code},
                )
            )
            continue
        if line.division_id != division.pk:
            problems.append(
                Problem(
                    where,
                    "code",
                    _("%(code)s은(는) %(other)s의 세부사업입니다; %(division)s의 실적만 넣을 수 있습니다.")
                    % {"code": row.code, "other": line.division.name, "division": division.name},
                )
            )
            continue
        if row.code in seen:
            problems.append(
                Problem(
                    where,
                    "code",
                    _("%(code)s이(가) %(first)s에 이미 있습니다.") % {"code": row.code, "first": seen[row.code]},
                )
            )
            continue
        seen[row.code] = where
        before = previous[line.pk]
        missing = [] if row.disbursements is not None else [Problem(where, "disbursements", _("값이 필요합니다."))]
        if row.obligations is None and before.obligations_to_date is not None:
            # obligations never reported may stay unknown; once reported, each month needs them
            missing.append(Problem(where, "obligations", _("값이 필요합니다 (전기까지 원인행위가 보고되었습니다).")))
        snapshot = existing.get(line.pk) or ExecutionSnapshot(budget_line=line, as_of=as_of)
        snapshot.budget_line = line
        changed = snapshot.pk is None or (snapshot.obligations, snapshot.disbursements) != (
            row.obligations,
            row.disbursements,
        )
        snapshot.obligations, snapshot.disbursements = row.obligations, row.disbursements
        # the model states every rule of a snapshot; the database constraints hold them again on save, so the
        # per-row constraint queries of validate_constraints are not run for a whole sheet
        authority = figures.budget_authority(line.original_budget, [adjustment_total(line)])
        try:
            if not missing:
                snapshot.validate_entry(authority=authority, check_lock=check_lock)
        except ValidationError as exc:
            problems += problems_from(exc, where)
            continue
        problems += missing
        if changed and not missing:
            to_save.append(snapshot)
            cautions += _cautions(where, line.code, row, before, authority)
            compared.update(f for f, old in _earlier(before).items() if old and getattr(row, f))
    return to_save, problems + _unit_slips(compared, cautions), cautions


def _earlier(before) -> dict[str, int | None]:
    """A line's cumulative figures before this date (annotated by budget_line_figures), by field."""
    if before.snapshot_as_of is None:
        return {}
    return {"obligations": before.obligations_to_date, "disbursements": before.disbursements_to_date}


def _unit_slips(compared: Counter, cautions: list[Caution]) -> list[Problem]:
    """A whole column about 1,000 times off its previous figures (two rows or more, every row compared):
    typed in 천원 where won is asked for, or the reverse. Refused: the grid and the template take won only.
    Named by the column's first row and how many more."""
    slips: dict[str, list[str]] = {}
    for caution in cautions:
        if caution.key.rsplit(":", 2)[1] == "thousandfold":
            slips.setdefault(caution.field, []).append(caution.row)
    message = _(
        "이 열의 %(n)s개 행이 모두 전기 누계의 약 1,000분의 1 또는 1,000배입니다: 다른 단위(천원)로 적은 것 같습니다. 금액은 원 단위로 적습니다."
    )
    return [
        Problem(
            _("%(first)s 외 %(more)s개 행") % {"first": rows[0], "more": len(rows) - 1},
            field,
            message % {"n": len(rows)},
        )
        for field, rows in slips.items()
        if len(rows) >= 2 and len(rows) == compared[field]
    ]


def caution_keys(code: str) -> list[str]:
    """Every key a line's cautions can have (CODE:RULE:FIELD): what a client that has read them confirms."""
    return [f"{code}:{rule}:{field}" for rule in CAUTION_RULES for field in ("obligations", "disbursements")]


def _cautions(where: str, code: str, row: ExecutionInput, before, authority: int) -> list[Caution]:
    """Figures that may be slips, against the line's latest figures before this date (`before`, annotated by
    budget_line_figures): each held until the person confirms it (Caution.key)."""
    earlier = _earlier(before)
    if not earlier:
        return []
    found = []
    months = figures.months_elapsed(before.snapshot_as_of)

    def words(old, new) -> dict:  # only for a caution found: a city's thousands of rows mostly have none
        return {
            "when": display.report_date(before.snapshot_as_of),
            "old": display.number(old),
            "new": display.number(new),
        }

    for field, old in earlier.items():
        new = getattr(row, field)
        if new is None or old is None:
            continue
        if figures.looks_thousandfold(new, old):
            message = _(
                "%(new)s원은 전기(%(when)s) 누계 %(old)s원의 약 1,000분의 1 또는 1,000배입니다. 천원 단위로 적지 않았는지 확인하세요."
            )
            found.append(Caution(where, field, message % words(old, new), f"{code}:thousandfold:{field}"))
        elif new < old:
            message = _(
                "%(new)s원이 전기(%(when)s) 누계 %(old)s원보다 적습니다. 누계는 보통 줄지 않습니다 (반납·정정이면 확인하세요)."
            )
            found.append(Caution(where, field, message % words(old, new), f"{code}:below_previous:{field}"))
        elif figures.is_spike(figures.period_amount(new, old), figures.average_month(old, months)):
            message = _("이번 달 금액 %(amount)s원이 이 사업의 월평균(%(average)s원)의 %(factor)s배를 넘습니다.")
            values = {
                "amount": display.number(figures.period_amount(new, old)),
                "average": display.number(figures.average_month(old, months), 0),
                "factor": figures.SPIKE_FACTOR,
            }
            found.append(Caution(where, field, message % values, f"{code}:spike:{field}"))
    old_obligations = earlier["obligations"]
    if row.obligations is not None and row.obligations >= authority > 0 and (old_obligations or 0) < authority:
        message = _("원인행위 누계가 이번 달에 예산현액(%(authority)s원) 전액에 이르렀습니다.")
        found.append(
            Caution(
                where,
                "obligations",
                message % {"authority": display.number(authority)},
                f"{code}:full_authority:obligations",
            )
        )
    return found


def confirmed_with(snapshots: list[ExecutionSnapshot], cautions: list[Caution]) -> None:
    """Each snapshot to save records the cautions confirmed with it (RULE:FIELD, …)."""
    held = {}
    for caution in cautions:
        held.setdefault(caution.key.split(":")[0], []).append(caution.key.split(":", 1)[1])
    for snapshot in snapshots:
        snapshot.confirmed = ", ".join(held.get(snapshot.budget_line.code, []))


def execution_month_validate(*, division: Division, as_of: datetime.date, rows: list[ExecutionInput]) -> list[Problem]:
    """The problems and cautions saving these rows would meet, for a preview; writes nothing."""
    _to_save, problems, cautions = _validate_rows(division=division, as_of=as_of, rows=rows)
    return problems + cautions


def _check_month_date(division: Division, as_of: datetime.date) -> None:
    if as_of != figures.month_end(as_of) and not DivisionMonth.objects.filter(division=division, as_of=as_of).exists():
        raise EntryError(
            [
                Problem(
                    "",
                    "as_of",
                    _("기준일은 월말이어야 합니다 (예: %(date)s).") % {"date": figures.month_end(as_of).isoformat()},
                )
            ]
        )
    if not BudgetLine.objects.filter(division=division, fiscal_year=as_of.year).exists():
        raise EntryError(
            [
                Problem(
                    "",
                    "as_of",
                    _("%(year)s년에 %(division)s의 세부사업이 없습니다.")
                    % {"year": as_of.year, "division": division.name},
                )
            ]
        )


def execution_month_save(
    *,
    user,
    division: Division,
    as_of: datetime.date,
    rows: list[ExecutionInput],
    version: int | None,
    confirmed: Collection[str] = (),
    how: audit.How = audit.How.FORM,
) -> DivisionMonth:
    """Save a division's cumulative figures as of a date: all rows or none.

    Opens the division-month as a draft the first time (version 0 = "it did not exist when I started");
    a returned month becomes a draft again; a submitted or approved month is refused. A refusal names every
    problem and every caution of the submission at once. Cautions (figures that may be slips) hold the save
    until each is in `confirmed` (their keys); each saved row records the cautions confirmed with it.
    """
    if not (can_edit_division(user, division) or user.is_superuser):  # the superuser: through the admin
        raise PermissionDenied(_("이 과의 실적을 입력할 권한이 없습니다."))
    _check_month_date(division, as_of)
    with transaction.atomic():
        month = _month_for_update(division, as_of)
        _check_version(month, version)
        if month is not None and month.is_locked:
            raise EntryError(
                [
                    Problem(
                        "",
                        "status",
                        _("%(status)s 상태의 달은 고칠 수 없습니다 (승인된 달은 정정을 열어 새 차수로 고칩니다).")
                        % {"status": month.get_status_display()},
                    )
                ]
            )
        to_save, problems, cautions = _validate_rows(division=division, as_of=as_of, rows=rows, month_checked=True)
        if problems:
            raise EntryError(problems + cautions)
        unconfirmed = [c for c in cautions if c.key not in confirmed]
        if unconfirmed:
            raise NeedsConfirmation(cautions)
        confirmed_with(to_save, cautions)
        if month is None:
            month = DivisionMonth(
                division=division, as_of=as_of, status=DivisionMonth.Status.DRAFT, version=1, changed_by=user
            )
            audit.record(month, user, how)
            try:
                with transaction.atomic():
                    month.save()
            except IntegrityError:
                raise StaleVersion(
                    [Problem("", "version", _("다른 사람이 그 사이에 이 달을 열었습니다. 화면을 새로 불러오세요."))]
                ) from None
        elif not to_save and month.status == DivisionMonth.Status.DRAFT:
            return month  # nothing changed: no new version, nothing in the history
        else:
            month.status = DivisionMonth.Status.DRAFT
            month.version += 1
            month.changed_by = user
            audit.record(month, user, how)
            month.save()
        audit.save_many(
            ExecutionSnapshot, to_save, fields=["obligations", "disbursements", "confirmed"], user=user, how=how
        )
    return month


def _transition(*, month: DivisionMonth, version: int | None, allowed_from, user, how: audit.How) -> DivisionMonth:
    locked = _month_for_update(month.division, month.as_of)
    _check_version(locked, version)
    if locked.status not in allowed_from:
        raise EntryError(
            [
                Problem(
                    "", "status", _("%(status)s 상태에서는 할 수 없습니다.") % {"status": locked.get_status_display()}
                )
            ]
        )
    locked.version += 1
    locked.changed_by = user
    audit.record(locked, user, how)
    return locked


def division_month_submit(
    *, user, month: DivisionMonth, version: int | None, how: audit.How = audit.How.FORM
) -> DivisionMonth:
    """Staff hand the month to the director: every budget line of the division must have its figures."""
    if not can_edit_division(user, month.division):
        raise PermissionDenied(_("이 과의 실적을 제출할 권한이 없습니다."))
    with transaction.atomic():
        month = _transition(month=month, version=version, allowed_from=DivisionMonth.EDITABLE, user=user, how=how)
        entered = set(
            ExecutionSnapshot.objects.filter(budget_line__division=month.division, as_of=month.as_of).values_list(
                "budget_line_id", flat=True
            )
        )
        missing = [
            line
            for line in division_month_lines(division=month.division, fiscal_year=month.fiscal_year)
            if line.pk not in entered
        ]
        if missing:
            raise EntryError(
                [
                    Problem(
                        f"{line.code} {line.name}", "disbursements", _("이 세부사업의 실적이 없어 제출할 수 없습니다.")
                    )
                    for line in missing
                ]
            )
        month.status = DivisionMonth.Status.SUBMITTED
        month.reason = ""
        month.save()
    return month


def division_month_withdraw(
    *, user, month: DivisionMonth, version: int | None, how: audit.How = audit.How.FORM
) -> DivisionMonth:
    """Staff take back a submitted month before the director acts on it: a draft again, to be changed."""
    if not can_edit_division(user, month.division):
        raise PermissionDenied(_("이 과의 실적을 회수할 권한이 없습니다."))
    with transaction.atomic():
        month = _transition(
            month=month, version=version, allowed_from=(DivisionMonth.Status.SUBMITTED,), user=user, how=how
        )
        month.status = DivisionMonth.Status.DRAFT
        month.save()
    return month


def division_month_approve(
    *, user, month: DivisionMonth, version: int | None, how: audit.How = audit.How.FORM
) -> DivisionMonth:
    """The director (or the bureau) approves: the month is locked and its figures become the public ones."""
    if not can_approve(user, month.division):
        raise PermissionDenied(_("이 과의 실적을 승인할 권한이 없습니다."))
    with transaction.atomic():
        month = _transition(
            month=month, version=version, allowed_from=(DivisionMonth.Status.SUBMITTED,), user=user, how=how
        )
        for snapshot in ExecutionSnapshot.objects.select_for_update(**ROW_LOCK).filter(
            budget_line__division=month.division, as_of=month.as_of
        ):
            if (snapshot.approved_obligations, snapshot.approved_disbursements) != (
                snapshot.obligations,
                snapshot.disbursements,
            ):
                snapshot.approved_obligations, snapshot.approved_disbursements = (
                    snapshot.obligations,
                    snapshot.disbursements,
                )
                audit.record(snapshot, user, how)
                snapshot.save()
        month.status = DivisionMonth.Status.APPROVED
        month.approved_revision = month.revision
        month.reason = ""
        month.save()
    return month


def _reason_required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise EntryError([Problem("", "reason", _("사유를 적어 주세요."))])
    if len(reason) > 300:
        raise EntryError([Problem("", "reason", _("사유는 300자 이내로 적어 주세요."))])
    return reason


def division_month_return(
    *, user, month: DivisionMonth, version: int | None, reason: str, how: audit.How = audit.How.FORM
) -> DivisionMonth:
    """The approver sends a submitted month back to the division with a reason; staff can edit it again."""
    if not can_approve(user, month.division):
        raise PermissionDenied(_("이 과의 실적을 반려할 권한이 없습니다."))
    reason = _reason_required(reason)
    with transaction.atomic():
        month = _transition(
            month=month, version=version, allowed_from=(DivisionMonth.Status.SUBMITTED,), user=user, how=how
        )
        month.status = DivisionMonth.Status.RETURNED
        month.reason = reason
        month.save()
    return month


def division_month_correct(
    *, user, month: DivisionMonth, version: int | None, reason: str, how: audit.How = audit.How.FORM
) -> DivisionMonth:
    """Reopen an approved month as the next revision, with a reason; its approved figures stay public
    until the new revision is approved."""
    if not can_edit_division(user, month.division):
        raise PermissionDenied(_("이 과의 실적을 정정할 권한이 없습니다."))
    reason = _reason_required(reason)
    with transaction.atomic():
        month = _transition(
            month=month, version=version, allowed_from=(DivisionMonth.Status.APPROVED,), user=user, how=how
        )
        month.status = DivisionMonth.Status.DRAFT
        month.revision += 1
        month.reason = reason
        month.save()
    return month


def budget_adjustment_create(
    *,
    user,
    line: BudgetLine,
    kind: str,
    amount: int | None,
    effective_on: datetime.date | None,
    reason: str,
    how: audit.How = audit.How.FORM,
) -> BudgetAdjustment:
    """Record a dated change to a line's budget authority (추경, 이월, 전용, 예비비 …) with its reason.

    The model's rules decide (BudgetAdjustment.clean): the date in the line's fiscal year, and the 예산현액
    after the change still covering what is already committed at every recorded date on or after it
    (obligations, or disbursements where obligations are not given); a refusal names the date.
    """
    if not can_edit_division(user, line.division):
        raise PermissionDenied(_("이 과의 예산을 바꿀 권한이 없습니다."))
    row = f"{line.code} {line.name}"
    if amount == 0:
        raise EntryError([Problem(row, "amount", _("0원인 변경은 넣을 수 없습니다."))])
    with transaction.atomic():
        # Lock the line: two adjustments to one line are checked against each other's 예산현액 in turn.
        line = BudgetLine.objects.select_for_update(**ROW_LOCK).select_related("division").get(pk=line.pk)
        adjustment = BudgetAdjustment(
            budget_line=line, kind=kind, amount=amount, effective_on=effective_on, reason=(reason or "").strip()
        )
        try:
            adjustment.full_clean()
        except ValidationError as exc:
            raise EntryError(problems_from(exc, row)) from None
        audit.record(adjustment, user, how)
        adjustment.save()
    return adjustment
