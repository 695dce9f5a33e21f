"""django-axes and django-otp's TOTP plugin under Russian names in the admin (issue 2: Russian
throughout, Django admin included). Their AppConfigs name them only by label («AXES»,
«OTP_TOTP») and the TOTP device model is named in plain English, without a translation hook.

The model's names are set on ``_meta`` at start-up, not in its ``Meta``: ``original_attrs``
stays as shipped, so no migration of the third-party app is created."""

from axes.apps import AppConfig as AxesAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "Блокировка входа после неудачных попыток"


class TOTPConfig(TOTPAppConfig):
    verbose_name = "Второй фактор входа (одноразовые коды)"

    def ready(self):
        super().ready()
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice._meta.verbose_name = "приложение одноразовых кодов (TOTP)"
        TOTPDevice._meta.verbose_name_plural = "приложения одноразовых кодов (TOTP)"
