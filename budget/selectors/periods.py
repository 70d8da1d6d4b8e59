"""A bureau's reporting periods: each date of a fiscal year with its divisions' status, its editions, and
what publishing it now would change (budget.models.periods says what a period and an edition are)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from budget.models import BudgetAdjustment, BudgetLine, DivisionMonth, Publication, PublishedFigure, PublishedMonth
from budget.selectors.execution import budget_line_figures
from civicbureau import publication
from staffing.models import Bureau, Division

PUBLISHED = "published"
# A division's figures at a date, as dashboards label them: a DivisionMonth status, or 공표됨 when the
# latest edition of that date published the month's approved revision.
STATUS_LABELS = {**dict(DivisionMonth.Status.choices), PUBLISHED: _("공표됨")}


def division_statuses(*, bureau: Bureau, dates: dict[str, datetime.date]) -> dict[str, str]:
    """Division code → the status of its month at the date given for it (a key of STATUS_LABELS): one query
    whatever the number of divisions."""
    if not dates:
        return {}
    published = PublishedMonth.objects.filter(
        publication__bureau=bureau, publication__as_of=OuterRef("as_of"), division=OuterRef("division")
    ).order_by("-publication__edition")
    months = {
        (code, as_of): (status, approved, in_edition)
        for code, as_of, status, approved, in_edition in DivisionMonth.objects.filter(
            division__bureau=bureau, division__code__in=list(dates), as_of__in=set(dates.values())
        )
        .annotate(published_revision=Subquery(published.values("revision")[:1]))
        .values_list("division__code", "as_of", "status", "approved_revision", "published_revision")
    }
    statuses = {}
    for code, day in dates.items():
        status, approved, in_edition = months.get((code, day), (DivisionMonth.Status.MISSING, None, None))
        is_published = status == DivisionMonth.Status.APPROVED and approved is not None and in_edition == approved
        statuses[code] = PUBLISHED if is_published else status
    return statuses


@dataclass
class PeriodDivision:
    """A division in a period: its month's status now, and the revision the latest edition published."""

    division: Division
    month: DivisionMonth | None
    published_revision: int | None = None  # in the latest edition; None: not in it, or 미보고 there

    @property
    def status(self) -> str:
        return self.month.status if self.month else DivisionMonth.Status.MISSING

    @property
    def status_label(self) -> str:
        return self.month.get_status_display() if self.month else DivisionMonth.Status.MISSING.label

    @property
    def approved_revision(self) -> int | None:
        """The revision whose figures would be published: the last approved one (a correction in
        progress leaves it in place)."""
        return self.month.approved_revision if self.month else None

    @property
    def is_reportable(self) -> bool:
        return self.approved_revision is not None

    @property
    def is_changed(self) -> bool:
        """Publishing now would change this division against the latest edition."""
        return self.is_reportable and self.approved_revision != self.published_revision


@dataclass
class Period:
    """A bureau's reporting period: a date of a fiscal year, per division, with its editions."""

    bureau: Bureau
    as_of: datetime.date
    divisions: list[PeriodDivision] = field(default_factory=list)
    editions: list[Publication] = field(default_factory=list)  # oldest first
    unpublished_adjustments: int = 0  # adjustments of reportable divisions, effective by then, not yet public
    other_changes: list = field(default_factory=list)  # (label, count): headcount, indicator values … dated by
    # then and recorded after the latest edition (civicbureau.publication.changes_since)

    @property
    def fiscal_year(self) -> int:
        return self.as_of.year

    @property
    def latest(self) -> Publication | None:
        return self.editions[-1] if self.editions else None

    @property
    def is_published(self) -> bool:
        return bool(self.editions)

    @property
    def not_reportable(self) -> list[PeriodDivision]:
        """Divisions with no approved month for the period: 미보고 if it were published now."""
        return [d for d in self.divisions if not d.is_reportable]

    @property
    def is_complete(self) -> bool:
        return not self.not_reportable

    @property
    def has_changes(self) -> bool:
        """Publishing now would make a new edition: a division approved or corrected since the latest
        edition, or an adjustment not yet public (always, before the first edition, if anything is approved)."""
        if not any(d.is_reportable for d in self.divisions):
            return False
        return (
            self.latest is None
            or any(d.is_changed for d in self.divisions)
            or self.unpublished_adjustments > 0
            or bool(self.other_changes)
        )


