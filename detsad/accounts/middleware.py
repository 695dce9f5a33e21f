"""Request-level security of accounts.

- `SecondFactorMiddleware`: a person with a TOTP device must enter its code before any
  page; a sysadmin must set one up first when settings.TOTP_REQUIRED_FOR_SYSADMIN is on.
- `ForcePasswordChangeMiddleware`: a person who logged in with a temporary (issued)
  password goes to the password page first.
- `DeniedAccessAuditMiddleware`: a logged-in person's request for an object outside their
  scope (404/403 from the access layer on a URL that names an object) leaves an audit
  record of kind «отказ в доступе» (case C18: each attempt is logged).

- `SessionTouchMiddleware`: renews the session (and so its inactivity deadline) at most
  once a minute instead of writing it on every request.

Blocking and «log out everywhere» need no middleware: both change the session stamp
(`User._get_session_auth_hash`) that Django's AuthenticationMiddleware checks.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from detsad.core.permissions import Role

ALLOWED_PREFIXES = ("/static/", "/media/")


def _open_paths(*names: str) -> set[str]:
    return {reverse(n) for n in ("accounts:logout", *names)}


class SecondFactorMiddleware:
    """Ask for the TOTP code after the password; require a device for sysadmins if set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            from .totp import confirmed_device

            device = confirmed_device(user)
            if device is not None and not user.is_verified():
                if request.path not in _open_paths("accounts:otp_verify"):
                    return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")
            elif (
                device is None
                and self._must_enroll(request)
                and request.path not in _open_paths("accounts:otp_setup")
            ):
                return redirect("accounts:otp_setup")
        return self.get_response(request)

    @staticmethod
    def _must_enroll(request) -> bool:
        if not getattr(settings, "TOTP_REQUIRED_FOR_SYSADMIN", False):
            return False
        actor = getattr(request, "actor", None)
        contexts = getattr(actor, "contexts", None) or []
        return any(Role.SYSADMIN in ctx["roles"] for ctx in contexts)


class ForcePasswordChangeMiddleware:
    """Send a person with a temporary (issued) password to the password page first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
        ):
            allowed = _open_paths("accounts:password_change")
            if request.path not in allowed and not request.path.startswith(ALLOWED_PREFIXES):
                return redirect("accounts:password_change")
        return self.get_response(request)


class DeniedAccessAuditMiddleware:
    """Log a logged-in person's refused request for an object (404/403 on an object URL)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (Http404, PermissionDenied)):
            log_denied(request, exception)
        return None


def log_denied(request, exception) -> None:
    """Write one «отказ в доступе» audit record for `request` (object URLs only)."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if user is None or not user.is_authenticated or match is None or not match.kwargs:
        return
    from detsad.core import audit
    from detsad.core.models import AuditRecord

    actor = getattr(request, "actor", None)
    audit.record(
        actor,
        AuditRecord.Action.DENIED,
        kind=f"url.{match.view_name}"[:100],
        object_id=",".join(str(v) for v in match.kwargs.values())[:64],
        object_repr=f"{request.method} {request.path}"[:300],
        organization=getattr(actor, "organization", None),
        note="объект не найден или вне прав"
        if isinstance(exception, Http404) or getattr(exception, "status_code", None) == 404
        else "недостаточно прав",
    )


def mark_session_touched(sender, request=None, user=None, **kwargs) -> None:
    """``user_logged_in`` receiver: the login saves the session, so the first page after it
    need not write it again (SessionTouchMiddleware)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SessionTouchMiddleware.KEY] = int(time.time())


class SessionTouchMiddleware:
    """Keep a logged-in session alive while it is used, with one write a minute at most.

    The inactivity timeout (SESSION_COOKIE_AGE, seconds) counts from the last save of the
    session; Django's SESSION_SAVE_EVERY_REQUEST would write the session row on every
    request (one UPDATE per page — in the morning peak, one per saved group-day on the
    single SQLite writer). Here the session is marked changed only when its last touch is
    older than SESSION_TOUCH_SECONDS (default 60), so the deadline is exact to a minute.
    Must stand after SessionMiddleware and AuthenticationMiddleware.
    """

    KEY = "_touched"

    def __init__(self, get_response):
        self.get_response = get_response
        self.every = getattr(settings, "SESSION_TOUCH_SECONDS", 60)

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated:
            return response
        now = int(time.time())
        try:
            touched = int(session.get(self.KEY, 0))
        except (TypeError, ValueError):
            touched = 0
        if session.modified or now - touched >= self.every:
            session[self.KEY] = now
        return response
