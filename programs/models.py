"""What the bureau promised: vision, directions, core tasks, major programs with their achievements,
execution tables and schedule, consigned centres, and indicators (chapter II and III of the report)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budget.models import BudgetLine
from civicbureau import entry, figures
from civicbureau.audit import AuditedManager
from programs import outline
from staffing.models import Bureau, Division


class Vision(models.Model):
    """비전: the bureau's vision for a fiscal year."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="visions", verbose_name=_("국"))
    fiscal_year = models.PositiveSmallIntegerField(_("회계연도"))
    text = models.CharField(_("비전"), max_length=200)

    class Meta:
        verbose_name = _("비전")
        verbose_name_plural = pgettext_lazy("plural", "비전")
        constraints = [models.UniqueConstraint(fields=["bureau", "fiscal_year"], name="vision_unique_year")]

    def __str__(self):
        return self.text


class Direction(models.Model):
    """추진방향: one of the bureau's directions for a year."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="directions", verbose_name=_("국"))
    fiscal_year = models.PositiveSmallIntegerField(_("회계연도"))
    number = models.PositiveSmallIntegerField(_("번호"))
    title = models.CharField(_("추진방향"), max_length=200)

    class Meta:
        verbose_name = _("추진방향")
        verbose_name_plural = pgettext_lazy("plural", "추진방향")
        ordering = ["fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "fiscal_year", "number"], name="direction_unique_number")
        ]

    def __str__(self):
        return self.title


class CoreTask(models.Model):
    """핵심과제: a core task under a direction; it groups the major programs of chapter III."""

    direction = models.ForeignKey(
        Direction, on_delete=models.PROTECT, related_name="core_tasks", verbose_name=_("추진방향")
    )
    number = models.PositiveSmallIntegerField(_("번호"))
    title = models.CharField(_("핵심과제"), max_length=200)

    class Meta:
        verbose_name = _("핵심과제")
        verbose_name_plural = pgettext_lazy("plural", "핵심과제")
        ordering = ["direction", "number"]
        constraints = [models.UniqueConstraint(fields=["direction", "number"], name="core_task_unique_number")]

    def __str__(self):
        return self.title


class Program(models.Model):
    """주요 추진 사업: a major program as reported to the council (one section of chapter III)."""

    core_task = models.ForeignKey(
        CoreTask, on_delete=models.PROTECT, related_name="programs", verbose_name=_("핵심과제")
    )
    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name=_("소관 과"),
        help_text=_("사업을 맡은 과; 여러 과에 걸친 사업은 비워 둠"),
    )
    number = models.PositiveSmallIntegerField(_("번호"))
    slug = models.SlugField(_("주소 이름"), max_length=60, unique=True)
    title = models.CharField(_("사업명"), max_length=200)
    in_overview = models.BooleanField(_("정책비전 표에 실림"), default=True)
    summary = models.TextField(_("개요"), blank=True)
    legal_basis = models.TextField(_("추진근거"), blank=True)
    budget_text = models.CharField(_("사업예산 (보고서 표기)"), max_length=200, blank=True)
    stated_budget = models.BigIntegerField(_("사업예산(원)"), null=True, blank=True, validators=entry.WON_BOUNDS)
    execution_total_shown = models.BooleanField(_("집행현황에 계 행 표시"), default=False)
    history = HistoricalRecords()
    objects = AuditedManager()

    class Meta:
        verbose_name = _("주요사업")
        verbose_name_plural = pgettext_lazy("plural", "주요사업")
        ordering = ["core_task", "number"]
        constraints = [
            models.UniqueConstraint(fields=["core_task", "number"], name="program_unique_number"),
            models.CheckConstraint(
                condition=Q(stated_budget__isnull=True) | Q(stated_budget__range=(-figures.MAX_WON, figures.MAX_WON)),
                name="program_stated_budget_bounded",
                violation_error_message=entry.WON_OUT_OF_BOUNDS,
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("programs:program_detail", args=[self.slug])


def outline_marker_valid(value: str) -> None:
    if value and value not in outline.MARKERS:
        raise ValidationError(
            _("보고서의 항목 표시(%(markers)s) 가운데 하나이거나 비워 두어야 합니다."),
            params={"markers": " ".join(sorted(outline.MARKERS))},
            code="outline_marker",
        )


class ProgramOutlineItem(models.Model):
    """An item of a program's section as the report nests it: under a □ heading (`section`: 사업개요,
    추진계획, 주요 개선방향 …), at a level (1 = outermost), with the report's marker (□, ○, －, ·, ※ …).

    A section's items in `order` with their levels are the report's nested lists (programs.outline turns
    indented text into items and items into a tree); 추진실적 and 향후계획 have models of their own
    (Achievement, ScheduleItem)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="outline_items", verbose_name=_("주요사업")
    )
    section = models.CharField(
        _("단락"), max_length=100, help_text=_("항목이 놓인 보고서의 □ 제목 (사업개요, 추진계획 …)")
    )
    order = models.PositiveSmallIntegerField(_("순서"))
    level = models.PositiveSmallIntegerField(
        _("단계"),
        validators=[MinValueValidator(1), MaxValueValidator(outline.MAX_LEVEL)],
        help_text=_("1이 가장 바깥; 바로 위 항목보다 한 단계까지 깊어짐"),
    )
    marker = models.CharField(_("표시"), max_length=1, blank=True, validators=[outline_marker_valid])
    text = models.TextField(_("내용"))
    history = HistoricalRecords()
    objects = AuditedManager()

    class Meta:
        verbose_name = _("사업 항목")
        verbose_name_plural = pgettext_lazy("plural", "사업 항목")
        ordering = ["program", "order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="outline_item_unique_order"),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=outline.MAX_LEVEL),
                name="outline_item_level_in_range",
                violation_error_message=_("단계는 1에서 6까지입니다."),
            ),
        ]

    def __str__(self):
        return f"{self.marker} {self.text[:60]}".strip()


