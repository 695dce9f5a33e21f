"""Writes to accounts: password change, switching the active organization."""

from __future__ import annotations

from django.contrib.auth import update_session_auth_hash
from django.db import transaction

from detsad.core import audit
from detsad.core.middleware import SESSION_KEY
from detsad.core.models import AuditRecord


@transaction.atomic
def user_change_password(*, actor, request, user, new_password: str) -> None:
    """Set a new password chosen by the person; clears the temporary-password flag."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    update_session_auth_hash(request, user)
    audit.record(
        actor,
        AuditRecord.Action.ACTION,
        user,
        kind="accounts.user",
        note="Пароль изменён пользователем",
    )


def context_switch(*, actor, request, key: str) -> bool:
    """Make one of the actor's organizations (or the municipality) active. False if not his."""
    if not any(ctx["key"] == key for ctx in actor.contexts):
        return False
    request.session[SESSION_KEY] = key
    return True
