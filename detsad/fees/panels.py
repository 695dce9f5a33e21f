"""The «Льготы и оплата» panel on the child's personal file: the child's benefits, account
number and balance — read through the same selectors as the account page, the reports and
the parent's cabinet, so the figures agree everywhere (case C10)."""

from detsad.core.access import Actor, scoped
from detsad.core.permissions import Area
from detsad.core.registry import Widget
from detsad.people.models import Child

from . import selectors
from .rights import can_fees_org


def child_panels(actor: Actor, child) -> list[Widget]:
    if not actor.can_rows(Area.FEES):
        return []
    if not scoped(actor, Child.objects.filter(pk=child.pk), Area.FEES).exists():
        return []
    view = selectors.account_view(actor, child, with_history=False)
    active = [b for b in view.benefits if b.covers(actor.today)]
    return [
        Widget(
            "fees/widgets/child_panel.html",
            {
                "view": view,
                "active": active,
                "disabled_without_benefit": child.is_disabled
                and not any(b.benefit.kind == "law" for b in active),
                "can_manage": can_fees_org(actor, write=True),
            },
            order=40,
        )
    ]
