"""Django admin (Russian) for the installation's superuser. Tenant users work in the app,
where the access layer applies; the admin is for the superuser only."""

from django.contrib import admin

from .models import (
    AcademicYear,
    AuditRecord,
    CalendarOverride,
    Group,
    MonthClosing,
    Municipality,
    Organization,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """No add, change or delete buttons: for append-only logs."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "time_zone"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "municipality", "inn", "head_name"]
    list_filter = ["municipality"]
    search_fields = ["short_name", "full_name", "inn"]


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ["organization", "start", "end", "is_current", "state"]
    list_filter = ["state", "is_current"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "age_category", "orientation", "regime", "capacity"]
    list_filter = ["organization", "age_category"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "reason", "organization", "municipality"]


@admin.register(MonthClosing)
class MonthClosingAdmin(admin.ModelAdmin):
    list_display = ["organization", "kind", "month", "closed_at", "reopened_at"]


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail cannot be edited from any UI."""

    list_display = ["at", "actor_name", "action", "kind", "object_repr", "organization", "ip"]
    list_filter = ["action", "kind"]
    search_fields = ["actor_name", "object_repr", "object_id"]
    date_hierarchy = "at"
