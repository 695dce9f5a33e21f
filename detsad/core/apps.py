from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "detsad.core"
    verbose_name = "Организации и структура"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models import Q

        from . import sqlite

        connection_created.connect(sqlite.install, dispatch_uid="detsad_sqlite_unicode_like")

        from . import access
        from .models import (
            AcademicYear,
            AuditRecord,
            CalendarOverride,
            Group,
            MonthClosing,
            Organization,
        )
        from .permissions import Area

        access.register(Organization, area=Area.ORGANIZATION, org="pk")
        access.register(
            Group,
            area=Area.ORGANIZATION,
            org="organization",
            own_groups=lambda actor: Q(pk__in=actor.group_ids),
        )
        access.register(AcademicYear, area=Area.ORGANIZATION, org="organization")
        access.register(CalendarOverride, area=Area.ORGANIZATION, org="organization")
        access.register(MonthClosing, area=Area.ATTENDANCE, org="organization")
        access.register(AuditRecord, area=Area.AUDIT, org="organization")
