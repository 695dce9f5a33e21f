"""Fixtures of the children-import tests: a kindergarten shaped like «МБДОУ д/с № 24».

The shared test world's organizations have two groups only; the sample lists name the five
groups of д/с № 24, so these tests build their own organization in the world's first
municipality: 2025/26 closed, 2026/27 current, the five groups with the demo capacities.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from detsad.accounts.models import Membership, User
from detsad.core.access import Actor
from detsad.core.demo import MAIN_GROUPS
from detsad.core.middleware import actor_for
from detsad.core.models import AcademicYear, Group, Organization
from detsad.core.permissions import Role

DATA = Path(__file__).resolve().parents[3] / "tests" / "data"
TODAY = dt.date(2026, 11, 29)


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


@pytest.fixture
def ds24(world):
    """An organization with the five groups of д/с № 24, a coordinator and an HR user."""
    org = Organization.objects.create(
        municipality=world.municipality,
        full_name="Муниципальное бюджетное дошкольное образовательное учреждение детский сад № 24",
        short_name="МБДОУ д/с № 24",
        number="24",
        inn="2332000024",
        account_number_pattern="24NNNN",
    )
    AcademicYear.objects.create(
        organization=org,
        start=dt.date(2025, 9, 1),
        end=dt.date(2026, 8, 31),
        state=AcademicYear.State.CLOSED,
    )
    AcademicYear.objects.create(
        organization=org, start=dt.date(2026, 9, 1), end=dt.date(2027, 8, 31), is_current=True
    )
    for name, category, capacity, _room in MAIN_GROUPS:
        Group.objects.create(organization=org, name=name, age_category=category, capacity=capacity)
    users = {}
    for role in (Role.COORDINATOR, Role.HR, Role.EDUCATOR, Role.HEAD):
        user = User.objects.create(username=f"ds24_{role}", last_name=role)
        Membership.objects.create(
            user=user, organization=org, municipality=world.municipality, role=role
        )
        users[role] = user
    org.users = users
    return org


def actor_of(org, role: str = Role.COORDINATOR, today: dt.date = TODAY) -> Actor:
    """The actor of the organization's user with `role`, with «today» pinned."""
    actor = actor_for(org.users[role], f"org:{org.pk}")
    actor.today = today
    return actor


def groups_of(org) -> dict[str, Group]:
    return {g.name: g for g in Group.objects.filter(organization=org)}
