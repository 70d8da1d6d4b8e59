"""An amount typed back into a form is written as every figure is (display.number), and reads back the same."""

import pytest

from budget.forms import SignedWonField, WonField


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        (37729000, "37,729,000"),
        ("37729000", "37,729,000"),
        ("1,234", "1,234"),
        (-720000, "△720,000"),
        ("△720,000", "△720,000"),
    ],
)
def test_a_signed_amount_is_shown_as_the_report_writes_it_and_read_back_unchanged(typed, shown):
    field = SignedWonField()
    assert field.widget.format_value(typed) == shown
    assert field.clean(shown) == field.clean(str(typed).replace("△", "-"))


def test_what_is_not_a_whole_number_is_shown_as_typed():
    assert WonField().widget.format_value("12a4") == "12a4"
    assert WonField().widget.format_value(None) is None
