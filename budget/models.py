"""Money: budget lines and their adjustments, cumulative execution, revenue and the expenditure summary.

Every amount is whole won. Only base figures are stored; 예산현액, 집행잔액, rates, totals and changes
are derived by civicbureau.figures in the selectors.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from civicbureau import display, figures
from civicbureau.audit import AuditedManager
from staffing.models import Bureau, Division


class BudgetLine(models.Model):
    """세부사업: a detailed budget line of a division for one fiscal year (기본경비 is a line of its own)."""

    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("과"))
    fiscal_year = models.PositiveSmallIntegerField(_("회계연도"))
    code = models.SlugField(
        _("사업 코드"), max_length=30, help_text=_("연도 안에서 바뀌지 않는 코드 (내려받기·올리기에 쓰임)")
    )
    name = models.CharField(_("세부사업명"), max_length=200)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)
    is_basic_expense = models.BooleanField(_("기본경비"), default=False)
    original_budget = models.BigIntegerField(_("당초예산(원)"))
    history = HistoricalRecords()
    objects = AuditedManager()

    DIVISION_PATH = "division"

    class Meta:
        verbose_name = _("세부사업")
        verbose_name_plural = pgettext_lazy("plural", "세부사업")
        ordering = ["fiscal_year", "division", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "code"],
                name="budget_line_unique_code",
                violation_error_message=_("같은 연도에 같은 사업 코드가 있습니다."),
            ),
            models.UniqueConstraint(fields=["fiscal_year", "division", "name"], name="budget_line_unique_name"),
            models.CheckConstraint(condition=Q(original_budget__gte=0), name="budget_line_original_not_negative"),
        ]

    def __str__(self):
        return f"{self.fiscal_year} {self.name}"

    def budget_authority_on(self, day) -> int:
        """예산현액 on a date: the original budget with the adjustments effective by then."""
        amounts = self.adjustments.filter(effective_on__lte=day).values_list("amount", flat=True)
        return figures.budget_authority(self.original_budget, amounts)


class BudgetAdjustment(models.Model):
    """A dated change to a line's budget authority; 예산현액 = 당초예산 + the sum of these up to a date."""

    class Kind(models.TextChoices):
        SUPPLEMENTARY = "supplementary", _("추경")
        CARRYOVER = "carryover", _("이월")
        TRANSFER = "transfer", _("전용")
        RESERVE = "reserve", _("예비비")
        UNSPECIFIED = "unspecified", _("구분 미기재")

    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="adjustments", verbose_name=_("세부사업")
    )
    kind = models.CharField(_("구분"), max_length=20, choices=Kind.choices)
    amount = models.BigIntegerField(_("금액(원, 감액은 음수)"))
    effective_on = models.DateField(_("적용일"))
    reason = models.CharField(_("사유"), max_length=300)
    history = HistoricalRecords()
    objects = AuditedManager()

    DIVISION_PATH = "budget_line__division"

    class Meta:
        verbose_name = _("예산 변경")
        verbose_name_plural = pgettext_lazy("plural", "예산 변경")
        ordering = ["effective_on", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="budget_adjustment_not_zero")]

    def __str__(self):
        return f"{self.budget_line} {self.get_kind_display()} {self.amount}"

    def clean(self):
        """The date falls in the line's fiscal year, and the 예산현액 the change leaves still covers what is
        already committed at every recorded date it lowers (on every path: forms, the admin, the loader)."""
        if self.effective_on and self.budget_line_id and self.effective_on.year != self.budget_line.fiscal_year:
            raise ValidationError(
                {"effective_on": _("적용일이 회계연도(%(year)s) 밖입니다.") % {"year": self.budget_line.fiscal_year}}
            )
        if self.effective_on and self.budget_line_id and self.amount is not None:
            uncovered = self.uncovered()
            if uncovered is not None:
                day, authority, field, committed = uncovered
                raise ValidationError(
                    {
                        "amount": _(
                            "변경 후 %(date)s 기준 예산현액(%(authority)s원)이 이미 입력된 %(field)s %(committed)s원보다 적어집니다."
                        )
                        % {
                            "date": day.isoformat(),
                            "authority": display.number(authority),
                            "field": field,
                            "committed": display.number(committed),
                        }
                    }
                )

    def uncovered(self):
        """The first recorded date at which this adjustment (new, or as changed) lowers the 예산현액 below the
        cumulative obligations (or disbursements where obligations are not given): (date, 예산현액, field, committed)."""
        line = self.budget_line
        others = (
            list(line.adjustments.exclude(pk=self.pk).values_list("effective_on", "amount"))
            if self.pk
            else list(line.adjustments.values_list("effective_on", "amount"))
        )
        stored = (
            BudgetAdjustment.objects.filter(pk=self.pk).values_list("effective_on", "amount").first()
            if self.pk
            else None
        )
        for snapshot in line.snapshots.filter(
            as_of__gte=min(self.effective_on, stored[0]) if stored else self.effective_on
        ).order_by("as_of"):
            effective = [amount for day, amount in others if day <= snapshot.as_of]
            after = figures.budget_authority(
                line.original_budget, effective + ([self.amount] if self.effective_on <= snapshot.as_of else [])
            )
            before = figures.budget_authority(
                line.original_budget, effective + ([stored[1]] if stored and stored[0] <= snapshot.as_of else [])
            )
            if after >= before:
                continue  # not lowered here: a slip already in the figures is not this change's
            committed, field = (
                (snapshot.obligations, _("원인행위 누계"))
                if snapshot.obligations is not None
                else (snapshot.disbursements, _("지출액 누계"))
            )
            if committed > after:
                return snapshot.as_of, after, field, committed
        return None


