"""Forms of the staff pages for program progress: they turn what people type into values; the rules live in
the models and programs.services, so a form and the admin refuse the same things with the same words."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbureau import entry, figures
from civicbureau.forms import DecimalField, IntegerField, VersionForm
from programs.models import ScheduleItem

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
