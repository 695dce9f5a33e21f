"""Who may do what in the fee area, on top of the rights matrix (core.permissions, Area.FEES).

The matrix gives the coordinator W over the organization, head and sysadmin R, educators
their own groups, parents their own children and the department aggregates. Two kinds of
work need more than "some right in the area":

- organization-wide work (fee runs, bank imports, the unmatched queue, month closing,
  receipts of the whole organization, turnover and debtors lists): only roles whose FEES
  right covers the whole organization (`require_fees_org`); educators keep read access to
  their groups' balances and receipts;
- the founder's settings (tariffs, benefit kinds, compensation, charging rules): 273-FZ
  art. 65 part 2 — the founder sets the fee, so only the education department officer of
  the municipality (or the installation's superuser) changes them (`require_founder`);
  kindergartens read them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from detsad.core.access import Actor
from detsad.core.permissions import Area, Role, Scope


def can_fees_org(actor: Actor, write: bool = False) -> bool:
    """True when the actor works with the fees of the whole active organization."""
    if not actor.is_authenticated or actor.organization is None:
        return False
    if actor.is_system or actor.is_superuser:
        return True
    return any(r.scope == Scope.ORG and (r.write or not write) for r in actor.rights(Area.FEES))


def require_fees_org(actor: Actor, *, write: bool = False) -> None:
    """Raise PermissionDenied unless `can_fees_org`."""
    if not can_fees_org(actor, write):
        raise PermissionDenied("Недостаточно прав.")


def is_founder(actor: Actor) -> bool:
    """The education department of the municipality (the founder), or the superuser."""
    if not actor.is_authenticated or actor.municipality is None:
        return False
    return actor.is_system or actor.is_superuser or Role.DEPT_OFFICER in actor.roles


def require_founder(actor: Actor) -> None:
    """Raise PermissionDenied unless `is_founder`."""
    if not is_founder(actor):
        raise PermissionDenied(
            "Тарифы и льготы устанавливает учредитель (управление образованием)."
        )


def can_see_aggregates(actor: Actor) -> bool:
    """Aggregate fee figures: any FEES right, the department's aggregates included."""
    return actor.is_authenticated and actor.can(Area.FEES)
