"""The audit trail in Django admin: read-only (it is append-only everywhere)."""

from django.contrib import admin

from .models import AuditRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    """No add, change or delete buttons: for append-only logs."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "kind", "object_repr", "organization", "ip"]
    list_filter = ["action", "kind"]
    search_fields = ["actor_name", "object_repr", "object_id"]
    date_hierarchy = "at"
