"""The trail people read: who changed which figure of a division-month or a budget line, when, how,
old → new (from django-simple-history's rows)."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from budget.models import BudgetAdjustment, BudgetLine, DivisionMonth, ExecutionSnapshot
from budget.selectors.entry import caution_words
from civicbureau import display


@dataclass(frozen=True)
class HistoryEntry:
    """One changed value: when, who, how (form, import, admin, load_demo, bulk), what, old → new."""

    when: datetime.datetime
    who: str
    how: str
    subject: str
    field: str
    old: str
    new: str


def _value_text(record, field: str) -> str:
    if record is None:
        return display.NOT_AVAILABLE
    value = getattr(record, field)
    if field == "confirmed" and value:  # "rule:field, …" in words
        return ", ".join(caution_words(value))
    display_method = getattr(record, f"get_{field}_display", None)
    if display_method is not None and value is not None:
        return str(display_method())
    if isinstance(value, int) and not isinstance(value, bool):
        return display.number(value)
    return display.NOT_AVAILABLE if value in (None, "") else str(value)


def _history_entries(records, fields: list[str], subject) -> list[HistoryEntry]:
    entries = []
    for record in records:
        previous = record.prev_record if record.history_type != "+" else None
        for name in fields:
            old, new = _value_text(previous, name), _value_text(record, name)
            if record.history_type == "-":
                new = str(_("(삭제)"))
            if old != new or (previous is None and new != "-"):
                entries.append(
                    HistoryEntry(
                        when=record.history_date,
                        who=record.history_user.username if record.history_user else "-",
                        how=record.history_change_reason or "-",
                        subject=subject(record),
                        field=str(record._meta.get_field(name).verbose_name),
                        old=old,
                        new=new,
                    )
                )
    return entries


SNAPSHOT_FIELDS = ["obligations", "disbursements", "confirmed", "approved_obligations", "approved_disbursements"]


def division_month_history(*, month) -> list[HistoryEntry]:
    """The trail of a division-month: its status, revisions and reasons, and every line's figures."""
    entries = _history_entries(
        DivisionMonth.history.filter(id=month.pk).select_related("history_user").order_by("history_date", "history_id"),
        ["status", "revision", "approved_revision", "reason"],
        lambda r: str(_("과별 월 실적")),
    )
    snapshots = (
        ExecutionSnapshot.history.filter(budget_line__division=month.division_id, as_of=month.as_of)
        .select_related("history_user", "budget_line")
        .order_by("history_date", "history_id")
    )
    entries += _history_entries(snapshots, SNAPSHOT_FIELDS, lambda r: f"{r.budget_line.code} {r.budget_line.name}")
    return sorted(entries, key=lambda e: e.when, reverse=True)


def budget_line_history(*, line) -> list[HistoryEntry]:
    """The trail of a budget line: the line itself, its adjustments and its execution at every date."""
    entries = _history_entries(
        BudgetLine.history.filter(id=line.pk).select_related("history_user").order_by("history_date", "history_id"),
        ["name", "original_budget", "division"],
        lambda r: str(_("세부사업")),
    )
    entries += _history_entries(
        BudgetAdjustment.history.filter(budget_line=line.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id"),
        ["kind", "amount", "effective_on", "reason"],
        lambda r: f"{_('예산 변경')} {display.report_date(r.effective_on)}",
    )
    entries += _history_entries(
        ExecutionSnapshot.history.filter(budget_line=line.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id"),
        SNAPSHOT_FIELDS,
        lambda r: f"{_('집행 실적')} {display.report_date(r.as_of)}",
    )
    return sorted(entries, key=lambda e: e.when, reverse=True)