class DivisionMonth(models.Model):
    """A division's execution figures as of one date (a month end; the 2022 report's date is 2022-07-01).

    Staff enter the month as a draft and submit it; the director approves it or returns it with a reason.
    Approval locks it and makes its figures public; a correction reopens it as the next revision, with a
    reason, while the last approved figures stay public. `version` goes up with every write, so an edit
    that started from an older version is refused instead of overwriting someone else's work.
    No row means the month is missing.
    """

    class Status(models.TextChoices):
        MISSING = "missing", _("미입력")
        DRAFT = "draft", _("작성 중")
        SUBMITTED = "submitted", _("제출됨")
        RETURNED = "returned", _("반려됨")
        APPROVED = "approved", _("승인됨")

    LOCKED = (Status.SUBMITTED, Status.APPROVED)
    EDITABLE = (Status.DRAFT, Status.RETURNED)
    DIVISION_PATH = "division"

    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="months", verbose_name=_("과"))
    as_of = models.DateField(_("기준일"))
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveSmallIntegerField(_("차수"), default=1)
    approved_revision = models.PositiveSmallIntegerField(_("승인된 차수"), null=True, blank=True)
    version = models.PositiveIntegerField(_("버전"), default=1)
    reason = models.CharField(_("사유"), max_length=300, blank=True, help_text=_("반려 또는 정정의 사유"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("마지막으로 바꾼 사람"),
    )
    history = HistoricalRecords()
    objects = AuditedManager()

    class Meta:
        verbose_name = _("과별 월 실적")
        verbose_name_plural = pgettext_lazy("plural", "과별 월 실적")
        ordering = ["as_of", "division"]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "as_of"],
                name="division_month_unique",
                violation_error_message=_("같은 과의 같은 기준일 실적이 이미 있습니다."),
            ),
            models.CheckConstraint(condition=~Q(status="missing"), name="division_month_status_stored"),
            models.CheckConstraint(
                condition=Q(revision__gte=1)
                & Q(version__gte=1)
                & (Q(approved_revision__isnull=True) | Q(approved_revision__lte=F("revision"))),
                name="division_month_counters_valid",
            ),
        ]

    def __str__(self):
        return f"{self.division} {self.as_of} ({self.get_status_display()})"

    @property
    def fiscal_year(self) -> int:
        return self.as_of.year

    @property
    def is_locked(self) -> bool:
        return self.status in self.LOCKED


