"""Filters of the dashboards' tables: the money (a form over rows already computed) and the measures
(django-filter)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programs.models import Indicator
from programs.selectors.measures import STATUS_LABELS


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
    """The dashboards' measures table: by status, division and program.

    The measures are read once for the page (their off-track list needs them all) and their status is
    derived, so the choices come from the rows read and `keep` filters those rows: no query of its own."""

    STATUS_CHOICES = (
        ("off_track", pgettext_lazy("measure", "주의·미흡")),
        *STATUS_LABELS.items(),
        ("none", pgettext_lazy("measure", "상태 없음 (목표 또는 실적 없음)")),
    )

    status = django_filters.ChoiceFilter(label=pgettext_lazy("measure", "상태"), choices=STATUS_CHOICES)
    division = django_filters.ChoiceFilter(label=_("과"), field_name="division_id")
    program = django_filters.ChoiceFilter(label=_("주요사업"), field_name="program_id")

    class Meta:
        model = Indicator
        fields = ["division", "program"]

    def __init__(self, data=None, *, entries, one_division: bool = False, **kwargs):
        super().__init__(data, Indicator.objects.none(), prefix="measures", **kwargs)
        indicators = [entry.row.indicator for entry in entries]
        if one_division:
            del self.filters["division"]
        else:
            divisions = {i.division_id: i.division for i in indicators if i.division_id}
            self.filters["division"].extra["choices"] = [
                (pk, division.name) for pk, division in sorted(divisions.items(), key=lambda d: d[1].order)
            ]
        programs = {i.program_id: i.program for i in indicators if i.program_id}
        self.filters["program"].extra["choices"] = [
            (pk, program.title)
            for pk, program in sorted(programs.items(), key=lambda p: (p[1].core_task.direction.number, p[1].number))
        ]

    def keep(self, entries) -> list:
        """The rows the filters keep (all of them when a value is not one of the choices)."""
        if not self.is_valid():
            return list(entries)
        data = self.form.cleaned_data
        status, division, program = data.get("status"), data.get("division"), data.get("program")
        return [
            entry
            for entry in entries
            if (not division or str(entry.row.indicator.division_id) == division)
            and (not program or str(entry.row.indicator.program_id) == program)
            and (
                not status
                or (status == "off_track" and entry.row.off_track)
                or (status == "none" and entry.row.status is None)
                or entry.row.status == status
            )
        ]
