"""What the benchmark's pages are measured on: the demo logins and representative rows of
the built district, looked up once (cached) after the build.

A page entry in bench/pages.py reads these attributes to build its URL and its floor SQL;
a new page that needs another row adds a cached property here.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.db import connection
from django.db.models import Count


def table(model) -> str:
    """The quoted table name of `model`, for hand-written floor SQL."""
    return connection.ops.quote_name(model._meta.db_table)


def icontains(column: str) -> str:
    """Case-insensitive substring match, written as Django writes ``icontains``: PostgreSQL
    folds with UPPER(); SQLite's LIKE is replaced by a Unicode-aware one (core/sqlite.py)."""
    if connection.vendor == "postgresql":
        return f"UPPER({column}::text) LIKE UPPER(%s)"
    return f"{column} LIKE %s ESCAPE '\\'"


class Fixture:
    """Rows of the benchmark database (the demo district at any scale)."""

    @cached_property
    def municipality(self):
        from detsad.core.demo import DEMO_MUNICIPALITY
        from detsad.core.models import Municipality

        return Municipality.objects.get(name=DEMO_MUNICIPALITY)

    @cached_property
    def org(self):
        """«МБДОУ д/с № 24», the kindergarten of the demo logins."""
        from detsad.core.demo import MAIN_ORG_SHORT
        from detsad.core.models import Organization

        return Organization.objects.get(municipality=self.municipality, short_name=MAIN_ORG_SHORT)

    @cached_property
    def today(self) -> dt.date:
        from detsad.core.access import local_today

        return local_today(self.municipality)

    def user(self, login: str):
        from detsad.accounts.models import User

        return User.objects.get(username=login)

    @cached_property
    def group(self):
        """The largest group of the kindergarten today (most children on its page)."""
        from detsad.core.models import Group
        from detsad.movement.models import Placement

        counts = (
            Placement.objects.filter(organization=self.org, start__lte=self.today)
            .exclude(end__lt=self.today)
            .values("group_id")
            .annotate(n=Count("pk"))
            .order_by("-n", "group_id")
        )
        return Group.objects.get(pk=counts[0]["group_id"])

    @cached_property
    def child(self):
        """A child of the kindergarten with the most guardians and movement events."""
        from detsad.people.models import Child

        return (
            Child.objects.filter(organization=self.org, archived_at__isnull=True)
            .annotate(
                g=Count("guardian_links", distinct=True),
                e=Count("movement_events", distinct=True),
            )
            .order_by("-e", "-g", "pk")
            .first()
        )

    @cached_property
    def search(self) -> str:
        """A search fragment matching many children: the commonest 3-letter surname start."""
        from detsad.people.models import Child

        starts: dict[str, int] = {}
        for last in Child.objects.filter(organization=self.org).values_list("last_name", flat=True):
            starts[last[:3]] = starts.get(last[:3], 0) + 1
        return max(sorted(starts), key=lambda s: starts[s])
