"""Admin of the fee area: reference data editable by the installation's administrator; the
ledger, payments and runs are read-only here (they change only through the services)."""

from django.contrib import admin

from .models import (
    Benefit,
    ChildBenefit,
    CompensationSetting,
    FeeRun,
    FeeSettings,
    LedgerEntry,
    Payment,
    PaymentImport,
    Tariff,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FeeSettings)
class FeeSettingsAdmin(admin.ModelAdmin):
    list_display = ["municipality", "organization", "valid_from", "policy", "stacking", "due_day"]
    list_filter = ["municipality", "policy"]


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    list_display = [
        "municipality",
        "unit",
        "regime",
        "age_band",
        "amount",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["municipality", "unit"]


@admin.register(Benefit)
class BenefitAdmin(admin.ModelAdmin):
    list_display = ["municipality", "name", "kind", "percent", "is_active"]
    list_filter = ["municipality", "kind"]


@admin.register(CompensationSetting)
class CompensationSettingAdmin(admin.ModelAdmin):
    list_display = ["municipality", "valid_from", "valid_to", "average_fee"]


@admin.register(ChildBenefit)
class ChildBenefitAdmin(ReadOnlyAdmin):
    list_display = ["child", "benefit", "valid_from", "valid_to", "organization"]
    list_filter = ["organization"]
    list_select_related = ["child", "benefit", "organization"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["on", "account", "kind", "period", "amount", "source", "batch", "author_name"]
    list_filter = ["organization", "kind", "source"]
    list_select_related = ["account", "batch"]
    date_hierarchy = "on"


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["paid_on", "amount", "payer_name", "account", "status", "source"]
    list_filter = ["organization", "status", "source"]
    list_select_related = ["account"]


@admin.register(PaymentImport)
class PaymentImportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "organization", "file_name", "format", "total", "credited_sum"]


@admin.register(FeeRun)
class FeeRunAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "organization", "period", "status", "charged", "adjusted"]
    list_filter = ["organization", "status"]
