from detsad.core.permissions import Area
from detsad.core.registry import MenuItem

MENU = [
    MenuItem(
        "Воспитанники",
        "people:child_list",
        Area.CHILDREN,
        section="Личные дела",
        rows=True,
        order=10,
        roles=("head", "coordinator", "sysadmin", "educator", "hr"),
    ),
    MenuItem(
        "Родители",
        "people:guardian_list",
        Area.CHILDREN,
        section="Личные дела",
        rows=True,
        order=20,
        roles=("head", "coordinator", "sysadmin", "educator", "hr"),
    ),
    MenuItem(
        "Сотрудники",
        "people:staff_list",
        Area.STAFF,
        section="Личные дела",
        rows=True,
        order=30,
        roles=("head", "coordinator", "sysadmin", "hr"),
    ),
]
