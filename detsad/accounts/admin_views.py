"""The sysadmin's pages: people and roles, the rights matrix, slips, the issue log, lockouts.

Head and coordinator see the lists read-only; every action is a POST that goes through
`accounts.services` / `accounts.issuance`. Views taking an id look the object up first
(404 outside the scope), then check the right.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from detsad.core.access import get_scoped_or_404, require, require_rows, scoped
from detsad.core.documents import PDF, download
from detsad.core.permissions import Area, Role, matrix
from detsad.core.selectors import groups_visible

from . import issuance, selectors, services, totp
from .forms import (
    DeliveryForm,
    GroupsForm,
    GroupSlipsForm,
    MembershipAddForm,
    StaffSlipsForm,
    UserFilterForm,
)
from .models import Membership

PAGE_SIZE = 50


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _slips_response(request, issued: issuance.Issued, filename: str):
    """The PDF of slips (the only time the passwords exist), or a redirect with a summary."""
    for line in issued.skipped:
        messages.info(request, f"Пропущено — {line}")
    if issued.emailed:
        messages.success(request, f"Ссылки отправлены: {', '.join(issued.emailed)}.")
    if not issued.slips:
        if not issued.emailed:
            messages.warning(request, "Никому не выдано.")
        return None
    response = download(issuance.slips_pdf(request.actor, issued.slips), filename, PDF)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def user_list(request):
    actor = request.actor
    require_rows(actor, Area.ACCOUNTS)
    if not (services.is_admin(actor) or actor.has_role(Role.HEAD, Role.COORDINATOR)):
        raise PermissionDenied("Недостаточно прав.")
    groups = groups_visible(actor)
    form = UserFilterForm(request.GET or None, groups=groups)
    filters = form.cleaned_data if form.is_valid() else {}
    users = selectors.users_list(
        actor,
        q=filters.get("q") or "",
        role=filters.get("role") or "",
        group_id=filters["group"].pk if filters.get("group") else None,
        never_logged_in=bool(filters.get("never_logged_in")),
        blocked=bool(filters.get("blocked")),
    )
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "form": form,
            "page_obj": page,
            "users": page.object_list,
            "can_edit": services.is_admin(actor),
        },
    )


@login_required
def user_detail(request, user_pk):
    actor = request.actor
    user = selectors.user_detail(actor, user_pk)
    if not (services.is_admin(actor) or actor.has_role(Role.HEAD, Role.COORDINATOR)):
        raise PermissionDenied("Недостаточно прав.")
    groups = groups_visible(actor)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": user,
            "memberships": user.org_memberships,
            "can_edit": services.is_admin(actor),
            "add_form": MembershipAddForm(groups=groups),
            "groups": groups,
            "delivery_form": DeliveryForm(),
            "issues": selectors.issues_list(actor, user=user)[:20],
            "device": totp.confirmed_device(user),
            "attempts": services.lockouts(actor).filter(username__in=[user.username, user.email]),
        },
    )


def _admin_user(request, user_pk):
    user = selectors.user_detail(request.actor, user_pk)
    services.require_admin(request.actor, user)
    return user


def _membership(request, user, membership_pk):
    return get_scoped_or_404(
        request.actor,
        Membership.objects.filter(user=user),
        Area.ACCOUNTS,
        write=True,
        pk=membership_pk,
    )


@login_required
@require_POST
def membership_add(request, user_pk):
    user = _admin_user(request, user_pk)
    form = MembershipAddForm(request.POST, groups=groups_visible(request.actor))
    if form.is_valid():
        try:
            services.membership_add(
                actor=request.actor,
                user=user,
                role=form.cleaned_data["role"],
                groups=form.cleaned_data["groups"],
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, "Роль выдана.")
    else:
        messages.error(request, "Выберите роль.")
    return redirect("accounts:user_detail", user_pk=user.pk)


@login_required
@require_POST
def membership_remove(request, user_pk, membership_pk):
    user = _admin_user(request, user_pk)
    membership = _membership(request, user, membership_pk)
    try:
        services.membership_remove(actor=request.actor, membership=membership)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, f"Роль «{membership.get_role_display()}» снята.")
    return redirect("accounts:user_detail", user_pk=user.pk)


@login_required
@require_POST
def membership_groups(request, user_pk, membership_pk):
    user = _admin_user(request, user_pk)
    membership = _membership(request, user, membership_pk)
    form = GroupsForm(request.POST, groups=groups_visible(request.actor))
    if form.is_valid():
        try:
            services.membership_set_groups(
                actor=request.actor, membership=membership, groups=form.cleaned_data["groups"]
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, "Группы воспитателя сохранены.")
    return redirect("accounts:user_detail", user_pk=user.pk)


@login_required
@require_POST
def user_action(request, user_pk, action):
    """Block, unblock, log out everywhere, unlock the login, remove the second factor."""
    user = _admin_user(request, user_pk)
    actor = request.actor
    done = {
        "block": lambda: services.user_block(
            actor=actor, user=user, reason=request.POST.get("reason", "")
        ),
        "unblock": lambda: services.user_unblock(actor=actor, user=user),
        "logout": lambda: services.user_logout_everywhere(actor=actor, user=user),
        "unlock": lambda: services.user_unlock(actor=actor, user=user),
        "otp_reset": lambda: totp.totp_remove(actor=actor, user=user),
    }
    texts = {
        "block": "Учётная запись заблокирована, все сеансы завершены.",
        "unblock": "Учётная запись разблокирована.",
        "logout": "Все сеансы пользователя завершены.",
        "unlock": "Блокировка входа после неудачных попыток снята.",
        "otp_reset": "Второй фактор отключён: пользователь настроит его заново.",
    }
    try:
        done[action]()
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, texts[action])
    return redirect("accounts:user_detail", user_pk=user.pk)


@login_required
@require_POST
def user_reset(request, user_pk):
    """A new temporary password on a slip (PDF) or a set-password link by e-mail."""
    user = _admin_user(request, user_pk)
    form = DeliveryForm(request.POST)
    delivery = form.cleaned_data["delivery"] if form.is_valid() else issuance.SLIP
    try:
        issued = issuance.reset_password(actor=request.actor, user=user, delivery=delivery)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("accounts:user_detail", user_pk=user.pk)
    return _slips_response(request, issued, f"пароль-{user.username}.pdf") or redirect(
        "accounts:user_detail", user_pk=user.pk
    )


@login_required
@require_POST
def guardian_account(request, guardian_pk):
    """Create a guardian's account from the file in one click and print the slip."""
    from detsad.people.models import Guardian

    actor = request.actor
    guardian = get_scoped_or_404(
        actor, Guardian.objects.select_related("user"), Area.CHILDREN, pk=guardian_pk
    )
    services.require_admin(actor)
    form = DeliveryForm(request.POST)
    delivery = form.cleaned_data["delivery"] if form.is_valid() else issuance.SLIP
    try:
        user, created = issuance.guardian_account_create(actor=actor, guardian=guardian)
        if not created and user.last_login is not None:
            messages.info(
                request, "У родителя уже есть учётная запись: пароль сбрасывается на её странице."
            )
            return redirect("accounts:user_detail", user_pk=user.pk)
        issued = issuance.reset_password(actor=actor, user=user, delivery=delivery)
    except ValidationError as exc:
        _error(request, exc)
        return redirect(guardian)
    return _slips_response(request, issued, f"вход-{user.username}.pdf") or redirect(guardian)


