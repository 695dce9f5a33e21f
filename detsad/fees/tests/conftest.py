"""Fixtures of the fee tests: the world with its fee reference data, and small helpers."""

from __future__ import annotations

import pytest


@pytest.fixture
def fw(world):
    """The world with the fee reference data of `detsad.fees.tests.world`."""
    from . import world as fees_world

    fees_world.build(world)
    return world
