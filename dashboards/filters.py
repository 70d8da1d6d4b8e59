"""Filters of the money tables."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