class Achievement(models.Model):
    """추진실적 / 추진경과: one thing done, with the report's date text where it gives one."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="achievements", verbose_name=_("주요사업")
    )
    order = models.PositiveSmallIntegerField(_("순서"))
    text = models.TextField(_("내용"))
    date_text = models.CharField(_("일자 (보고서 표기)"), max_length=60, blank=True)
    as_of = models.DateField(_("기준일"))

    class Meta:
        verbose_name = _("추진실적")
        verbose_name_plural = pgettext_lazy("plural", "추진실적")
        ordering = ["program", "order"]
        constraints = [models.UniqueConstraint(fields=["program", "order"], name="achievement_unique_order")]

    def __str__(self):
        return self.text[:60]


class ProgramExecutionRow(models.Model):
    """A row of a program's own 예산집행 현황 table, as the program section reports it.

    It draws on one budget line, or on part of one (시민제안 발굴 및 실행 is split between two programs),
    so it keeps its own base figures; `check_consistency` compares them with the line's.
    """

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="execution_rows", verbose_name=_("주요사업")
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="program_rows", verbose_name=_("세부사업")
    )
    order = models.PositiveSmallIntegerField(_("순서"))
    label = models.CharField(_("사업명 (보고서 표기)"), max_length=200)
    as_of = models.DateField(_("기준일"))
    budget_authority = models.BigIntegerField(_("예산현액(원)"), validators=entry.WON_BOUNDS)
    obligations = models.BigIntegerField(_("원인행위(원)"), validators=entry.WON_BOUNDS)
    disbursements = models.BigIntegerField(_("지출액(원)"), validators=entry.WON_BOUNDS)
    history = HistoricalRecords()
    objects = AuditedManager()

    class Meta:
        verbose_name = _("사업별 예산집행")
        verbose_name_plural = pgettext_lazy("plural", "사업별 예산집행")
        ordering = ["program", "as_of", "order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "as_of", "order"], name="program_row_unique_order"),
            models.CheckConstraint(
                condition=Q(budget_authority__gte=0) & Q(disbursements__gte=0) & Q(obligations__gte=F("disbursements")),
                name="program_row_figures_valid",
                violation_error_message=_("금액은 0 이상이고 지출액은 원인행위를 넘을 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=Q(budget_authority__lte=figures.MAX_WON) & Q(obligations__lte=figures.MAX_WON),
                name="program_row_figures_bounded",
                violation_error_message=entry.WON_OUT_OF_BOUNDS,
            ),
        ]

    def __str__(self):
        return f"{self.program}: {self.label}"


class ScheduleItem(models.Model):
    """향후계획 / 향후 추진일정: a promised step, with the report's date text and its parsed month span.

    `end_month` empty means open-ended (`’22. 7월~`): ongoing from `start_month`.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("예정")
        IN_PROGRESS = "in_progress", _("추진 중")
        DONE = "done", _("완료")
        DELAYED = "delayed", _("지연")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="schedule_items", verbose_name=_("주요사업")
    )
    order = models.PositiveSmallIntegerField(_("순서"))
    text = models.CharField(_("내용"), max_length=300)
    detail = models.TextField(_("세부 내용"), blank=True)
    date_text = models.CharField(_("일정 (보고서 표기)"), max_length=60)
    start_month = models.DateField(_("시작 월"))
    end_month = models.DateField(_("종료 월"), null=True, blank=True)
    status = models.CharField(_("진행 상태"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    actual_start = models.DateField(_("실제 시작일"), null=True, blank=True)
    actual_end = models.DateField(_("실제 종료일"), null=True, blank=True)
    note = models.CharField(_("진행 메모"), max_length=300, blank=True)
    history = HistoricalRecords()
    objects = AuditedManager()

    # Actual dates are what happened: not before the year before the plan's, and within these bounds.
    ACTUAL_EARLIEST = datetime.date(2000, 1, 1)
    ACTUAL_LATEST = datetime.date(2099, 12, 31)

    class Meta:
        verbose_name = _("추진일정")
        verbose_name_plural = pgettext_lazy("plural", "추진일정")
        ordering = ["start_month", "program", "order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="schedule_item_unique_order"),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | Q(end_month__gte=F("start_month")),
                name="schedule_item_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_start__isnull=True)
                | Q(actual_end__isnull=True)
                | Q(actual_end__gte=F("actual_start")),
                name="schedule_item_actual_end_after_start",
                violation_error_message=_("실제 종료일은 실제 시작일보다 앞설 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(actual_start__isnull=True)
                    | Q(actual_start__range=(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)))
                )
                & (
                    Q(actual_end__isnull=True)
                    | Q(actual_end__range=(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)))
                ),
                name="schedule_item_actual_dates_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.text} : {self.date_text}"

    def clean(self):
        """The month span always follows the date text; a text the parser does not know is refused."""
        from programs.schedule_dates import ScheduleDateError, parse_schedule_date

        if self.program_id is None:
            return  # no program (its field says so): no fiscal year to read the date text in

        try:
            span = parse_schedule_date(self.date_text, self.program.core_task.direction.fiscal_year)
        except ScheduleDateError as exc:
            raise ValidationError({"date_text": str(exc)}) from None
        self.start_month, self.end_month = span.start, span.end
        self.clean_progress()

    def clean_progress(self):
        """Actual dates: the end not before the start, neither in the future, nor before the year before the plan's."""
        year = self.program.core_task.direction.fiscal_year
        earliest = max(self.ACTUAL_EARLIEST, datetime.date(year - 1, 1, 1))
        latest = min(self.ACTUAL_LATEST, datetime.date.today())
        errors = {}
        for field in ("actual_start", "actual_end"):
            day = getattr(self, field)
            if day is not None and not earliest <= day <= latest:
                errors[field] = _("%(earliest)s부터 %(latest)s 사이의 날짜여야 합니다.") % {
                    "earliest": earliest.isoformat(),
                    "latest": latest.isoformat(),
                }
        if not errors and self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("실제 종료일은 실제 시작일보다 앞설 수 없습니다.")
        if not errors and self.actual_end and not self.actual_start:
            errors["actual_start"] = _("실제 종료일을 적으려면 실제 시작일도 적어 주세요.")
        if errors:
            raise ValidationError(errors)


class ConsignedCentre(models.Model):
    """민간위탁: a centre the city contracts an outside body to run."""

    code = models.SlugField(_("코드"), max_length=40, unique=True)
    name = models.CharField(_("센터명"), max_length=100, unique=True)
    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consigned_centres",
        verbose_name=_("소관 과"),
    )
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = _("민간위탁 센터")
        verbose_name_plural = pgettext_lazy("plural", "민간위탁 센터")
        ordering = ["order"]

    def __str__(self):
        return self.name


