"""Access windows: when a withdrawn child's guardians and a dismissed employee lose access.

DESIGN.md §4: a withdrawn child's parents keep read access to the history for
settings.GUARDIAN_ACCESS_DAYS_AFTER_WITHDRAWAL days after the withdrawal date, then the
account closes; dismissed staff lose access at once (from the dismissal date, or when the
staff file is archived). Three layers enforce it:

1. the parent's scope: `limit_own_children` narrows the "own children" rows of a model to
   children still inside the window (registered here for Child, ChildGuardian,
   PersonalAccount; attendance and fees register their child rows — marks, notices, ledger
   entries, benefits, payments — the same way, and a test checks no such model is missed);
2. the request: `restrict_actor` (applied by core.middleware.build_actor) drops the parent role when every
   child of the person in the active organization is past the window, and the staff roles
   when the person's staff file is dismissed or archived, so such a person sees nothing;
3. the records: `manage.py close_expired_access` (daily) ends those memberships for good.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.db.models import Count, Q

from detsad.core import access
from detsad.core.access import Actor
from detsad.core.permissions import STAFF_ROLES, Role


def window_cutoff(today: dt.date) -> dt.date:
    """The earliest withdrawal date whose guardians still have access on `today`."""
    return today - dt.timedelta(days=settings.GUARDIAN_ACCESS_DAYS_AFTER_WITHDRAWAL)


def expired_children(today: dt.date):
    """Child ids (a subquery) withdrawn before the window: placements, none open or recent.

    Children never enrolled (no placements) are not expired: parents may get their
    accounts before the enrollment.
    """
    from detsad.movement.models import Placement

    recent = Placement.objects.filter(Q(end__isnull=True) | Q(end__gte=window_cutoff(today)))
    return Placement.objects.exclude(child_id__in=recent.values("child_id")).values("child_id")


def limit_own_children(model, path: str) -> None:
    """Narrow `model`'s registered own_children filter to children inside the window.

    `path` leads from the model to the child's id ("pk" for Child, "child_id" otherwise).
    """
    inner = access.policy_for(model).own_children
    if inner is None:
        return

    def own_children(actor: Actor) -> Q:
        return inner(actor) & ~Q(**{f"{path}__in": expired_children(actor.today)})

    access.register(model, own_children=own_children)


def restrict_actor(actor: Actor) -> Actor:
    """The actor without the roles whose access has ended (at most one query per role kind).

    - parent: every child the person is a guardian of in this organization is past the
      window (a person with no linked child keeps the role: there is nothing to see);
    - staff roles: the person's staff file in this organization is dismissed
      (dismissal_date on or before today) or archived.
    """
    if actor.organization is None or actor.is_system or not actor.roles:
        return actor
    from detsad.people.models import ChildGuardian

    dropped: set[str] = set()
    if Role.PARENT in actor.roles:
        counts = ChildGuardian.objects.filter(
            guardian__user_id=actor.user.pk, child__organization=actor.organization
        ).aggregate(
            linked=Count("child_id", distinct=True),
            current=Count(
                "child_id",
                distinct=True,
                filter=~Q(child_id__in=expired_children(actor.today)),
            ),
        )
        if counts["linked"] and not counts["current"]:
            dropped.add(Role.PARENT)
    # The staff end date is read with the memberships by core.middleware.actor_for.
    if (
        actor.roles & STAFF_ROLES
        and actor.staff_ended_on is not None
        and actor.staff_ended_on <= actor.today
    ):
        dropped |= set(STAFF_ROLES)
    if not dropped & actor.roles:
        return actor
    roles = frozenset(actor.roles - dropped)
    return dataclasses.replace(
        actor,
        roles=roles,
        group_ids=actor.group_ids if Role.EDUCATOR in roles else frozenset(),
    )
