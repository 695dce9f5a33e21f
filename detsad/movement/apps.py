from django.apps import AppConfig


class MovementConfig(AppConfig):
    name = "detsad.movement"
    verbose_name = "Книга движения"

    def ready(self):
        from django.db.models import Q

        from detsad.core import access
        from detsad.core.permissions import Area
        from detsad.people.models import Child, ChildGuardian, Guardian, PersonalAccount

        from .models import DocumentTemplate, EducationContract, MovementEvent, Order, Placement

        def child_in_own_groups(actor, prefix=""):
            """Children with a placement in the educator's groups this academic year."""
            year_start = actor.today.replace(month=9, day=1)
            if actor.today.month < 9:
                year_start = year_start.replace(year=year_start.year - 1)
            placements = Placement.objects.filter(group_id__in=actor.group_ids).filter(
                Q(end__isnull=True) | Q(end__gte=year_start)
            )
            return (
                Q(**{f"{prefix}pk__in": placements.values("child_id")})
                if not prefix
                else Q(**{f"{prefix}__in": placements.values("child_id")})
            )

        access.register(Child, own_groups=lambda a: child_in_own_groups(a))
        access.register(PersonalAccount, own_groups=lambda a: child_in_own_groups(a, "child_id"))
        access.register(ChildGuardian, own_groups=lambda a: child_in_own_groups(a, "child_id"))
        access.register(
            Guardian,
            own_groups=lambda a: Q(
                pk__in=ChildGuardian.objects.filter(child_in_own_groups(a, "child_id")).values(
                    "guardian_id"
                )
            ),
        )
        access.register(
            Order,
            area=Area.MOVEMENT,
            org="organization",
            own_groups=lambda a: Q(
                pk__in=MovementEvent.objects.filter(
                    Q(group_id__in=a.group_ids) | Q(from_group_id__in=a.group_ids)
                ).values("order_id")
            ),
        )
        access.register(
            MovementEvent,
            area=Area.MOVEMENT,
            org="organization",
            own_groups=lambda a: (
                Q(group_id__in=a.group_ids)
                | Q(from_group_id__in=a.group_ids)
                | Q(cancels__group_id__in=a.group_ids)
                | Q(cancels__from_group_id__in=a.group_ids)
            ),
        )
        access.register(
            Placement,
            area=Area.MOVEMENT,
            org="organization",
            own_groups=lambda a: Q(group_id__in=a.group_ids),
        )
        access.register(
            EducationContract,
            area=Area.MOVEMENT,
            org="organization",
            own_groups=lambda a: Q(
                child_id__in=Placement.objects.filter(group_id__in=a.group_ids).values("child_id")
            ),
        )
        access.register(DocumentTemplate, area=Area.MOVEMENT, org="organization")
