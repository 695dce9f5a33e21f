from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "detsad.privacy"
    verbose_name = "Персональные данные"

    def ready(self):
        from django.db.models import Q

        from detsad.core import access
        from detsad.core.permissions import Area
        from detsad.people.models import Child, ChildGuardian, PersonalAccount

        from .models import Consent
        from .window import limit_own_children

        access.register(
            Consent,
            area=Area.CHILDREN,
            org="organization",
            own_children=lambda a: Q(guardian__user_id=a.user.pk),
        )
        # A withdrawn child's guardians keep access to the child's rows only for
        # GUARDIAN_ACCESS_DAYS_AFTER_WITHDRAWAL days (DESIGN.md §4).
        limit_own_children(Child, "pk")
        limit_own_children(ChildGuardian, "child_id")
        limit_own_children(PersonalAccount, "child_id")
