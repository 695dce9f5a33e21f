"""Shared pytest fixtures: the test world (detsad.testing) and logged-in clients."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from detsad.testing import build_world

    with django_db_blocker.unblock():
        build_world()


@pytest.fixture
def world(db):
    """The canonical world (two organizations of one municipality and one outsider)."""
    from detsad.testing import build_world, load_world

    build_world()  # no-op unless a transactional test flushed the database
    return load_world()


@pytest.fixture
def login(client):
    """``login(user, context=None)`` → the test client logged in, with the active context."""
    from detsad.core.middleware import SESSION_KEY

    def _login(user, context=None):
        client.force_login(user)
        if context is not None:
            session = client.session
            session[SESSION_KEY] = context
            session.save()
        return client

    return _login


@pytest.fixture
def as_role(login, world):
    """``as_role("coordinator", org="a")`` → a client logged in as that role of that org."""

    def _as(role, org="a"):
        if role == "dept_officer":
            return login(
                world.dept_officers["m1" if org in ("a", "b") else "m2"],
                f"mun:{(world.municipality if org in ('a', 'b') else world.other_municipality).pk}",
            )
        ow = world.orgs[org]
        return login(ow.users[role], f"org:{ow.org.pk}")

    return _as
