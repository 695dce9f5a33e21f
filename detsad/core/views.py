"""Pages of the organization structure: dashboard, organization card, groups, calendar."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import calendar as workcal
from . import selectors, services
from .access import get_scoped_or_404, require
from .forms import CalendarOverrideForm, GroupForm, OrganizationForm
from .models import CalendarOverride, Group, Organization
from .permissions import Area
from .registry import collect


def apply_validation_error(form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form fields it names."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def parse_month(value: str | None, default: dt.date) -> tuple[int, int]:
    """Parse ``YYYY-MM`` (falls back to the month of `default`)."""
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        dt.date(year, month, 1)
        return year, month
    except (ValueError, TypeError):
        return default.year, default.month


@login_required
def dashboard(request):
    actor = request.actor
    widgets = collect("widgets", "dashboard", actor)
    return render(request, "core/dashboard.html", {"widgets": widgets})


@login_required
def organization_detail(request, organization_pk=None):
    actor = request.actor
    if organization_pk is None:
        require(actor, Area.ORGANIZATION)
        if actor.organization is None:  # the department officer: the district's list
            return redirect("core:organization_list")
    pk = organization_pk or (actor.organization.pk if actor.organization else None)
    organization = get_scoped_or_404(actor, Organization, Area.ORGANIZATION, pk=pk)
    return render(
        request,
        "core/organization_detail.html",
        {
            "organization": organization,
            "can_edit": actor.can(Area.ORGANIZATION, write=True)
            and actor.organization == organization,
        },
    )


@login_required
def organization_edit(request):
    actor = request.actor
    require(actor, Area.ORGANIZATION, write=True)
    organization = get_scoped_or_404(
        actor,
        Organization,
        Area.ORGANIZATION,
        write=True,
        pk=getattr(actor.organization, "pk", None),
    )
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                actor=actor,
                organization=organization,
                data={f: form.cleaned_data[f] for f in form.changed_data},
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Сведения об организации сохранены.")
            return redirect("core:organization")
    return render(request, "core/organization_form.html", {"form": form})


@login_required
def organization_list(request):
    """Kindergartens of the municipality (department officer, superuser)."""
    actor = request.actor
    require(actor, Area.ORGANIZATION)
    organizations = selectors.organizations_visible(actor).filter(archived_at__isnull=True)
    return render(request, "core/organization_list.html", {"organizations": organizations})


@login_required
def group_list(request):
    actor = request.actor
    require(actor, Area.ORGANIZATION)
    groups = list(selectors.groups_visible(actor))
    educators = selectors.educators_of(groups)
    for group in groups:
        group.educator_names = educators.get(group.pk, [])
    panels = collect("group_list_panels", "panels", actor, groups)
    return render(
        request,
        "core/group_list.html",
        {
            "groups": groups,
            "panels": panels,
            "can_edit": actor.can(Area.ORGANIZATION, write=True),
        },
    )


@login_required
def group_detail(request, group_pk):
    actor = request.actor
    group = get_scoped_or_404(
        actor, Group.objects.select_related("organization"), Area.ORGANIZATION, pk=group_pk
    )
    panels = collect("group_panels", "panels", actor, group)
    return render(
        request,
        "core/group_detail.html",
        {
            "group": group,
            "educators": selectors.educators_of([group]).get(group.pk, []),
            "panels": panels,
            "can_edit": actor.can(Area.ORGANIZATION, write=True),
        },
    )


@login_required
def group_create(request):
    actor = request.actor
    require(actor, Area.ORGANIZATION, write=True)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(
                actor=actor, organization=actor.organization, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Группа «{group.name}» создана.")
            return redirect("core:group_detail", group_pk=group.pk)
    return render(request, "core/group_form.html", {"form": form, "title": "Новая группа"})


@login_required
def group_edit(request, group_pk):
    actor = request.actor
    group = get_scoped_or_404(actor, Group, Area.ORGANIZATION, write=True, pk=group_pk)
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(
                actor=actor, group=group, **{f: form.cleaned_data[f] for f in form.changed_data}
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Группа сохранена.")
            return redirect("core:group_detail", group_pk=group.pk)
    return render(
        request,
        "core/group_form.html",
        {"form": form, "title": f"Группа «{group.name}»", "group": group},
    )


@login_required
@require_POST
def group_archive(request, group_pk):
    actor = request.actor
    group = get_scoped_or_404(actor, Group, Area.ORGANIZATION, write=True, pk=group_pk)
    services.group_archive(actor=actor, group=group)
    messages.success(request, f"Группа «{group.name}» перенесена в архив.")
    return redirect("core:group_list")


@login_required
def work_calendar(request):
    """Month view of the organization's working days with closures (coordinator edits)."""
    actor = request.actor
    require(actor, Area.ORGANIZATION)
    if actor.organization is None:
        return redirect("core:dashboard")
    year, month = parse_month(request.GET.get("month"), actor.today)
    start, end = workcal.month_bounds(year, month)
    cal = workcal.work_calendar(actor.organization, start, end)
    overrides = {o.date: o for o in selectors.calendar_overrides(actor, start, end)}
    can_edit = actor.can(Area.ORGANIZATION, write=True)
    form = CalendarOverrideForm(
        request.POST or None, initial={"kind": CalendarOverride.Kind.NON_WORKING}
    )
    if request.method == "POST":
        require(actor, Area.ORGANIZATION, write=True)
        if form.is_valid():
            try:
                services.calendar_override_set(
                    actor=actor, organization=actor.organization, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "Календарь изменён.")
                d = form.cleaned_data["date"]
                return redirect(f"{request.path}?month={d:%Y-%m}")
    weeks: list[list[dict | None]] = []
    week: list[dict | None] = [None] * start.weekday()
    for day in workcal.month_days(year, month):
        week.append(
            {
                "date": day,
                "working": cal.is_working_day(day),
                "holiday": cal.is_holiday(day),
                "override": overrides.get(day),
            }
        )
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    prev_month = (start - dt.timedelta(days=1)).strftime("%Y-%m")
    next_month = (end + dt.timedelta(days=1)).strftime("%Y-%m")
    return render(
        request,
        "core/calendar.html",
        {
            "weeks": weeks,
            "month_start": start,
            "working_count": len(cal.month_working_days(year, month)),
            "overrides": sorted(overrides.values(), key=lambda o: o.date),
            "form": form,
            "can_edit": can_edit,
            "prev_month": prev_month,
            "next_month": next_month,
        },
    )


@login_required
@require_POST
def calendar_override_delete(request, override_pk):
    actor = request.actor
    override = get_scoped_or_404(
        actor, CalendarOverride, Area.ORGANIZATION, write=True, pk=override_pk
    )
    services.calendar_override_delete(actor=actor, override=override)
    messages.success(request, "Изменение календаря удалено.")
    return redirect(f"/calendar/?month={override.date:%Y-%m}")