@login_required
def rights(request):
    """The rights matrix from core.permissions (the definition the access layer enforces)."""
    require(request.actor, Area.ACCOUNTS)
    return render(
        request,
        "accounts/rights.html",
        {"rows": matrix(), "roles": list(Role), "my_roles": request.actor.roles},
    )


@login_required
def slips(request):
    """Issue logins and temporary passwords to a group's parents or to new staff."""
    actor = request.actor
    services.require_admin(actor)
    groups = groups_visible(actor)
    staff = issuance.staff_without_login(actor)
    which = request.POST.get("which")
    group_form = GroupSlipsForm(
        request.POST if which == "group" else None, groups=groups, prefix="g"
    )
    staff_form = StaffSlipsForm(
        request.POST if which == "staff" else None,
        staff=staff,
        prefix="s",
        initial={"staff": list(staff)},
    )
    try:
        if which == "group" and group_form.is_valid():
            group = group_form.cleaned_data["group"]
            issued = issuance.issue_group_parents(
                actor=actor, group=group, delivery=group_form.cleaned_data["delivery"]
            )
            response = _slips_response(request, issued, f"листки-родители-{group.name}.pdf")
            if response:
                return response
            return redirect("accounts:slips")
        if which == "staff" and staff_form.is_valid():
            issued = issuance.issue_staff(
                actor=actor,
                staff=list(staff_form.cleaned_data["staff"]),
                role=staff_form.cleaned_data["role"],
                delivery=staff_form.cleaned_data["delivery"],
            )
            response = _slips_response(request, issued, "листки-сотрудники.pdf")
            if response:
                return response
            return redirect("accounts:slips")
    except ValidationError as exc:
        _error(request, exc)
    return render(
        request,
        "accounts/slips.html",
        {"group_form": group_form, "staff_form": staff_form, "has_staff": staff.exists()},
    )


@login_required
def issue_list(request):
    actor = request.actor
    require_rows(actor, Area.ACCOUNTS)
    if not (services.is_admin(actor) or actor.has_role(Role.HEAD, Role.COORDINATOR)):
        raise PermissionDenied("Недостаточно прав.")
    page = Paginator(selectors.issues_list(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "accounts/issue_list.html", {"page_obj": page, "issues": page.object_list}
    )


@login_required
def lockouts(request):
    """Failed-login lockouts of the organization's people, with the unlock action."""
    actor = request.actor
    services.require_admin(actor)
    from axes.conf import settings as axes_settings

    from .lockout import address_failure_limit
    from .models import User

    attempts = list(services.lockouts(actor)[:200])
    names = {a.username for a in attempts}
    people = scoped(actor, User.objects.all(), Area.ACCOUNTS).distinct()
    users = {u.username: u for u in people.filter(username__in=names)}
    users.update({u.email.lower(): u for u in people.filter(email__in=names) if u.email})
    rows = [(a, users.get(a.username)) for a in attempts]
    return render(
        request,
        "accounts/lockouts.html",
        {
            "rows": rows,
            "addresses": services.locked_addresses(actor),
            "limit": axes_settings.AXES_FAILURE_LIMIT,
            "address_limit": address_failure_limit(),
        },
    )


@login_required
@require_POST
def address_unlock(request):
    """Lift the lock of one client address (failed logins on any logins from it)."""
    try:
        services.address_unlock(actor=request.actor, ip=request.POST.get("ip", ""))
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, "Блокировка входа с адреса снята.")
    return redirect("accounts:lockouts")
