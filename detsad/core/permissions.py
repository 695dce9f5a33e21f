"""Roles and the rights matrix: the single definition the access layer enforces and the
accounts pages show (DESIGN.md §4 table).

A right is a level (read or write) over an *area* with a *scope* saying which rows:

- ``org``: every row of the active organization;
- ``municipality``: every row of every organization of the user's municipality;
- ``own_groups``: rows of the groups the educator is bound to (Membership.groups);
- ``own_children``: rows of the children the person is a guardian of;
- ``own``: the person's own record (own account, own staff file, own portfolio);
- ``aggregates``: no personal rows, only aggregate reports.

Extras name special powers inside an area: ``sign`` (head signs orders), ``moderate``
(forum), ``approve`` (documents), ``notices`` (absence notices of parents), ``published``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models


class Role(models.TextChoices):
    """A person's role in an organization (or, for dept_officer, in the municipality)."""

    HEAD = "head", "заведующий"
    COORDINATOR = "coordinator", "координатор"
    SYSADMIN = "sysadmin", "системный администратор"
    EDUCATOR = "educator", "воспитатель"
    HR = "hr", "специалист по кадрам"
    PARENT = "parent", "родитель (законный представитель)"
    COMMITTEE_REP = "committee_rep", "представитель родительского комитета"
    DEPT_OFFICER = "dept_officer", "специалист управления образованием"


STAFF_ROLES = frozenset({Role.HEAD, Role.COORDINATOR, Role.SYSADMIN, Role.EDUCATOR, Role.HR})


class Scope(models.TextChoices):
    ORG = "org", "вся организация"
    MUNICIPALITY = "municipality", "все организации района"
    OWN_GROUPS = "own_groups", "свои группы"
    OWN_CHILDREN = "own_children", "свои дети"
    OWN = "own", "только своё"
    AGGREGATES = "aggregates", "только сводные данные"


@dataclass(frozen=True)
class Right:
    """What one role may do in one area."""

    write: bool
    scope: str = Scope.ORG
    extras: frozenset[str] = field(default_factory=frozenset)

    @property
    def label(self) -> str:
        level = "чтение и запись" if self.write else "чтение"
        if self.scope == Scope.AGGREGATES:
            level = "сводные данные"
        parts = [level]
        if self.scope not in (Scope.ORG, Scope.AGGREGATES):
            parts.append(Scope(self.scope).label)
        extra_labels = {
            "sign": "подписывает приказы",
            "moderate": "модерирует",
            "approve": "утверждает",
            "notices": "уведомления об отсутствии",
            "published": "только опубликованное",
            "staff_reports": "кадровые отчёты",
            "dept_notices": "объявления УО",
        }
        parts += [extra_labels.get(e, e) for e in sorted(self.extras)]
        return ", ".join(parts)


def R(scope: str = Scope.ORG, *extras: str) -> Right:
    return Right(write=False, scope=scope, extras=frozenset(extras))


def W(scope: str = Scope.ORG, *extras: str) -> Right:
    return Right(write=True, scope=scope, extras=frozenset(extras))


class Area(models.TextChoices):
    """Areas of the rights matrix (rows of the DESIGN.md §4 table)."""

    ORGANIZATION = "organization", "сведения об организации, группы"
    ACCOUNTS = "accounts", "учётные записи, роли, пароли"
    CHILDREN = "children", "личные дела: воспитанники, родители"
    STAFF = "staff", "личные дела: сотрудники"
    MOVEMENT = "movement", "книга движения, приказы"
    SCHEDULE = "schedule", "расписание, тематические планы"
    ATTENDANCE = "attendance", "посещаемость"
    FEES = "fees", "родительская плата, платежи"
    REPORTS = "reports", "отчёты"
    AUDIT = "audit", "журнал изменений"
    FORUM = "forum", "доска объявлений, форум"
    DOCUMENTS = "documents", "документы"
    PORTFOLIO = "portfolio", "портфолио"


A = Area
S = Scope

