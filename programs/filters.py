"""Filters of the public programs pages (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from programs.models import ScheduleItem
from staffing.models import Division


class ScheduleItemFilterSet(django_filters.FilterSet):
    """The upcoming schedule by division: a program's division is that of the budget lines it draws on."""

    division = django_filters.ModelChoiceFilter(
        label=_("부서"),
        field_name="program__execution_rows__budget_line__division",
        to_field_name="code",
        queryset=Division.objects.none(),
        empty_label=_("모든 부서"),
        distinct=True,
    )
    date = django_filters.DateFilter(
        label=_("기준일"), method="filter_nothing", help_text=_("이 날이 속한 달부터 보여 줍니다.")
    )

    class Meta:
        model = ScheduleItem
        fields = ["division", "date"]

    def __init__(self, *args, bureau, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["division"].queryset = Division.objects.filter(bureau=bureau).order_by("order")

    def filter_nothing(self, queryset, name, value):
        """The date picks where the schedule starts (public_schedule groups from it); it removes no rows here."""
        return queryset
