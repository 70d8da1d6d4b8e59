"""Form pieces every entry page shares."""

from django import forms


class VersionForm(forms.Form):
    """The version of the record (or grid) the person's page was built from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
