"""Consents outside the actor's scope (see detsad/core/tests/foreign.py)."""

import datetime as dt

from detsad.people.tests.foreign import VARIANT_CHILD as VARIANT
from detsad.privacy.models import Consent


def consent_pk(world, target):
    if target not in VARIANT:
        return None
    org, key = VARIANT[target]
    ow = world.orgs[org]
    return Consent.objects.create(
        organization=ow.org,
        guardian=ow.guardians[key],
        kind=Consent.Kind.PUBLISHING,
        scope="фото на сайте",
        given_on=dt.date(2025, 9, 1),
    ).pk


FOREIGN = {"consent_pk": consent_pk}
