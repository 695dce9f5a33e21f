"""The benchmark's pages: adding one is one entry in `PAGES`.

Each `Page` says who opens it (a demo login), how to build its URL from the `Fixture`
(bench/fixture.py), the *floor* — the minimal hand-written SQL that fetches the same data
the page shows, run with a bare cursor — and its targets (issue 7):

- ``target_ms``: p95 server time (100 ms for a page; other targets for heavy actions);
- ``max_queries``: the page's query bound, which must not grow with the number of rows
  (the same bound holds on the tiny CI dataset and on the district; tests/test_bench_small.py
  checks it on every CI run);
- the page/floor ratio target is `RATIO_TARGET` for every page.

Actions that are not a GET (saving a group-day of marks) give ``method="post"`` and
``data``; work that is not a request at all (the district's monthly fee run) gives
``call`` instead of ``url`` — a function of the fixture, timed as it is.

Floors select only the columns the page shows and use ``%s`` parameters (Django's
cursor adapts them to SQLite). Keep each floor honest: the same rows, the same joins a
careful hand-written implementation would need, no less.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from .fixture import Fixture, icontains, table

RATIO_TARGET = 3.0

SQL = list[tuple[str, list[Any]]]


@dataclass(frozen=True)
class Page:
    name: str  # short id used on the command line (--pages) and in the results
    title: str  # Russian, for the table
    login: str  # demo login that opens it
    floor: Callable[[Fixture], SQL]
    url: Callable[[Fixture], str] | None = None
    call: Callable[[Fixture], Any] | None = None  # timed instead of a request
    method: str = "get"
    data: Callable[[Fixture], dict] | None = None
    status: int = 200
    target_ms: float = 100.0
    max_queries: int | None = None


def _models():
    from detsad.core.models import Group, Organization
    from detsad.movement.models import MovementEvent, Order, Placement
    from detsad.people.models import Child, ChildGuardian, Guardian, PersonalAccount, Staff

    return {
        "org": table(Organization),
        "grp": table(Group),
        "child": table(Child),
        "cg": table(ChildGuardian),
        "guardian": table(Guardian),
        "account": table(PersonalAccount),
        "staff": table(Staff),
        "placement": table(Placement),
        "event": table(MovementEvent),
        "order": table(Order),
    }


# A placement that covers day %s (the "end" column needs quoting: END is an SQL keyword).
ON_DAY = 'p.start <= %s AND (p."end" IS NULL OR p."end" >= %s)'


def floor_dashboard(f: Fixture) -> SQL:
    """Coordinator's home: groups with today's headcount, children counts, staff count."""
    t = _models()
    return [
        (
            f"SELECT g.id, g.name, g.age_category, g.capacity, COUNT(p.id) FROM {t['grp']} g "
            f"LEFT JOIN {t['placement']} p ON p.group_id = g.id AND {ON_DAY} "
            "WHERE g.organization_id = %s AND g.archived_at IS NULL "
            "GROUP BY g.id, g.name, g.age_category, g.capacity ORDER BY g.name",
            [f.today, f.today, f.org.pk],
        ),
        (
            "SELECT COUNT(*), SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM "
            f"{t['cg']} cg WHERE cg.child_id = c.id) THEN 1 ELSE 0 END) FROM {t['child']} c "
            "WHERE c.organization_id = %s AND c.archived_at IS NULL",
            [f.org.pk],
        ),
        (
            f"SELECT COUNT(*) FROM {t['staff']} WHERE organization_id = %s AND archived_at IS NULL",
            [f.org.pk],
        ),
    ]


def floor_child_file(f: Fixture) -> SQL:
    """Child's personal file: the child, guardians, account, group today, movement events."""
    t = _models()
    child = f.child.pk
    return [
        (
            "SELECT last_name, first_name, patronymic, birth_date, sex, birth_certificate_series, "
            "birth_certificate_number, snils, citizenship, address, health_group, is_disabled, "
            f"has_special_needs, allergies, notes, archived_at FROM {t['child']} WHERE id = %s "
            "AND organization_id = %s",
            [child, f.org.pk],
        ),
        (
            "SELECT cg.id, cg.relation, cg.is_legal_representative, g.id, g.last_name, "
            "g.first_name, g.patronymic, g.phone, g.email, g.consent_pd, g.consent_pd_date "
            f"FROM {t['cg']} cg JOIN {t['guardian']} g ON g.id = cg.guardian_id "
            "WHERE cg.child_id = %s ORDER BY cg.id",
            [child],
        ),
        (f"SELECT number FROM {t['account']} WHERE child_id = %s", [child]),
        (
            f"SELECT g.name, g.age_category FROM {t['placement']} p JOIN {t['grp']} g "
            f"ON g.id = p.group_id WHERE p.child_id = %s AND {ON_DAY}",
            [child, f.today, f.today],
        ),
        (
            'SELECT e."on", e.kind, e.reason, e.reason_text, g.name, fg.name, o.number, o.date '
            f"FROM {t['event']} e LEFT JOIN {t['grp']} g ON g.id = e.group_id "
            f"LEFT JOIN {t['grp']} fg ON fg.id = e.from_group_id "
            f"LEFT JOIN {t['order']} o ON o.id = e.order_id "
            'WHERE e.child_id = %s ORDER BY e."on", e.id',
            [child],
        ),
    ]


