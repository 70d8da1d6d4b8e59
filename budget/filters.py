"""Filters of the money tables (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from budget.models import BudgetLine


class BudgetLineFilterSet(django_filters.FilterSet):
    """The division dashboard's line table: by name, by program, by kind, and behind or on pace.

    Pace depends on derived figures, so the caller passes the rows it computed (`rows`, by line id) and
    the filter keeps the lines whose row is (or is not) behind; the rest runs in SQL."""

    PACE_CHOICES = (("lagging", _("목표 대비 부진")), ("on_pace", _("목표 달성")))
    KIND_CHOICES = (("program", _("사업비")), ("basic", _("기본경비")))

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("세부사업명"))
    program = django_filters.ModelChoiceFilter(
        field_name="program_rows__program", queryset=None, label=_("주요사업"), distinct=True, empty_label=_("전체")
    )
    kind = django_filters.ChoiceFilter(choices=KIND_CHOICES, method="filter_kind", label=_("구분"), empty_label=_("전체"))
    pace = django_filters.ChoiceFilter(choices=PACE_CHOICES, method="filter_pace", label=_("집행 속도"), empty_label=_("전체"))

    class Meta:
        model = BudgetLine
        fields = ["q", "program", "kind", "pace"]

    def __init__(self, data=None, queryset=None, *, rows=(), programs=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.rows = {row.line_id: row for row in rows}
        self.filters["program"].queryset = programs
        self.form.fields["program"].queryset = programs

    def filter_kind(self, queryset, name, value):
        return queryset.filter(is_basic_expense=value == "basic")

    def filter_pace(self, queryset, name, value):
        wanted = value == "lagging"
        return queryset.filter(pk__in=[pk for pk, row in self.rows.items() if row.is_lagging == wanted])
