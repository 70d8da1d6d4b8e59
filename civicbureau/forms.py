"""Form pieces every entry page shares."""

from django import forms


class AsciiDigitsMixin:
    """A number typed with the digits people type here: int() and Decimal() also read '٣' or '３' as 3."""

    def to_python(self, value):
        if isinstance(value, str) and not value.isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IntegerField(AsciiDigitsMixin, forms.IntegerField):
    pass


class DecimalField(AsciiDigitsMixin, forms.DecimalField):
    pass


class VersionForm(forms.Form):
    """The version of the record (or grid) the person's page was built from (optimistic locking)."""

    version = IntegerField(widget=forms.HiddenInput, min_value=0)