class CentreBudget(models.Model):
    """A consigned centre's operating budget (운영예산) for a fiscal year."""

    centre = models.ForeignKey(
        ConsignedCentre, on_delete=models.PROTECT, related_name="budgets", verbose_name=_("센터")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("회계연도"))
    as_of = models.DateField(_("기준일"))
    amount = models.BigIntegerField(_("운영예산(원)"), validators=entry.WON_BOUNDS)
    history = HistoricalRecords()
    objects = AuditedManager()

    class Meta:
        verbose_name = _("민간위탁 운영예산")
        verbose_name_plural = pgettext_lazy("plural", "민간위탁 운영예산")
        ordering = ["centre", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "fiscal_year"], name="centre_budget_unique_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="centre_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(amount__lte=figures.MAX_WON),
                name="centre_budget_bounded",
                violation_error_message=entry.WON_OUT_OF_BOUNDS,
            ),
        ]

    def __str__(self):
        return f"{self.centre} {self.fiscal_year}"


class CentreStaffing(models.Model):
    """A consigned centre's staff (인력) as of a month."""

    centre = models.ForeignKey(
        ConsignedCentre, on_delete=models.PROTECT, related_name="staffing", verbose_name=_("센터")
    )
    as_of = models.DateField(_("기준월"))
    headcount = models.PositiveIntegerField(_("인력(명)"), validators=entry.PEOPLE_BOUNDS)
    history = HistoricalRecords()
    objects = AuditedManager()

    class Meta:
        verbose_name = _("민간위탁 인력")
        verbose_name_plural = pgettext_lazy("plural", "민간위탁 인력")
        ordering = ["centre", "as_of"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "as_of"], name="centre_staffing_unique_date"),
            models.CheckConstraint(
                condition=Q(headcount__lte=figures.MAX_PEOPLE),
                name="centre_staffing_bounded",
                violation_error_message=entry.PEOPLE_OUT_OF_BOUNDS,
            ),
        ]

    def __str__(self):
        return f"{self.centre} {self.as_of:%Y-%m}"


