"""Reporting periods (기준일) and their publication (공표).

A bureau's reporting period is a date of a fiscal year: a month end, or the 2022 report's 2022-07-01. Per
division, a period is missing, draft, submitted, returned or approved: the division's DivisionMonth for
that date. The period as a whole is open until the bureau's planning staff or director publish it.

A Publication is one edition of a period (제1판, 제2판 …). It freezes what the public sees of the period:
- each division's approved revision, or that the division had not reported (미보고): PublishedMonth;
- the execution figures of those revisions, copied (PublishedFigure), so that a correction approved later
  never changes an edition: it is published as the next edition, and every edition stays citable;
- the budget adjustments it made public (BudgetAdjustment.published_in).
Editions are never changed or deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budget.models.lines import BudgetLine
from civicbureau import entry, figures
from civicbureau.audit import AuditedQuerySet, DeleteRefusedError
from staffing.models import Bureau, Division

EDITION_KEPT = _("공표된 판은 지울 수 없습니다. 고친 실적은 정정을 승인받아 다음 판으로 공표합니다.")


class KeptForever:
    """An edition's rows are never deleted, one by one or by QuerySet.delete()."""

    def delete(self, *args, **kwargs):
        raise DeleteRefusedError(str(EDITION_KEPT))


class PublicationQuerySet(KeptForever, AuditedQuerySet):
    pass


class PublishedRowQuerySet(KeptForever, models.QuerySet):
    pass


class Publication(KeptForever, models.Model):
    """One edition of a bureau's reporting period, as published."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="publications", verbose_name=_("국"))
    as_of = models.DateField(_("기준일"))
    edition = models.PositiveSmallIntegerField(_("판"))
    published_at = models.DateTimeField(_("공표 일시"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("공표한 사람"),
    )
    reason = models.CharField(
        _("사유"), max_length=500, blank=True, help_text=_("미보고 과를 두고 공표하는 사유, 또는 새 판이 고친 것")
    )
    history = HistoricalRecords()
    objects = models.Manager.from_queryset(PublicationQuerySet)()

    class Meta:
        verbose_name = _("공표")
        verbose_name_plural = pgettext_lazy("plural", "공표")
        ordering = ["bureau", "as_of", "edition"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "as_of", "edition"],
                name="publication_unique_edition",
                violation_error_message=_("같은 기준일의 같은 판이 이미 공표되었습니다."),
            ),
            models.CheckConstraint(condition=Q(edition__gte=1), name="publication_edition_positive"),
        ]
        indexes = [models.Index(fields=["bureau", "-as_of", "-edition"], name="publication_latest")]

    def __str__(self):
        return f"{self.bureau} {self.as_of} ({self.edition})"

    @property
    def fiscal_year(self) -> int:
        return self.as_of.year


class PublishedMonth(KeptForever, models.Model):
    """A division in an edition: the approved revision of its month that was published, or none (미보고)."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="months")
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name=_("과"))
    revision = models.PositiveSmallIntegerField(
        _("공표된 차수"), null=True, blank=True, help_text=_("비어 있으면 미보고")
    )
    objects = models.Manager.from_queryset(PublishedRowQuerySet)()

    class Meta:
        verbose_name = _("공표된 과별 월 실적")
        verbose_name_plural = pgettext_lazy("plural", "공표된 과별 월 실적")
        ordering = ["publication", "division__order"]
        constraints = [models.UniqueConstraint(fields=["publication", "division"], name="published_month_unique")]

    def __str__(self):
        return f"{self.publication} {self.division}"

    @property
    def is_reported(self) -> bool:
        return self.revision is not None


class PublishedFigure(KeptForever, models.Model):
    """A budget line's cumulative execution as an edition published it: the figures of its division's
    approved revision, dated by the line's own latest approved snapshot at or before the period."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="figures")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField(_("기준일"))
    obligations = models.BigIntegerField(_("원인행위 누계(원)"), null=True, blank=True, validators=entry.WON_BOUNDS)
    disbursements = models.BigIntegerField(_("지출액 누계(원)"), validators=entry.WON_BOUNDS)
    objects = models.Manager.from_queryset(PublishedRowQuerySet)()

    class Meta:
        verbose_name = _("공표된 집행 실적")
        verbose_name_plural = pgettext_lazy("plural", "공표된 집행 실적")
        constraints = [
            models.UniqueConstraint(fields=["publication", "budget_line"], name="published_figure_unique"),
            models.CheckConstraint(
                condition=Q(disbursements__gte=0)
                & (Q(obligations__isnull=True) | Q(obligations__gte=F("disbursements"))),
                name="published_figure_valid",
            ),
            models.CheckConstraint(
                condition=Q(disbursements__lte=figures.MAX_WON)
                & (Q(obligations__isnull=True) | Q(obligations__lte=figures.MAX_WON)),
                name="published_figure_bounded",
                violation_error_message=entry.WON_OUT_OF_BOUNDS,
            ),
        ]

    def __str__(self):
        return f"{self.publication} {self.budget_line}"
