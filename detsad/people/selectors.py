"""Scoped reads of personal files for lists, detail pages and pickers.

The child's current group is read from the movement book's derived placements through
the ``placements`` relation (a FilteredRelation on today's date), never stored here.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, FilteredRelation, Prefetch, Q, QuerySet

from detsad.core.access import Actor, scoped
from detsad.core.permissions import Area, Scope

from .models import Child, ChildGuardian, Guardian, PersonalAccount, Staff


def _placement_on(day: dt.date) -> FilteredRelation:
    return FilteredRelation(
        "placements",
        condition=Q(placements__start__lte=day)
        & (Q(placements__end__isnull=True) | Q(placements__end__gte=day)),
    )


def children_list(
    actor: Actor,
    *,
    q: str = "",
    group_id: int | None = None,
    age: int | None = None,
    sex: str = "",
    archived: bool = False,
    on: dt.date | None = None,
) -> QuerySet[Child]:
    """Children the actor may see, with today's group (``group_name``, ``group_pk``).

    Filters: `q` — surname/name/patronymic/account/certificate fragment (case-insensitive);
    `group_id` — in that group on `on`; `age` — full years on `on`; `sex` — M/F;
    `archived` — archived files instead of active ones. Two queries for any number of rows.
    """
    on = on or actor.today
    qs = scoped(actor, Child.objects.all(), Area.CHILDREN)
    qs = qs.filter(archived_at__isnull=not archived)
    qs = qs.annotate(today_placement=_placement_on(on)).annotate(
        group_name=F("today_placement__group__name"),
        group_pk=F("today_placement__group_id"),
    )
    if q:
        for word in q.split():
            qs = qs.filter(
                Q(last_name__icontains=word)
                | Q(first_name__icontains=word)
                | Q(patronymic__icontains=word)
                | Q(accounts__number=word)
                | Q(birth_certificate_number=word)
            )
        qs = qs.distinct()
    if group_id:
        qs = qs.filter(today_placement__group_id=group_id)
    if age is not None:
        # age full years on `on`: born in (on - (age+1) years, on - age years]
        latest = _years_before(on, age)
        earliest = _years_before(on, age + 1) + dt.timedelta(days=1)
        qs = qs.filter(birth_date__range=(earliest, latest))
    if sex:
        qs = qs.filter(sex=sex)
    return qs.order_by("last_name", "first_name", "patronymic", "pk")


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def child_detail(actor: Actor, pk: int):
    """One child within scope with guardians and accounts prefetched (404 outside scope)."""
    from detsad.core.access import get_scoped_or_404

    qs = Child.objects.select_related("organization").prefetch_related(
        Prefetch(
            "guardian_links",
            queryset=ChildGuardian.objects.select_related("guardian").order_by("pk"),
        ),
        "accounts",
    )
    return get_scoped_or_404(actor, qs, Area.CHILDREN, pk=pk)


def guardian_contacts_visible(actor: Actor, guardian: Guardian) -> bool:
    """True when `actor` may see `guardian`'s contacts and documents, not only the name.

    Staff with any wider scope of children (organization, own groups …) see every guardian
    they reach; a parent (only "own children") sees their own record in full, and of the
    child's other guardian(s) just the name and relation (152-FZ: another adult's personal
    data). The same rule as the guardian's file (Guardian policy: a parent opens only their
    own); no queries.
    """
    scopes = actor.scope_of(Area.CHILDREN)
    if actor.is_system or actor.is_superuser or scopes - {Scope.OWN_CHILDREN}:
        return True
    user = getattr(actor, "user", None)
    return bool(scopes) and user is not None and guardian.user_id == user.pk


def guardians_list(actor: Actor, *, q: str = "") -> QuerySet[Guardian]:
    qs = scoped(actor, Guardian.objects.filter(archived_at__isnull=True), Area.CHILDREN)
    for word in q.split():
        qs = qs.filter(
            Q(last_name__icontains=word)
            | Q(first_name__icontains=word)
            | Q(patronymic__icontains=word)
            | Q(phone__contains=word)
        )
    return qs.prefetch_related(
        Prefetch("child_links", queryset=ChildGuardian.objects.select_related("child"))
    ).order_by("last_name", "first_name", "pk")


def staff_list(actor: Actor, *, q: str = "", archived: bool = False) -> QuerySet[Staff]:
    qs = scoped(actor, Staff.objects.select_related("user"), Area.STAFF)
    qs = qs.filter(archived_at__isnull=not archived)
    for word in q.split():
        qs = qs.filter(
            Q(last_name__icontains=word)
            | Q(first_name__icontains=word)
            | Q(position__icontains=word)
        )
    return qs.order_by("last_name", "first_name", "pk")


def account_of(child: Child) -> PersonalAccount | None:
    return next(iter(child.accounts.all()), None)
