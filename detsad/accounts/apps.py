from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "detsad.accounts"
    verbose_name = "Учётные записи"

    def ready(self):
        from django.db.models import Q

        from detsad.core import access
        from detsad.core.permissions import Area

        from .models import Membership, PasswordIssue, User

        access.register(
            Membership,
            area=Area.ACCOUNTS,
            org="organization",
            own=lambda actor: Q(user=actor.user),
        )
        # Users reach organizations through memberships: callers add .distinct().
        access.register(
            User,
            area=Area.ACCOUNTS,
            org="memberships__organization",
            own=lambda actor: Q(pk=actor.user.pk),
        )
        access.register(
            PasswordIssue,
            area=Area.ACCOUNTS,
            org="organization",
            own=lambda actor: Q(user=actor.user),
        )
