"""Scoped reads for the accounts pages: people with roles, the password issue log."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from detsad.core.access import Actor, get_scoped_or_404, scoped
from detsad.core.permissions import Area

from .models import Membership, PasswordIssue, User


def _memberships(actor: Actor) -> Prefetch:
    qs = Membership.objects.prefetch_related("groups").order_by("-is_active", "role")
    if actor.organization is not None:
        qs = qs.filter(organization=actor.organization)
    return Prefetch("memberships", queryset=qs, to_attr="org_memberships")


def users_list(
    actor: Actor,
    *,
    q: str = "",
    role: str = "",
    group_id: int | None = None,
    never_logged_in: bool = False,
    blocked: bool = False,
) -> QuerySet[User]:
    """People with a role (current or ended) in the actor's organization.

    Each user carries ``org_memberships`` (this organization's roles, with groups). Filters:
    `q` — name, login or e-mail fragment; `role` — has this active role; `group_id` — an
    educator bound to the group; `never_logged_in`; `blocked`. Three queries for any number
    of rows.
    """
    qs = scoped(actor, User.objects.all(), Area.ACCOUNTS)
    org = actor.organization
    in_org = Q(memberships__organization=org) if org is not None else Q()
    ids = qs.filter(in_org)
    if role:
        ids = ids.filter(in_org, memberships__role=role, memberships__is_active=True)
    if group_id:
        ids = ids.filter(in_org, memberships__groups=group_id, memberships__is_active=True)
    qs = User.objects.filter(pk__in=ids.values("pk"))
    for word in q.split():
        qs = qs.filter(
            Q(last_name__icontains=word)
            | Q(first_name__icontains=word)
            | Q(patronymic__icontains=word)
            | Q(username__icontains=word)
            | Q(email__icontains=word)
        )
    if never_logged_in:
        qs = qs.filter(last_login__isnull=True)
    if blocked:
        qs = qs.filter(blocked_at__isnull=False)
    return qs.prefetch_related(_memberships(actor)).order_by("last_name", "first_name", "pk")


def user_detail(actor: Actor, pk: int) -> User:
    """One user within the accounts scope (404 outside it), with this organization's roles."""
    qs = User.objects.prefetch_related(_memberships(actor))
    return get_scoped_or_404(actor, qs.distinct(), Area.ACCOUNTS, pk=pk)


def issues_list(actor: Actor, *, user: User | None = None) -> QuerySet[PasswordIssue]:
    """The password issue log of the actor's organization (newest first)."""
    qs = scoped(actor, PasswordIssue.objects.all(), Area.ACCOUNTS)
    if user is not None:
        qs = qs.filter(user=user)
    return qs.order_by("-at", "-id")
