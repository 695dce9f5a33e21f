"""Demo accounts: one login for every role, printed by ``manage.py demo_accounts``.

Runs in the ``finish`` pass of every batch, after people and movement exist: every
educator of the batch gets a login ``educator<staff id>`` bound to their group (the load
test logs in with them); the batch holding «МБДОУ д/с № 24» also gets the named demo logins.
All demo logins share the password DEMO_PASSWORD; it is hashed once per build and the hash
reused, so building a district of a thousand educators stays fast.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from detsad.core.demo import DemoContext
from detsad.core.permissions import Role
from detsad.people.models import ChildGuardian, Guardian

from .models import Membership, User

DEMO_PASSWORD = "detsad2026"

#: login → (role, description); the order is the order printed.
DEMO_LOGINS = {
    "head": (Role.HEAD, "заведующий"),
    "coordinator": (Role.COORDINATOR, "координатор"),
    "sysadmin": (Role.SYSADMIN, "системный администратор двух детских садов"),
    "educator": (Role.EDUCATOR, "воспитатель группы «Солнышко»"),
    "hr": (Role.HR, "специалист по кадрам"),
    "parent": (Role.PARENT, "родитель"),
    "committee": (Role.COMMITTEE_REP, "представитель родительского комитета"),
    "uo": (Role.DEPT_OFFICER, "специалист управления образованием"),
    "head7": (Role.HEAD, "заведующий другого детского сада"),
    "admin": ("superuser", "суперпользователь (администратор установки)"),
}


def finish(ctx: DemoContext) -> None:
    password = ctx.data.get("password_hash") or make_password(DEMO_PASSWORD)
    staff_by_org: dict[int, list] = {}
    for s in ctx.data["staff"]:
        staff_by_org.setdefault(s.organization_id, []).append(s)
    if ctx.main_org is None or ctx.main_org.pk not in staff_by_org:
        _educator_logins(ctx, password, staff_by_org)
        return
    org = ctx.main_org
    user_for = _user_factory(password)
    users, memberships, links = [], [], []  # links: (user index, person)
    staff_main = staff_by_org[org.pk]
    by_position = {}
    for s in staff_main:
        by_position.setdefault(s.position, []).append(s)
    groups = {g.name: g for g in ctx.groups[org.pk]}
    educators_main = by_position["Воспитатель"]
    role_people = {
        "head": by_position["Заведующий"][0],
        "coordinator": by_position["Старший воспитатель"][0],
        "sysadmin": by_position["Инженер-программист"][0],
        "hr": by_position["Специалист по кадрам"][0],
        "educator": educators_main[
            2
        ],  # the first educator of «Солнышко» (two per group, in group order)
    }
    for login in ("head", "coordinator", "sysadmin", "educator", "hr"):
        person = role_people[login]
        users.append(user_for(login, person, f"{login}@ds24.example.ru"))
        memberships.append(
            (
                len(users) - 1,
                org,
                DEMO_LOGINS[login][0],
                [groups["Солнышко"]] if login == "educator" else [],
            )
        )
        links.append((len(users) - 1, person))
    # every other educator of the district gets a login educator<staff id> bound to their group
    _add_educators(ctx, staff_by_org, user_for, users, memberships, links, role_people["educator"])
    # the parent: a mother in «Солнышко», preferably one with two children in the kindergarten
    sun_children = [
        c
        for c, g, _e in ctx.data["placements"]
        if g.pk == groups["Солнышко"].pk and c not in ctx.data.get("withdrawn", [])
    ]
    mother_links = ChildGuardian.objects.filter(
        child__in=sun_children, relation="mother"
    ).select_related("guardian")
    counts = {}
    for link in ChildGuardian.objects.filter(guardian__in=[m.guardian for m in mother_links]):
        counts[link.guardian_id] = counts.get(link.guardian_id, 0) + 1
    parent = max((m.guardian for m in mother_links), key=lambda g: (counts.get(g.pk, 0), -g.pk))
    committee = next(m.guardian for m in mother_links if m.guardian_id != parent.pk)
    users.append(user_for("parent", parent, parent.email))
    memberships.append((len(users) - 1, org, Role.PARENT, []))
    links.append((len(users) - 1, parent))
    users.append(user_for("committee", committee, "committee@mail.example.ru"))
    memberships.append((len(users) - 1, org, Role.COMMITTEE_REP, []))
    memberships.append((len(users) - 1, org, Role.PARENT, []))
    links.append((len(users) - 1, committee))
    # department officer and the head of another kindergarten, and the superuser
    ctx.reseed("accounts", "uo")
    users.append(
        User(
            username="uo",
            password=password,
            last_name=ctx.fake.last_name_female(),
            first_name=ctx.fake.first_name_female(),
            patronymic=ctx.fake.middle_name_female(),
            email="uo@kavkaz-edu.example.ru",
        )
    )
    memberships.append((len(users) - 1, None, Role.DEPT_OFFICER, []))
    other = next(o for o in ctx.organizations if o != org)
    head7 = next(s for s in staff_by_org[other.pk] if s.position == "Заведующий")
    users.append(user_for("head7", head7, f"head@ds{other.number}.example.ru"))
    memberships.append((len(users) - 1, other, Role.HEAD, []))
    links.append((len(users) - 1, head7))
    # the sysadmin also serves the other kindergarten: a person with two memberships
    # switches the active kindergarten in the header (its first membership is the default)
    sysadmin = next(i for i, u in enumerate(users) if u.username == "sysadmin")
    memberships.append((sysadmin, other, Role.SYSADMIN, []))
    users.append(
        User(
            username="admin",
            password=password,
            last_name="Администратор",
            first_name="Установки",
            is_superuser=True,
            is_staff=True,
            email="admin@kavkaz-edu.example.ru",
        )
    )
    _save(ctx, users, memberships, links)
    ctx.detail(
        f"Учётные записи: {len(users)} (демо-входы: {', '.join(DEMO_LOGINS)}; пароль {DEMO_PASSWORD})"
    )


def _user_factory(password: str):
    """``user_for(login, person, email="")``: an unsaved User named after a staff/guardian file."""

    def user_for(login, person, email=""):
        return User(
            username=login,
            password=password,
            last_name=person.last_name,
            first_name=person.first_name,
            patronymic=person.patronymic,
            email=email,
        )

    return user_for


def _add_educators(ctx, staff_by_org, user_for, users, memberships, links, skip=None) -> None:
    """A login ``educator<staff id>`` for every educator of the batch, bound to the group
    they work in (two educators per group, in group order)."""
    for o in ctx.organizations:
        educators = [s for s in staff_by_org[o.pk] if s.position == "Воспитатель"]
        for i, s in enumerate(educators):
            if s is skip:
                continue
            users.append(user_for(f"educator{s.pk}", s))
            memberships.append((len(users) - 1, o, Role.EDUCATOR, [ctx.groups[o.pk][i // 2]]))
            links.append((len(users) - 1, s))


def _educator_logins(ctx: DemoContext, password: str, staff_by_org) -> None:
    """A batch without the main kindergarten: only the educators' logins."""
    ctx.data["password_hash"] = password
    users, memberships, links = [], [], []
    _add_educators(ctx, staff_by_org, _user_factory(password), users, memberships, links)
    _save(ctx, users, memberships, links)


def _save(ctx: DemoContext, users, memberships, links) -> None:
    """Insert users, their memberships (with groups) and link them to staff/guardian files."""
    User.objects.bulk_create(users, batch_size=1000)
    rows = [
        Membership(
            user=users[ui],
            organization=o,
            municipality=o.municipality if o is not None else ctx.municipality,
            role=role,
        )
        for ui, o, role, _g in memberships
    ]
    Membership.objects.bulk_create(rows, batch_size=1000)
    through = Membership.groups.through
    through.objects.bulk_create(
        [
            through(membership_id=m.pk, group_id=g.pk)
            for m, (_ui, _o, _r, gs) in zip(rows, memberships, strict=True)
            for g in gs
        ],
        batch_size=2000,
    )
    staff_updates, guardian_updates = [], []
    for ui, person in links:
        person.user = users[ui]
        (guardian_updates if isinstance(person, Guardian) else staff_updates).append(person)
    if staff_updates:
        type(staff_updates[0]).objects.bulk_update(staff_updates, ["user"], batch_size=1000)
    if guardian_updates:
        Guardian.objects.bulk_update(guardian_updates, ["user"])
    ctx.count("users", len(users))
