"""Pages of personal files: children, guardians, staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from detsad.core.access import get_scoped_or_404, require, require_rows, scoped
from detsad.core.permissions import Area
from detsad.core.registry import collect
from detsad.core.selectors import groups_visible
from detsad.core.views import apply_validation_error

from . import selectors, services
from .forms import (
    ChildFilterForm,
    ChildForm,
    ExistingGuardianLinkForm,
    GuardianForm,
    GuardianLinkForm,
    StaffCourseForm,
    StaffForm,
)
from .models import ChildGuardian, Guardian, Staff

PAGE_SIZE = 50


def _changed(form) -> dict:
    return {f: form.cleaned_data[f] for f in form.changed_data if f in form.cleaned_data}


@login_required
def child_list(request):
    actor = request.actor
    require_rows(actor, Area.CHILDREN)
    groups = list(groups_visible(actor))
    form = ChildFilterForm(request.GET or None, groups=groups)
    # A wrong value in one filter (another kindergarten's group, age=abc) is reported on that
    # field; the other filters still apply instead of silently showing everyone.
    filters = {}
    if form.is_bound:
        form.is_valid()  # cleaned_data keeps the valid fields; errors name the wrong ones
        filters = form.cleaned_data
    children = selectors.children_list(
        actor,
        q=filters.get("q") or "",
        group_id=filters.get("group"),
        age=filters.get("age"),
        sex=filters.get("sex") or "",
        archived=bool(filters.get("archived")),
    )
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "people/_child_rows.html" if request.htmx else "people/child_list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": page,
            "children": page.object_list,
            "can_edit": actor.can(Area.CHILDREN, write=True),
            "today": actor.today,
        },
    )


@login_required
def child_detail(request, child_pk):
    actor = request.actor
    child = selectors.child_detail(actor, child_pk)
    links = child.guardian_links.all()
    panels = collect("child_panels", "panels", actor, child)
    return render(
        request,
        "people/child_detail.html",
        {
            "child": child,
            "links": links,
            # a parent may open only their own file: no links that would answer 404
            "openable_guardians": set(
                scoped(
                    actor, Guardian.objects.filter(pk__in=[link.guardian_id for link in links])
                ).values_list("pk", flat=True)
            ),
            "account": selectors.account_of(child),
            "age": child.age_on(actor.today),
            "panels": panels,
            "can_edit": actor.can(Area.CHILDREN, write=True)
            and actor.can_rows(Area.CHILDREN, write=True),
        },
    )


@login_required
def child_create(request):
    actor = request.actor
    require(actor, Area.CHILDREN, write=True)
    form = ChildForm(request.POST or None, today=actor.today)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.child_create(
                actor=actor, organization=actor.organization, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                f"Личное дело «{child.full_name}» создано. Добавьте родителей и зачислите ребёнка.",
            )
            return redirect(child)
    return render(request, "people/child_form.html", {"form": form, "title": "Новый воспитанник"})


@login_required
def child_edit(request, child_pk):
    actor = request.actor
    child = selectors.child_detail(actor, child_pk)
    require(actor, Area.CHILDREN, write=True, obj=child)
    form = ChildForm(request.POST or None, instance=child, today=actor.today)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_update(actor=actor, child=child, **_changed(form))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Личное дело сохранено.")
            return redirect(child)
    return render(
        request, "people/child_form.html", {"form": form, "title": child.full_name, "child": child}
    )


@login_required
@require_POST
def child_archive(request, child_pk):
    actor = request.actor
    child = selectors.child_detail(actor, child_pk)
    restore = request.POST.get("restore") == "1"
    try:
        services.child_archive(actor=actor, child=child, restore=restore)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(child)
    messages.success(
        request, "Личное дело восстановлено." if restore else "Личное дело перенесено в архив."
    )
    return redirect(child)


@login_required
def guardian_add(request, child_pk):
    """Add a guardian to a child: a new person, or one already in the files (a sibling's parent)."""
    actor = request.actor
    child = selectors.child_detail(actor, child_pk)
    require(actor, Area.CHILDREN, write=True, obj=child)
    existing_qs = (
        scoped(actor, Guardian.objects.filter(archived_at__isnull=True), Area.CHILDREN, write=True)
        .exclude(child_links__child=child)
        .order_by("last_name", "first_name")
    )
    mode = request.POST.get("mode", "new")
    form = GuardianLinkForm(
        request.POST if mode == "new" else None, prefix="new", today=actor.today
    )
    link_form = ExistingGuardianLinkForm(
        request.POST if mode == "existing" else None, guardians=existing_qs, prefix="link"
    )
    if request.method == "POST":
        try:
            if mode == "existing" and link_form.is_valid():
                services.guardian_link(
                    actor=actor,
                    child=child,
                    guardian=link_form.cleaned_data["guardian"],
                    relation=link_form.cleaned_data["relation"],
                    is_legal_representative=link_form.cleaned_data["is_legal_representative"],
                )
                messages.success(request, "Родитель добавлен.")
                return redirect(child)
            if mode == "new" and form.is_valid():
                data = dict(form.cleaned_data)
                relation = data.pop("relation")
                legal = data.pop("is_legal_representative")
                services.guardian_create(
                    actor=actor,
                    organization=child.organization,
                    child=child,
                    relation=relation,
                    is_legal_representative=legal,
                    **data,
                )
                messages.success(request, "Родитель добавлен.")
                return redirect(child)
        except ValidationError as exc:
            apply_validation_error(form if mode == "new" else link_form, exc)
    return render(
        request,
        "people/guardian_add.html",
        {
            "child": child,
            "form": form,
            "link_form": link_form,
            "has_existing": existing_qs.exists(),
        },
    )


@login_required
@require_POST
def guardian_unlink(request, child_pk, link_pk):
    actor = request.actor
    child = selectors.child_detail(actor, child_pk)
    link = get_scoped_or_404(
        actor,
        ChildGuardian.objects.select_related("child", "guardian"),
        Area.CHILDREN,
        write=True,
        pk=link_pk,
        child=child,
    )
    try:
        services.guardian_unlink(actor=actor, link=link)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Связь с родителем удалена.")
    return redirect(child)


@login_required
def guardian_list(request):
    actor = request.actor
    require_rows(actor, Area.CHILDREN)
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.guardians_list(actor, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/guardian_list.html",
        {"page_obj": page, "guardians": page.object_list, "q": q},
    )


@login_required
def guardian_detail(request, guardian_pk):
    actor = request.actor
    guardian = get_scoped_or_404(
        actor, Guardian.objects.select_related("user"), Area.CHILDREN, pk=guardian_pk
    )
    links = scoped(
        actor, ChildGuardian.objects.filter(guardian=guardian), Area.CHILDREN
    ).select_related("child")
    panels = collect("guardian_panels", "panels", actor, guardian)
    return render(
        request,
        "people/guardian_detail.html",
        {
            "guardian": guardian,
            "links": links,
            "panels": panels,
            "can_edit": actor.can_rows(Area.CHILDREN, write=True),
        },
    )


@login_required
def guardian_edit(request, guardian_pk):
    actor = request.actor
    guardian = get_scoped_or_404(actor, Guardian, Area.CHILDREN, write=True, pk=guardian_pk)
    form = GuardianForm(request.POST or None, instance=guardian, today=actor.today)
    if request.method == "POST" and form.is_valid():
        try:
            services.guardian_update(actor=actor, guardian=guardian, **_changed(form))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Сведения о родителе сохранены.")
            return redirect(guardian)
    return render(request, "people/guardian_form.html", {"form": form, "guardian": guardian})


@login_required
def staff_list(request):
    actor = request.actor
    require_rows(actor, Area.STAFF)
    q = request.GET.get("q", "").strip()
    archived = request.GET.get("archived") == "1"
    page = Paginator(selectors.staff_list(actor, q=q, archived=archived), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/staff_list.html",
        {
            "page_obj": page,
            "staff": page.object_list,
            "q": q,
            "archived": archived,
            "can_edit": actor.can(Area.STAFF, write=True),
        },
    )


@login_required
def staff_detail(request, staff_pk):
    actor = request.actor
    staff = get_scoped_or_404(
        actor,
        Staff.objects.select_related("user").prefetch_related("courses"),
        Area.STAFF,
        pk=staff_pk,
    )
    return render(
        request,
        "people/staff_detail.html",
        {
            "staff": staff,
            "courses": staff.courses.all(),
            "can_edit": actor.can(Area.STAFF, write=True)
            and actor.can_rows(Area.STAFF, write=True),
            "course_form": StaffCourseForm(),
        },
    )


@login_required
def staff_create(request):
    actor = request.actor
    require(actor, Area.STAFF, write=True)
    form = StaffForm(request.POST or None, today=actor.today)
    if request.method == "POST" and form.is_valid():
        try:
            staff = services.staff_create(
                actor=actor, organization=actor.organization, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Личное дело сотрудника «{staff.full_name}» создано.")
            return redirect(staff)
    return render(request, "people/staff_form.html", {"form": form, "title": "Новый сотрудник"})


@login_required
def staff_edit(request, staff_pk):
    actor = request.actor
    staff = get_scoped_or_404(actor, Staff, Area.STAFF, write=True, pk=staff_pk)
    form = StaffForm(request.POST or None, instance=staff, today=actor.today)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_update(actor=actor, staff=staff, **_changed(form))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Личное дело сотрудника сохранено.")
            return redirect(staff)
    return render(
        request, "people/staff_form.html", {"form": form, "title": staff.full_name, "staff": staff}
    )


@login_required
@require_POST
def staff_archive(request, staff_pk):
    actor = request.actor
    staff = get_scoped_or_404(actor, Staff, Area.STAFF, write=True, pk=staff_pk)
    services.staff_archive(actor=actor, staff=staff)
    messages.success(request, "Личное дело сотрудника перенесено в архив.")
    return redirect(staff)


@login_required
@require_POST
def staff_course_add(request, staff_pk):
    actor = request.actor
    staff = get_scoped_or_404(actor, Staff, Area.STAFF, write=True, pk=staff_pk)
    form = StaffCourseForm(request.POST)
    if form.is_valid():
        try:
            services.staff_course_add(actor=actor, staff=staff, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Курсы добавлены.")
    else:
        messages.error(
            request,
            "Курсы не добавлены: "
            + "; ".join(
                f"{form.fields[f].label}: {' '.join(e)}"
                for f, e in form.errors.items()
                if f in form.fields
            ),
        )
    return redirect(staff)
