"""The staff pages of measures and their targets (/staff/measures/): the person's measures in a fiscal year
with their status, and one measure-year's targets with every revision and its history (who, when, why).

Which measures are a person's: those their division answers for (Indicator.division); the bureau's roles
and the administrator see every measure of the bureau. Rows and statuses come from
programs.selectors.measures.measure_rows, so the list, the dashboards and the public pages agree.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicbureau import figures
from civicbureau.audit import history_version
from programs.models import Indicator, MeasureTarget
from programs.selectors.measures import MeasureRow, bureau_indicators, measure_rows
from staffing.models import Bureau, Membership
from staffing.permissions import VIEW, membership_of, restrict

# ?status= of the measures list: the statuses of figures.py, and two of the targets' workflow
UNPROPOSED = "unproposed"  # no target proposed or approved for the year
PENDING = "pending"  # a proposal waiting for approval
RETURNED = "returned"  # a proposal returned to the division
NO_TARGET = "no_target"  # no year's target in force (목표 미설정)
STATUS_CHOICES = [
    (UNPROPOSED, _("목표를 제안하지 않음")),
    (PENDING, _("승인 대기")),
    (RETURNED, _("반려됨")),
    (NO_TARGET, pgettext_lazy("measure", "목표 미설정")),
    (figures.ACHIEVED, pgettext_lazy("measure", "달성")),
    (figures.NORMAL, pgettext_lazy("measure", "정상")),
    (figures.CAUTION, pgettext_lazy("measure", "주의")),
    (figures.POOR, pgettext_lazy("measure", "미흡")),
]

# A target's status in words (the model's labels share their words with the buttons 승인, 반려, 제안)
TARGET_STATUS_LABELS = {
    MeasureTarget.Status.PROPOSED: pgettext_lazy("target", "제안"),
    MeasureTarget.Status.RETURNED: pgettext_lazy("target", "반려"),
    MeasureTarget.Status.APPROVED: pgettext_lazy("target", "승인"),
}


def target_unproposed(row: MeasureRow) -> bool:
    """No target of the year proposed or approved (a returned one does not count: it is to propose again)."""
    return (
        row.target is None and not row.parts and not any(p.status == MeasureTarget.Status.PROPOSED for p in row.pending)
    )


def row_has_status(row: MeasureRow, status: str) -> bool:
    """Whether a measure's row answers a ?status= of STATUS_CHOICES."""
    if status == UNPROPOSED:
        return target_unproposed(row)
    if status == PENDING:
        return any(p.status == MeasureTarget.Status.PROPOSED for p in row.pending)
    if status == RETURNED:
        return any(p.status == MeasureTarget.Status.RETURNED for p in row.pending)
    if status == NO_TARGET:
        return row.target is None
    return row.status == status


def my_measures(*, user, bureau: Bureau, fiscal_year: int | None = None):
    """The measures a person works on: their division's; the bureau's roles and the administrator: all of
    the bureau's (each one the person may read, staffing.permissions.restrict)."""
    measures = restrict(bureau_indicators(bureau=bureau, fiscal_year=fiscal_year), user, VIEW)
    membership = membership_of(user)
    if membership is not None and membership.role in Membership.DIVISION_ROLES:
        measures = measures.filter(division=membership.division_id)
    return measures


def measure_list(*, user, bureau: Bureau, fiscal_year: int, status: str | None = None) -> list[MeasureRow]:
    """The person's measures in a fiscal year (their target in force, pending proposal, result,
    achievement, status), those answering `status` only when given. Four queries."""
    rows = measure_rows(
        indicators=my_measures(user=user, bureau=bureau, fiscal_year=fiscal_year),
        bureau=bureau,
        fiscal_year=fiscal_year,
    )
    return [row for row in rows if not status or row_has_status(row, status)]


@dataclass(frozen=True)
class TargetChange:
    """One history row of a target: who changed it, when, to what status, and the reason it carried."""

    who: object
    when: datetime.datetime
    status: str
    reason: str
    value: object
    low: object
    high: object
    how: str
    deleted: bool

    @property
    def status_label(self) -> str:
        return TARGET_STATUS_LABELS[self.status]


@dataclass
class Revision:
    """A target of the year (one date, one revision), with its history, oldest first; `target` is None once
    a proposal is withdrawn."""

    target_id: int
    period_end: datetime.date
    revision: int
    target: MeasureTarget | None
    changes: list[TargetChange] = field(default_factory=list)

    @property
    def is_year(self) -> bool:
        return (self.period_end.month, self.period_end.day) == (12, 31)

    @property
    def status_label(self) -> str:
        return TARGET_STATUS_LABELS[self.target.status] if self.target else pgettext_lazy("target", "철회")


@dataclass
class MeasureTargets:
    """One measure in one fiscal year, for its page: its row, every revision of its targets, and the
    version of those targets for the next proposal or decision."""

    indicator: Indicator
    fiscal_year: int
    row: MeasureRow
    revisions: list[Revision]
    version: int

    @property
    def proposed(self) -> list[MeasureTarget]:
        return [p for p in self.row.pending if p.status == MeasureTarget.Status.PROPOSED]

    @property
    def returned(self) -> list[MeasureTarget]:
        return [p for p in self.row.pending if p.status == MeasureTarget.Status.RETURNED]

    def proposal_start(self) -> dict[datetime.date, MeasureTarget]:
        """What the propose form starts from, by date: the pending revision, else the target in force."""
        start = {part.period_end: part for part in self.row.parts}
        if self.row.target is not None:
            start[self.row.target.period_end] = self.row.target
        for pending in self.row.pending:
            start[pending.period_end] = pending
        return start


def measure_targets(*, bureau: Bureau, indicator: Indicator, fiscal_year: int) -> MeasureTargets:
    """A measure's targets of a year with their history. Five queries."""
    (row,) = measure_rows(indicators=[indicator], bureau=bureau, fiscal_year=fiscal_year)
    current = {t.pk: t for t in MeasureTarget.objects.filter(indicator=indicator, fiscal_year=fiscal_year)}
    history = (
        MeasureTarget.history.filter(indicator_id=indicator.pk, fiscal_year=fiscal_year)
        .select_related("history_user")
        .order_by("history_id")
    )
    revisions: dict[int, Revision] = {}
    for h in history:
        revision = revisions.setdefault(h.id, Revision(h.id, h.period_end, h.revision, current.get(h.id)))
        revision.changes.append(
            TargetChange(
                who=h.history_user,
                when=h.history_date,
                status=h.status,
                reason=h.reason,
                value=h.value,
                low=h.low,
                high=h.high,
                how=h.history_change_reason or "",
                deleted=h.history_type == "-",
            )
        )
    ordered = sorted(revisions.values(), key=lambda r: (r.period_end, r.revision))
    version = history_version(MeasureTarget.history.filter(indicator_id=indicator.pk, fiscal_year=fiscal_year))
    return MeasureTargets(indicator, fiscal_year, row, ordered, version)


def measure_for(*, user, code: str):
    """The measure a person may read by its code (None when there is none or it is not theirs to read)."""
    return (
        restrict(Indicator.objects.select_related("program", "division__bureau"), user, VIEW).filter(code=code).first()
    )
