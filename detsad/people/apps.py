from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "detsad.people"
    verbose_name = "Личные дела"

    def ready(self):
        from django.db.models import Q

        from detsad.core import access
        from detsad.core.permissions import Area

        from .models import Child, ChildGuardian, Guardian, PersonalAccount, Staff, StaffCourse

        def own_children(actor, prefix="pk"):
            return Q(
                **{
                    f"{prefix}__in": ChildGuardian.objects.filter(
                        guardian__user_id=actor.user.pk
                    ).values("child_id")
                }
            )

        # own_groups filters for children are added by the movement app (placements).
        access.register(
            Child, area=Area.CHILDREN, org="organization", own_children=lambda a: own_children(a)
        )
        access.register(
            Guardian,
            area=Area.CHILDREN,
            org="organization",
            own_children=lambda a: Q(user_id=a.user.pk),
        )
        access.register(
            ChildGuardian,
            area=Area.CHILDREN,
            org="child__organization",
            own_children=lambda a: own_children(a, "child_id"),
        )
        access.register(
            PersonalAccount,
            area=Area.FEES,
            org="organization",
            own_children=lambda a: own_children(a, "child_id"),
        )
        access.register(
            Staff, area=Area.STAFF, org="organization", own=lambda a: Q(user_id=a.user.pk)
        )
        access.register(
            StaffCourse,
            area=Area.STAFF,
            org="staff__organization",
            own=lambda a: Q(staff__user_id=a.user.pk),
        )
