"""Forms of personal files. Normalization and cross-field rules live in services."""

from django import forms
from django.core.exceptions import ValidationError

from detsad.core.forms import DateInput

from .models import Child, Guardian, Relation, Sex, Staff, StaffCourse
from .services import (
    CHILD_FIELDS,
    COURSE_FIELDS,
    GUARDIAN_FIELDS,
    STAFF_FIELDS,
    _check_child_dates,
    _check_guardian_dates,
    _check_staff_dates,
)
from .validators import normalize_phone


class PhoneFieldsMixin:
    """Phones are typed as people write them («8 (918) 123-45-67») and stored as
    +7XXXXXXXXXX: normalize before the model's own checks (max 12 characters) run."""

    def _phone(self, name: str) -> str:
        value = self.cleaned_data.get(name) or ""
        return normalize_phone(value) if value.strip() else ""

    def clean_phone(self):
        return self._phone("phone")

    def clean_phone_extra(self):
        return self._phone("phone_extra")


class DateRulesMixin:
    """Run the service's date rules (not in the future, a child's age 0–8, a staff member's
    age) already in the form, so that one submit shows every fault at once: a wrong SNILS no
    longer hides a birth date in the future. Pass ``today=actor.today``; without it the rules
    run only in the service, as before."""

    date_rules = None  # the service function checking the dates of the instance

    def __init__(self, *args, today=None, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def _post_clean(self):
        super()._post_clean()
        if self.today is None or self.date_rules is None:
            return
        try:
            type(self).date_rules(self.instance, self.today)
        except ValidationError as exc:
            # On an edit only the dates typed now are judged here (a child who has turned 9
            # can still get a new address); the service stays the final check.
            typed = set(self.changed_data) if self.instance.pk else set(self.fields)
            for field, messages in exc.message_dict.items():
                if field in typed and field not in self.errors:
                    self.add_error(field, messages)


class ChildForm(DateRulesMixin, forms.ModelForm):
    date_rules = _check_child_dates

    class Meta:
        model = Child
        fields = CHILD_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "allergies": forms.Textarea(attrs={"rows": 2, "wide": True}),
            "notes": forms.Textarea(attrs={"rows": 2, "wide": True}),
            "snils": forms.TextInput(attrs={"placeholder": "123-456-789 01"}),
        }


class GuardianForm(DateRulesMixin, PhoneFieldsMixin, forms.ModelForm):
    date_rules = _check_guardian_dates
    phone = forms.CharField(
        label="Телефон",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "+7 900 000-00-00", "inputmode": "tel"}),
    )
    phone_extra = forms.CharField(
        label="Доп. телефон",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    class Meta:
        model = Guardian
        fields = GUARDIAN_FIELDS
        widgets = {"passport_issued_on": DateInput(), "consent_pd_date": DateInput()}


class GuardianLinkForm(GuardianForm):
    relation = forms.ChoiceField(label="Кем приходится ребёнку", choices=Relation.choices)
    is_legal_representative = forms.BooleanField(
        label="Законный представитель", required=False, initial=True
    )

    class Meta(GuardianForm.Meta):
        fields = ["relation", "is_legal_representative", *GUARDIAN_FIELDS]


class ExistingGuardianLinkForm(forms.Form):
    guardian = forms.ModelChoiceField(
        label="Родитель из личных дел", queryset=Guardian.objects.none()
    )
    relation = forms.ChoiceField(label="Кем приходится ребёнку", choices=Relation.choices)
    is_legal_representative = forms.BooleanField(
        label="Законный представитель", required=False, initial=True
    )

    def __init__(self, *args, guardians=None, **kwargs):
        super().__init__(*args, **kwargs)
        if guardians is not None:
            self.fields["guardian"].queryset = guardians


class StaffForm(DateRulesMixin, PhoneFieldsMixin, forms.ModelForm):
    date_rules = _check_staff_dates
    phone = forms.CharField(label="Телефон", required=False, max_length=30)

    class Meta:
        model = Staff
        fields = STAFF_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "hire_date": DateInput(),
            "dismissal_date": DateInput(),
            "last_attestation_date": DateInput(),
            "snils": forms.TextInput(attrs={"placeholder": "123-456-789 01"}),
        }


class StaffCourseForm(forms.ModelForm):
    class Meta:
        model = StaffCourse
        fields = COURSE_FIELDS
        widgets = {"start": DateInput(), "end": DateInput()}


class ChildFilterForm(forms.Form):
    q = forms.CharField(
        label="Поиск",
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": "Фамилия, имя, лицевой счёт", "type": "search"}
        ),
    )
    group = forms.TypedChoiceField(label="Группа", required=False, coerce=int, empty_value=None)
    age = forms.TypedChoiceField(
        label="Возраст",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "любой"), (0, "до 1 года"), (1, "1 год")]
        + [(i, f"{i} года" if i < 5 else f"{i} лет") for i in range(2, 9)],
    )
    sex = forms.ChoiceField(label="Пол", required=False, choices=[("", "любой"), *Sex.choices])
    archived = forms.BooleanField(label="Архив", required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "все группы")] + [(g.pk, g.name) for g in groups]
