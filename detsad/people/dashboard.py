"""Home page widgets of personal files: parents see their children; staff see counts."""

from django.db.models import Count, Q

from detsad.core.access import Actor, scoped
from detsad.core.permissions import Area, Role
from detsad.core.registry import Widget

from .models import Child, Staff


def widgets(actor: Actor) -> list[Widget]:
    result = []
    if actor.organization is None:
        return result
    if actor.has_role(Role.PARENT) and not actor.is_superuser:
        from detsad.people.models import ChildGuardian

        children = (
            scoped(actor, Child.objects.all(), Area.CHILDREN)
            .filter(
                pk__in=ChildGuardian.objects.filter(guardian__user_id=actor.user.pk).values(
                    "child_id"
                ),
                organization=actor.organization,
            )
            .order_by("last_name", "first_name")
        )
        result.append(Widget("people/widgets/my_children.html", {"children": children}, order=10))
    if actor.can_rows(Area.CHILDREN) and actor.has_role(
        Role.HEAD, Role.COORDINATOR, Role.HR, Role.SYSADMIN
    ):
        counts = scoped(actor, Child.objects.all(), Area.CHILDREN).aggregate(
            # distinct: the guardian_links join repeats a child once per guardian
            active=Count("pk", filter=Q(archived_at__isnull=True), distinct=True),
            no_guardian=Count(
                "pk",
                filter=Q(archived_at__isnull=True, guardian_links__isnull=True),
                distinct=True,
            ),
        )
        staff = (
            scoped(actor, Staff.objects.filter(archived_at__isnull=True), Area.STAFF).count()
            if actor.can_rows(Area.STAFF)
            else None
        )
        result.append(Widget("people/widgets/counts.html", {**counts, "staff": staff}, order=30))
    return result
