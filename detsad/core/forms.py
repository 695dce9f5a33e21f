"""Forms of the organization structure pages."""

from django import forms

from .models import CalendarOverride, Group, Organization
from .services import GROUP_FIELDS, ORGANIZATION_FIELDS


class DateInput(forms.DateInput):
    """A text date field typed as DD.MM.YYYY (works in every browser and on phones)."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "ДД.ММ.ГГГГ", "inputmode": "numeric", **(attrs or {})},
            format="%d.%m.%Y",
        )


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ORGANIZATION_FIELDS
        widgets = {"licence_date": DateInput()}
        help_texts = {
            "licence_issuer": "Кем выдана — в творительном падеже, как после слова «выдана»: "
            "«министерством образования, науки и молодёжной политики Краснодарского края».",
        }


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = GROUP_FIELDS


class CalendarOverrideForm(forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ["date", "kind", "reason"]
        widgets = {"date": DateInput()}
