"""The access layer: scoped, get_scoped_or_404, require, for every role."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404

from detsad.core.access import Actor, get_scoped_or_404, policy_for, require, scoped
from detsad.core.models import Group, Organization
from detsad.core.permissions import Area, Role, matrix, right_of
from detsad.people.models import Child, Guardian, Staff


def names(qs):
    return sorted(f"{c.organization.short_name}:{c.last_name}" for c in qs)


def test_coordinator_sees_all_children_of_own_organization_only(world):
    qs = scoped(
        world.a.actor("coordinator"), Child.objects.select_related("organization"), Area.CHILDREN
    )
    assert names(qs) == ["ДОО A:Иванов", "ДОО A:Петрова", "ДОО A:Сидоров"]


def test_educator_sees_children_of_own_group(world):
    qs = scoped(
        world.a.actor("educator"), Child.objects.select_related("organization"), Area.CHILDREN
    )
    assert names(qs) == ["ДОО A:Иванов", "ДОО A:Петрова"]


def test_parent_sees_own_child_only(world):
    qs = scoped(
        world.a.actor("parent"), Child.objects.select_related("organization"), Area.CHILDREN
    )
    assert names(qs) == ["ДОО A:Иванов"]
    guardians = scoped(world.a.actor("parent"), Guardian.objects.all(), Area.CHILDREN)
    assert [g.pk for g in guardians] == [world.a.guardians["c1"].pk]


def test_department_officer_sees_no_personal_rows_but_all_groups_of_municipality(world):
    actor = world.dept_actor("m1")
    assert not scoped(actor, Child.objects.all(), Area.CHILDREN).exists()
    groups = scoped(actor, Group.objects.select_related("organization"), Area.ORGANIZATION)
    assert sorted({g.organization.short_name for g in groups}) == ["ДОО A", "ДОО B"]


def test_write_scope_is_narrower_than_read_scope(world):
    head = world.a.actor("head")
    assert scoped(head, Child.objects.all(), Area.CHILDREN).count() == 3
    assert scoped(head, Child.objects.all(), Area.CHILDREN, write=True).count() == 0


def test_get_scoped_or_404_hides_other_organizations(world):
    actor = world.a.actor("hr")
    assert get_scoped_or_404(actor, Child, Area.CHILDREN, pk=world.a.children["c1"].pk)
    with pytest.raises(Http404):
        get_scoped_or_404(actor, Child, Area.CHILDREN, pk=world.b.children["c1"].pk)
    with pytest.raises(Http404):
        get_scoped_or_404(actor, Child, Area.CHILDREN, pk="not-a-number")


def test_require_distinguishes_no_right_from_out_of_scope(world):
    with pytest.raises(PermissionDenied):
        require(world.a.actor("educator"), Area.CHILDREN, write=True)
    with pytest.raises(Http404):
        require(world.a.actor("hr"), Area.CHILDREN, write=True, obj=world.b.children["c1"])
    require(world.a.actor("hr"), Area.CHILDREN, write=True, obj=world.a.children["c1"])


def test_staff_own_scope(world):
    own = scoped(world.a.actor("educator"), Staff.objects.all(), Area.STAFF)
    assert [s.user_id for s in own] == [world.a.users["educator"].pk]


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not scoped(Actor(user=AnonymousUser()), Organization.objects.all()).exists()


def test_unregistered_model_raises():
    from django.contrib.sessions.models import Session

    from detsad.accounts.models import User

    assert policy_for(User).area == Area.ACCOUNTS
    with pytest.raises(ImproperlyConfigured):
        policy_for(Session)


def test_rights_matrix_matches_design_table():
    assert (
        right_of(Role.HEAD, Area.MOVEMENT).write
        and "sign" in right_of(Role.HEAD, Area.MOVEMENT).extras
    )
    assert right_of(Role.PARENT, Area.STAFF) is None
    assert right_of(Role.EDUCATOR, Area.ATTENDANCE).scope == "own_groups"
    rows = dict(matrix())
    assert rows["посещаемость"][list(Role).index(Role.PARENT)].startswith("чтение")
