"""The dashboards' forms: which date to show, which two dates to compare."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbureau import figures
from civicbureau.entry import EARLIEST_ENTRY_YEAR, is_plausible_date, latest_entry_date


class AsOfForm(forms.Form):
    """`?as_of=YYYY-MM-DD`: the figures shown are the latest recorded at or before it (default: the latest
    published period); `&published=1`: only published figures (the latest published period at or before it)."""

    as_of = forms.DateField(
        label=_("기준일"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    published = forms.BooleanField(label=_("공표된 실적만"), required=False)

    def requested(self) -> datetime.date | None:
        return self.cleaned_data.get("as_of") if self.is_valid() else None

    def published_only(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("published"))


class ExecutionChangeForm(forms.Form):
    """`?earlier=…&later=…`: two dates of one fiscal year. Without `later`, the latest figures; without
    `earlier`, the month before `later` (the first day of the month its figures close: ’22. 7. 1. covers
    June, so the month before is ’22. 6. 1., which covers May)."""

    earlier = forms.DateField(
        label=_("비교 기준일 (이전)"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    later = forms.DateField(
        label=_("기준일 (이후)"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        data = super().clean()
        for name in ("earlier", "later"):  # 9999-12-31 is a date, but no month follows it
            if data.get(name) and not is_plausible_date(data[name]):
                self.add_error(
                    name,
                    _("%(first)s년부터 %(last)s년까지의 날짜를 적어 주세요.")
                    % {"first": EARLIEST_ENTRY_YEAR, "last": latest_entry_date().year},
                )
        earlier, later = data.get("earlier"), data.get("later")
        if earlier and later:
            if earlier >= later:
                raise forms.ValidationError(_("비교 기준일은 기준일보다 앞서야 합니다."))
            if earlier.year != later.year:
                raise forms.ValidationError(
                    _("두 날짜는 같은 회계연도 안에 있어야 합니다 (집행 실적은 회계연도마다 새로 쌓입니다).")
                )
        return data

    def dates(self, latest: datetime.date | None) -> tuple[datetime.date | None, datetime.date | None]:
        """(earlier, later) to compare; `latest` is the latest date with figures, used when none is given."""
        data = self.cleaned_data if self.is_valid() else {}
        later = data.get("later") or latest
        if later is None:
            return None, None
        earlier = data.get("earlier") or self.month_before(later)
        return earlier, later

    @staticmethod
    def month_before(day: datetime.date) -> datetime.date:
        months = figures.months_elapsed(day)
        return datetime.date(day.year, max(months, 1), 1) if months else datetime.date(day.year, 1, 1)
