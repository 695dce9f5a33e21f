"""Forms of the attendance pages (Russian labels; dates as DD.MM.YYYY or the date picker)."""

from __future__ import annotations

from django import forms

from .converters import MAX_YEAR, MIN_YEAR
from .models import AbsenceReason

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AbsenceNoticeForm(forms.Form):
    start = forms.DateField(label="С", input_formats=DATE_INPUT_FORMATS, widget=DateInput())
    end = forms.DateField(
        label="По (включительно)", input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    reason = forms.ModelChoiceField(
        label="Причина", queryset=AbsenceReason.objects.none(), empty_label=None
    )
    comment = forms.CharField(
        label="Комментарий", max_length=300, required=False, widget=forms.TextInput()
    )

    def __init__(self, *args, reasons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = (
            reasons if reasons is not None else AbsenceReason.objects.none()
        )
        self.fields["reason"].label_from_instance = lambda r: f"{r.name} ({r.code})"

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            day = data.get(name)
            if day and not MIN_YEAR <= day.year <= MAX_YEAR:
                self.add_error(name, f"Укажите дату между {MIN_YEAR} и {MAX_YEAR} годом.")
                data.pop(name, None)
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "Дата окончания раньше даты начала.")
        return data


class AbsenceReasonForm(forms.ModelForm):
    class Meta:
        model = AbsenceReason
        fields = ["code", "name", "is_valid", "is_illness", "for_parents", "ordering", "is_active"]
        help_texts = {
            "code": "Одна–три заглавные буквы; печатается в табеле (например, Б).",
            "is_valid": "Засчитываемая причина: дни не оплачиваются родителями.",
        }

    def validate_unique(self):
        """Uniqueness of the code is checked by the service (with the Russian message)."""
