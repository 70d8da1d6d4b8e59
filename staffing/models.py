"""The bureau's organisation and people: bureau, divisions, duties, grades, headcount, who works where."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from civicbureau import calendar, entry, figures
from civicbureau.audit import AuditedManager


class Bureau(models.Model):
    """국: the unit whose performance the portal tracks (시민협력국 in the demo)."""

    name = models.CharField(_("국명"), max_length=100, unique=True)
    slug = models.SlugField(
        _("주소 이름"),
        max_length=40,
        unique=True,
        help_text=_("이 국의 페이지 주소 /b/<주소 이름>/ (영문 소문자, 숫자, -)"),
    )
    established_on = models.DateField(_("조직 신설일"))
    team_count = models.PositiveSmallIntegerField(
        _("팀 수"),
        null=True,
        blank=True,
        help_text=_("보고서에 적힌 팀 수 (팀 이름은 보고서에 없음). 팀을 등록하면 등록된 팀의 수를 씁니다."),
    )
    entry_deadline_working_days = models.PositiveSmallIntegerField(
        _("월별 입력 마감 (근무일)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("각 달의 실적은 월말 다음 이 근무일째까지 제출합니다 (주말과 공휴일 제외)."),
    )
    # A measure short of its target: 정상 from this achievement (%) of what was expected by its date, 주의 from
    # the next, 미흡 below it (civicbureau.figures.measure_status).
    measure_normal_from = models.DecimalField(
        _("성과지표 정상 기준(%)"),
        max_digits=4,
        decimal_places=1,
        default=90,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("목표에 못 미친 지표가 그 시점의 기대치를 이만큼(%) 이상 이루면 정상"),
    )
    measure_caution_from = models.DecimalField(
        _("성과지표 주의 기준(%)"),
        max_digits=4,
        decimal_places=1,
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("정상에 못 미치고 이만큼(%) 이상이면 주의, 그 아래는 미흡"),
    )

    class Meta:
        verbose_name = _("국")
        verbose_name_plural = pgettext_lazy("plural", "국")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(measure_caution_from__lte=F("measure_normal_from")),
                name="bureau_measure_thresholds_ordered",
                violation_error_message=_("주의 기준이 정상 기준보다 높을 수 없습니다."),
            )
        ]

    def __str__(self):
        return self.name

    def entry_deadline(self, as_of: datetime.date) -> datetime.date:
        """The last day to submit a division's month at `as_of`: the bureau's n-th working day after it."""
        return calendar.working_day_after(as_of, self.entry_deadline_working_days)


class Division(models.Model):
    """과: a division of the bureau; budget lines, headcount and staff belong to one."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="divisions", verbose_name=_("국"))
    code = models.SlugField(_("부서 코드"), max_length=20, unique=True)
    name = models.CharField(_("부서명"), max_length=100)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    DIVISION_PATH = ""

    class Meta:
        verbose_name = _("과")
        verbose_name_plural = pgettext_lazy("plural", "과")
        ordering = ["bureau", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "name"],
                name="division_unique_name",
                violation_error_message=_("같은 국에 같은 이름의 과가 있습니다."),
            )
        ]

    def __str__(self):
        return self.name


class DivisionDuty(models.Model):
    """부서별 주요업무: one line of a division's duties."""

    division = models.ForeignKey(Division, on_delete=models.CASCADE, related_name="duties", verbose_name=_("과"))
    order = models.PositiveSmallIntegerField(_("순서"))
    text = models.CharField(_("주요업무"), max_length=300)

    class Meta:
        verbose_name = _("주요업무")
        verbose_name_plural = pgettext_lazy("plural", "주요업무")
        ordering = ["division", "order"]
        constraints = [models.UniqueConstraint(fields=["division", "order"], name="duty_unique_order")]

    def __str__(self):
        return self.text


class Team(models.Model):
    """팀: a team of a division. A membership may be in one (팀장, 팀원) and a budget line owned by one; a
    bureau's team count is its teams' when it has any (staffing.selectors.team_count)."""

    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="teams", verbose_name=_("과"))
    name = models.CharField(_("팀명"), max_length=100)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)
    history = HistoricalRecords()
    objects = AuditedManager()

    DIVISION_PATH = "division"

    class Meta:
        verbose_name = _("팀")
        verbose_name_plural = pgettext_lazy("plural", "팀")
        ordering = ["division", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "name"],
                name="team_unique_name",
                violation_error_message=_("같은 과에 같은 이름의 팀이 있습니다."),
            )
        ]

    def __str__(self):
        return self.name


class Grade(models.Model):
    """A grade counted inside the quota (일반직 2급 … 8·9급, 사무운영, 임기제), in the report's column order."""

    class Track(models.TextChoices):
        GENERAL = "general", _("일반직")
        OFFICE = "office", _("사무운영")
        FIXED_TERM = "fixed_term", _("임기제")

    code = models.SlugField(_("직급 코드"), max_length=20, unique=True)
    name = models.CharField(_("직급"), max_length=30, unique=True)
    track = models.CharField(_("직렬"), max_length=20, choices=Track.choices)
    order = models.PositiveSmallIntegerField(_("순서"), unique=True)

    class Meta:
        verbose_name = _("직급")
        verbose_name_plural = pgettext_lazy("plural", "직급")
        ordering = ["order"]

    def __str__(self):
        return self.name


