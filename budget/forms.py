"""Budget forms: the public execution table's period (?year=2022&as_of=2022-07-31&edition=1), the staff entry's
forms. Entry forms turn what people type into numbers; the rules live in the model and the services, so
a form, an import and the admin refuse the same things with the same words."""

import datetime
import re
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from budget.importers import budget_book
from civicbureau import display, entry, figures, security, uploads
from civicbureau.forms import IntegerField, VersionForm

_PERIOD = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$", re.ASCII)


class PeriodLimitField(forms.CharField):
    """Up to which date a table is asked for: a month written YYYY-MM (its last day) or a date YYYY-MM-DD
    (a reporting period, or any day: the latest published period at or before it)."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        match = _PERIOD.match(value)
        try:
            year, month = int(match.group(1)), int(match.group(2))
            if match.group(3):
                return datetime.date(year, month, int(match.group(3)))
            return figures.month_end(datetime.date(year, month, 1))
        except (AttributeError, ValueError, OverflowError):  # no match, no such day, a month after 9999-12
            raise forms.ValidationError(
                _("기준일은 2022-07-31 처럼 연-월-일로, 또는 2022-07 처럼 연-월로 적어 주세요."), code="invalid"
            ) from None


class ExecutionPeriodForm(forms.Form):
    """Which table the public asks for: a fiscal year, a date (the latest published period at or before it)
    and an edition of that period (default: its latest). A plain form, not a filter: it picks an edition,
    it filters no rows."""

    year = forms.TypedChoiceField(label=_("회계연도"), coerce=int, required=False)
    as_of = PeriodLimitField(label=_("기준일"), required=False)
    edition = forms.IntegerField(label=_("판"), min_value=1, max_value=999, required=False)

    def __init__(self, data=None, *, fiscal_years: list[int]):
        super().__init__(data)
        self.fields["year"].choices = [(y, y) for y in fiscal_years]
        self.fiscal_years = fiscal_years

    def clean(self):
        cleaned = super().clean()
        year, day = cleaned.get("year"), cleaned.get("as_of")
        if not year and self.fiscal_years:
            cleaned["year"] = year = day.year if day and day.year in self.fiscal_years else self.fiscal_years[0]
        if day and year and day.year != year:
            self.add_error("as_of", _("기준일이 회계연도(%(year)s) 밖입니다.") % {"year": year})
        if cleaned.get("edition") and not day:
            self.add_error("edition", _("판을 고르려면 기준일도 적어 주세요."))
        return cleaned


def period_choices(dates) -> list[tuple[str, str]]:
    """The published periods to choose from: (YYYY-MM-DD, '’22. 7. 1.'), latest first."""
    return [(day.isoformat(), display.report_date(day)) for day in sorted(set(dates), reverse=True)]


def period_query(request) -> str:
    """The period parameters alone (no sort order), for the download links next to a page."""
    return urlencode([(key, request.GET[key]) for key in ("year", "as_of", "edition") if request.GET.get(key)])


class WonInput(forms.TextInput):
    """An amount in won shown with separators ('37,729,000', a cut as '△720,000'), through display.number as
    every figure is, and as static/js/entry.js keeps it while typing; what cannot be read as a whole number
    is shown back as it was typed."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "class": "won", **(attrs or {})})

    def format_value(self, value):
        text = "" if value is None else str(value).replace(",", "").replace(display.MINUS, "-").strip()
        if re.fullmatch(r"-?\d+", text):
            return display.number(int(text))
        return super().format_value(value)


class WonField(IntegerField):
    """Whole won, typed with or without thousands separators ('83,765,000'); never negative, and at most
    figures.MAX_WON (the bound the models and the database hold too)."""

    widget = WonInput
    default_error_messages = {
        "invalid": _("원 단위 정수를 입력하세요."),
        "min_value": _("금액은 0원 이상이어야 합니다."),
        "max_value": entry.WON_OUT_OF_BOUNDS,
    }

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=figures.MAX_WON, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").strip()
        return super().to_python(value)


class ExecutionRowForm(forms.Form):
    """One budget line's cumulative-to-date figures."""

    code = forms.CharField(widget=forms.HiddenInput, max_length=30)
    # blank is a value here: obligations never reported stay unknown; the service names what is missing
    obligations = WonField(label=_("원인행위 누계(원)"), required=False)
    disbursements = WonField(label=_("지출액 누계(원)"), required=False)


ExecutionRowFormSet = forms.formset_factory(
    ExecutionRowForm, extra=0, max_num=1000, validate_max=True, absolute_max=1000
)


class ReasonForm(VersionForm):
    reason = forms.CharField(label=_("사유"), max_length=300, widget=forms.TextInput(attrs={"size": 40}))


class PublishForm(forms.Form):
    """Publishing a period: the edition the person saw (0 for none), the year the page was for, a reason."""

    edition_seen = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    year = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("사유"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("미보고 과를 두고 공표할 때, 또는 새 판이 무엇을 고쳤는지 적습니다."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("실적 파일 (xlsx 또는 csv)"))
    max_bytes = uploads.MAX_FILE_BYTES

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            security.log("import_rejected", reason="file_too_large", file=upload.name[:100], size=upload.size)
            raise forms.ValidationError(_("파일이 너무 큽니다 (최대 %(max)sMB).") % {"max": self.max_bytes // 2**20})
        return upload


class BudgetBookForm(ImportForm):
    """A budget book: a whole city's fits (budget.importers.budget_book's limits)."""

    file = forms.FileField(label=_("예산서 파일 (xlsx 또는 csv)"))
    max_bytes = budget_book.MAX_BYTES


class SignedWonField(WonField):
    """Whole won that may be negative (a cut: 감액), typed with or without separators; △ is read as minus;
    within ±figures.MAX_WON."""

    default_error_messages = {"min_value": entry.WON_OUT_OF_BOUNDS}

    def __init__(self, **kwargs):
        IntegerField.__init__(self, min_value=-figures.MAX_WON, max_value=figures.MAX_WON, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("△", "-").replace("▲", "-")
        return super().to_python(value)


class BudgetAdjustmentForm(forms.Form):
    """A dated change to a line's 예산현액: 추경, 이월, 전용, 예비비 … (a cut is negative)."""

    kind = forms.ChoiceField(label=_("구분"))
    amount = SignedWonField(label=_("금액(원, 감액은 음수)"))
    effective_on = forms.DateField(label=_("적용일"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label=_("사유"), max_length=300, widget=forms.TextInput(attrs={"size": 40}))

    def __init__(self, *args, **kwargs):
        from budget.models import BudgetAdjustment

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            c for c in BudgetAdjustment.Kind.choices if c[0] != BudgetAdjustment.Kind.UNSPECIFIED
        ]
