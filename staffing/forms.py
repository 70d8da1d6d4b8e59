"""The headcount grid: one row per grade, 정원 and 현원 as whole people."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbureau import entry, figures
from civicbureau.forms import IntegerField

NUMBER = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "won", "size": 4})


class HeadcountRowForm(forms.Form):
    grade = forms.CharField(widget=forms.HiddenInput, max_length=20)
    quota = IntegerField(
        label=_("정원"),
        min_value=0,
        max_value=figures.MAX_PEOPLE,
        required=False,
        widget=NUMBER,
        error_messages={"max_value": entry.PEOPLE_OUT_OF_BOUNDS},
    )
    current = IntegerField(
        label=_("현원"),
        min_value=0,
        max_value=figures.MAX_PEOPLE,
        required=False,
        widget=NUMBER,
        error_messages={"max_value": entry.PEOPLE_OUT_OF_BOUNDS},
    )


HeadcountRowFormSet = forms.formset_factory(HeadcountRowForm, extra=0, max_num=100, validate_max=True, absolute_max=100)


class HeadcountDateForm(forms.Form):
    as_of = forms.DateField(
        label=_("기준일"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
