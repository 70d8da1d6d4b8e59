"""Execution entered per division and month: the division-month's status and each line's cumulative figures."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budget.models.lines import BudgetLine
from budget.models.periods import PublishedFigure
from civicbureau import display, entry, figures
from civicbureau.audit import AuditedManager, AuditedQuerySet, DeleteRefusedError
from staffing.models import Division


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


# Figures that may be slips, which the person entering them confirms (budget.services.entry): rule → words.
CAUTION_RULES = {
    "thousandfold": _("전기 누계의 약 1,000배 또는 1,000분의 1"),
    "below_previous": _("전기 누계보다 적음"),
    "spike": _("이번 달 금액이 월평균의 10배 초과"),
    "full_authority": _("원인행위가 이번 달에 예산현액 전액"),
}


class ExecutionSnapshotQuerySet(AuditedQuerySet):
    def kept(self):
        """The snapshots that are never deleted: their division-month is submitted or approved, or they hold
        approved figures, or an edition published their figures. A correction is the only way to change them."""
        locked = DivisionMonth.objects.filter(
            division=OuterRef("budget_line__division"), as_of=OuterRef("as_of"), status__in=DivisionMonth.LOCKED
        )
        published = PublishedFigure.objects.filter(budget_line=OuterRef("budget_line"), as_of=OuterRef("as_of"))
        return self.filter(Q(approved_disbursements__isnull=False) | Exists(locked) | Exists(published))

    def delete(self):
        kept = self.kept().select_related("budget_line__division").first()
        if kept is not None:
            raise DeleteRefusedError(kept.kept_message())
        return super().delete()


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
    obligations = models.BigIntegerField(_("원인행위 누계(원)"), null=True, blank=True, validators=entry.WON_BOUNDS)
    disbursements = models.BigIntegerField(_("지출액 누계(원)"), validators=entry.WON_BOUNDS)
    approved_obligations = models.BigIntegerField(
        _("승인된 원인행위 누계(원)"), null=True, blank=True, editable=False, validators=entry.WON_BOUNDS
    )
    approved_disbursements = models.BigIntegerField(
        _("승인된 지출액 누계(원)"), null=True, blank=True, editable=False, validators=entry.WON_BOUNDS
    )
    confirmed = models.CharField(
        _("확인한 경고"),
        max_length=200,
        blank=True,
        default="",
        db_default="",  # bulk paths that name no column (the benchmark's COPY) write none confirmed
        editable=False,
        help_text=_("이 값을 저장할 때 입력한 사람이 확인한 경고: 규칙:항목, … (CAUTION_RULES)"),
    )
    history = HistoricalRecords()
    objects = models.Manager.from_queryset(ExecutionSnapshotQuerySet)()

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
            # with disbursements ≥ 0 and within obligations, bounding the larger figure bounds both
            models.CheckConstraint(
                condition=Q(disbursements__lte=figures.MAX_WON)
                & (Q(obligations__isnull=True) | Q(obligations__lte=figures.MAX_WON))
                & (Q(approved_disbursements__isnull=True) | Q(approved_disbursements__lte=figures.MAX_WON))
                & (Q(approved_obligations__isnull=True) | Q(approved_obligations__lte=figures.MAX_WON)),
                name="snapshot_figures_bounded",
                violation_error_message=entry.WON_OUT_OF_BOUNDS,
            ),
        ]
        # a date's snapshots across lines (a period's figures, the latest date with figures) are read by this index
        indexes = [models.Index(fields=["as_of"], name="snapshot_as_of")]

    def __str__(self):
        return f"{self.budget_line} @ {self.as_of}"

    def clean(self):
        self.validate_figures()

    def delete(self, *args, **kwargs):
        if self.is_kept():
            raise DeleteRefusedError(self.kept_message())
        return super().delete(*args, **kwargs)

    def is_kept(self) -> bool:
        """Submitted, approved or published figures (ExecutionSnapshotQuerySet.kept): never deleted."""
        return self.pk is not None and ExecutionSnapshot.objects.filter(pk=self.pk).kept().exists()

    def kept_message(self) -> str:
        line = self.budget_line
        month = DivisionMonth.objects.filter(division_id=line.division_id, as_of=self.as_of).first()
        words = {"line": line.name, "date": display.report_date(self.as_of)}
        if month is not None and month.is_locked:
            message = _(
                "%(line)s의 %(date)s 실적은 %(status)s 상태여서 지울 수 없습니다. 고치려면 정정(새 차수)을 엽니다."
            )
            return str(message % {**words, "status": month.get_status_display()})
        message = _(
            "%(line)s의 %(date)s 실적은 승인 또는 공표된 값이어서 지울 수 없습니다. 고치려면 정정(새 차수)을 엽니다."
        )
        return str(message % words)

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
        errors: dict[str, list] = {}  # every rule the row breaks, in one answer
        for field in ("obligations", "disbursements"):
            if getattr(self, field) is not None and getattr(self, field) < 0:
                errors.setdefault(field, []).append(_("금액은 0원 이상이어야 합니다."))
        if self.obligations is not None and self.disbursements > self.obligations:
            errors.setdefault("disbursements", []).append(_("지출액 누계가 원인행위 누계를 넘을 수 없습니다."))
        if authority is None:
            authority = line.budget_authority_on(self.as_of)
        committed, field = (
            (self.obligations, "obligations") if self.obligations is not None else (self.disbursements, "disbursements")
        )
        if committed > authority:
            errors.setdefault(field, []).append(
                _("%(line)s의 예산현액(%(authority)s원)을 넘습니다.")
                % {"line": line.name, "authority": display.number(authority)}
            )
        if errors:
            raise ValidationError(errors)
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
