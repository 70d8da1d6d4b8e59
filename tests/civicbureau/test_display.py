"""Display rules: separators, △ for negatives, '-' for what cannot be computed, the as-of line."""

import datetime
from decimal import Decimal

from civicbureau import display


def test_numbers_are_written_as_the_report_writes_them():
    assert display.number(48_912_754) == "48,912,754"
    assert display.number(-28_916_456) == "△28,916,456"
    assert display.number(0) == "0"
    assert display.number(None) == "-"


def test_rates_keep_their_decimal_and_use_the_triangle():
    assert display.rate(Decimal("64.1")) == "64.1"
    assert display.rate(Decimal("0.0")) == "0.0"
    assert display.rate(Decimal("-37.2")) == "△37.2"
    assert display.rate(None) == "-"


def test_amounts_are_shown_in_thousand_won_by_default():
    assert display.amount(31_734_467_000) == "31,734,467"
    assert display.amount(1_500) == "2"
    assert display.amount(-720_390_000) == "△720,390"
    assert display.amount(16_630_000_000, display.MILLION_WON) == "16,630"


def test_as_of_line_matches_the_report():
    day = datetime.date(2022, 7, 1)
    assert display.report_date(day) == "’22. 7. 1."
    assert display.as_of_line(day, display.THOUSAND_WON, display.PERCENT) == "(’22. 7. 1.기준, 단위 : 천원, %)"
    assert display.as_of_line(day) == "(’22. 7. 1.기준)"


def test_quantities_show_only_their_own_decimals():
    assert display.quantity(Decimal("79.60")) == "79.6"
    assert display.quantity(Decimal("4600.00")) == "4,600"
    assert display.quantity(Decimal("-2.50")) == "△2.5"
    assert display.quantity(None) == "-"


def test_dates_take_the_form_of_the_page_language():
    from django.utils import translation

    day, month_end = datetime.date(2022, 7, 1), datetime.date(2022, 8, 31)
    published = datetime.datetime(2026, 12, 1, 5, 5, tzinfo=datetime.UTC)  # 14:05 in Seoul
    shown = {}
    for language in ("ko", "en"):
        with translation.override(language):
            shown[language] = [
                display.report_date(day),
                display.month_label(day),
                display.month_name(month_end),
                display.month_end_label(6),
                display.calendar_date(published.date()),
                display.timestamp(published),
                display.as_of_line(day, display.THOUSAND_WON, display.PERCENT),
            ]
    assert shown["ko"] == [
        "’22. 7. 1.",
        "’22. 7월",
        "8월",
        "6월 말",
        "2026-12-01",
        "2026-12-01 14:05",
        "(’22. 7. 1.기준, 단위 : 천원, %)",
    ]
    assert shown["en"] == [
        "1 Jul 2022",
        "Jul 2022",
        "Aug",
        "end Jun",
        "1 Dec 2026",
        "1 Dec 2026, 14:05",
        "(as of 1 Jul 2022, unit: thousand won, %)",
    ]


def test_a_missing_date_is_a_dash_in_either_language():
    from django.utils import translation

    for language in ("ko", "en"):
        with translation.override(language):
            assert display.calendar_date(None) == display.timestamp(None) == "-"


def test_indicator_units_are_written_in_the_page_language():
    from django.utils import translation

    with translation.override("ko"):
        assert display.quantity_with_unit(Decimal("17"), "명") == "17명"  # as the report writes it
        assert display.quantity_with_unit(Decimal("10.1"), "억원") == "10.1억원"
        assert display.indicator_unit("개소") == "개소"
    with translation.override("en"):
        assert display.quantity_with_unit(Decimal("17"), "명") == "17 persons"
        assert display.quantity_with_unit(Decimal("10.1"), "억원") == "10.1 hundred million won"
        assert display.quantity_with_unit(Decimal("79.6"), "%") == "79.6%"  # a unit of its own stays as it is
        assert display.quantity_with_unit(None, "명") == "-"
        assert [display.indicator_unit(u) for u in ("개소", "건", "석")] == ["sites", "cases", "seats"]