class ExecutionSnapshot(models.Model):
    """A line's execution, cumulative from the start of the fiscal year to `as_of`.

    Staff enter cumulative-to-date figures; a month's own amounts are the difference between two snapshots
    (civicbureau.figures.period_amount). The 2022 report gives execution only cumulatively as of 2022-07-01.
    Obligations are empty where the report gives only the disbursement (its summary table prints 집행액
    alone). `approved_…` hold the figures of the division-month's last approved revision: public pages read
    those, so a correction in progress never shows before it is approved.
    """

    DIVISION_PATH = "budget_line__division"

    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="snapshots", verbose_name=_("세부사업")
    )
    as_of = models.DateField(_("기준일"))
    obligations = models.BigIntegerField(_("원인행위 누계(원)"), null=True, blank=True)
    disbursements = models.BigIntegerField(_("지출액 누계(원)"))
    approved_obligations = models.BigIntegerField(_("승인된 원인행위 누계(원)"), null=True, blank=True, editable=False)
    approved_disbursements = models.BigIntegerField(_("승인된 지출액 누계(원)"), null=True, blank=True, editable=False)
    history = HistoricalRecords()
    objects = AuditedManager()

    class Meta:
        verbose_name = _("집행 실적")
        verbose_name_plural = pgettext_lazy("plural", "집행 실적")
        ordering = ["as_of", "budget_line"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget_line", "as_of"],
                name="snapshot_unique_date",
                violation_error_message=_("같은 기준일의 집행 실적이 이미 있습니다."),
            ),
            models.CheckConstraint(condition=Q(disbursements__gte=0), name="snapshot_disbursements_not_negative"),
            models.CheckConstraint(
                condition=Q(obligations__isnull=True) | Q(obligations__gte=F("disbursements")),
                name="snapshot_disbursed_within_obligated",
                violation_error_message=_("지출액 누계가 원인행위 누계를 넘을 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=Q(approved_disbursements__isnull=True)
                | (
                    Q(approved_disbursements__gte=0)
                    & (Q(approved_obligations__isnull=True) | Q(approved_obligations__gte=F("approved_disbursements")))
                ),
                name="snapshot_approved_figures_valid",
            ),
        ]
        # the city's latest date with figures (city.selectors.city_execution_date) reads this index backwards
        indexes = [models.Index(fields=["as_of"], name="snapshot_as_of")]

    def __str__(self):
        return f"{self.budget_line} @ {self.as_of}"

    def clean(self):
        self.validate_figures()

    def validate_entry(self, *, authority: int | None = None, check_lock: bool = True):
        """full_clean's rules of one row (its fields, then validate_figures) with what the caller already
        read, without the per-row constraint queries (the database holds the constraints again on save)."""
        errors = {}
        try:
            self.clean_fields(exclude=["budget_line"])
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            self.validate_figures(authority=authority, check_lock=check_lock)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def validate_figures(self, *, authority: int | None = None, check_lock: bool = True):
        """The rules no single column can state: the date falls in the line's fiscal year, disbursements
        stay within obligations, what is committed stays within the budget authority on that date, and a
        submitted or approved division-month is not changed (a correction reopens it first).

        A caller validating a whole sheet passes the `authority` of each line it read in one query; a service
        holding the month's lock (it checked the month itself) and the loader (the report's own figures go
        into the month they approve) pass `check_lock=False`."""
        if not (self.budget_line_id and self.as_of and self.disbursements is not None):
            return
        line = self.budget_line
        if self.as_of.year != line.fiscal_year:
            raise ValidationError({"as_of": _("기준일이 회계연도(%(year)s) 밖입니다.") % {"year": line.fiscal_year}})
        if self.disbursements < 0 or (self.obligations is not None and self.obligations < 0):
            field = "disbursements" if self.disbursements < 0 else "obligations"
            raise ValidationError({field: _("금액은 0원 이상이어야 합니다.")})
        if self.obligations is not None and self.disbursements > self.obligations:
            raise ValidationError({"disbursements": _("지출액 누계가 원인행위 누계를 넘을 수 없습니다.")})
        if authority is None:
            authority = line.budget_authority_on(self.as_of)
        committed, field = (
            (self.obligations, "obligations") if self.obligations is not None else (self.disbursements, "disbursements")
        )
        if committed > authority:
            raise ValidationError(
                {
                    field: _("%(line)s의 예산현액(%(authority)s원)을 넘습니다.")
                    % {"line": line.name, "authority": display.number(authority)}
                }
            )
        if check_lock:
            month = DivisionMonth.objects.filter(division_id=line.division_id, as_of=self.as_of).first()
            if month is not None and month.is_locked:
                raise ValidationError(
                    _("%(division)s의 %(date)s 실적은 %(status)s 상태여서 고칠 수 없습니다 (정정은 새 차수로 엽니다).")
                    % {
                        "division": month.division.name,
                        "date": display.report_date(self.as_of),
                        "status": month.get_status_display(),
                    }
                )


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
    amount = models.BigIntegerField(_("금액(원)"))
    history = HistoricalRecords()
    objects = AuditedManager()

    class Meta:
        verbose_name = _("세입액")
        verbose_name_plural = pgettext_lazy("plural", "세입액")
        ordering = ["fiscal_year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["category", "fiscal_year", "as_of"], name="revenue_unique_cell"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="revenue_not_negative"),
        ]

    def __str__(self):
        return f"{self.category} {self.fiscal_year}"


class DivisionBudget(models.Model):
    """A division's whole-year expenditure budget for a year whose lines the portal does not hold
    (세출총괄's comparison year: 본예산 and 최종예산)."""

    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="year_budgets", verbose_name=_("과"))
    fiscal_year = models.PositiveSmallIntegerField(_("회계연도"))
    as_of = models.DateField(_("기준일"))
    original_budget = models.BigIntegerField(_("본예산(원)"))
    final_budget = models.BigIntegerField(_("최종예산(원)"), null=True, blank=True)
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
        ]

    def __str__(self):
        return f"{self.division} {self.fiscal_year}"


class BudgetPaceTarget(models.Model):
    """The bureau's target for the cumulative disbursement rate at the end of a month of a fiscal year
    (e.g. a first-half rapid-execution target of 60% by June). Months not set lie on a straight line
    between the months set; with none set, the pace is month × 100 ÷ 12 (civicbureau.figures.pace_curve)."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="pace_targets", verbose_name=_("국"))
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
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="pace_target_month_valid"),
            models.CheckConstraint(
                condition=Q(target_rate__gte=0) & Q(target_rate__lte=100), name="pace_target_rate_valid"
            ),
        ]

    def __str__(self):
        return f"{self.bureau} {self.fiscal_year}-{self.month:02d} {self.target_rate}%"

    def clean(self):
        """A cumulative target cannot fall: it stays at or above the months set before it and at or below those after."""
        if not (self.bureau_id and self.fiscal_year and self.month and self.target_rate is not None):
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
