"""A person's own account: login, logout, password, set-password link, organization switch,
«Безопасность входа» (other sessions, the second factor)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from detsad.core import audit
from detsad.core.access import Actor
from detsad.core.middleware import client_ip
from detsad.core.models import AuditRecord
from detsad.core.permissions import STAFF_ROLES

from . import services, totp
from .forms import LoginForm, OtpForm, PasswordChangeRuForm, SetPasswordRuForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        # A temporary password opens the account once: the next page asks for a new one.
        services.temporary_password_consume(form.get_user())
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    pass


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The page of the e-mailed link: the person chooses a password (link works once)."""

    template_name = "accounts/password_set.html"
    form_class = SetPasswordRuForm
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        user.must_change_password = False
        user.session_version += 1
        user.save(update_fields=["must_change_password", "session_version"])
        audit.record(
            Actor(user=user, ip=client_ip(self.request)),
            AuditRecord.Action.ACTION,
            user,
            kind="accounts.user",
            note="пароль установлен по ссылке из письма",
        )
        messages.success(self.request, "Пароль установлен. Войдите с новым паролем.")
        return response


def _safe_next(request, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or default
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return default
    return nxt


@login_required
def password_change(request):
    actor = request.actor
    forced = request.user.must_change_password
    form_class = SetPasswordRuForm if forced else PasswordChangeRuForm
    form = form_class(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_change_password(
            actor=actor,
            request=request,
            user=request.user,
            new_password=form.cleaned_data["new_password1"],
        )
        messages.success(request, "Пароль изменён.")
        return redirect("core:dashboard")
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


@login_required
@require_POST
def switch_context(request):
    if not services.context_switch(
        actor=request.actor, request=request, key=request.POST.get("context", "")
    ):
        messages.error(request, "Эта организация вам недоступна.")
    return redirect(_safe_next(request, "/"))


def _is_staff(request) -> bool:
    return any(ctx["roles"] & STAFF_ROLES for ctx in request.actor.contexts)


@login_required
def security(request):
    """The person's own login security: other sessions, the second factor."""
    return render(
        request,
        "accounts/security.html",
        {
            "device": totp.confirmed_device(request.user),
            "can_totp": _is_staff(request),
            "otp_form": OtpForm(),
        },
    )


@login_required
@require_POST
def logout_everywhere(request):
    services.user_logout_everywhere(actor=request.actor, user=request.user, request=request)
    messages.success(
        request, "Все другие сеансы завершены: на других устройствах нужно войти заново."
    )
    return redirect("accounts:security")


@login_required
def otp_setup(request):
    """Set up the TOTP app: scan the QR code, type a code to confirm."""
    if not _is_staff(request):
        messages.error(request, "Второй фактор доступен сотрудникам.")
        return redirect("accounts:security")
    device = totp.pending_device(request.user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp.totp_confirm(
            actor=request.actor, request=request, token=form.cleaned_data["token"]
        ):
            messages.success(
                request, "Второй фактор включён: при входе понадобится код из приложения."
            )
            return redirect("accounts:security")
        form.add_error("token", "Код не подошёл. Проверьте время на телефоне и введите новый код.")
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr": totp.qr_data_uri(device), "secret": totp.secret_base32(device)},
    )


@login_required
def otp_verify(request):
    """The second step of the login for a person with a TOTP device."""
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp.totp_verify(request=request, token=form.cleaned_data["token"]):
            return redirect(_safe_next(request, reverse_lazy("core:dashboard")))
        form.add_error("token", "Неверный код. Введите код, который приложение показывает сейчас.")
    return render(
        request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request, "")}
    )


@login_required
@require_POST
def otp_remove(request):
    form = OtpForm(request.POST)
    device = totp.confirmed_device(request.user)
    if device is None or not form.is_valid() or not device.verify_token(form.cleaned_data["token"]):
        messages.error(request, "Чтобы отключить второй фактор, введите текущий код из приложения.")
        return redirect("accounts:security")
    totp.totp_remove(actor=request.actor, user=request.user)
    messages.success(request, "Второй фактор отключён.")
    return redirect("accounts:security")
