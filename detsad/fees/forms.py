"""Forms of the fee pages. Amounts are typed in rubles («2 500,00») and handed to services
in kopecks; rules and checks live in the services."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import forms

from detsad.core.forms import DateInput
from detsad.core.models import Regime
from detsad.core.uploads import UploadValidator

from .calculation import add_months
from .models import AgeBand, BaseRule, Benefit, DueMonth, LedgerEntry, Policy, Stacking, Tariff
from .receipts import month_title

#: No fee, payment or rate reaches a thousand million rubles; the bound keeps the kopecks
#: inside a 64-bit database integer.
MAX_RUBLES = 1_000_000_000


class RublesField(forms.CharField):
    """Rubles typed as «2500», «2 500,50» or «2500.50» → integer kopecks."""

    def __init__(self, *args, signed: bool = False, **kwargs):
        self.signed = signed
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        text = re.sub(r"[\s\u00a0]", "", value).replace(",", ".").replace("−", "-")
        # digits only: Decimal() alone takes «Infinity», «NaN» and «1e30» (a server error)
        if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", text):
            raise forms.ValidationError("Введите сумму, например 2500,00.")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError("Введите сумму, например 2500,00.") from None
        if number != number.quantize(Decimal("0.01")):
            raise forms.ValidationError("Не больше двух знаков после запятой.")
        if abs(number) >= MAX_RUBLES:
            raise forms.ValidationError(f"Слишком большая сумма (не больше {MAX_RUBLES - 1} руб.).")
        if number < 0 and not self.signed:
            raise forms.ValidationError("Сумма указывается без знака.")
        return int(number * 100)


def month_choices(around: dt.date, back: int = 12, ahead: int = 1) -> list[tuple[str, str]]:
    first = around.replace(day=1)
    months = [add_months(first, n) for n in range(ahead, -back - 1, -1)]
    return [(f"{m:%Y-%m}", month_title(m).capitalize()) for m in months]


def parse_month_value(value: str) -> dt.date | None:
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return None


class MonthField(forms.ChoiceField):
    def __init__(self, *args, around: dt.date | None = None, **kwargs):
        super().__init__(*args, choices=month_choices(around or dt.date(2026, 1, 1)), **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return parse_month_value(value) if value else None


class RunForm(forms.Form):
    month = MonthField(label="Месяц")

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices(today)
        self.fields["month"].initial = f"{today:%Y-%m}"


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Причина", max_length=300)


class EntryForm(forms.Form):
    """A manual operation on a child's account."""

    KINDS = [
        ("payment", "Оплата (касса, квитанция)"),
        (LedgerEntry.Kind.REFUND, "Возврат родителю"),
        (LedgerEntry.Kind.WRITE_OFF, "Списание задолженности"),
        (LedgerEntry.Kind.ADJUSTMENT, "Перерасчёт (+ доплатить, − уменьшить)"),
    ]
    kind = forms.ChoiceField(label="Операция", choices=KINDS)
    amount = RublesField(label="Сумма, руб.", signed=True)
    on = forms.DateField(label="Дата", widget=DateInput())
    period = MonthField(label="За месяц", required=False)
    payer_name = forms.CharField(label="Плательщик", max_length=300, required=False)
    doc_number = forms.CharField(label="Номер документа", max_length=40, required=False)
    note = forms.CharField(label="Основание", max_length=300, required=False)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = today
        self.fields["period"].choices = [("", "месяц даты"), *month_choices(today)]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Файл банка (выписка 1С или реестр, Windows-1251)",
        validators=[UploadValidator(("txt", "csv", "dat"))],
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.csv,.dat"}),
    )


class AssignForm(forms.Form):
    account = forms.CharField(
        label="Лицевой счёт",
        max_length=120,
        widget=forms.TextInput(attrs={"list": "accounts", "placeholder": "номер или фамилия"}),
    )

    def clean_account(self):
        value = self.cleaned_data["account"].strip()
        return value.split(" ", 1)[0] if value else value