#: The matrix itself. Missing role = no access to the area.
RIGHTS: dict[str, dict[str, Right]] = {
    A.ORGANIZATION: {
        Role.HEAD: R(),
        Role.COORDINATOR: W(),
        Role.SYSADMIN: W(),
        Role.EDUCATOR: R(),
        Role.HR: R(),
        Role.COMMITTEE_REP: R(),
        Role.DEPT_OFFICER: R(S.MUNICIPALITY),
    },
    A.ACCOUNTS: {
        Role.HEAD: R(),
        Role.COORDINATOR: R(),
        Role.SYSADMIN: W(),
        Role.PARENT: W(S.OWN),
        Role.COMMITTEE_REP: W(S.OWN),
    },
    A.CHILDREN: {
        Role.HEAD: R(),
        Role.COORDINATOR: W(),
        Role.SYSADMIN: R(),
        Role.EDUCATOR: R(S.OWN_GROUPS),
        Role.HR: W(),
        Role.PARENT: R(S.OWN_CHILDREN),
        Role.DEPT_OFFICER: R(S.AGGREGATES),
    },
    A.STAFF: {
        Role.HEAD: R(),
        Role.COORDINATOR: R(),
        Role.SYSADMIN: R(),
        Role.EDUCATOR: R(S.OWN),
        Role.HR: W(),
        Role.DEPT_OFFICER: R(S.AGGREGATES),
    },
    A.MOVEMENT: {
        Role.HEAD: W(S.ORG, "sign"),
        Role.COORDINATOR: W(),
        Role.SYSADMIN: R(),
        Role.EDUCATOR: R(S.OWN_GROUPS),
        Role.HR: W(),
        Role.DEPT_OFFICER: R(S.MUNICIPALITY),
    },
    A.SCHEDULE: {
        Role.HEAD: R(),
        Role.COORDINATOR: W(),
        Role.SYSADMIN: R(),
        Role.EDUCATOR: W(S.OWN_GROUPS),
        Role.PARENT: R(S.OWN_CHILDREN),
        Role.COMMITTEE_REP: R(),
    },
    A.ATTENDANCE: {
        Role.HEAD: R(),
        Role.COORDINATOR: W(),
        Role.SYSADMIN: R(),
        Role.EDUCATOR: W(S.OWN_GROUPS),
        Role.PARENT: R(S.OWN_CHILDREN, "notices"),
        Role.DEPT_OFFICER: R(S.AGGREGATES),
    },
    A.FEES: {
        Role.HEAD: R(),
        Role.COORDINATOR: W(),
        Role.SYSADMIN: R(),
        Role.EDUCATOR: W(S.OWN_GROUPS),
        Role.PARENT: R(S.OWN_CHILDREN),
        Role.DEPT_OFFICER: R(S.AGGREGATES),
    },
    A.REPORTS: {
        Role.HEAD: R(),
        Role.COORDINATOR: R(),
        Role.EDUCATOR: R(S.OWN_GROUPS),
        Role.HR: R(S.ORG, "staff_reports"),
        Role.DEPT_OFFICER: R(S.MUNICIPALITY),
    },
    A.AUDIT: {
        Role.HEAD: R(),
        Role.COORDINATOR: R(),
        Role.SYSADMIN: R(),
    },
    A.FORUM: {
        Role.HEAD: W(),
        Role.COORDINATOR: W(S.ORG, "moderate"),
        Role.SYSADMIN: W(S.ORG, "moderate"),
        Role.EDUCATOR: W(S.OWN_GROUPS, "moderate"),
        Role.HR: W(),
        Role.PARENT: W(S.OWN_CHILDREN),
        Role.COMMITTEE_REP: W(),
        Role.DEPT_OFFICER: W(S.MUNICIPALITY, "dept_notices"),
    },
    A.DOCUMENTS: {
        Role.HEAD: W(S.ORG, "approve"),
        Role.COORDINATOR: W(),
        Role.SYSADMIN: R(),
        Role.EDUCATOR: R(),
        Role.HR: W(),
        Role.DEPT_OFFICER: R(S.MUNICIPALITY, "published"),
    },
    A.PORTFOLIO: {
        Role.HEAD: R(),
        Role.COORDINATOR: R(),
        Role.EDUCATOR: W(S.OWN),
        Role.HR: R(),
        Role.DEPT_OFFICER: R(S.MUNICIPALITY, "published"),
    },
}


def right_of(role: str, area: str) -> Right | None:
    """Return the right of `role` in `area`, or None when the role has no access."""
    return RIGHTS.get(area, {}).get(role)


def matrix() -> list[tuple[str, list[str]]]:
    """Rows for the readable rights page: (area label, [cell label per Role])."""
    rows = []
    for area in Area:
        cells = []
        for role in Role:
            right = right_of(role, area)
            cells.append(right.label if right else "—")
        rows.append((area.label, cells))
    return rows