def reporting_divisions(*, bureau: Bureau, fiscal_year: int) -> list[Division]:
    """The divisions that report for a fiscal year: those with budget lines in it."""
    ids = BudgetLine.objects.filter(division__bureau=bureau, fiscal_year=fiscal_year).values("division")
    return list(Division.objects.filter(pk__in=ids).order_by("order"))


def bureau_periods(*, bureau: Bureau, fiscal_year: int) -> list[Period]:
    """Every period of the year that has a division's month or an edition, latest first (four queries)."""
    divisions = reporting_divisions(bureau=bureau, fiscal_year=fiscal_year)
    months = DivisionMonth.objects.filter(division__in=divisions, as_of__year=fiscal_year)
    editions = Publication.objects.filter(bureau=bureau, as_of__year=fiscal_year).prefetch_related("months")
    return _periods(bureau, divisions, list(months), list(editions))


def bureau_period(*, bureau: Bureau, as_of: datetime.date) -> Period:
    """One period of the bureau (it may have no month and no edition yet)."""
    divisions = reporting_divisions(bureau=bureau, fiscal_year=as_of.year)
    months = DivisionMonth.objects.filter(division__in=divisions, as_of=as_of)
    editions = Publication.objects.filter(bureau=bureau, as_of=as_of).prefetch_related("months")
    periods = _periods(bureau, divisions, list(months), list(editions))
    return periods[0] if periods else Period(bureau, as_of, [PeriodDivision(d, None) for d in divisions])


def _periods(bureau, divisions, months, editions) -> list[Period]:
    dates = sorted({m.as_of for m in months} | {e.as_of for e in editions}, reverse=True)
    by_key = {(m.division_id, m.as_of): m for m in months}
    pending = _unpublished_adjustments(divisions, dates)
    periods = []
    for as_of in dates:
        own = sorted((e for e in editions if e.as_of == as_of), key=lambda e: e.edition)
        published = {m.division_id: m.revision for m in own[-1].months.all()} if own else {}
        rows = [PeriodDivision(d, by_key.get((d.pk, as_of)), published.get(d.pk)) for d in divisions]
        reportable = {r.division.pk for r in rows if r.is_reportable}
        waiting = sum(1 for division_id, effective_on in pending if division_id in reportable and effective_on <= as_of)
        # figures read as recorded at the edition: what changed since waits for the next one (a few queries
        # per published period of the year)
        other = publication.changes_since(bureau=bureau, on_or_before=as_of, since=own[-1].published_at) if own else []
        periods.append(Period(bureau, as_of, rows, own, waiting, other))
    return periods


def _unpublished_adjustments(divisions, dates) -> list[tuple[int, datetime.date]]:
    if not dates:
        return []
    return list(
        BudgetAdjustment.objects.filter(
            budget_line__division__in=divisions, published_in__isnull=True, effective_on__lte=max(dates)
        ).values_list("budget_line__division", "effective_on")
    )


# -- editions: the public's periods -------------------------------------------------------------------


def published_dates(*, fiscal_year: int, bureau: Bureau | None = None) -> list[datetime.date]:
    """The dates of the year a bureau (or any bureau of the city) published a period for."""
    editions = Publication.objects.filter(as_of__year=fiscal_year)
    if bureau is not None:
        editions = editions.filter(bureau=bureau)
    return list(editions.values_list("as_of", flat=True).distinct())


def published_year_latest() -> int | None:
    """The latest fiscal year any bureau of the city published a period of (None: nothing published)."""
    latest = Publication.objects.aggregate(latest=Max("as_of"))["latest"]
    return latest.year if latest else None


