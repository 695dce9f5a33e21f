"""Fee objects outside the actor's scope for the cross-organization access test (see
detsad/core/tests/foreign.py): another kindergarten's run, payment, import, and — for the
parent and the educator — the ledger entries and benefits of another family's child (c2)
and another group's child (c3)."""

import datetime as dt
from decimal import Decimal

from detsad.fees.models import Benefit, ChildBenefit, FeeRun, LedgerEntry, Payment, PaymentImport
from detsad.people.tests.foreign import VARIANT_CHILD

ORGS = {"org_b": "b", "org_c": "c"}


def _child(world, target):
    if target not in VARIANT_CHILD:
        return None, None
    org, key = VARIANT_CHILD[target]
    return world.orgs[org], key


def run_pk(world, target):
    org = ORGS.get(target)
    if not org:
        return None
    return FeeRun.objects.create(
        organization=world.orgs[org].org, period=dt.date(2026, 10, 1), status="done"
    ).pk


def entry_pk(world, target):
    ow, key = _child(world, target)
    if ow is None:
        return None
    return LedgerEntry.objects.create(
        organization=ow.org,
        account=ow.accounts[key],
        kind="refund",
        period=dt.date(2026, 10, 1),
        on=dt.date(2026, 10, 20),
        amount=10000,
        source="manual",
        note="чужая проводка",
    ).pk


def payment_pk(world, target):
    org = ORGS.get(target)
    if not org:
        return None
    return Payment.objects.create(
        organization=world.orgs[org].org,
        source="statement",
        paid_on=dt.date(2026, 10, 5),
        amount=250000,
        status="unmatched",
        purpose="без счёта",
    ).pk


def import_pk(world, target):
    org = ORGS.get(target)
    if not org:
        return None
    return PaymentImport.objects.create(
        organization=world.orgs[org].org, format="1c", file_name="x.txt", file_hash="0" * 64
    ).pk


def grant_pk(world, target):
    ow, key = _child(world, target)
    if ow is None:
        return None
    benefit, _ = Benefit.objects.get_or_create(
        municipality=ow.org.municipality,
        name="Многодетная семья",
        defaults={"kind": "municipal", "percent": Decimal("50")},
    )
    return ChildBenefit.objects.create(
        organization=ow.org,
        child=ow.children[key],
        benefit=benefit,
        document="удостоверение",
        valid_from=dt.date(2026, 9, 1),
    ).pk


FOREIGN = {
    "run_pk": run_pk,
    "entry_pk": entry_pk,
    "payment_pk": payment_pk,
    "import_pk": import_pk,
    "grant_pk": grant_pk,
}
