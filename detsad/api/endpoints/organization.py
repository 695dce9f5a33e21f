"""Groups of the active organization, with today's number of children."""

from django.db.models import Count, Q
from rest_framework import serializers

from detsad.core.models import Group
from detsad.core.permissions import Area

from ..base import ScopedViewSet


class GroupSerializer(serializers.ModelSerializer):
    children_today = serializers.IntegerField(read_only=True)

    class Meta:
        model = Group
        fields = [
            "id",
            "name",
            "full_name",
            "age_category",
            "orientation",
            "regime",
            "capacity",
            "room",
            "children_today",
        ]


class GroupViewSet(ScopedViewSet):
    """Groups (educators: their own). ``children_today`` counts the movement book's placements."""

    area = Area.ORGANIZATION
    serializer_class = GroupSerializer
    lookup_url_kwarg = "group_pk"

    def get_base_queryset(self):
        today = self.actor.today
        qs = Group.objects.filter(archived_at__isnull=True)
        if self.actor.organization is not None:
            qs = qs.filter(organization=self.actor.organization)
        return qs.annotate(
            children_today=Count(
                "placements",
                filter=Q(placements__start__lte=today)
                & (Q(placements__end__isnull=True) | Q(placements__end__gte=today)),
            )
        ).order_by("name")


def register(router) -> None:
    router.register("groups", GroupViewSet, basename="group")