def floor_children_search(f: Fixture) -> SQL:
    """Children list searched by a surname fragment: the count and the first 50 rows with
    today's group, plus the groups for the filter."""
    t = _models()
    like = f"%{f.search}%"
    where = (
        "c.organization_id = %s AND c.archived_at IS NULL AND ("
        f"{icontains('c.last_name')} OR {icontains('c.first_name')} OR "
        f"{icontains('c.patronymic')})"
    )
    params = [f.org.pk, like, like, like]
    return [
        (f"SELECT id, name FROM {t['grp']} WHERE organization_id = %s ORDER BY name", [f.org.pk]),
        (f"SELECT COUNT(*) FROM {t['child']} c WHERE {where}", params),
        (
            "SELECT c.id, c.last_name, c.first_name, c.patronymic, c.birth_date, c.sex, g.name "
            f"FROM {t['child']} c LEFT JOIN {t['placement']} p ON p.child_id = c.id AND "
            f"{ON_DAY} LEFT JOIN {t['grp']} g ON g.id = p.group_id WHERE {where} "
            "ORDER BY c.last_name, c.first_name, c.patronymic, c.id LIMIT 50",
            [f.today, f.today, *params],
        ),
    ]


def floor_groups(f: Fixture) -> SQL:
    t = _models()
    return [
        (
            "SELECT id, name, age_category, orientation, regime, capacity, room "
            f"FROM {t['grp']} WHERE organization_id = %s AND archived_at IS NULL ORDER BY name",
            [f.org.pk],
        )
    ]


def floor_group_detail(f: Fixture) -> SQL:
    """A group's card with the children in it today."""
    t = _models()
    return [
        (
            "SELECT name, age_category, orientation, regime, capacity, room "
            f"FROM {t['grp']} WHERE id = %s AND organization_id = %s",
            [f.group.pk, f.org.pk],
        ),
        (
            f"SELECT c.id, c.last_name, c.first_name, c.patronymic, c.birth_date FROM {t['child']} c "
            f"JOIN {t['placement']} p ON p.child_id = c.id WHERE p.group_id = %s AND {ON_DAY} "
            "ORDER BY c.last_name, c.first_name, c.patronymic",
            [f.group.pk, f.today, f.today],
        ),
    ]


def floor_organization_card(f: Fixture) -> SQL:
    t = _models()
    return [
        (
            "SELECT full_name, short_name, inn, kpp, ogrn, okpo, oktmo, address, head_name, phone, "
            "email, website, licence_number, licence_date, licence_issuer, payee_name, bank_name, "
            f"bik, bank_account, correspondent_account, kbk FROM {t['org']} WHERE id = %s",
            [f.org.pk],
        )
    ]


def floor_organizations(f: Fixture) -> SQL:
    t = _models()
    return [
        (
            f"SELECT id, short_name, inn, head_name, phone, address FROM {t['org']} "
            "WHERE municipality_id = %s AND archived_at IS NULL ORDER BY short_name",
            [f.municipality.pk],
        )
    ]


PAGES: list[Page] = [
    # --- core, people, movement (foundation) ------------------------------------------
    Page(
        # one row: shows the fixed cost of any page (session, user, roles, menu, layout)
        name="organization",
        title="Карточка организации (база: одна строка)",
        login="coordinator",
        url=lambda f: reverse("core:organization"),
        floor=floor_organization_card,
        max_queries=8,
    ),
    Page(
        name="dashboard",
        title="Главная координатора",
        login="coordinator",
        url=lambda f: reverse("core:dashboard"),
        floor=floor_dashboard,
        max_queries=17,  # widgets of every app: groups, counts, attendance today, fees
    ),
    Page(
        name="child-file",
        title="Личное дело ребёнка",
        login="coordinator",
        url=lambda f: reverse("people:child_detail", args=[f.child.pk]),
        floor=floor_child_file,
        max_queries=24,  # panels of every app: movement, attendance, fees, consents
    ),
    Page(
        name="children-search",
        title="Список детей с поиском",
        login="coordinator",
        url=lambda f: f"{reverse('people:child_list')}?q={f.search}",
        floor=floor_children_search,
        max_queries=10,
    ),
    Page(
        name="groups",
        title="Группы",
        login="coordinator",
        url=lambda f: reverse("core:group_list"),
        floor=floor_groups,
        max_queries=8,
    ),
    Page(
        name="group-detail",
        title="Карточка группы с детьми",
        login="coordinator",
        url=lambda f: reverse("core:group_detail", args=[f.group.pk]),
        floor=floor_group_detail,
        max_queries=9,  # + the educators bound to the group (one query)
    ),
    Page(
        name="organizations",
        title="Организации района (управление образованием)",
        login="uo",
        url=lambda f: reverse("core:organization_list"),
        floor=floor_organizations,
        max_queries=8,
    ),
    # --- attendance (add: group "today" page, saving a group-day, month grid, 0504608) ---
    # --- fees (add: debtors, turnover, fee run of an organization / of the district) -----
    # --- reports (add: department attendance report for a month and for a year) ----------
]
