from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "detsad.attendance"
    verbose_name = "Посещаемость"

    def ready(self):
        from django.db.models import Q

        from detsad.core import access
        from detsad.core.permissions import Area
        from detsad.movement.models import Placement
        from detsad.people.models import ChildGuardian

        from .models import AbsenceNotice, AbsenceReason, AttendanceMark

        def own_children(actor):
            return Q(
                child_id__in=ChildGuardian.objects.filter(guardian__user_id=actor.user.pk).values(
                    "child_id"
                )
            )

        access.register(
            AttendanceMark,
            area=Area.ATTENDANCE,
            org="organization",
            own_groups=lambda a: Q(group_id__in=a.group_ids),
            own_children=own_children,
        )
        access.register(
            AbsenceReason,
            area=Area.ATTENDANCE,
            org="municipality",
            municipality_level=True,
            own_groups=lambda a: Q(),
            own_children=lambda a: Q(),
        )
        # Notices of children who are (or were) in the educator's groups; parents: their own.
        access.register(
            AbsenceNotice,
            area=Area.ATTENDANCE,
            org="organization",
            own_groups=lambda a: Q(
                child_id__in=Placement.objects.filter(group_id__in=a.group_ids).values("child_id")
            ),
            own_children=own_children,
        )
        # A withdrawn child's guardians: only within the access window (privacy.window).
        from detsad.privacy.window import limit_own_children

        limit_own_children(AttendanceMark, "child_id")
        limit_own_children(AbsenceNotice, "child_id")
