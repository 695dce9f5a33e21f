from detsad.core.permissions import Area
from detsad.core.registry import MenuItem

STAFF = ("head", "coordinator", "sysadmin", "educator")

MENU = [
    MenuItem(
        "Журнал на сегодня",
        "attendance:today",
        Area.ATTENDANCE,
        section="Посещаемость",
        rows=True,
        roles=STAFF,
        order=10,
    ),
    MenuItem(
        "Табели и закрытие месяца",
        "attendance:months",
        Area.ATTENDANCE,
        section="Посещаемость",
        rows=True,
        roles=STAFF,
        order=20,
    ),
    MenuItem(
        "Уведомления родителей",
        "attendance:notices",
        Area.ATTENDANCE,
        section="Посещаемость",
        rows=True,
        roles=STAFF,
        order=30,
    ),
    MenuItem(
        "Причины отсутствия",
        "attendance:reasons",
        Area.ATTENDANCE,
        section="Посещаемость",
        rows=True,
        roles=STAFF,
        order=40,
    ),
    MenuItem(
        "Посещаемость детей",
        "attendance:notices",
        Area.ATTENDANCE,
        section="",
        rows=True,
        roles=("parent",),
        order=10,
    ),
    MenuItem(
        "Посещаемость",
        "attendance:reports",
        Area.REPORTS,
        section="Отчёты",
        roles=("head", "coordinator", "educator", "dept_officer"),
        order=20,
    ),
]
