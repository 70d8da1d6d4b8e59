"""Writes of program progress: a milestone's status, actual dates and note, and indicator values.

Like the execution services (budget.services): permission is checked again here, every value is validated
by the model's rules before anything is written, the write runs in one transaction on a locked row, the
edit carries the version it started from (the id of the record's latest history row), and the history
records who and how ('form')."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from budget.selectors.periods import published_dates
from civicbureau import audit, display, figures
from civicbureau.entry import (
    EARLIEST_ENTRY_YEAR,
    EntryError,
    Problem,
    StaleVersion,
    latest_entry_date,
    problems_from,
    require_version,
)
from civicbureau.locks import ROW_LOCK
from programs.models import Indicator, IndicatorValue, MeasureTarget, ScheduleItem
from staffing.permissions import can_approve, can_edit_division


def _stale(row: str, record) -> StaleVersion:
    latest = record.history.order_by("-history_id").select_related("history_user").first()
    who = latest.history_user if latest and latest.history_user else "-"
    when = display.timestamp(latest.history_date if latest else None)
    return StaleVersion(
        [
            Problem(
                row,
                "version",
                _(
                    "%(who)s이(가) %(when)s에 이 항목을 바꿨습니다. 아무것도 저장하지 않았습니다; 새로 불러와 다시 입력하세요."
                )
                % {"who": who, "when": when},
            )
        ]
    )


def _check_version(row: str, record, version: int | None) -> None:
    require_version(version, row)
    if version != audit.history_version(record.history.all()):
        raise _stale(row, record)


def schedule_item_progress_save(
    *,
    user,
    item: ScheduleItem,
    status: str,
    actual_start: datetime.date | None,
    actual_end: datetime.date | None,
    note: str,
    version: int | None,
    how: audit.How = audit.How.FORM,
) -> ScheduleItem:
    """Record how a promised step is going: its status, when it actually started and ended, a short note.
    The program's division (Program.division) enters it; the bureau's roles read it."""
    division = item.program.division
    if not can_edit_division(user, division):
        raise PermissionDenied(_("이 사업의 추진일정을 고칠 권한이 없습니다."))
    row = item.text
    with transaction.atomic():
        item = (
            ScheduleItem.objects.select_for_update(**ROW_LOCK)
            .select_related("program__core_task__direction")
            .get(pk=item.pk)
        )
        _check_version(row, item, version)
        changed = (item.status, item.actual_start, item.actual_end, item.note) != (
            status,
            actual_start,
            actual_end,
            (note or "").strip(),
        )
        item.status, item.actual_start, item.actual_end, item.note = (
            status,
            actual_start,
            actual_end,
            (note or "").strip(),
        )
        try:
            item.full_clean()
        except ValidationError as exc:
            raise EntryError(problems_from(exc, row)) from None
        if changed:
            audit.record(item, user, how)
            item.save()
    return item


def indicator_value_save(
    *,
    user,
    indicator: Indicator,
    as_of: datetime.date | None,
    category: str,
    value: Decimal | None,
    record: IndicatorValue | None = None,
    version: int | None = None,
    how: audit.How = audit.How.FORM,
) -> IndicatorValue:
    """Add a value of an indicator as of a date (`record` None), or correct one (`record` with the version
    the person started from). The indicator belongs to a program of the person's division.

    Where an indicator's categories add up (`additive`), its total is derived and never stored: a value
    without a category is refused there."""
    if indicator.division is None or not can_edit_division(user, indicator.division):
        raise PermissionDenied(_("이 지표의 값을 넣을 권한이 없습니다."))
    category = (category or "").strip()
    row = f"{indicator.name}{' · ' + category if category else ''}"
    if indicator.additive and indicator.breakdown_label and not category:
        raise EntryError(
            [
                Problem(
                    row,
                    "category",
                    _("이 지표의 합계는 %(label)s별 값의 합으로 계산됩니다; %(label)s을(를) 적어 주세요.")
                    % {"label": indicator.breakdown_label},
                )
            ]
        )
    if as_of is not None and not (datetime.date(2000, 1, 1) <= as_of <= datetime.date.today()):
        raise EntryError([Problem(row, "as_of", _("2000-01-01부터 오늘까지의 날짜여야 합니다."))])
    with transaction.atomic():
        if record is not None:
            if record.indicator_id != indicator.pk:
                raise PermissionDenied(_("이 지표의 값이 아닙니다."))
            target = IndicatorValue.objects.select_for_update(**ROW_LOCK).get(pk=record.pk)
            _check_version(row, target, version)
        else:
            target = IndicatorValue(indicator=indicator)
            siblings = IndicatorValue.objects.filter(indicator=indicator, as_of=as_of)
            target.order = (max(siblings.values_list("order", flat=True), default=-1) + 1) if category else 0
        target.as_of, target.category, target.value = as_of, category, value
        try:
            target.full_clean()
        except ValidationError as exc:
            problems = problems_from(exc, row)
            for problem in problems:  # the unique (indicator, as_of, category) reads better on the date
                if problem.field == "status":
                    problems[problems.index(problem)] = Problem(
                        row, "as_of", _("같은 기준일·세부 구분의 값이 이미 있습니다; 그 값을 열어 고치세요.")
                    )
            raise EntryError(problems) from None
        audit.record(target, user, how)
        target.save()
    return target


# -- measures and their targets (성과지표 목표): proposed by the measure's division, approved by a director ---


@dataclass(frozen=True)
class TargetInput:
    """A target as typed: its date (the year's 12-31, or the last day of a quarter or month) and its value,
    or the ends of its range. Values may be text (a form or an import): a non-number is refused by field."""

    period_end: datetime.date
    value: Decimal | str | None = None
    low: Decimal | str | None = None
    high: Decimal | str | None = None


def _year_closed(indicator: Indicator, fiscal_year: int) -> bool:
    """A closed year: its bureau has published a period dated 12-31 of it (the year's results are public)."""
    bureau = indicator.division.bureau if indicator.division else None
    return datetime.date(fiscal_year, 12, 31) in published_dates(fiscal_year=fiscal_year, bureau=bureau)


def _year_problems(row: str, indicator: Indicator, fiscal_year) -> list[Problem]:
    first, last = EARLIEST_ENTRY_YEAR, latest_entry_date().year
    if not isinstance(fiscal_year, int) or not (first <= fiscal_year <= last):
        return [
            Problem(
                row,
                "fiscal_year",
                _("회계연도는 %(first)s년부터 %(last)s년까지입니다.") % {"first": first, "last": last},
            )
        ]
    if _year_closed(indicator, fiscal_year):
        return [
            Problem(
                row,
                "fiscal_year",
                _("%(year)s년은 마감되었습니다 (12월 31일 기준 실적이 공표됨); 그 해의 목표는 바꿀 수 없습니다.")
                % {"year": fiscal_year},
            )
        ]
    return []


def _number(raw, row: str, field: str, problems: list[Problem]) -> Decimal | None:
    """A typed target as a Decimal (None when left empty); a non-number or a negative is a problem."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        text = str(raw).strip().replace(",", "")
        if not text.isascii():
            raise InvalidOperation
        number = Decimal(text)
        if not number.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        problems.append(Problem(row, field, _("숫자를 적어 주세요.")))
        return None
    if number < 0:
        problems.append(Problem(row, field, _("목표치는 0 이상이어야 합니다.")))
        return None
    return number


def _target_label(indicator: Indicator, period_end: datetime.date) -> str:
    """How a refusal names a target: the measure, and the part of the year when it is not the year's."""
    if (period_end.month, period_end.day) == (12, 31):
        return _("%(name)s · %(year)s년 목표") % {"name": indicator.name, "year": period_end.year}
    return f"{indicator.name} · {period_end.isoformat()}"


def _targets_version(indicator: Indicator, fiscal_year: int) -> int:
    return audit.history_version(MeasureTarget.history.filter(indicator_id=indicator.pk, fiscal_year=fiscal_year))


def measure_targets_version(*, indicator: Indicator, fiscal_year: int) -> int:
    """The version of a measure's targets of a year (all revisions), for optimistic locking of the page."""
    return _targets_version(indicator, fiscal_year)


def _check_targets_version(row: str, indicator: Indicator, fiscal_year: int, version: int | None) -> None:
    require_version(version, row)
    if version != _targets_version(indicator, fiscal_year):
        latest = (
            MeasureTarget.history.filter(indicator_id=indicator.pk, fiscal_year=fiscal_year)
            .order_by("-history_id")
            .select_related("history_user")
            .first()
        )
        who = latest.history_user if latest and latest.history_user else "-"
        when = display.timestamp(latest.history_date if latest else None)
        raise StaleVersion(
            [
                Problem(
                    row,
                    "version",
                    _(
                        "%(who)s이(가) %(when)s에 이 항목을 바꿨습니다. 아무것도 저장하지 않았습니다; 새로 불러와 다시 입력하세요."
                    )
                    % {"who": who, "when": when},
                )
            ]
        )


def _division_only(user, indicator: Indicator) -> None:
    if indicator.division is None or not can_edit_division(user, indicator.division):
        raise PermissionDenied(_("이 지표의 목표를 정할 권한이 없습니다; 지표를 맡은 과만 정합니다."))


def measure_settings_save(
    *,
    user,
    indicator: Indicator,
    direction: str,
    baseline: Decimal | None,
    baseline_year: int | None,
    version: int | None,
    how: audit.How = audit.How.FORM,
) -> Indicator:
    """The measure's direction (which result is better) and its baseline, set by the division that answers
    for it. The direction judges every result and target: once results exist or a target is approved it is
    kept (a change would rewrite the meaning of what was reported and approved)."""
    _division_only(user, indicator)
    row = indicator.name
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update(**ROW_LOCK).select_related("division").get(pk=indicator.pk)
        _check_version(row, indicator, version)
        problems = []
        if direction != indicator.direction and (
            indicator.values.exists() or indicator.targets.filter(status=MeasureTarget.Status.APPROVED).exists()
        ):
            problems.append(
                Problem(
                    row,
                    "direction",
                    _("실적이나 승인된 목표가 이미 있어 방향을 바꿀 수 없습니다 (그 값들의 뜻이 바뀝니다)."),
                )
            )
        if baseline_year is not None and not (EARLIEST_ENTRY_YEAR <= baseline_year <= latest_entry_date().year):
            problems.append(
                Problem(
                    row,
                    "baseline_year",
                    _("기준 연도는 %(first)s년부터 %(last)s년까지입니다.")
                    % {"first": EARLIEST_ENTRY_YEAR, "last": latest_entry_date().year},
                )
            )
        changed = (indicator.direction, indicator.baseline, indicator.baseline_year) != (
            direction,
            baseline,
            baseline_year,
        )
        indicator.direction, indicator.baseline, indicator.baseline_year = direction, baseline, baseline_year
        try:
            indicator.full_clean()
        except ValidationError as exc:
            problems += problems_from(exc, row)
        if problems:
            raise EntryError(problems)
        if changed:
            audit.record(indicator, user, how)
            indicator.save()
    return indicator


def targets_propose(
    *,
    user,
    indicator: Indicator,
    fiscal_year: int,
    value: Decimal | str | None = None,
    low: Decimal | str | None = None,
    high: Decimal | str | None = None,
    parts: Sequence[TargetInput] = (),
    reason: str = "",
    source: str = "",
    version: int | None = None,
    how: audit.How = audit.How.FORM,
) -> list[MeasureTarget]:
    """Propose a measure's targets for a fiscal year: the year's (`value`, or `low`/`high` for a range) and,
    optionally, targets for quarters or months (`parts`, cumulative from 1 January). The proposal is the
    whole set: returns the rows written.

    For each date: a target not yet proposed or returned is edited in place (status back to proposed); where
    the latest revision is approved, a different value becomes a new revision (latest + 1) that needs
    `reason`, and the same value changes nothing. A proposed part left out of the proposal is withdrawn.
    Approved rows are never changed. `version` is the version of the measure-year's targets the person
    started from (measure_targets_version); it may be left out only while nothing is proposed yet."""
    _division_only(user, indicator)
    row = _target_label(indicator, datetime.date(fiscal_year, 12, 31)) if isinstance(fiscal_year, int) else ""
    problems = _year_problems(row or indicator.name, indicator, fiscal_year)
    if problems:
        raise EntryError(problems)
    reason, source = (reason or "").strip(), (source or "").strip()
    year_end = datetime.date(fiscal_year, 12, 31)
    wanted = [TargetInput(year_end, value, low, high), *parts]
    typed: dict[datetime.date, tuple] = {}
    for target in sorted(wanted[1:], key=lambda t: t.period_end) + wanted[:1]:
        label = _target_label(indicator, target.period_end)
        if target is not wanted[0]:
            end = target.period_end
            if end.year != fiscal_year or end == year_end or figures.month_end(end) != end:
                problems.append(
                    Problem(label, "period_end", _("분기·월 목표의 시점은 그 해 1~11월의 마지막 날이어야 합니다."))
                )
                continue
            if end in typed:
                problems.append(Problem(label, "period_end", _("같은 시점의 목표를 두 번 적었습니다.")))
                continue
        typed[target.period_end] = (
            _number(target.value, label, "value", problems),
            _number(target.low, label, "low", problems),
            _number(target.high, label, "high", problems),
        )
    if indicator.direction == Indicator.Direction.HIGHER:  # cumulative from 1 January: never lower later on
        previous = None
        for end in sorted(typed):
            current = typed[end][0]
            if current is not None and previous is not None and current < previous[1]:
                problems.append(
                    Problem(
                        _target_label(indicator, end),
                        "value",
                        _("누적 목표는 앞 시점(%(day)s)의 목표 %(value)s보다 작을 수 없습니다.")
                        % {"day": previous[0].isoformat(), "value": display.number(previous[1])},
                    )
                )
            if current is not None:
                previous = (end, current)
    if problems:
        raise EntryError(problems)
    with transaction.atomic():
        Indicator.objects.select_for_update(**ROW_LOCK).get(pk=indicator.pk)  # one proposal of a measure at a time
        existing = list(
            MeasureTarget.objects.select_for_update(**ROW_LOCK)
            .filter(indicator=indicator, fiscal_year=fiscal_year)
            .order_by("period_end", "revision")
        )
        latest = {target.period_end: target for target in existing}  # the highest revision of each date
        if version is not None or any(t.status != MeasureTarget.Status.APPROVED for t in existing):
            _check_targets_version(row, indicator, fiscal_year, version)
        writes, withdrawn = [], []
        for end, (number, bottom, top) in sorted(typed.items()):
            last = latest.get(end)
            if last is not None and last.status == MeasureTarget.Status.APPROVED:
                if (last.value, last.low, last.high) == (number, bottom, top):
                    continue  # the target in force, unchanged
                target = MeasureTarget(
                    indicator=indicator, fiscal_year=fiscal_year, period_end=end, revision=last.revision + 1
                )
            elif last is not None:
                target = last
                if (target.value, target.low, target.high, target.reason, target.source, target.status) == (
                    number,
                    bottom,
                    top,
                    reason,
                    source,
                    MeasureTarget.Status.PROPOSED,
                ):
                    continue
            else:
                target = MeasureTarget(indicator=indicator, fiscal_year=fiscal_year, period_end=end, revision=1)
            target.value, target.low, target.high = number, bottom, top
            target.reason, target.source, target.status = reason, source, MeasureTarget.Status.PROPOSED
            writes.append(target)
        for end, last in latest.items():
            if end not in typed and last.status != MeasureTarget.Status.APPROVED:
                withdrawn.append(last)
        for target in writes:
            try:
                target.full_clean()
            except ValidationError as exc:
                problems += problems_from(exc, _target_label(indicator, target.period_end))
        if problems:
            raise EntryError(problems)
        for target in withdrawn:
            audit.record(target, user, how)
            target.delete()
        for target in writes:
            audit.record(target, user, how)
            target.save()
    return writes


def _pending_of(indicator: Indicator, fiscal_year: int) -> list[MeasureTarget]:
    return list(
        MeasureTarget.objects.select_for_update(**ROW_LOCK)
        .filter(indicator=indicator, fiscal_year=fiscal_year, status=MeasureTarget.Status.PROPOSED)
        .order_by("period_end", "revision")
    )


def _approver_only(user, indicator: Indicator) -> None:
    if indicator.division is None or not can_approve(user, indicator.division):
        raise PermissionDenied(_("이 지표의 목표를 승인하거나 반려할 권한이 없습니다."))


def targets_approve(
    *, user, indicator: Indicator, fiscal_year: int, version: int | None = None, how: audit.How = audit.How.FORM
) -> list[MeasureTarget]:
    """Approve every proposed target of a measure's year (its division's director, or the bureau director or
    planning): each becomes the target in force for its date and is locked from then on. `version`, when
    given (the pages give it), must be the version the approver read."""
    _approver_only(user, indicator)
    row = _target_label(indicator, datetime.date(fiscal_year, 12, 31))
    problems = _year_problems(row, indicator, fiscal_year)
    if problems:
        raise EntryError(problems)
    with transaction.atomic():
        Indicator.objects.select_for_update(**ROW_LOCK).get(pk=indicator.pk)
        if version is not None:
            _check_targets_version(row, indicator, fiscal_year, version)
        pending = _pending_of(indicator, fiscal_year)
        if not pending:
            raise EntryError([Problem(row, "status", _("승인할 제안이 없습니다."))])
        for target in pending:
            target.status = MeasureTarget.Status.APPROVED
            try:
                target.full_clean()
            except ValidationError as exc:
                problems += problems_from(exc, _target_label(indicator, target.period_end))
        if problems:
            raise EntryError(problems)
        for target in pending:
            audit.record(target, user, how)
            target.save()
    return pending


def targets_return(
    *,
    user,
    indicator: Indicator,
    fiscal_year: int,
    reason: str,
    version: int | None = None,
    how: audit.How = audit.How.FORM,
) -> list[MeasureTarget]:
    """Return every proposed target of a measure's year to its division, with the reason (required): the
    division sees it in 내 할 일 and proposes again."""
    _approver_only(user, indicator)
    row = _target_label(indicator, datetime.date(fiscal_year, 12, 31))
    reason = (reason or "").strip()
    if not reason:
        raise EntryError([Problem(row, "reason", _("반려하는 사유를 적어 주세요."))])
    with transaction.atomic():
        Indicator.objects.select_for_update(**ROW_LOCK).get(pk=indicator.pk)
        if version is not None:
            _check_targets_version(row, indicator, fiscal_year, version)
        pending = _pending_of(indicator, fiscal_year)
        if not pending:
            raise EntryError([Problem(row, "status", _("반려할 제안이 없습니다."))])
        problems = []
        for target in pending:
            target.status, target.reason = MeasureTarget.Status.RETURNED, reason
            try:
                target.full_clean()
            except ValidationError as exc:
                problems += problems_from(exc, _target_label(indicator, target.period_end))
        if problems:
            raise EntryError(problems)
        for target in pending:
            audit.record(target, user, how)
            target.save()
    return pending
