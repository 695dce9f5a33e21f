from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "detsad.accounts"
    verbose_name = "Учётные записи"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models import Q

        from detsad.core import access
        from detsad.core.permissions import Area

        from .middleware import mark_session_touched
        from .models import Membership, PasswordIssue, User

        # A login writes the session anyway: count it as the session's first touch.
        user_logged_in.connect(mark_session_touched, dispatch_uid="detsad-session-touched")

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
