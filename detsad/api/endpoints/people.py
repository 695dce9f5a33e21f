"""Children (with guardians and today's group), guardians, staff, a child's movement events."""

from django.db.models import F, FilteredRelation, Prefetch, Q
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from detsad.core.access import scoped
from detsad.core.permissions import Area
from detsad.movement.models import MovementEvent
from detsad.movement.selectors import child_history
from detsad.people.models import Child, ChildGuardian, Guardian, Staff
from detsad.people.selectors import guardian_contacts_visible

from ..base import ScopedViewSet


class ChildGuardianSerializer(serializers.ModelSerializer):
    """A guardian of the child; ``phone``/``email`` are null where the person may not see
    them (a parent looking at the child's other guardian: people.selectors)."""

    guardian_id = serializers.IntegerField(source="guardian.id")
    full_name = serializers.CharField(source="guardian.full_name")
    phone = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()

    def _visible(self, link) -> bool:
        return guardian_contacts_visible(self.context["request"].actor, link.guardian)

    def get_phone(self, link) -> str | None:
        return link.guardian.phone if self._visible(link) else None

    def get_email(self, link) -> str | None:
        return link.guardian.email if self._visible(link) else None

    class Meta:
        model = ChildGuardian
        fields = [
            "guardian_id",
            "full_name",
            "relation",
            "is_legal_representative",
            "phone",
            "email",
        ]


class ChildSerializer(serializers.ModelSerializer):
    group_id = serializers.IntegerField(read_only=True, allow_null=True)
    group_name = serializers.CharField(read_only=True, allow_null=True)
    guardians = ChildGuardianSerializer(source="visible_links", many=True, read_only=True)

    class Meta:
        model = Child
        fields = [
            "id",
            "last_name",
            "first_name",
            "patronymic",
            "birth_date",
            "sex",
            "birth_certificate_series",
            "birth_certificate_number",
            "snils",
            "group_id",
            "group_name",
            "archived_at",
            "guardians",
        ]


class ChildViewSet(ScopedViewSet):
    """Children the person may see, with today's group and their guardians.

    ``/children/{child_pk}/events/`` lists the child's movement book entries.
    """

    area = Area.CHILDREN
    serializer_class = ChildSerializer
    lookup_url_kwarg = "child_pk"

    def get_base_queryset(self):
        today = self.actor.today
        links = scoped(self.actor, ChildGuardian.objects.all(), Area.CHILDREN).select_related(
            "guardian"
        )
        qs = (
            Child.objects.all()
            if self.action != "list"
            else Child.objects.filter(archived_at__isnull=True)
        )
        return (
            qs.annotate(
                today_placement=FilteredRelation(
                    "placements",
                    condition=Q(placements__start__lte=today)
                    & (Q(placements__end__isnull=True) | Q(placements__end__gte=today)),
                )
            )
            .annotate(
                group_id=F("today_placement__group_id"),
                group_name=F("today_placement__group__name"),
            )
            .prefetch_related(
                Prefetch("guardian_links", queryset=links.order_by("pk"), to_attr="visible_links")
            )
            .order_by("last_name", "first_name", "pk")
        )

    @action(detail=True, url_path="events")
    def events(self, request, child_pk=None):
        child = self.get_object()
        rows = child_history(self.actor, child)
        return Response(MovementEventSerializer(rows, many=True).data)


class MovementEventSerializer(serializers.ModelSerializer):
    group = serializers.StringRelatedField()
    from_group = serializers.StringRelatedField()
    order = serializers.StringRelatedField()

    class Meta:
        model = MovementEvent
        fields = ["id", "kind", "on", "group", "from_group", "order", "reason", "cancels"]


class GuardianChildSerializer(serializers.ModelSerializer):
    child_id = serializers.IntegerField(source="child.id")
    full_name = serializers.CharField(source="child.full_name")

    class Meta:
        model = ChildGuardian
        fields = ["child_id", "full_name", "relation", "is_legal_representative"]


class GuardianSerializer(serializers.ModelSerializer):
    children = GuardianChildSerializer(source="visible_links", many=True, read_only=True)

    class Meta:
        model = Guardian
        fields = [
            "id",
            "last_name",
            "first_name",
            "patronymic",
            "phone",
            "email",
            "consent_pd",
            "children",
        ]


class GuardianViewSet(ScopedViewSet):
    area = Area.CHILDREN
    serializer_class = GuardianSerializer
    lookup_url_kwarg = "guardian_pk"

    def get_base_queryset(self):
        links = scoped(self.actor, ChildGuardian.objects.all(), Area.CHILDREN).select_related(
            "child"
        )
        return (
            Guardian.objects.filter(archived_at__isnull=True)
            .prefetch_related(
                Prefetch("child_links", queryset=links.order_by("pk"), to_attr="visible_links")
            )
            .order_by("last_name", "first_name", "pk")
        )


class StaffSerializer(serializers.ModelSerializer):
    class Meta:
        model = Staff
        fields = [
            "id",
            "last_name",
            "first_name",
            "patronymic",
            "position",
            "is_pedagogical",
            "hire_date",
            "dismissal_date",
            "qualification_category",
            "last_attestation_date",
        ]


class StaffViewSet(ScopedViewSet):
    area = Area.STAFF
    serializer_class = StaffSerializer
    lookup_url_kwarg = "staff_pk"
    base_queryset = Staff.objects.filter(archived_at__isnull=True).order_by(
        "last_name", "first_name", "pk"
    )


def register(router) -> None:
    router.register("children", ChildViewSet, basename="child")
    router.register("guardians", GuardianViewSet, basename="guardian")
    router.register("staff", StaffViewSet, basename="staff")
