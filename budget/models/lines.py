"""Budget lines of a fiscal year and the dated adjustments that make their 예산현액."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from civicbureau import display, entry, figures
from civicbureau.audit import AuditedManager, AuditedQuerySet, DeleteRefusedError
from staffing.models import Division, Team


class BudgetLine(models.Model):
    """세부사업: a detailed budget line of a division for one fiscal year (기본경비 is a line of its own)."""

    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("과"))
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("팀"),
        help_text=_("이 사업을 맡은 팀 (팀이 없는 과는 비워 둡니다)"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("회계연도"))
    code = models.SlugField(
        _("사업 코드"), max_length=30, help_text=_("연도 안에서 바뀌지 않는 코드 (내려받기·올리기에 쓰임)")
    )
    name = models.CharField(_("세부사업명"), max_length=200)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)
    is_basic_expense = models.BooleanField(_("기본경비"), default=False)
    original_budget = models.BigIntegerField(_("당초예산(원)"), validators=entry.WON_BOUNDS)
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
            models.CheckConstraint(
                condition=Q(original_budget__lte=figures.MAX_WON),
                name="budget_line_original_bounded",
                violation_error_message=entry.WON_OUT_OF_BOUNDS,
            ),
        ]

    def __str__(self):
        return f"{self.fiscal_year} {self.name}"

    def clean(self):
        if self.team_id and self.division_id and self.team.division_id != self.division_id:
            raise ValidationError({"team": _("이 사업을 맡은 과의 팀이 아닙니다.")})

    def budget_authority_on(self, day) -> int:
        """예산현액 on a date: the original budget with the adjustments effective by then."""
        amounts = self.adjustments.filter(effective_on__lte=day).values_list("amount", flat=True)
        return figures.budget_authority(self.original_budget, amounts)


class BudgetAdjustmentQuerySet(AuditedQuerySet):
    def delete(self):
        """A published change is part of an edition: never deleted (a correction is a new adjustment)."""
        published = self.filter(published_in__isnull=False).select_related("budget_line").first()
        if published is not None:
            raise DeleteRefusedError(published.published_message())
        return super().delete()


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
    amount = models.BigIntegerField(_("금액(원, 감액은 음수)"), validators=entry.WON_BOUNDS)
    effective_on = models.DateField(_("적용일"))
    reason = models.CharField(_("사유"), max_length=300)
    published_in = models.ForeignKey(
        "budget.Publication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="adjustments",
        verbose_name=_("공표"),
        help_text=_("이 변경을 처음 공표한 판 (비어 있으면 아직 공개되지 않음)"),
    )
    history = HistoricalRecords()
    objects = models.Manager.from_queryset(BudgetAdjustmentQuerySet)()

    DIVISION_PATH = "budget_line__division"

    class Meta:
        verbose_name = _("예산 변경")
        verbose_name_plural = pgettext_lazy("plural", "예산 변경")
        ordering = ["effective_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="budget_adjustment_not_zero"),
            models.CheckConstraint(
                condition=Q(amount__range=(-figures.MAX_WON, figures.MAX_WON)),
                name="budget_adjustment_amount_bounded",
                violation_error_message=entry.WON_OUT_OF_BOUNDS,
            ),
        ]

    def __str__(self):
        return f"{self.budget_line} {self.get_kind_display()} {self.amount}"

    def delete(self, *args, **kwargs):
        if BudgetAdjustment.objects.filter(pk=self.pk, published_in__isnull=False).exists():
            raise DeleteRefusedError(self.published_message())
        return super().delete(*args, **kwargs)

    def published_message(self) -> str:
        return str(
            _(
                "%(line)s의 공표된 예산 변경은 지울 수 없습니다. 정정은 새 예산 변경(차액)으로 넣고 다음 판에 공표합니다."
            )
            % {"line": self.budget_line.name}
        )

    def clean(self):
        """The date falls in the line's fiscal year, the 예산현액 the change leaves stays within ±figures.MAX_WON
        and still covers what is already committed at every recorded date it lowers (on every path: forms, the
        admin, the loader). A published change is part of an edition: it is never changed (a correction is a
        new adjustment)."""
        if self.pk and self.published_in_id:
            stored = BudgetAdjustment.objects.filter(pk=self.pk).values("budget_line", "amount", "effective_on").first()
            if stored and stored != {
                "budget_line": self.budget_line_id,
                "amount": self.amount,
                "effective_on": self.effective_on,
            }:
                raise ValidationError(
                    _("공표된 예산 변경은 고칠 수 없습니다. 정정은 새 예산 변경(차액)으로 넣고 다음 판에 공표합니다.")
                )
        if self.effective_on and self.budget_line_id and self.effective_on.year != self.budget_line.fiscal_year:
            raise ValidationError(
                {"effective_on": _("적용일이 회계연도(%(year)s) 밖입니다.") % {"year": self.budget_line.fiscal_year}}
            )
        if self.effective_on and self.budget_line_id and self.amount is not None:
            if abs(self.amount) > figures.MAX_WON:
                return  # the field's own bound says so
            beyond = self.authority_beyond_bound()
            if beyond is not None:
                day, authority = beyond
                raise ValidationError(
                    {
                        "amount": _("변경 후 %(date)s 기준 예산현액(%(authority)s원)이 ±1,000조 원(10¹⁵)을 넘습니다.")
                        % {"date": display.calendar_date(day), "authority": display.number(authority)}
                    }
                )
            uncovered = self.uncovered()
            if uncovered is not None:
                day, authority, field, committed = uncovered
                raise ValidationError(
                    {
                        "amount": _(
                            "변경 후 %(date)s 기준 예산현액(%(authority)s원)이 이미 입력된 %(field)s %(committed)s원보다 적어집니다."
                        )
                        % {
                            "date": display.calendar_date(day),
                            "authority": display.number(authority),
                            "field": field,
                            "committed": display.number(committed),
                        }
                    }
                )

    def authority_beyond_bound(self):
        """The first date at which the line's 예산현액 with this adjustment (new, or as changed) passes
        ±figures.MAX_WON, with that 예산현액: (date, 예산현액), or None."""
        others = self.budget_line.adjustments.exclude(pk=self.pk) if self.pk else self.budget_line.adjustments.all()
        by_date: dict = {}
        for day, amount in [*others.values_list("effective_on", "amount"), (self.effective_on, self.amount)]:
            by_date[day] = by_date.get(day, 0) + amount
        authority = self.budget_line.original_budget
        for day in sorted(by_date):
            authority += by_date[day]
            if abs(authority) > figures.MAX_WON:
                return day, authority
        return None

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
