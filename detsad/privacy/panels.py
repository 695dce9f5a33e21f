"""Blocks on personal files: a guardian's consents; a child's data export and history."""

from detsad.core.access import Actor, scoped
from detsad.core.permissions import Area
from detsad.core.registry import Widget

from .export import can_export
from .models import Consent


def guardian_panels(actor: Actor, guardian) -> list[Widget]:
    if not actor.can_rows(Area.CHILDREN):
        return []
    consents = scoped(
        actor, Consent.objects.filter(guardian=guardian), Area.CHILDREN
    ).select_related("child")
    return [
        Widget(
            "privacy/widgets/guardian_consents.html",
            {
                "guardian": guardian,
                "consents": consents,
                "today": actor.today,
                "can_edit": actor.can_rows(Area.CHILDREN, write=True),
            },
            order=40,
        )
    ]


def child_panels(actor: Actor, child) -> list[Widget]:
    if not can_export(actor) and not actor.can(Area.AUDIT):
        return []
    return [
        Widget(
            "privacy/widgets/child_personal_data.html",
            {"child": child, "can_export": can_export(actor), "can_audit": actor.can(Area.AUDIT)},
            order=90,
        )
    ]
