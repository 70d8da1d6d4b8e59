"""The public execution table's period: a fiscal year and an as-of month (?year=2022&as_of=2022-07)."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-\d{1,2})?$")


class MonthField(forms.CharField):
    """A month written YYYY-MM (a full date YYYY-MM-DD names its month); cleaned to the month's first day."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        match = _MONTH.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("기준월은 2022-07 처럼 연-월로 적어 주세요."), code="invalid")
        return datetime.date(int(match.group(1)), int(match.group(2)), 1)


class ExecutionPeriodForm(forms.Form):
    """Which table the public asks for. A plain form, not a filter: it picks a snapshot, it filters no rows."""

    year = forms.TypedChoiceField(label=_("회계연도"), coerce=int, required=False)
    as_of = MonthField(label=_("기준월"), required=False)

    def __init__(self, data=None, *, fiscal_years: list[int]):
        super().__init__(data)
        self.fields["year"].choices = [(y, y) for y in fiscal_years]
        self.fiscal_years = fiscal_years

    def clean(self):
        cleaned = super().clean()
        year, month = cleaned.get("year"), cleaned.get("as_of")
        if not year and self.fiscal_years:
            cleaned["year"] = year = month.year if month and month.year in self.fiscal_years else self.fiscal_years[0]
        if month and year and month.year != year:
            self.add_error("as_of", _("기준월이 회계연도(%(year)s) 밖입니다.") % {"year": year})
        return cleaned

    def month_choices(self, year: int) -> list[tuple[str, str]]:
        return [(f"{year}-{m:02d}", _("%(year)s년 %(month)s월") % {"year": year, "month": m}) for m in range(1, 13)]