class HeadcountEntry(models.Model):
    """정원/현원 of one division in one grade as of a date. Totals by division or grade are derived."""

    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="headcount", verbose_name=_("과"))
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="headcount", verbose_name=_("직급"))
    as_of = models.DateField(_("기준일"))
    quota = models.PositiveIntegerField(_("정원"), validators=entry.PEOPLE_BOUNDS)
    current = models.PositiveIntegerField(_("현원"), validators=entry.PEOPLE_BOUNDS)
    history = HistoricalRecords()
    objects = AuditedManager()

    DIVISION_PATH = "division"

    class Meta:
        verbose_name = _("정원·현원")
        verbose_name_plural = pgettext_lazy("plural", "정원·현원")
        ordering = ["as_of", "division", "grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "grade", "as_of"],
                name="headcount_unique_cell",
                violation_error_message=_("같은 기준일에 같은 과·직급의 인원이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(quota__lte=figures.MAX_PEOPLE) & Q(current__lte=figures.MAX_PEOPLE),
                name="headcount_bounded",
                violation_error_message=entry.PEOPLE_OUT_OF_BOUNDS,
            ),
        ]

    def __str__(self):
        return f"{self.division} {self.grade} {self.quota}/{self.current} ({self.as_of})"


class PartTimeStaff(models.Model):
    """시간선택제 임기제 (정원 외): part-time fixed-term officials outside the quota, by grade."""

    class Grade(models.TextChoices):
        GA = "ga", _("가급")
        NA = "na", _("나급")
        DA = "da", _("다급")

    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="part_time_staff", verbose_name=_("과")
    )
    grade = models.CharField(_("등급"), max_length=2, choices=Grade.choices)
    as_of = models.DateField(_("기준일"))
    count = models.PositiveIntegerField(_("인원"), validators=entry.PEOPLE_BOUNDS)
    history = HistoricalRecords()
    objects = AuditedManager()

    DIVISION_PATH = "division"

    class Meta:
        verbose_name = _("시간선택제 임기제 (정원 외)")
        verbose_name_plural = pgettext_lazy("plural", "시간선택제 임기제 (정원 외)")
        ordering = ["as_of", "division", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["division", "grade", "as_of"], name="part_time_unique_cell"),
            models.CheckConstraint(condition=Q(count__gt=0), name="part_time_count_positive"),
            models.CheckConstraint(
                condition=Q(count__lte=figures.MAX_PEOPLE),
                name="part_time_count_bounded",
                violation_error_message=entry.PEOPLE_OUT_OF_BOUNDS,
            ),
        ]

    def __str__(self):
        return f"{self.division} {self.get_grade_display()} {self.count}"


class Membership(models.Model):
    """Who a portal user is: their role and, for bureau roles, their bureau; for division roles, their
    division and optionally their team. The city budget office (예산담당관) belongs to no bureau."""

    class Role(models.TextChoices):
        STAFF = "staff", _("주무관")
        DIRECTOR = "director", _("과장")
        PLANNING = "planning", _("국 기획 담당")
        BUREAU_DIRECTOR = "bureau_director", _("국장")
        BUDGET_OFFICE = "budget_office", _("예산담당관")

    class TeamRole(models.TextChoices):
        LEADER = "leader", _("팀장")
        MEMBER = "member", _("팀원")

    DIVISION_ROLES = (Role.STAFF, Role.DIRECTOR)

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("국")
    )
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("과")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("팀")
    )
    team_role = models.CharField(_("팀 내 역할"), max_length=10, choices=TeamRole.choices, blank=True)
    role = models.CharField(_("역할"), max_length=20, choices=Role.choices)
    language = models.CharField(
        _("알림 언어"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("내 할 일 알림 메일을 쓰는 언어"),
    )
    history = HistoricalRecords()
    objects = AuditedManager()

    class Meta:
        verbose_name = _("소속")
        verbose_name_plural = pgettext_lazy("plural", "소속")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role__in=["staff", "director"]) & Q(division__isnull=False) & Q(bureau__isnull=False))
                | (Q(role__in=["planning", "bureau_director"]) & Q(division__isnull=True) & Q(bureau__isnull=False))
                | (Q(role="budget_office") & Q(division__isnull=True) & Q(bureau__isnull=True)),
                name="membership_division_matches_role",
                violation_error_message=_(
                    "주무관과 과장은 과에, 국장과 기획 담당은 국에 소속되고, 예산담당관은 어느 국에도 속하지 않습니다."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(team__isnull=True) & Q(team_role=""))
                | (Q(team__isnull=False) & Q(team_role__in=["leader", "member"]) & Q(division__isnull=False)),
                name="membership_team_has_role",
                violation_error_message=_("팀에 속한 사람은 팀장 또는 팀원이고, 과에 소속됩니다."),
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    def clean(self):
        if self.team_id and self.division_id and self.team.division_id != self.division_id:
            raise ValidationError({"team": _("소속 과의 팀이 아닙니다.")})
        if self.division_id and self.bureau_id and self.division.bureau_id != self.bureau_id:
            raise ValidationError({"division": _("소속 국의 과가 아닙니다.")})
