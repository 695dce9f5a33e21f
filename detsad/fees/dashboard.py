"""Home page widgets: the month's fee figures for the office, balances for parents."""

from django.db.models import Count, Q, Sum

from detsad.core.access import Actor, scoped
from detsad.core.permissions import Area, Role
from detsad.core.registry import Widget
from detsad.people.models import Child, ChildGuardian

from . import selectors
from .calculation import month_end
from .models import LedgerEntry, Payment
from .rights import can_fees_org


def widgets(actor: Actor) -> list[Widget]:
    if actor.organization is None:
        return []
    result = []
    if can_fees_org(actor) and not actor.is_superuser:
        month = actor.today.replace(day=1)
        figures = scoped(
            actor,
            LedgerEntry.objects.filter(
                organization=actor.organization, on__range=(month, month_end(month))
            ),
            Area.FEES,
        ).aggregate(
            charged=Sum("amount", filter=Q(kind__in=["charge", "adjustment"])),
            paid=Sum("amount", filter=Q(kind="payment")),
        )
        debtors = selectors.debtors(actor, actor.today)
        unmatched = scoped(
            actor,
            Payment.objects.filter(
                organization=actor.organization, status=Payment.Status.UNMATCHED
            ),
            Area.FEES,
        ).aggregate(n=Count("pk"), total=Sum("amount"))
        result.append(
            Widget(
                "fees/widgets/office.html",
                {
                    "month": month,
                    "charged": figures["charged"] or 0,
                    "paid": -(figures["paid"] or 0),
                    "debtors": len(debtors),
                    "debt": sum(d.debt for d in debtors),
                    "unmatched": unmatched["n"],
                    "unmatched_sum": unmatched["total"] or 0,
                },
                order=40,
            )
        )
    if actor.has_role(Role.PARENT) and not actor.is_superuser and actor.can_rows(Area.FEES):
        children = list(
            scoped(
                actor,
                Child.objects.filter(
                    organization=actor.organization,
                    pk__in=ChildGuardian.objects.filter(guardian__user_id=actor.user.pk).values(
                        "child_id"
                    ),
                ),
                Area.FEES,
            ).order_by("last_name", "first_name")
        )
        if children:
            rows = [
                (child, selectors.account_view(actor, child, with_history=False))
                for child in children
            ]
            result.append(Widget("fees/widgets/parent.html", {"rows": rows}, order=15))
    return result
