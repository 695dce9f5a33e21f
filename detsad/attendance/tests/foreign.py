"""Attendance objects outside the actor's scope for the cross-organization access test
(see detsad/core/tests/foreign.py). ``day`` and ``month`` name a date, not an object: the
same value serves every target, the object is the group or child they come with."""

import datetime as dt

from detsad.attendance.models import AbsenceNotice, AbsenceReason
from detsad.people.tests.foreign import VARIANT_CHILD


def day(world, target):
    return dt.date(2026, 4, 6)


def month(world, target):
    return "2026-04"


def reason_pk(world, target):
    """Reasons belong to the municipality: only another municipality's reason is foreign."""
    if target != "org_c":
        return None
    return AbsenceReason.objects.filter(municipality=world.other_municipality).first().pk


def notice_pk(world, target):
    if target not in VARIANT_CHILD:
        return None
    org, key = VARIANT_CHILD[target]
    ow = world.orgs[org]
    child = ow.children[key]
    reason = AbsenceReason.objects.get(municipality=ow.org.municipality, code="О")
    return AbsenceNotice.objects.create(
        organization=ow.org,
        child=child,
        start=dt.date(2026, 12, 1),
        end=dt.date(2026, 12, 4),
        reason=reason,
    ).pk


FOREIGN = {"day": day, "month": month, "reason_pk": reason_pk, "notice_pk": notice_pk}
