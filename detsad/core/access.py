"""The access layer: the single gate every read and write of tenant data goes through.

DESIGN.md §4. Three functions do the work:

- ``scoped(actor, queryset, area=None, write=False)`` filters any queryset to the rows the
  actor may see (or change) in an area of the rights matrix (`core.permissions.RIGHTS`);
- ``get_scoped_or_404(actor, model_or_queryset, **lookup)`` fetches one row through
  ``scoped`` and answers 404 both for missing rows and rows of another organization, family
  or group (so an id edited in a URL reveals nothing);
- ``require(actor, area, write=False, obj=None)`` raises ``PermissionDenied`` when the role
  has no such right, and ``Http404`` when ``obj`` lies outside the actor's scope.

Each tenant model registers a `Policy` saying how its rows reach an organization and,
where the matrix uses them, which rows are "own groups", "own children" or "own". A query
on an unregistered model raises `ImproperlyConfigured`, so a forgotten policy fails loudly
instead of leaking rows.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .permissions import RIGHTS, Right, Role, Scope

if TYPE_CHECKING:
    from .models import Municipality, Organization


@dataclass
class Actor:
    """Who acts, in which organization (or municipality), with which roles.

    Built per request by `core.middleware.ActorMiddleware`; services receive it as the
    keyword-only ``actor`` argument. ``system()`` builds one for management commands and
    background tasks, acting with full rights inside the given organization/municipality.
    """

    user: Any = None
    organization: Organization | None = None
    municipality: Municipality | None = None
    roles: frozenset[str] = frozenset()
    group_ids: frozenset[int] = frozenset()
    is_superuser: bool = False
    is_system: bool = False
    #: When the person's staff file in the active organization was dismissed or archived
    #: (date.min for archived), None while employed; privacy.window drops staff roles then.
    staff_ended_on: dt.date | None = None
    ip: str | None = None
    contexts: list[dict] = field(default_factory=list)

    @classmethod
    def system(cls, *, organization=None, municipality=None, user=None) -> Actor:
        """An actor for commands and tasks: all rights within the given scope."""
        if organization is not None and municipality is None:
            municipality = organization.municipality
        return cls(
            user=user,
            organization=organization,
            municipality=municipality,
            is_system=True,
            roles=frozenset(Role),
        )

    @property
    def is_authenticated(self) -> bool:
        return self.is_system or bool(self.user and self.user.is_authenticated)

    @property
    def name(self) -> str:
        if self.user is not None and getattr(self.user, "pk", None):
            return self.user.get_full_name() or self.user.get_username()
        return "система"

    @cached_property
    def today(self) -> dt.date:
        """Today's date in the municipality's time zone (case C01: never the server's)."""
        return local_today(self.municipality)

    def rights(self, area: str) -> list[Right]:
        """The rights the actor's roles give in `area` (empty: no access)."""
        if self.is_system or self.is_superuser:
            return [
                Right(
                    write=True,
                    scope=Scope.ORG if self.organization else Scope.MUNICIPALITY,
                    extras=frozenset({"sign", "moderate", "approve", "notices"}),
                )
            ]
        table = RIGHTS.get(area, {})
        return [table[r] for r in self.roles if r in table]

    def can(self, area: str, write: bool = False) -> bool:
        """True when some role gives (write) access to `area`, at any scope."""
        return any((r.write or not write) for r in self.rights(area))

    def can_rows(self, area: str, write: bool = False) -> bool:
        """True when some role gives access to personal rows (not only aggregates)."""
        return any(
            (r.write or not write) and r.scope != Scope.AGGREGATES for r in self.rights(area)
        )

    def has_extra(self, area: str, extra: str) -> bool:
        return any(extra in r.extras for r in self.rights(area))

    def has_role(self, *roles: str) -> bool:
        return self.is_system or self.is_superuser or bool(self.roles.intersection(roles))

    def scope_of(self, area: str) -> set[str]:
        return {r.scope for r in self.rights(area)}


def local_today(municipality=None) -> dt.date:
    """The current date in the municipality's time zone (or the settings' zone)."""
    tz_name = getattr(municipality, "time_zone", None)
    tz = zoneinfo.ZoneInfo(tz_name) if tz_name else timezone.get_current_timezone()
    return timezone.now().astimezone(tz).date()


@dataclass
class Policy:
    """How one model's rows map onto the rights matrix.

    ``org`` is the lookup from the model to its Organization (``"organization"``,
    ``"child__organization"``, or ``"pk"`` for Organization itself). The callables take the
    actor and return a Q for the narrower scopes; a scope without a callable grants nothing.
    """

    area: str
    org: str
    own_groups: Callable[[Actor], Q] | None = None
    own_children: Callable[[Actor], Q] | None = None
    own: Callable[[Actor], Q] | None = None
    #: Rows belong to a municipality (``org`` is then the path to it): reference lists
    #: such as absence reasons, tariffs. Every role with a right sees its municipality's.
    municipality_level: bool = False


_POLICIES: dict[type[models.Model], Policy] = {}


def register(model: type[models.Model], **kwargs) -> None:
    """Register (or extend, by passing only some fields) the access policy of `model`."""
    if model in _POLICIES:
        for key, value in kwargs.items():
            setattr(_POLICIES[model], key, value)
    else:
        _POLICIES[model] = Policy(**kwargs)


def policy_for(model: type[models.Model]) -> Policy:
    model = model._meta.concrete_model or model
    try:
        return _POLICIES[model]
    except KeyError:
        raise ImproperlyConfigured(
            f"{model._meta.label} has no access policy: register it in core.access"
        ) from None


def registered_models() -> list[type[models.Model]]:
    return list(_POLICIES)


def _org_q(policy: Policy, organization) -> Q:
    if policy.municipality_level:
        return Q(**{policy.org: organization.municipality_id})
    return Q(**{policy.org: organization.pk if policy.org == "pk" else organization})


def _municipality_q(policy: Policy, municipality) -> Q:
    if policy.municipality_level:
        return Q(**{policy.org: municipality})
    path = "municipality" if policy.org == "pk" else f"{policy.org}__municipality"
    return Q(**{path: municipality})


def scope_q(
    actor: Actor, model: type[models.Model], area: str | None = None, write: bool = False
) -> Q | None:
    """The filter giving the rows of `model` the actor may read (or write); None = nothing."""
    policy = policy_for(model)
    area = area or policy.area
    if actor.is_system or actor.is_superuser:
        if actor.organization is not None:
            return _org_q(policy, actor.organization)
        if actor.municipality is not None:
            return _municipality_q(policy, actor.municipality)
        return Q()
    result: Q | None = None
    for right in actor.rights(area):
        if write and not right.write:
            continue
        q: Q | None = None
        if right.scope == Scope.ORG and actor.organization is not None:
            q = _org_q(policy, actor.organization)
        elif right.scope == Scope.MUNICIPALITY and actor.municipality is not None:
            q = _municipality_q(policy, actor.municipality)
        elif right.scope == Scope.OWN_GROUPS and policy.own_groups and actor.organization:
            q = _org_q(policy, actor.organization) & policy.own_groups(actor)
        elif right.scope == Scope.OWN_CHILDREN and policy.own_children and actor.organization:
            q = _org_q(policy, actor.organization) & policy.own_children(actor)
        elif right.scope == Scope.OWN and policy.own:
            q = policy.own(actor)
            if actor.organization is not None:
                q &= _org_q(policy, actor.organization)
        if q is not None:
            result = q if result is None else (result | q)
    return result


def scoped(
    actor: Actor,
    queryset: QuerySet | type[models.Model],
    area: str | None = None,
    *,
    write: bool = False,
) -> QuerySet:
    """Filter `queryset` to the rows `actor` may read (``write=True``: may change).

    Returns an empty queryset when the actor has no right in the area. Never raises for
    missing rights: pages show nothing rather than someone else's data.
    """
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    if not actor.is_authenticated:
        return qs.none()
    q = scope_q(actor, qs.model, area, write)
    if q is None:
        return qs.none()
    return qs.filter(q)


def get_scoped_or_404(
    actor: Actor,
    queryset: QuerySet | type[models.Model],
    area: str | None = None,
    *,
    write: bool = False,
    **lookup,
):
    """Fetch one row within the actor's scope; 404 when missing *or* outside the scope."""
    qs = scoped(actor, queryset, area, write=write)
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Не найдено") from None
    except qs.model.MultipleObjectsReturned:
        return qs.filter(**lookup).first()


def require(
    actor: Actor,
    area: str,
    *,
    write: bool = False,
    obj: models.Model | None = None,
    extra: str | None = None,
) -> None:
    """Raise unless `actor` has the (write) right in `area` and `obj` is within scope.

    Raises:
        PermissionDenied: the actor's roles give no such right in the area at all.
        Http404: `obj` exists but lies outside the actor's scope.
    """
    if not actor.is_authenticated or not actor.can(area, write):
        raise PermissionDenied("Недостаточно прав.")
    if extra and not actor.has_extra(area, extra):
        raise PermissionDenied("Недостаточно прав.")
    if obj is not None:
        model = type(obj)
        if not scoped(actor, model._default_manager.filter(pk=obj.pk), area, write=write).exists():
            raise Http404("Не найдено")


def require_rows(actor: Actor, area: str, *, write: bool = False) -> None:
    """Raise PermissionDenied unless the actor may see personal rows (not only aggregates)."""
    if not actor.is_authenticated or not actor.can_rows(area, write):
        raise PermissionDenied("Недостаточно прав.")