class TariffForm(forms.Form):
    unit = forms.ChoiceField(label="Единица", choices=Tariff.Unit.choices)
    regime = forms.ChoiceField(
        label="Режим пребывания", choices=[("", "все режимы"), *Regime.choices], required=False
    )
    age_band = forms.ChoiceField(label="Возрастная категория", choices=AgeBand.choices)
    amount = RublesField(label="Размер, руб.")
    valid_from = forms.DateField(label="Действует с", widget=DateInput())
    basis = forms.CharField(label="Основание (постановление)", max_length=300, required=False)


class BenefitKindForm(forms.Form):
    name = forms.CharField(label="Наименование", max_length=200)
    kind = forms.ChoiceField(label="Вид", choices=Benefit.Kind.choices)
    percent = forms.DecimalField(label="Размер, %", max_digits=5, decimal_places=2)
    basis = forms.CharField(label="Основание", max_length=300, required=False)


class ChildBenefitForm(forms.Form):
    child = forms.ModelChoiceField(label="Воспитанник", queryset=None)
    benefit = forms.ModelChoiceField(label="Льгота", queryset=None)
    document = forms.CharField(label="Подтверждающий документ", max_length=300)
    valid_from = forms.DateField(label="Действует с", widget=DateInput())
    valid_to = forms.DateField(label="Действует по", widget=DateInput(), required=False)
    note = forms.CharField(label="Примечание", max_length=300, required=False)

    def __init__(self, *args, children, benefits, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children
        self.fields["child"].label_from_instance = lambda c: c.full_name
        self.fields["benefit"].queryset = benefits


class BenefitEndForm(forms.Form):
    valid_to = forms.DateField(label="Последний день льготы", widget=DateInput())
    reason = forms.CharField(label="Причина", max_length=300, required=False)


class FeeSettingsForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="Организация (пусто — весь район)", queryset=None, required=False
    )
    valid_from = MonthField(label="Действует с месяца")
    policy = forms.ChoiceField(label="Правило начисления", choices=Policy.choices)
    advance_base = forms.ChoiceField(label="Перерасчёт аванса по правилу", choices=BaseRule.choices)
    stacking = forms.ChoiceField(label="Несколько льгот", choices=Stacking.choices)
    due_day = forms.IntegerField(label="Оплатить до (число)", min_value=1, max_value=28)
    due_month = forms.ChoiceField(label="Срок оплаты", choices=DueMonth.choices)
    basis = forms.CharField(label="Основание", max_length=300, required=False)

    def __init__(self, *args, organizations, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["valid_from"].choices = month_choices(today, back=24, ahead=12)


class CompensationForm(forms.Form):
    valid_from = forms.DateField(label="Действует с", widget=DateInput())
    average_fee = RublesField(label="Средний размер платы в регионе, руб. в месяц")
    percent_first = forms.DecimalField(label="На 1-го ребёнка, %", initial=Decimal("20"))
    percent_second = forms.DecimalField(label="На 2-го ребёнка, %", initial=Decimal("50"))
    percent_third = forms.DecimalField(label="На 3-го и следующих, %", initial=Decimal("70"))
    basis = forms.CharField(label="Основание", max_length=300, required=False)


class PeriodForm(forms.Form):
    start = forms.DateField(label="С", widget=DateInput())
    end = forms.DateField(label="По", widget=DateInput())
    group = forms.ModelChoiceField(label="Группа", queryset=None, required=False)

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is None:
            del self.fields["group"]
        else:
            self.fields["group"].queryset = groups
            self.fields["group"].empty_label = "вся организация"


class DebtorsForm(forms.Form):
    on = forms.DateField(label="На дату", widget=DateInput(), required=False)
    group = forms.ModelChoiceField(label="Группа", queryset=None, required=False)
    min_amount = RublesField(label="Долг от, руб.", required=False)
    min_months = forms.IntegerField(label="Месяцев долга от", min_value=0, required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["group"].empty_label = "все группы"


class ReceiptsForm(forms.Form):
    month = MonthField(label="Месяц")
    group = forms.ModelChoiceField(label="Группа", queryset=None, required=False)
    paper = forms.ChoiceField(
        label="Формат", choices=[("a4", "A4, два экземпляра"), ("a5", "A5, один экземпляр")]
    )

    def __init__(self, *args, groups, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices(today)
        self.fields["month"].initial = f"{today:%Y-%m}"
        self.fields["group"].queryset = groups
        self.fields["group"].empty_label = "вся организация"
