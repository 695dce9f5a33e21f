"""The optional second factor: a TOTP app on the phone (django-otp's TOTP device).

Staff may turn it on for themselves on «Безопасность входа»; a sysadmin must when
settings.TOTP_REQUIRED_FOR_SYSADMIN is on. The QR code for the phone app is drawn with
segno as an SVG data URI (allowed by our Content-Security-Policy: img-src data:).
"""

from __future__ import annotations

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from detsad.core import audit
from detsad.core.models import AuditRecord

_CACHE = "_detsad_totp_device"


def confirmed_device(user) -> TOTPDevice | None:
    """The user's confirmed TOTP device, or None.

    No query for people without one (``User.totp_enabled``); one, cached on the user
    object, for the others.
    """
    if not user.totp_enabled:
        return None
    if not hasattr(user, _CACHE):
        setattr(user, _CACHE, TOTPDevice.objects.filter(user=user, confirmed=True).first())
    return getattr(user, _CACHE)


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being set up (created on first use)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Телефон", confirmed=False)
    return device


def qr_data_uri(device: TOTPDevice) -> str:
    """An SVG QR code of the device's otpauth:// URL, as a data URI."""
    return segno.make(device.config_url, encoding="utf-8", error="m").svg_data_uri(scale=5)


def secret_base32(device: TOTPDevice) -> str:
    """The key in groups of four for typing into the app by hand."""
    import base64

    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@transaction.atomic
def totp_confirm(*, actor, request, token: str) -> bool:
    """Confirm the pending device with a code from the app; False when the code is wrong."""
    user = request.user
    device = pending_device(user)
    if not device.verify_token((token or "").replace(" ", "")):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    user.totp_enabled = True
    user.save(update_fields=["totp_enabled"])
    otp_login(request, device)
    setattr(user, _CACHE, device)
    audit.record(
        actor, AuditRecord.Action.ACTION, user, kind="accounts.user", note="включён второй фактор"
    )
    return True


def totp_verify(*, request, token: str) -> bool:
    """Check a code at login; on success the session counts as verified."""
    device = match_token(request.user, (token or "").replace(" ", ""))
    if device is None:
        return False
    otp_login(request, device)
    return True


@transaction.atomic
def totp_remove(*, actor, user) -> int:
    """Remove the user's devices (their own choice, or the sysadmin's after a lost phone)."""
    if user.pk != getattr(actor.user, "pk", None):
        from .services import require_admin

        require_admin(actor, user)
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    user.totp_enabled = False
    user.save(update_fields=["totp_enabled"])
    if removed:
        audit.record(
            actor,
            AuditRecord.Action.ACTION,
            user,
            kind="accounts.user",
            note="второй фактор отключён",
        )
    return removed
