from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Membership, User


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
