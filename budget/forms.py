"""Forms of the staff entry pages: they turn what people type into numbers; the rules live in the model
and the services, so a form, an import and the admin refuse the same things with the same words."""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class WonField(forms.IntegerField):
    """Whole won, typed with or without thousands separators ('83,765,000'); never negative."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "won"})
    default_error_messages = {"invalid": _("원 단위 정수를 입력하세요."), "min_value": _("금액은 0원 이상이어야 합니다.")}

    def __init__(self, **kwargs):
        super().__init__(min_value=0, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").strip()
        return super().to_python(value)


class ExecutionRowForm(forms.Form):
    """One budget line's cumulative-to-date figures."""

    code = forms.CharField(widget=forms.HiddenInput, max_length=30)
    obligations = WonField(label=_("원인행위 누계(원)"))
    disbursements = WonField(label=_("지출액 누계(원)"))


ExecutionRowFormSet = forms.formset_factory(ExecutionRowForm, extra=0, max_num=1000, validate_max=True, absolute_max=1000)


class VersionForm(forms.Form):
    """The version of the division-month the person's page was built from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReasonForm(VersionForm):
    reason = forms.CharField(label=_("사유"), max_length=300, widget=forms.TextInput(attrs={"size": 40}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("실적 파일 (xlsx 또는 csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("파일이 너무 큽니다 (최대 5MB)."))
        return upload
