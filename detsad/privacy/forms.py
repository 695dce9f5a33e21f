"""Forms of consents."""

from django import forms

from detsad.core.forms import DateInput

from .models import Consent


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["kind", "child", "scope", "given_on", "valid_until", "document"]
        widgets = {
            "given_on": DateInput(),
            "valid_until": DateInput(),
            "scope": forms.Textarea(attrs={"rows": 3, "wide": True}),
        }

    def __init__(self, *args, children=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children
        self.fields["child"].empty_label = "только за себя"
