"""Accounts objects outside the actor's scope (see detsad/core/tests/foreign.py)."""

from detsad.accounts.models import Membership


def _org_user(world, target):
    ow = {"org_b": world.b, "org_c": world.c}.get(target)
    if ow is not None:
        return ow.users["educator"]
    if target in ("other_family", "other_group"):
        # same kindergarten, someone else's account: a parent or an educator must not reach it
        return world.a.users["head"]
    return None


def user_pk(world, target):
    user = _org_user(world, target)
    return user.pk if user else None


def membership_pk(world, target):
    user = _org_user(world, target)
    return (
        Membership.objects.filter(user=user).values_list("pk", flat=True).first() if user else None
    )


def _not_an_object(world, target):
    """The set-password link's parts name no object of an organization."""
    return None


FOREIGN = {
    "user_pk": user_pk,
    "membership_pk": membership_pk,
    "uidb64": _not_an_object,
    "token": _not_an_object,
}
