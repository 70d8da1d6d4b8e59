"""Forms of the staff pages for program progress: they turn what people type into values; the rules live in
the models and programs.services, so a form and the admin refuse the same things with the same words."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbureau import entry, figures
from civicbureau.forms import DecimalField, IntegerField, VersionForm
from programs import services
from programs.models import Indicator, ScheduleItem
from programs.selectors import targets

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScheduleProgressForm(VersionForm):
    """How a promised step is going; `version` is the item's latest history row when the page was built."""

    status = forms.ChoiceField(label=_("진행 상태"), choices=ScheduleItem.Status.choices)
    actual_start = forms.DateField(label=_("실제 시작일"), required=False, widget=DATE)
    actual_end = forms.DateField(label=_("실제 종료일"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("진행 메모"), max_length=300, required=False, widget=forms.TextInput(attrs={"size": 60})
    )


class IndicatorValueForm(forms.Form):
    """A value of an indicator as of a date; `record` names the value being corrected (empty: a new value)."""

    record = IntegerField(widget=forms.HiddenInput, required=False)
    version = IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    as_of = forms.DateField(label=_("기준일"), widget=DATE)
    category = forms.CharField(label=_("세부 구분"), max_length=100, required=False)
    value = DecimalField(
        label=_("값"),
        max_digits=18,
        decimal_places=2,
        min_value=-figures.MAX_INDICATOR_VALUE,
        max_value=figures.MAX_INDICATOR_VALUE,
        error_messages={"min_value": entry.INDICATOR_OUT_OF_BOUNDS, "max_value": entry.INDICATOR_OUT_OF_BOUNDS},
    )


class ConsistencyPeriodForm(forms.Form):
    """`?as_of=YYYY-MM-DD`: the reporting period the consistency check compares (default: the latest published)."""

    as_of = forms.DateField(label=_("기준일"), required=False, widget=DATE)


class MeasureListForm(forms.Form):
    """`?status=` of the measures list, and `?year=` (default: the bureau's latest fiscal year)."""

    status = forms.ChoiceField(label=_("상태"), choices=[("", _("전체")), *targets.STATUS_CHOICES], required=False)
    year = IntegerField(label=_("회계연도"), required=False, min_value=entry.EARLIEST_ENTRY_YEAR, max_value=9999)


class MeasureSettingsForm(VersionForm):
    """A measure's direction and baseline; `version` is the measure's latest history row."""

    direction = forms.ChoiceField(label=_("방향"), choices=Indicator.Direction.choices)
    baseline = DecimalField(
        label=_("기준치"),
        max_digits=18,
        decimal_places=2,
        required=False,
        min_value=-figures.MAX_INDICATOR_VALUE,
        max_value=figures.MAX_INDICATOR_VALUE,
        error_messages={"min_value": entry.INDICATOR_OUT_OF_BOUNDS, "max_value": entry.INDICATOR_OUT_OF_BOUNDS},
    )
    baseline_year = IntegerField(label=_("기준 연도"), required=False, min_value=0, max_value=9999)


def _target_number(label):
    """A target as typed: kept as text so that the service names a non-number or a negative by its field."""
    return forms.CharField(label=label, required=False, max_length=40, widget=forms.TextInput(attrs={"size": 12}))


QUARTER_ENDS = ((3, 31), (6, 30), (9, 30))  # the year's own target is dated 12-31


class TargetProposalForm(forms.Form):
    """A proposal of a year's targets: the year's (a value, or the ends of a range) and optional cumulative
    targets at the end of the first three quarters, with the reason (required to revise an approved target)
    and the source sentence. `version`: the version of the measure-year's targets the page was built from."""

    version = IntegerField(widget=forms.HiddenInput, min_value=0)
    value = _target_number(_("연간 목표치"))
    low = _target_number(_("하한"))
    high = _target_number(_("상한"))
    q1 = _target_number(_("1분기 말까지 (누적)"))
    q2 = _target_number(_("2분기 말까지 (누적)"))
    q3 = _target_number(_("3분기 말까지 (누적)"))
    reason = forms.CharField(
        label=_("사유"), max_length=500, required=False, widget=forms.TextInput(attrs={"size": 60})
    )
    source = forms.CharField(label=_("근거"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))

    def __init__(self, *args, direction: str, **kwargs):
        super().__init__(*args, **kwargs)
        unused = ("value", "q1", "q2", "q3") if direction == Indicator.Direction.RANGE else ("low", "high")
        for name in unused:
            del self.fields[name]

    def parts(self, fiscal_year: int) -> list:
        """The quarters typed, as dated targets (a quarter left empty is no target)."""
        found = []
        for name, (month, day) in zip(("q1", "q2", "q3"), QUARTER_ENDS, strict=True):
            typed = self.cleaned_data.get(name, "")
            if typed.strip():
                found.append(services.TargetInput(datetime.date(fiscal_year, month, day), value=typed))
        return found


class TargetDecisionForm(VersionForm):
    """Approve or return a measure-year's proposed targets; a return needs its reason."""

    reason = forms.CharField(label=_("반려 사유"), max_length=500, required=False)