class Indicator(models.Model):
    """A measure (성과지표) the bureau reports (시간은행 회원 수, 시민제안 건수 …) with its unit, its direction,
    the division that answers for it and the program it measures; its targets are MeasureTarget.

    Its values may be broken down by category (지점, 유형, 연도 …); when `additive`, the total is the sum
    of the categories and is derived, never stored.
    """

    class Direction(models.TextChoices):
        HIGHER = figures.HIGHER, _("높을수록 좋음")
        LOWER = figures.LOWER, _("낮을수록 좋음")
        RANGE = figures.RANGE, _("범위 안")
        YES_NO = figures.YES_NO, _("달성 여부 (예/아니오)")

    code = models.SlugField(_("코드"), max_length=60, unique=True)
    name = models.CharField(_("지표명"), max_length=200)
    unit = models.CharField(_("단위"), max_length=20)
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="indicators", verbose_name=_("주요사업")
    )
    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("담당 부서"),
        help_text=_("목표를 제안하고 실적을 넣는 과 (보통 사업의 과)"),
    )
    direction = models.CharField(
        _("방향"), max_length=10, choices=Direction.choices, default=Direction.HIGHER, help_text=_("어떤 실적이 좋은가")
    )
    baseline = models.DecimalField(
        _("기준치"), max_digits=18, decimal_places=2, null=True, blank=True, validators=entry.INDICATOR_BOUNDS
    )
    baseline_year = models.PositiveSmallIntegerField(_("기준 연도"), null=True, blank=True)
    breakdown_label = models.CharField(_("세부 구분"), max_length=60, blank=True)
    additive = models.BooleanField(_("합계를 구함"), default=False)
    source = models.CharField(_("출처"), max_length=200, blank=True, help_text=_("보고서의 어느 곳에 있는 수치인지"))
    order = models.PositiveSmallIntegerField(_("순서"), default=0)
    history = HistoricalRecords()
    objects = AuditedManager()

    DIVISION_PATH = "division"

    class Meta:
        verbose_name = _("지표")
        verbose_name_plural = pgettext_lazy("plural", "지표")
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline__isnull=True)
                | Q(baseline__range=(-figures.MAX_INDICATOR_VALUE, figures.MAX_INDICATOR_VALUE)),
                name="indicator_baseline_bounded",
                violation_error_message=entry.INDICATOR_OUT_OF_BOUNDS,
            )
        ]

    def __str__(self):
        return self.name


