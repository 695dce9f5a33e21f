"""Home page widgets of the organization structure (department officer's overview)."""

from detsad.core.access import Actor
from detsad.core.permissions import Role
from detsad.core.registry import Widget, collect

from .selectors import organizations_visible


def widgets(actor: Actor) -> list[Widget]:
    if actor.has_role(Role.DEPT_OFFICER) and actor.organization is None:
        return [_overview(actor)]
    return []


def _overview(actor: Actor) -> Widget:
    """The table of the district's kindergartens: one row per kindergarten with the figures
    the apps contribute (``organization_figures`` hooks: children, places, occupancy,
    today's marks) and a total row. Figures only, no child names (152-FZ minimisation).
    A fixed number of queries: one for the kindergartens plus one or so per contributing
    app, whatever the number of kindergartens or children.
    """
    orgs = list(
        organizations_visible(actor).filter(archived_at__isnull=True).order_by("short_name")
    )
    day = actor.today
    figures = collect("organization_figures", "dashboard", actor, orgs, day) if orgs else []
    rows = [(o, [f.values.get(o.pk, "") for f in figures]) for o in orgs]
    return Widget(
        "core/widgets/organizations.html",
        {
            "organizations": orgs,
            "figures": figures,
            "rows": rows,
            "totals": [f.total for f in figures],
            "day": day,
        },
        order=10,
    )
