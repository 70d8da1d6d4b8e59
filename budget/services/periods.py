"""Publishing a bureau's reporting period (공표): the only way figures reach the public.

The bureau's director or planning staff publish a period when every division's month for it is approved;
a division without an approved month may be left out only with a reason, and is then 미보고 in that edition.
An edition copies the approved figures of each division (PublishedFigure) and marks the budget adjustments
it makes public; a period already published gets a new edition only when something changed since (a
correction approved, a division approved, an adjustment). The person states which edition they saw: two
planners publishing at once make one edition, and the other is refused as stale.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budget.models import BudgetAdjustment, Publication, PublishedFigure, PublishedMonth
from budget.selectors.periods import Period, approved_figures, bureau_period
from civicbureau import audit, display
from civicbureau.entry import EntryError, Problem, StaleVersion, require_version
from civicbureau.locks import ROW_LOCK
from staffing.models import Bureau
from staffing.permissions import can_publish


def _stale(period: Period) -> StaleVersion:
    latest = period.latest
    return StaleVersion(
        [
            Problem(
                "",
                "edition",
                _("그 사이에 %(who)s님이 이 기준일을 제%(edition)s판으로 공표했습니다. 화면을 새로 불러오세요.")
                % {"who": latest.published_by or "-", "edition": latest.edition}
                if latest
                else _("이 기준일의 공표 상태가 그 사이에 바뀌었습니다. 화면을 새로 불러오세요."),
            )
        ]
    )


def _refusals(period: Period, reason: str) -> list[Problem]:
    """Why the period cannot be published as asked: each division named with its status."""
    if not any(d.is_reportable for d in period.divisions):
        return [Problem("", "as_of", _("%(date)s에 승인된 과가 없어 공표할 것이 없습니다.") % {"date": period.as_of})]
    if period.latest is not None and not period.has_changes:
        return [
            Problem(
                "",
                "as_of",
                _("%(date)s은 이미 제%(edition)s판으로 공표되었고 그 뒤 달라진 것이 없습니다.")
                % {"date": period.as_of, "edition": period.latest.edition},
            )
        ]
    if reason:
        return []
    return [
        Problem(
            d.division.name,
            "status",
            _("%(date)s 실적이 %(status)s 상태입니다: 승인되지 않은 과를 미보고로 두고 공표하려면 사유를 적어 주세요.")
            % {"date": display.report_date(period.as_of), "status": d.status_label},
        )
        for d in period.not_reportable
    ]


def period_publish(
    *,
    user,
    bureau: Bureau,
    as_of: datetime.date,
    edition_seen: int | None,
    reason: str = "",
    fiscal_year: int | None = None,
    how: audit.How = audit.How.FORM,
) -> Publication:
    """Publish the bureau's period as its next edition. `edition_seen` is the latest edition the person
    saw (0 for none); `fiscal_year`, when the page names one, must be the period's."""
    if not can_publish(user, bureau):
        raise PermissionDenied(_("이 국의 실적을 공표할 권한이 없습니다."))
    require_version(edition_seen)
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise EntryError([Problem("", "reason", _("사유는 500자 이내로 적어 주세요."))])
    if fiscal_year is not None and as_of.year != fiscal_year:
        raise EntryError([Problem("", "as_of", _("기준일이 회계연도(%(year)s) 밖입니다.") % {"year": fiscal_year})])
    try:
        with transaction.atomic():
            # One publisher at a time per bureau (PostgreSQL; SQLite holds its write lock from BEGIN).
            Bureau.objects.select_for_update(**ROW_LOCK).filter(pk=bureau.pk).first()
            period = bureau_period(bureau=bureau, as_of=as_of)
            if not period.divisions:
                raise EntryError(
                    [Problem("", "as_of", _("%(year)s 회계연도의 세부사업이 없습니다.") % {"year": as_of.year})]
                )
            if (period.latest.edition if period.latest else 0) != edition_seen:
                raise _stale(period)
            problems = _refusals(period, reason)
            if problems:
                raise EntryError(problems)
            return _write_edition(period, user=user, reason=reason, how=how)
    except IntegrityError:
        # The unique edition refused a second publisher that read the same latest edition (SQLite's lock
        # or PostgreSQL's row lock make this rare; the constraint makes it impossible).
        raise _stale(bureau_period(bureau=bureau, as_of=as_of)) from None


def report_period_publish(*, bureau: Bureau, as_of: datetime.date, how: audit.How = audit.How.LOAD_DEMO):
    """The demo loader's publication of the report's own period: the report was published to the council,
    so its period is loaded published (edition 1; a reload that changed its figures makes the next
    edition). Needs no user and no reason; returns None when nothing changed since the latest edition."""
    period = bureau_period(bureau=bureau, as_of=as_of)
    if not period.has_changes:
        return None
    reason = _("보고서 자료를 다시 불러옴") if period.latest else ""
    return _write_edition(period, user=None, reason=reason, how=how)


def _write_edition(period: Period, *, user, reason: str, how: audit.How) -> Publication:
    publication = Publication(
        bureau=period.bureau,
        as_of=period.as_of,
        edition=(period.latest.edition if period.latest else 0) + 1,
        published_at=timezone.now(),
        published_by=user,
        reason=reason,
    )
    audit.record(publication, user, how)
    publication.save()
    PublishedMonth.objects.bulk_create(
        PublishedMonth(publication=publication, division=d.division, revision=d.approved_revision)
        for d in period.divisions
    )
    reportable = [d.division for d in period.divisions if d.is_reportable]
    PublishedFigure.objects.bulk_create(
        PublishedFigure(
            publication=publication, budget_line_id=line_id, as_of=day, obligations=obligations, disbursements=paid
        )
        for line_id, (day, obligations, paid) in approved_figures(divisions=reportable, as_of=period.as_of).items()
    )
    for adjustment in BudgetAdjustment.objects.filter(
        budget_line__division__in=reportable, effective_on__lte=period.as_of, published_in__isnull=True
    ):
        adjustment.published_in = publication
        audit.record(adjustment, user, how)
        adjustment.save()
    return publication
