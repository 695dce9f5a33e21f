"""Home page widgets of the organization structure (department officer's overview)."""

from detsad.core.access import Actor
from detsad.core.permissions import Role
from detsad.core.registry import Widget

from .selectors import organizations_visible


def widgets(actor: Actor) -> list[Widget]:
    if actor.has_role(Role.DEPT_OFFICER) and actor.organization is None:
        orgs = organizations_visible(actor).filter(archived_at__isnull=True)
        return [Widget("core/widgets/organizations.html", {"organizations": orgs}, order=10)]
    return []
