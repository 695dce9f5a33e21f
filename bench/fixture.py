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

    # --- attendance and fees -----------------------------------------------------------

    @cached_property
    def work_day(self) -> dt.date:
        """The last working day of the kindergarten up to today (the journal's "today")."""
        from detsad.attendance.selectors import last_working_day

        return last_working_day(self.org, self.today)

    @cached_property
    def month(self) -> dt.date:
        """First day of the last complete month (the timesheet and month grid shown)."""
        first = self.today.replace(day=1)
        return (first - dt.timedelta(days=1)).replace(day=1)

    @cached_property
    def month_end(self) -> dt.date:
        return (self.month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)

    @cached_property
    def year_start(self) -> dt.date:
        """The day a year before today: the yearly reports cover [year_start, today]."""
        return self.today - dt.timedelta(days=365)

    @cached_property
    def day_children(self) -> list[int]:
        """Ids of the children of `group` on `work_day` (the rows of the "today" page)."""
        from detsad.movement.selectors import children_in

        return sorted(children_in(self.group, self.work_day).values_list("pk", flat=True))

    @cached_property
    def reasons(self) -> dict[str, int]:
        """Absence reason code → id of the demo municipality."""
        from detsad.attendance.models import AbsenceReason

        return dict(
            AbsenceReason.objects.filter(municipality=self.municipality).values_list("code", "pk")
        )

    @cached_property
    def account_numbers(self) -> list[str]:
        """Personal account numbers of the kindergarten (payments of the bank statement)."""
        from detsad.people.models import PersonalAccount

        return list(
            PersonalAccount.objects.filter(organization=self.org)
            .order_by("number")
            .values_list("number", flat=True)
        )

    @cached_property
    def fee_window(self) -> tuple[dt.date, dt.date]:
        """Months a fee run of this month recomputes: the academic year so far (first days)."""
        from detsad.core.models import AcademicYear

        return AcademicYear.bounds_for(self.today)[0], self.today.replace(day=1)