def published_by(*, fiscal_year: int, on_or_before: datetime.date | None = None) -> bool:
    """Whether any bureau published a period of the year at or before a date (default: at all)."""
    editions = Publication.objects.filter(as_of__year=fiscal_year)
    if on_or_before is not None:
        editions = editions.filter(as_of__lte=on_or_before)
    return editions.exists()


def publication_on(
    *, bureau: Bureau, fiscal_year: int, on_or_before: datetime.date | None = None, edition: int | None = None
) -> Publication | None:
    """The edition the public sees: the latest edition (or the one asked for) of the latest published
    period of the year at or before a date (default: the year's latest). None: nothing published by then."""
    editions = Publication.objects.filter(bureau=bureau, as_of__year=fiscal_year)
    if on_or_before is not None:
        editions = editions.filter(as_of__lte=on_or_before)
    latest = editions.order_by("-as_of", "-edition").first()
    if latest is None or edition is None:
        return latest
    return editions.filter(as_of=latest.as_of, edition=edition).first()


def period_editions(publication: Publication) -> list[Publication]:
    """Every edition of the publication's period, oldest first (each stays citable)."""
    return list(
        Publication.objects.filter(bureau_id=publication.bureau_id, as_of=publication.as_of).order_by("edition")
    )


# -- what a new edition would change ------------------------------------------------------------------


@dataclass
class FigureChange:
    """A line whose published figures a new edition changes: (obligations, disbursements) before and after."""

    division: str
    code: str
    name: str
    before: tuple[int | None, int | None] | None  # None: not in the previous edition (미보고 there)
    after: tuple[int | None, int | None] | None  # None: not in the new one


def approved_figures(*, divisions, as_of: datetime.date) -> dict[int, tuple[datetime.date, int | None, int]]:
    """Budget line id → (its own date, obligations, disbursements) of the approved revisions at or before
    `as_of`, for the lines of `divisions`: what an edition of the period publishes."""
    lines = BudgetLine.objects.filter(division__in=divisions, fiscal_year=as_of.year)
    return {
        line.pk: (line.snapshot_as_of, line.obligations_to_date, line.disbursements_to_date)
        for line in budget_line_figures(lines=lines, as_of=as_of, approved_only=True)
        if line.snapshot_as_of is not None
    }


def edition_changes(period: Period) -> list[FigureChange]:
    """What publishing the period now changes against its latest edition, line by line (nothing before the first)."""
    if period.latest is None:
        return []
    reportable = [d.division for d in period.divisions if d.is_reportable]
    after = {pk: (o, d) for pk, (_day, o, d) in approved_figures(divisions=reportable, as_of=period.as_of).items()}
    before = {
        f.budget_line_id: (f.obligations, f.disbursements)
        for f in PublishedFigure.objects.filter(publication=period.latest)
    }
    return _changes(before, after)


def edition_differences(publication: Publication) -> list[FigureChange]:
    """What an edition changed against the one before it (nothing for a first edition): its change list."""
    previous = (
        Publication.objects.filter(
            bureau_id=publication.bureau_id, as_of=publication.as_of, edition__lt=publication.edition
        )
        .order_by("-edition")
        .first()
    )
    if previous is None:
        return []
    figures = PublishedFigure.objects.filter(Q(publication=publication) | Q(publication=previous))
    before, after = {}, {}
    for figure in figures:
        (after if figure.publication_id == publication.pk else before)[figure.budget_line_id] = (
            figure.obligations,
            figure.disbursements,
        )
    return _changes(before, after)


def _changes(before: dict, after: dict) -> list[FigureChange]:
    changed = [pk for pk in set(after) | set(before) if after.get(pk) != before.get(pk)]
    lines = BudgetLine.objects.filter(pk__in=changed).select_related("division").order_by("division__order", "order")
    return [
        FigureChange(line.division.name, line.code, line.name, before.get(line.pk), after.get(line.pk))
        for line in lines
    ]
