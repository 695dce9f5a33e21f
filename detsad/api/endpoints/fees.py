"""A child's fee account: balance and payment history (read-only).

``GET /api/fee-accounts/`` — the children whose accounts the person may see (a parent: their
own children; a bookkeeper: the kindergarten's), each ``{"child_id", "full_name",
"account_number"}``. ``GET /api/fee-accounts/{child_pk}/`` — the same plus ``"balance"``
(kopecks at today, > 0 debt, < 0 prepayment) and ``"history"``: ledger entries in date order,
each ``{"id", "on", "period", "kind", "kind_display", "amount", "balance"}`` (amounts in
integer kopecks; ``balance`` is the running balance after the entry). The same selectors and
the same Area.FEES scope as the parent's cabinet page; another family's child is 404.
"""

from __future__ import annotations

from rest_framework import serializers

from detsad.core.permissions import Area
from detsad.fees import selectors
from detsad.people.models import Child

from ..base import ScopedViewSet


class FeeAccountSerializer(serializers.ModelSerializer):
    child_id = serializers.IntegerField(source="id")
    full_name = serializers.CharField()
    account_number = serializers.SerializerMethodField()

    class Meta:
        model = Child
        fields = ["child_id", "full_name", "account_number"]

    def get_account_number(self, child) -> str | None:
        accounts = [a for a in child.accounts.all() if a.organization_id == child.organization_id]
        return accounts[0].number if accounts else None


class FeeEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="entry.id")
    on = serializers.DateField(source="entry.on")
    period = serializers.DateField(source="entry.period")
    kind = serializers.CharField(source="entry.kind")
    kind_display = serializers.CharField(source="entry.get_kind_display")
    amount = serializers.IntegerField(source="entry.amount")
    balance = serializers.IntegerField()


class FeeAccountDetailSerializer(FeeAccountSerializer):
    balance = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta(FeeAccountSerializer.Meta):
        fields = [*FeeAccountSerializer.Meta.fields, "balance", "history"]

    def _view(self, child):
        cache = self.context.setdefault("views", {})
        if child.pk not in cache:
            cache[child.pk] = selectors.account_view(self.context["request"].actor, child)
        return cache[child.pk]

    def get_balance(self, child) -> int:
        return self._view(child).state.balance

    def get_history(self, child) -> list[dict]:
        return FeeEntrySerializer(self._view(child).history, many=True).data


class FeeAccountViewSet(ScopedViewSet):
    """Children's fee accounts within the person's fee scope, with the payment history."""

    area = Area.FEES
    lookup_url_kwarg = "child_pk"
    base_queryset = (
        Child.objects.filter(archived_at__isnull=True)
        .select_related("organization")
        .prefetch_related("accounts")
        .order_by("last_name", "first_name", "pk")
    )

    def get_base_queryset(self):
        if self.action == "list":
            return self.base_queryset.all()
        return Child.objects.select_related("organization").prefetch_related("accounts")

    def get_serializer_class(self):
        return FeeAccountDetailSerializer if self.action == "retrieve" else FeeAccountSerializer


def register(router) -> None:
    router.register("fee-accounts", FeeAccountViewSet, basename="fee-account")
