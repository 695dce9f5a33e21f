from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "detsad.attendance"
    verbose_name = "Посещаемость"

    def ready(self):
        from django.db.models import Q

        from detsad.core import access
        from detsad.core.permissions import Area
        from detsad.people.models import ChildGuardian

        from .models import AbsenceReason, AttendanceMark

        access.register(
            AttendanceMark,
            area=Area.ATTENDANCE,
            org="organization",
            own_groups=lambda a: Q(group_id__in=a.group_ids),
            own_children=lambda a: Q(
                child_id__in=ChildGuardian.objects.filter(guardian__user_id=a.user.pk).values(
                    "child_id"
                )
            ),
        )
        access.register(
            AbsenceReason,
            area=Area.ATTENDANCE,
            org="municipality",
            municipality_level=True,
            own_groups=lambda a: Q(),
            own_children=lambda a: Q(),
        )
