"""Forms of the movement book. Rules live in services; forms parse and show choices.

The enrollment, transfer and withdrawal forms take several children at once: the
candidate children are listed with a checkbox each (``children``); the enrollment form
adds per-child inputs for the referral and the contract (``ref_num_<id>`` …).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from detsad.core.forms import DateInput
from detsad.core.models import AcademicYear, Orientation, Regime
from detsad.core.uploads import UploadValidator

from .models import DocumentTemplate, MovementEvent, Order, WithdrawalReason

DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]


def date_field(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, widget=DateInput()
    )


def parse_date(value: str | None, default: dt.date | None = None) -> dt.date | None:
    """DD.MM.YYYY or YYYY-MM-DD → date (default when empty or wrong)."""
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime((value or "").strip(), fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    return default


class MovementForm(forms.Form):
    """Common part: date, order (an open one or a new number and date), correction."""

    order_kind = Order.Kind.ENROLL

    on = date_field("Дата")
    order = forms.ModelChoiceField(
        label="Приказ",
        queryset=Order.objects.none(),
        required=False,
        empty_label="— новый приказ —",
    )
    order_number = forms.CharField(label="Номер нового приказа", max_length=30, required=False)
    order_date = date_field("Дата нового приказа", required=False)
    confirm_over_capacity = forms.BooleanField(
        label="Подтверждаю превышение наполняемости", required=False
    )
    correction = forms.BooleanField(
        label="Исправление в закрытом учебном году или закрытом месяце", required=False
    )
    correction_reason = forms.CharField(label="Причина исправления", max_length=300, required=False)

    def __init__(self, *args, orders=None, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        if orders is not None:
            self.fields["order"].queryset = orders
        self.candidates = list(candidates)
        self.fields["children"] = forms.TypedMultipleChoiceField(
            label="Дети",
            coerce=int,
            choices=[(c.pk, c.full_name) for c in self.candidate_children],
            error_messages={
                "required": "Отметьте хотя бы одного ребёнка.",
                "invalid_choice": (
                    "Отмеченного ребёнка уже нет в списке: его только что записали (например, "
                    "в другой вкладке) или изменилась дата. Проверьте список и отметьте детей "
                    "снова."
                ),
            },
        )

    @property
    def checked_ids(self) -> set[str]:
        """Ids (as strings) of the children ticked in the form."""
        return {str(v) for v in (self["children"].value() or [])}

    @property
    def candidate_children(self):
        return [getattr(c, "child", c) for c in self.candidates]

    def clean(self):
        data = super().clean()
        if not data.get("order") and not (data.get("order_number") and data.get("order_date")):
            self.add_error(
                "order_number", "Выберите приказ или укажите номер и дату нового приказа."
            )
        if data.get("correction") and not (data.get("correction_reason") or "").strip():
            self.add_error("correction_reason", "Укажите причину исправления.")
        return data

    def selected_children(self):
        chosen = set(self.cleaned_data.get("children") or [])
        return [c for c in self.candidate_children if c.pk in chosen]

    def order_or_new(self, *, actor):
        """The chosen order, or a new one registered through the service."""
        from . import services

        if self.cleaned_data.get("order"):
            return self.cleaned_data["order"]
        return services.order_create(
            actor=actor,
            organization=actor.organization,
            number=self.cleaned_data["order_number"],
            date=self.cleaned_data["order_date"],
            kind=self.order_kind,
        )

    def movement_kwargs(self) -> dict:
        return {
            "on": self.cleaned_data["on"],
            "correction": self.cleaned_data.get("correction", False),
            "correction_reason": self.cleaned_data.get("correction_reason", ""),
        }


class EnrollForm(MovementForm):
    order_kind = Order.Kind.ENROLL
    group = forms.ModelChoiceField(label="В группу", queryset=None)
    field_order = ["on", "group", "order", "order_number", "order_date"]

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        for child in self.candidate_children:
            guardians = [
                (link.guardian_id, link.guardian.full_name) for link in child.guardian_links.all()
            ]
            self.fields[f"ref_num_{child.pk}"] = forms.CharField(
                label="Направление №", max_length=50, required=False
            )
            self.fields[f"ref_date_{child.pk}"] = date_field("от", required=False)
            self.fields[f"contract_num_{child.pk}"] = forms.CharField(
                label="Договор №", max_length=30, required=False
            )
            self.fields[f"contract_date_{child.pk}"] = date_field("от", required=False)
            self.fields[f"guardian_{child.pk}"] = forms.TypedChoiceField(
                label="Заказчик (родитель)",
                choices=[("", "—"), *guardians],
                coerce=int,
                empty_value=None,
                required=False,
            )

    def rows(self):
        """(child, checkbox checked, per-child bound fields) for the table."""
        for child in self.candidate_children:
            yield (
                child,
                str(child.pk) in self.checked_ids,
                [
                    self[f"ref_num_{child.pk}"],
                    self[f"ref_date_{child.pk}"],
                    self[f"contract_num_{child.pk}"],
                    self[f"contract_date_{child.pk}"],
                    self[f"guardian_{child.pk}"],
                ],
            )

    def clean(self):
        data = super().clean()
        for pk in data.get("children") or []:
            if data.get(f"contract_num_{pk}") and not data.get(f"contract_date_{pk}"):
                self.add_error(f"contract_date_{pk}", "Укажите дату договора.")
        return data


class TransferForm(MovementForm):
    order_kind = Order.Kind.TRANSFER
    from_group = forms.ModelChoiceField(
        label="Из группы", queryset=None, required=False, empty_label="— все группы —"
    )
    group = forms.ModelChoiceField(label="В группу", queryset=None)
    field_order = ["on", "from_group", "group", "order", "order_number", "order_date"]

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["from_group"].queryset = groups


class WithdrawForm(MovementForm):
    order_kind = Order.Kind.WITHDRAW
    from_group = forms.ModelChoiceField(
        label="Группа", queryset=None, required=False, empty_label="— все группы —"
    )
    reason = forms.ChoiceField(label="Причина", choices=[("", "—"), *WithdrawalReason.choices])
    reason_text = forms.CharField(label="Причина (текстом)", max_length=300, required=False)
    destination = forms.CharField(
        label="Куда выбыл", max_length=300, required=False, help_text="Школа, город, ДОО."
    )
    field_order = ["on", "from_group", "reason", "reason_text", "destination", "order"]

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_group"].queryset = groups
        self.fields["on"].label = "Последний день пребывания"


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Причина отмены", max_length=300, widget=forms.TextInput(attrs={"wide": True})
    )
    correction = forms.BooleanField(
        label="Исправление в закрытом учебном году или закрытом месяце", required=False
    )


class ContractForm(forms.Form):
    number = forms.CharField(label="Номер договора", max_length=30)
    date = date_field("Дата договора")
    guardian = forms.TypedChoiceField(label="Заказчик (родитель)", coerce=int, empty_value=None)
    group = forms.ModelChoiceField(
        label="Группа (режим и направленность)", queryset=None, required=False
    )
    programme = forms.CharField(
        label="Образовательная программа",
        max_length=300,
        required=False,
        initial="Образовательная программа дошкольного образования",
    )
    regime = forms.ChoiceField(
        label="Режим пребывания",
        choices=[("", "— как в группе —"), *Regime.choices],
        required=False,
    )
    orientation = forms.ChoiceField(
        label="Направленность",
        choices=[("", "— как в группе —"), *Orientation.choices],
        required=False,
    )
    study_term = forms.CharField(
        label="Срок освоения", max_length=50, required=False, help_text="Пусто — рассчитать."
    )
    place = forms.CharField(label="Место заключения", max_length=200, required=False)
    guardian_authority = forms.CharField(
        label="Документ, подтверждающий полномочия заказчика", max_length=300, required=False
    )

    def __init__(self, *args, child=None, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian"].choices = [
            (link.guardian_id, f"{link.guardian.full_name} ({link.get_relation_display()})")
            for link in child.guardian_links.all()
        ]
        self.fields["group"].queryset = groups


class TemplateUploadForm(forms.Form):
    kind = forms.ChoiceField(label="Документ", choices=DocumentTemplate.Kind.choices)
    file = forms.FileField(label="Файл DOCX", validators=[UploadValidator(("docx",))])


class BookFilterForm(forms.Form):
    start = date_field("С", required=False)
    end = date_field("По", required=False)
    group = forms.ModelChoiceField(
        label="Группа", queryset=None, required=False, empty_label="— все —"
    )
    kind = forms.ChoiceField(
        label="Запись", choices=[("", "— все —"), *MovementEvent.Kind.choices], required=False
    )
    q = forms.CharField(label="Ребёнок", required=False, max_length=100)

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class OrderFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="Год", coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(
        label="Вид", choices=[("", "— все —"), *Order.Kind.choices], required=False
    )
    signed = forms.ChoiceField(
        label="Подпись",
        choices=[("", "— все —"), ("yes", "подписаны"), ("no", "не подписаны")],
        required=False,
    )
    q = forms.CharField(label="Номер или заголовок", required=False, max_length=100)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        years = range(today.year + 1, today.year - 6, -1)
        self.fields["year"].choices = [("", "— все —"), *[(y, str(y)) for y in years]]


class PeriodForm(forms.Form):
    start = date_field("С")
    end = date_field("По")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError("Начало периода позже его конца.")
        return data


def academic_year_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    """1 September – 31 August of the academic year containing `today`."""
    return AcademicYear.bounds_for(today)
