"""The report's summaries that are not execution: revenue (세입총괄), the comparison year's budgets (세출총괄)
and the bureau's pace targets."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from civicbureau import entry, figures
from civicbureau.audit import AuditedManager
from staffing.models import Bureau, Division


class RevenueCategory(models.Model):
    """세입 구분: a node of the revenue tree (세외수입 → 경상적 세외수입 → 재산임대수입 …)."""

    code = models.SlugField(_("코드"), max_length=40, unique=True)
    name = models.CharField(_("구분"), max_length=100)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = _("세입 구분")
        verbose_name_plural = pgettext_lazy("plural", "세입 구분")
        ordering = ["order"]

    def __str__(self):
        return self.name


class RevenueAmount(models.Model):
    """The revenue of a leaf category in a fiscal year, as of a date; parents' amounts are sums."""

    category = models.ForeignKey(
        RevenueCategory, on_delete=models.PROTECT, related_name="amounts", verbose_name=_("구분")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("회계연도"))
    as_of = models.DateField(_("기준일"))
    amount = models.BigIntegerField(_("금액(원)"), validators=entry.WON_BOUNDS)
    history = HistoricalRecords()
    objects = AuditedManager()

    class Meta:
        verbose_name = _("세입액")
        verbose_name_plural = pgettext_lazy("plural", "세입액")
        ordering = ["fiscal_year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["category", "fiscal_year", "as_of"], name="revenue_unique_cell"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="revenue_not_negative"),
            models.CheckConstraint(
                condition=Q(amount__lte=figures.MAX_WON),
                name="revenue_bounded",
                violation_error_message=entry.WON_OUT_OF_BOUNDS,
            ),
        ]

    def __str__(self):
        return f"{self.category} {self.fiscal_year}"


class DivisionBudget(models.Model):
    """A division's whole-year expenditure budget for a year whose lines the portal does not hold
    (세출총괄's comparison year: 본예산 and 최종예산)."""

    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="year_budgets", verbose_name=_("과"))
    fiscal_year = models.PositiveSmallIntegerField(_("회계연도"))
    as_of = models.DateField(_("기준일"))
    original_budget = models.BigIntegerField(_("본예산(원)"), validators=entry.WON_BOUNDS)
    final_budget = models.BigIntegerField(_("최종예산(원)"), null=True, blank=True, validators=entry.WON_BOUNDS)
    history = HistoricalRecords()
    objects = AuditedManager()

    class Meta:
        verbose_name = _("과별 세출예산")
        verbose_name_plural = pgettext_lazy("plural", "과별 세출예산")
        ordering = ["fiscal_year", "division"]
        constraints = [
            models.UniqueConstraint(fields=["division", "fiscal_year"], name="division_budget_unique_year"),
            models.CheckConstraint(
                condition=Q(original_budget__gte=0) & (Q(final_budget__isnull=True) | Q(final_budget__gte=0)),
                name="division_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(original_budget__lte=figures.MAX_WON)
                & (Q(final_budget__isnull=True) | Q(final_budget__lte=figures.MAX_WON)),
                name="division_budget_bounded",
                violation_error_message=entry.WON_OUT_OF_BOUNDS,
            ),
        ]

    def __str__(self):
        return f"{self.division} {self.fiscal_year}"


class BudgetPaceTarget(models.Model):
    """A target for the cumulative disbursement rate at the end of a month of a fiscal year (e.g. a first-half
    rapid-execution target, 신속집행 목표, of 60% by June). Without a bureau it is the city's, set by the
    budget office: a bureau with no target of its own for the year follows the city's (budget.selectors.
    execution.pace_curve). Months not set lie on a straight line between the months set; with none set,
    the pace is month × 100 ÷ 12 (civicbureau.figures.pace_curve)."""

    bureau = models.ForeignKey(
        Bureau,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pace_targets",
        verbose_name=_("국"),
        help_text=_("비워 두면 시 전체 목표: 그해 자체 목표가 없는 국은 시 목표를 따릅니다."),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("회계연도"))
    month = models.PositiveSmallIntegerField(_("월"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    target_rate = models.DecimalField(
        _("누적 지출률 목표(%)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("그 달 말까지의 누적 지출액 ÷ 예산현액 × 100"),
    )
    history = HistoricalRecords()
    objects = AuditedManager()

    class Meta:
        verbose_name = _("집행 목표")
        verbose_name_plural = pgettext_lazy("plural", "집행 목표")
        ordering = ["bureau", "fiscal_year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "fiscal_year", "month"],
                name="pace_target_unique_month",
                violation_error_message=_("같은 연도·월의 집행 목표가 이미 있습니다."),
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "month"],
                condition=Q(bureau__isnull=True),
                name="pace_target_unique_city_month",
                violation_error_message=_("같은 연도·월의 시 집행 목표가 이미 있습니다."),
            ),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="pace_target_month_valid"),
            models.CheckConstraint(
                condition=Q(target_rate__gte=0) & Q(target_rate__lte=100), name="pace_target_rate_valid"
            ),
        ]

    def __str__(self):
        return f"{self.bureau or _('시 전체')} {self.fiscal_year}-{self.month:02d} {self.target_rate}%"

    def clean(self):
        """A cumulative target cannot fall: it stays at or above the months set before it and at or below those after."""
        if not (self.fiscal_year and self.month and self.target_rate is not None):
            return
        others = BudgetPaceTarget.objects.filter(bureau_id=self.bureau_id, fiscal_year=self.fiscal_year).exclude(
            pk=self.pk
        )
        earlier = others.filter(month__lt=self.month, target_rate__gt=self.target_rate).order_by("month").first()
        later = others.filter(month__gt=self.month, target_rate__lt=self.target_rate).order_by("month").first()
        for other in (earlier, later):
            if other is not None:
                raise ValidationError(
                    {
                        "target_rate": _("누적 목표는 줄어들 수 없습니다: %(month)s월 목표가 %(rate)s%%입니다.")
                        % {"month": other.month, "rate": other.target_rate}
                    }
                )
