"""Filters of the dashboards' tables: the money (a form over rows already computed) and the measures
(django-filter)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programs.models import Indicator, Program
from programs.selectors.measures import STATUS_LABELS
from staffing.models import Division


class LineFilterForm(forms.Form):
    """The division dashboard's line table: by name, by program, by kind, and behind or on pace.

    Every criterion is a figure or a name the dashboard has already computed for each line (pace depends
    on derived figures), so the form filters those rows rather than querying again."""

    PACE_CHOICES = (("", _("전체")), ("lagging", _("목표 대비 부진")), ("on_pace", _("목표 달성")))
    KIND_CHOICES = (("", _("전체")), ("program", _("사업비")), ("basic", _("기본경비")))

    q = forms.CharField(label=_("세부사업명"), required=False)
    program = forms.TypedChoiceField(label=_("주요사업"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("구분"), choices=KIND_CHOICES, required=False)
    pace = forms.ChoiceField(label=_("집행 속도"), choices=PACE_CHOICES, required=False)

    def __init__(self, data=None, *, programs=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["program"].choices = [("", _("전체"))] + [(program.pk, program.title) for program in programs]

    def apply(self, rows) -> list:
        """The rows the filters keep (all of them when a value is invalid, shown with its error)."""
        if not self.is_valid():
            return list(rows)
        q, program, kind, pace = (self.cleaned_data[name] for name in ("q", "program", "kind", "pace"))
        return [
            row
            for row in rows
            if (not q or q.casefold() in row.name.casefold())
            and (program is None or any(p.pk == program for p in row.programs))
            and (not kind or row.is_basic_expense == (kind == "basic"))
            and (not pace or row.is_lagging == (pace == "lagging"))
        ]


class MeasureFilterSet(django_filters.FilterSet):
    """The dashboards' measures table: by division and program (filtering the measures), and by status.

    The status is derived from targets and results (programs.selectors.measures), so the filter set only
    reads it here; dashboards.selectors.dashboard_measures keeps the rows with it."""

    STATUS_CHOICES = (
        ("off_track", pgettext_lazy("measure", "주의·미흡")),
        *STATUS_LABELS.items(),
        ("none", pgettext_lazy("measure", "상태 없음 (목표 또는 실적 없음)")),
    )

    status = django_filters.ChoiceFilter(
        label=pgettext_lazy("measure", "상태"), choices=STATUS_CHOICES, method="status_is_derived"
    )
    division = django_filters.ModelChoiceFilter(label=_("과"), queryset=Division.objects.none())
    program = django_filters.ModelChoiceFilter(label=_("주요사업"), queryset=Program.objects.none())

    class Meta:
        model = Indicator
        fields = ["division", "program"]

    def __init__(self, data=None, queryset=None, *, bureau, division=None, **kwargs):
        super().__init__(data, queryset, prefix="measures", **kwargs)
        if division is not None:
            del self.filters["division"]
        else:
            self.filters["division"].queryset = Division.objects.filter(bureau=bureau).order_by("order")
        programs = Program.objects.filter(core_task__direction__bureau=bureau)
        if division is not None:
            programs = programs.filter(division=division)
        self.filters["program"].queryset = programs.order_by("core_task__direction__number", "number")

    def status_is_derived(self, queryset, name, value):
        return queryset  # kept by dashboard_measures, from the computed status

    @property
    def status_kept(self) -> str:
        """The status asked for ('' for any)."""
        return (self.form.cleaned_data.get("status") or "") if self.is_valid() else ""

    def kept_ids(self) -> set[int] | None:
        """The measures the division and program filters keep (None: no such filter given or valid)."""
        if not self.is_valid() or not any(self.form.cleaned_data.get(name) for name in ("division", "program")):
            return None
        return set(self.qs.values_list("pk", flat=True))
