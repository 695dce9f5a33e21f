"""Builds ``request.actor`` (core.access.Actor) from the user and the active context.

The active context is an organization (``org:<id>``) or, for department officers, the
municipality (``mun:<id>``), kept in the session and switched from the header.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils.functional import SimpleLazyObject

from .access import Actor
from .permissions import Role

SESSION_KEY = "detsad_context"


def client_ip(request) -> str | None:
    """The client address (str IPv4/IPv6, or None when unknown).

    Behind nginx the proxy's ``X-Real-IP`` is used, but only when ``settings.TRUST_X_REAL_IP``
    is on (the app is reachable through the proxy alone); otherwise the header is ignored, as
    any client could send it. A malformed header falls back to ``REMOTE_ADDR``. Also django-axes'
    ``AXES_CLIENT_IP_CALLABLE``, so the per-address login lock uses the same address.
    """
    import ipaddress

    from django.conf import settings

    if getattr(settings, "TRUST_X_REAL_IP", False):
        real = (request.META.get("HTTP_X_REAL_IP") or "").strip()
        try:
            return str(ipaddress.ip_address(real))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def build_actor(request) -> Actor:
    """Resolve the actor for `request` (two queries for a logged-in user), then let every app
    with a ``window`` module narrow it with ``restrict_actor(actor) -> Actor`` (privacy: roles
    whose access has ended after a child's withdrawal or a dismissal, 152-FZ)."""
    from detsad.core.registry import app_modules

    actor = actor_for(request.user, request.session.get(SESSION_KEY), ip=client_ip(request))
    if actor.user is None or not actor.user.is_authenticated:
        return actor
    for module in app_modules("window"):
        actor = module.restrict_actor(actor)
    return actor


def actor_for(user, chosen: str | None = None, *, ip: str | None = None) -> Actor:
    """The Actor of `user` in the context `chosen` ("org:<id>" / "mun:<id>"; None = first)."""
    from detsad.accounts.models import Membership
    from detsad.core.models import Organization

    if not user.is_authenticated:
        return Actor(user=user, ip=ip)
    memberships = list(
        Membership.objects.filter(user=user, is_active=True)
        .order_by("pk")  # the first membership granted is the default context
        .select_related("organization__municipality", "municipality")
        .prefetch_related("groups")
        # The person's staff file (people.Staff, reached by name: core does not import people)
        # tells when staff roles end; read here so no request pays an extra query for it.
        .annotate(
            staff_org_id=F("user__staff_file__organization_id"),
            staff_dismissed_on=F("user__staff_file__dismissal_date"),
            staff_archived_at=F("user__staff_file__archived_at"),
        )
    )
    contexts: dict[str, dict] = {}
    for m in memberships:
        if m.organization_id:
            key = f"org:{m.organization_id}"
            ctx = contexts.setdefault(
                key,
                {
                    "key": key,
                    "organization": m.organization,
                    "municipality": m.organization.municipality,
                    "roles": set(),
                    "group_ids": set(),
                    "label": m.organization.short_name,
                    "staff_ended_on": None,
                },
            )
            if m.staff_org_id == m.organization_id:
                ended = dt.date.min if m.staff_archived_at else m.staff_dismissed_on
                ctx["staff_ended_on"] = ended
            if m.role == Role.EDUCATOR:
                ctx["group_ids"].update(g.pk for g in m.groups.all())
        else:
            key = f"mun:{m.municipality_id}"
            ctx = contexts.setdefault(
                key,
                {
                    "key": key,
                    "organization": None,
                    "municipality": m.municipality,
                    "roles": set(),
                    "group_ids": set(),
                    "label": f"{m.municipality.name} (управление образованием)",
                },
            )
        ctx["roles"].add(m.role)
    if user.is_superuser:
        # The installation's superuser may enter any kindergarten (switcher lists up to 200).
        for org in Organization.objects.select_related("municipality").order_by("short_name")[:200]:
            contexts.setdefault(
                f"org:{org.pk}",
                {
                    "key": f"org:{org.pk}",
                    "organization": org,
                    "municipality": org.municipality,
                    "roles": set(),
                    "group_ids": set(),
                    "label": org.short_name,
                },
            )
    ctx = contexts.get(chosen) if chosen else None
    if ctx is None and contexts:
        ctx = next(iter(contexts.values()))
    ordered = sorted(contexts.values(), key=lambda c: c["label"])
    if ctx is None:
        return Actor(user=user, ip=ip, is_superuser=user.is_superuser, contexts=ordered)
    return Actor(
        user=user,
        organization=ctx["organization"],
        municipality=ctx["municipality"],
        roles=frozenset(ctx["roles"]),
        group_ids=frozenset(ctx["group_ids"]),
        is_superuser=user.is_superuser,
        ip=ip,
        contexts=ordered,
        staff_ended_on=ctx.get("staff_ended_on"),
    )


class ActorMiddleware:
    """Attach a lazily built Actor to every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: build_actor(request))
        return self.get_response(request)
