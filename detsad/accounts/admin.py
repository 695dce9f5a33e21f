"""Django admin for the installation's superuser. Changes made here are audited too."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from detsad.core import audit
from detsad.core.access import Actor
from detsad.core.admin import ReadOnlyAdmin
from detsad.core.middleware import client_ip
from detsad.core.models import AuditRecord

from .models import Membership, PasswordIssue, User


def _actor(request) -> Actor:
    return Actor.system(user=request.user) if request.user.is_authenticated else Actor()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    filter_horizontal = ["groups"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "last_name", "first_name", "email", "is_active", "last_login"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Детсад", {"fields": ("patronymic", "phone", "must_change_password", "blocked_at")}),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        actor = _actor(request)
        actor.ip = client_ip(request)
        audit.record(
            actor,
            AuditRecord.Action.UPDATE if change else AuditRecord.Action.CREATE,
            obj,
            kind="accounts.user",
            changes={
                f: [None, str(form.cleaned_data.get(f))]
                for f in form.changed_data
                if "password" not in f
            },
            note="изменено в администрировании Django",
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        actor = _actor(request)
        actor.ip = client_ip(request)
        for obj in formset.new_objects + [o for o, _ in formset.changed_objects]:
            audit.record(
                actor,
                AuditRecord.Action.UPDATE,
                obj,
                note="роль изменена в администрировании Django",
            )
        for obj in formset.deleted_objects:
            audit.record(
                actor,
                AuditRecord.Action.DELETE,
                obj,
                object_id=obj.pk,
                note="роль удалена в администрировании Django",
            )


@admin.register(PasswordIssue)
class PasswordIssueAdmin(ReadOnlyAdmin):
    list_display = ["at", "issued_by_name", "user_name", "username", "method", "organization"]
    list_filter = ["method"]
