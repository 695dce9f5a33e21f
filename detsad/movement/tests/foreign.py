"""Movement-book objects outside the actor's scope (see detsad/core/tests/foreign.py).

Targets: ``org_b`` / ``org_c`` — an object of another kindergarten (same / other
municipality); ``other_group`` — an object of group «Радуга» of the same kindergarten
(educators are bound to «Солнышко»); ``other_family`` has no movement variant (parents
have no access to the movement book at all, which the org variants already prove).
"""

import datetime as dt

from detsad.movement.models import DocumentTemplate, EducationContract, MovementEvent, Order

ORG = {"org_b": "b", "org_c": "c"}


def _org_and_child(world, target):
    if target in ORG:
        ow = world.orgs[ORG[target]]
        return ow, ow.children["c1"]
    if target == "other_group":
        return world.a, world.a.children["c3"]
    return None, None


def event_pk(world, target):
    _ow, child = _org_and_child(world, target)
    if child is None:
        return None
    return MovementEvent.objects.filter(child=child, kind="enroll").values_list("pk", flat=True)[0]


def order_pk(world, target):
    ow, child = _org_and_child(world, target)
    if ow is None:
        return None
    if target == "other_group":
        # An order that only concerns «Радуга»: the educator of «Солнышко» does not see it.
        order = Order.objects.create(
            organization=ow.org, number="99-р", date=dt.date(2025, 9, 1), kind="enroll"
        )
        MovementEvent.objects.filter(child=child, kind="enroll").update(order=order)
        return order.pk
    return ow.order.pk


def contract_pk(world, target):
    ow, child = _org_and_child(world, target)
    if ow is None:
        return None
    return EducationContract.objects.create(
        organization=ow.org, child=child, number="77", date=dt.date(2025, 8, 25)
    ).pk


def template_pk(world, target):
    ow = world.orgs.get(ORG.get(target, ""))
    if ow is None:
        return None
    return DocumentTemplate.objects.create(
        organization=ow.org, kind="contract", filename="чужой.docx", content=b"PK"
    ).pk


FOREIGN = {
    "event_pk": event_pk,
    "order_pk": order_pk,
    "contract_pk": contract_pk,
    "template_pk": template_pk,
}
