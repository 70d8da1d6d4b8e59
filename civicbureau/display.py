"""How figures and dates are written for people, in one place: thousands separators, △ for negatives, '-'
for a figure that cannot be computed, the unit and the as-of line as the report writes them, and dates in
the form of the page's language (Korean pages as the report writes them, English pages '1 Jul 2022')."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import dateformat, dates, timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicbureau import figures

MINUS = "△"
NOT_AVAILABLE = "-"
NOT_REPORTED = _("미보고")  # a division that had no approved figures when its period was published
NOT_PUBLISHED = _("미공표")  # a bureau that has published no period yet (the city home)


@dataclass(frozen=True)
class Unit:
    """A display unit: its label in the report and how many won it holds (None for non-money units)."""

    label: str
    won: int | None = None


WON = Unit(_("원"), 1)
THOUSAND_WON = Unit(_("천원"), 1_000)
MILLION_WON = Unit(_("백만원"), 1_000_000)
HUNDRED_MILLION_WON = Unit(_("억원"), 100_000_000)
PERCENT = Unit("%")
PERCENTAGE_POINTS = Unit("%p")
PERSONS = Unit(_("명"))

# The units the report gives its indicators (programs.Indicator.unit), written in the page's language
INDICATOR_UNITS = {
    "명": PERSONS.label,
    "백만원": MILLION_WON.label,
    "억원": HUNDRED_MILLION_WON.label,
    "개": _("개"),
    "건": _("건"),
    "회": _("회"),
    "개소": _("개소"),
    "석": _("석"),
    "팀": pgettext_lazy("unit", "팀"),  # "22 teams"; the model's label 팀 is "Team"
}


def number(value: int | Decimal | None, places: int | None = None) -> str:
    """1234567 → '1,234,567'; −720390 → '△720,390'; Decimal('-99.7') → '△99.7'; None → '-'."""
    if value is None:
        return NOT_AVAILABLE
    if places is not None:
        value = figures.quantize(Decimal(value), places)
    sign = MINUS if value < 0 else ""
    return f"{sign}{abs(value):,}"


def amount(won: int | None, unit: Unit = THOUSAND_WON) -> str:
    """A won amount shown in `unit`, rounded half up to a whole unit (500 won shows as 1 thousand)."""
    return number(figures.in_unit(won, unit.won))


def rate(value: Decimal | None) -> str:
    """A rate with its one decimal: Decimal('45.6') → '45.6', None → '-'."""
    return number(value, figures.RATE_PLACES)


def _english() -> bool:
    """Whether the active language writes dates the English way; Korean (the default) otherwise."""
    return (translation.get_language() or "").startswith("en")


def report_date(day: datetime.date) -> str:
    """2022-07-01 → '’22. 7. 1.', the way the report writes a date; on English pages '1 Jul 2022'."""
    if _english():
        return dateformat.format(day, "j M Y")
    return f"’{day:%y}. {day.month}. {day.day}."


def month_label(month: datetime.date) -> str:
    """2022-07-01 → '’22. 7월', the way the report writes a month; on English pages 'Jul 2022'."""
    if _english():
        return dateformat.format(month, "M Y")
    return f"’{month:%y}. {month.month}월"


def month_name(month: datetime.date) -> str:
    """2022-08-31 → '8월' (a month of a year already named); on English pages 'Aug'."""
    if _english():
        return dateformat.format(month, "M")
    return f"{month.month}월"


def month_end_label(month: int) -> str:
    """7 → '7월 말', a month-end of the year on a chart's axis; on English pages 'end Jul'."""
    if _english():
        return f"end {dates.MONTHS_3[month].title()}"
    return f"{month}월 말"


def calendar_date(day: datetime.date | None) -> str:
    """A day that is not the report's own (when something was published or recorded): '2026-12-01' on
    Korean pages, '1 Dec 2026' on English pages; '-' for none."""
    if day is None:
        return NOT_AVAILABLE
    if _english():
        return dateformat.format(day, "j M Y")
    return day.isoformat()


def timestamp(moment: datetime.datetime | None) -> str:
    """A moment in the site's time zone: '2026-12-01 14:05' on Korean pages, '1 Dec 2026, 14:05' on English
    pages; '-' for none."""
    if moment is None:
        return NOT_AVAILABLE
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    if _english():
        return dateformat.format(moment, "j M Y, H:i")
    return f"{moment:%Y-%m-%d %H:%M}"


def as_of_line(day: datetime.date, *units: Unit) -> str:
    """'(’22. 7. 1.기준, 단위 : 천원, %)', the line above every table of the report."""
    unit_text = ", ".join(str(u.label) for u in units)
    if unit_text:
        return str(_("(%(date)s기준, 단위 : %(units)s)") % {"date": report_date(day), "units": unit_text})
    return str(_("(%(date)s기준)") % {"date": report_date(day)})


def edition_line(publication) -> str:
    """'제1판, 2026-12-01 공표': which edition of a reporting period a table shows and when it was published
    (in the site's time zone)."""
    if publication is None:
        return ""
    published = calendar_date(timezone.localtime(publication.published_at).date())
    return str(_("제%(edition)s판, %(date)s 공표") % {"edition": publication.edition, "date": published})


def headcount(quota: int | None, current: int | None, *, empty: bool = False) -> str:
    """정원/현원 as the report writes it: '104/102'; a cell with nobody in either is '-'."""
    if empty or quota is None or current is None:
        return NOT_AVAILABLE
    return f"{number(quota)}/{number(current)}"


def indicator_unit(unit: str) -> str:
    """An indicator's unit as the report gives it ('명') in the page's language ('persons'); a unit the
    report does not use is shown as stored."""
    return str(INDICATOR_UNITS.get(unit, unit))


def quantity_with_unit(value: Decimal | int | None, unit: str) -> str:
    """An indicator's value with its unit: '17명' on Korean pages as the report writes it, '17 persons' on
    English pages; '-' for none."""
    if value is None:
        return NOT_AVAILABLE
    if _english() and unit in INDICATOR_UNITS:
        return f"{quantity(value)} {indicator_unit(unit)}"
    return f"{quantity(value)}{unit}"


def quantity(value: Decimal | int | None) -> str:
    """An indicator's value with only the decimals it has: Decimal('79.60') → '79.6', Decimal('4600.00') → '4,600'."""
    if value is None:
        return NOT_AVAILABLE
    value = Decimal(value)
    if value == value.to_integral_value():
        return number(int(value))
    return number(value.normalize())
