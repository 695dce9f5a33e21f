"""Forms of accounts: login, passwords, the sysadmin's pages, the second factor."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError

from detsad.core.permissions import Role

from .issuance import EMAIL, SLIP
from .services import ORG_ROLES

DELIVERY_CHOICES = [
    (SLIP, "листки для печати (PDF)"),
    (EMAIL, "ссылка на e-mail (у кого e-mail не указан — листок)"),
]


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="Логин или e-mail",
        max_length=254,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label="Пароль",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock.",
        "inactive": "Учётная запись отключена. Обратитесь к администратору детского сада.",
        "blocked": "Учётная запись заблокирована. Обратитесь к администратору детского сада.",
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if self._blocked_with_right_password():
                raise ValidationError(self.error_messages["blocked"], code="blocked") from None
            raise

    def _blocked_with_right_password(self) -> bool:
        """True when the login and password are right but the account is blocked.

        Only then is the reason told, so a wrong guess learns nothing about the account.
        """
        from django.db.models import Q

        from .models import User

        login = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password") or ""
        users = list(User.objects.filter(Q(username__iexact=login) | Q(email__iexact=login))[:2])
        return (
            len(users) == 1
            and users[0].blocked_at is not None
            and users[0].check_password(password)
        )


class PasswordChangeRuForm(PasswordChangeForm):
    """Django's password change form; validators come from AUTH_PASSWORD_VALIDATORS."""


class SetPasswordRuForm(SetPasswordForm):
    """A new password without the old one: after a temporary password or an e-mail link."""


class UserFilterForm(forms.Form):
    q = forms.CharField(label="Поиск", required=False)
    role = forms.ChoiceField(
        label="Роль",
        required=False,
        choices=[("", "все роли"), *[(r.value, r.label) for r in ORG_ROLES]],
    )
    group = forms.ModelChoiceField(
        label="Группа", required=False, queryset=None, empty_label="все группы"
    )
    never_logged_in = forms.BooleanField(label="ещё не входили", required=False)
    blocked = forms.BooleanField(label="заблокированы", required=False)

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class MembershipAddForm(forms.Form):
    role = forms.ChoiceField(label="Роль", choices=[(r.value, r.label) for r in ORG_ROLES])
    groups = forms.ModelMultipleChoiceField(
        label="Группы (для воспитателя)",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups


class GroupsForm(forms.Form):
    groups = forms.ModelMultipleChoiceField(
        label="Группы", required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label="Как выдать", choices=DELIVERY_CHOICES, initial=SLIP, widget=forms.RadioSelect
    )


class GroupSlipsForm(DeliveryForm):
    group = forms.ModelChoiceField(label="Группа", queryset=None, empty_label="выберите группу")

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class StaffSlipsForm(DeliveryForm):
    staff = forms.ModelMultipleChoiceField(
        label="Сотрудники без учётной записи",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    role = forms.ChoiceField(
        label="Роль",
        initial=Role.EDUCATOR,
        choices=[
            (r.value, r.label)
            for r in (Role.EDUCATOR, Role.HR, Role.COORDINATOR, Role.HEAD, Role.SYSADMIN)
        ],
    )

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff


class OtpForm(forms.Form):
    token = forms.CharField(
        label="Код из приложения",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
