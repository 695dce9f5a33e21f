"""Objects of another organization for the cross-organization access test.

Each entry maps a URL keyword to ``builder(world, target) -> pk | None`` where target is
``org_b`` (same municipality, other kindergarten), ``org_c`` (other municipality),
``other_family`` (same kindergarten, a child of another family: c2) or ``other_group``
(same kindergarten, the other group: c3 / rainbow). None = the variant does not apply.
"""

import datetime as dt

from detsad.core.models import CalendarOverride


def _org(world, target):
    return {"org_b": world.b, "org_c": world.c}.get(target)


def group_pk(world, target):
    ow = _org(world, target)
    return ow.groups["sun"].pk if ow else None


def organization_pk(world, target):
    ow = _org(world, target)
    return ow.org.pk if ow else None


def override_pk(world, target):
    ow = _org(world, target)
    if not ow:
        return None
    return CalendarOverride.objects.create(
        organization=ow.org, date=dt.date(2026, 12, 28), kind="non_working", reason="ремонт"
    ).pk


FOREIGN = {"group_pk": group_pk, "organization_pk": organization_pk, "override_pk": override_pk}
