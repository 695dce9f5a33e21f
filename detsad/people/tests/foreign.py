"""Personal-file objects outside the actor's scope (see detsad/core/tests/foreign.py)."""

import datetime as dt

from detsad.people.models import ChildGuardian, Staff

VARIANT_CHILD = {
    "org_b": ("b", "c1"),
    "org_c": ("c", "c1"),
    "other_family": ("a", "c2"),
    "other_group": ("a", "c3"),
}


def child_of(world, target):
    if target not in VARIANT_CHILD:
        return None
    org, key = VARIANT_CHILD[target]
    return world.orgs[org].children[key]


def child_pk(world, target):
    child = child_of(world, target)
    return child.pk if child else None


def guardian_pk(world, target):
    if target not in VARIANT_CHILD:
        return None
    org, key = VARIANT_CHILD[target]
    return world.orgs[org].guardians[key].pk


def link_pk(world, target):
    child = child_of(world, target)
    return (
        ChildGuardian.objects.filter(child=child).values_list("pk", flat=True).first()
        if child
        else None
    )


def staff_pk(world, target):
    """Another kindergarten's employee; for the educator's and the parent's variants a
    colleague in their own kindergarten (an educator reads only their own staff file)."""
    org = {"org_b": "b", "org_c": "c", "other_group": "a", "other_family": "a"}.get(target)
    if not org:
        return None
    ow = world.orgs[org]
    return Staff.objects.create(
        organization=ow.org,
        last_name="Чужой",
        first_name="Сотрудник",
        position="Повар",
        hire_date=dt.date(2020, 1, 1),
    ).pk


FOREIGN = {
    "child_pk": child_pk,
    "guardian_pk": guardian_pk,
    "link_pk": link_pk,
    "staff_pk": staff_pk,
}
