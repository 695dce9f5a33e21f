"""The account block on a guardian's personal file: status and the one-click account."""

from detsad.core.access import Actor
from detsad.core.permissions import Area
from detsad.core.registry import Widget

from .services import is_admin


def guardian_panels(actor: Actor, guardian) -> list[Widget]:
    if not actor.can(Area.ACCOUNTS) or not actor.can_rows(Area.CHILDREN):
        return []
    if not (is_admin(actor) or actor.has_role("head", "coordinator")):
        return []
    return [
        Widget(
            "accounts/widgets/guardian_account.html",
            {"guardian": guardian, "account": guardian.user, "can_edit": is_admin(actor)},
            order=50,
        )
    ]