class IndicatorValue(models.Model):
    """One value of an indicator as of a date; `category` empty is the indicator's own (headline) value."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("지표"))
    as_of = models.DateField(_("기준일"))
    category = models.CharField(_("세부 구분"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)
    value = models.DecimalField(_("값"), max_digits=18, decimal_places=2, validators=entry.INDICATOR_BOUNDS)
    history = HistoricalRecords()
    objects = AuditedManager()

    class Meta:
        verbose_name = _("지표 값")
        verbose_name_plural = pgettext_lazy("plural", "지표 값")
        ordering = ["indicator", "as_of", "order"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "as_of", "category"], name="indicator_value_unique"),
            models.CheckConstraint(
                condition=Q(value__range=(-figures.MAX_INDICATOR_VALUE, figures.MAX_INDICATOR_VALUE)),
                name="indicator_value_bounded",
                violation_error_message=entry.INDICATOR_OUT_OF_BOUNDS,
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.category} {self.value}"


class MeasureTarget(models.Model):
    """A target (목표치) of a measure for a fiscal year, or for a part of it (a quarter or a month, cumulative
    from the start of the year, dated by the part's last day; the year's own target is dated 12-31).

    Targets are plans: the measure's division proposes them, a director approves them, and an approved target
    is locked. A change is a new revision (revision + 1) with its reason, proposed and approved in turn; the
    target in force is the latest approved revision, and the earlier ones stay, with their history.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("제안")
        RETURNED = "returned", _("반려")
        APPROVED = "approved", _("승인")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("지표"))
    fiscal_year = models.PositiveSmallIntegerField(_("회계연도"))
    period_end = models.DateField(_("목표 시점"), help_text=_("연간 목표는 12월 31일, 분기·월 목표는 그 마지막 날"))
    revision = models.PositiveSmallIntegerField(_("개정"), default=1)
    value = models.DecimalField(
        _("목표치"), max_digits=18, decimal_places=2, null=True, blank=True, validators=entry.INDICATOR_BOUNDS
    )
    low = models.DecimalField(
        _("하한"), max_digits=18, decimal_places=2, null=True, blank=True, validators=entry.INDICATOR_BOUNDS
    )
    high = models.DecimalField(
        _("상한"), max_digits=18, decimal_places=2, null=True, blank=True, validators=entry.INDICATOR_BOUNDS
    )
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    reason = models.CharField(_("사유"), max_length=500, blank=True, help_text=_("개정하는 사유, 또는 반려한 사유"))
    source = models.TextField(_("근거"), blank=True, help_text=_("목표를 정한 문장 (보고서의 문장 그대로)"))
    history = HistoricalRecords()
    objects = AuditedManager()

    DIVISION_PATH = "indicator__division"

    class Meta:
        verbose_name = _("지표 목표")
        verbose_name_plural = pgettext_lazy("plural", "지표 목표")
        ordering = ["indicator", "fiscal_year", "period_end", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_end", "revision"],
                name="measure_target_unique_revision",
                violation_error_message=_("같은 시점의 같은 개정 목표가 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=(Q(value__isnull=True) | Q(value__gte=0)) & (Q(low__isnull=True) | Q(low__gte=0)),
                name="measure_target_not_negative",
                violation_error_message=_("목표치는 0 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__lte=figures.MAX_INDICATOR_VALUE),
                name="measure_target_bounded",
                violation_error_message=entry.INDICATOR_OUT_OF_BOUNDS,
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lte=F("high")),
                name="measure_target_range_ordered",
                violation_error_message=_("하한이 상한보다 클 수 없습니다."),
            ),
            models.CheckConstraint(condition=Q(revision__gte=1), name="measure_target_revision_positive"),
        ]
        indexes = [models.Index(fields=["indicator", "fiscal_year"], name="measure_target_year")]

    def __str__(self):
        return f"{self.indicator} {self.period_end} ({self.revision})"

    @property
    def is_year(self) -> bool:
        return (self.period_end.month, self.period_end.day) == (12, 31)

    def clean(self):
        errors = {}
        if self.period_end and self.fiscal_year and self.period_end.year != self.fiscal_year:
            errors["period_end"] = _("목표 시점은 그 회계연도 안이어야 합니다.")
        elif self.period_end and figures.month_end(self.period_end) != self.period_end:
            errors["period_end"] = _("목표 시점은 분기나 달의 마지막 날이어야 합니다.")
        direction = self.indicator.direction if self.indicator_id else None
        if direction == Indicator.Direction.RANGE:
            for name in ("low", "high"):
                if getattr(self, name) is None:
                    errors[name] = _("범위 지표는 하한과 상한을 모두 적어야 합니다.")
            if self.low is not None and self.high is not None and self.low > self.high:
                errors["high"] = _("하한이 상한보다 클 수 없습니다.")
        elif direction is not None and self.value is None:
            errors["value"] = _("목표치를 적어 주세요.")
        elif direction == Indicator.Direction.YES_NO and self.value not in (0, 1):
            errors["value"] = _("달성 여부 지표의 목표는 1(달성) 또는 0(아직 아님)입니다.")
        if self.revision and self.revision > 1 and not self.reason.strip():
            errors["reason"] = _("승인된 목표를 바꾸는 사유를 적어 주세요.")
        if errors:
            raise ValidationError(errors)
