"""Writes of program progress: a milestone's status, actual dates and note, and indicator values.

Like the execution services (budget.services): permission is checked again here, every value is validated
by the model's rules before anything is written, the write runs in one transaction on a locked row, the
edit carries the version it started from (the id of the record's latest history row), and the history
records who and how ('form')."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicbureau import audit, display
from civicbureau.entry import EntryError, Problem, StaleVersion, problems_from, require_version
from programs.models import Indicator, IndicatorValue, ScheduleItem
from staffing.permissions import can_edit_division


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
        item = ScheduleItem.objects.select_for_update().select_related("program__core_task__direction").get(pk=item.pk)
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
            target = IndicatorValue.objects.select_for_update().get(pk=record.pk)
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
