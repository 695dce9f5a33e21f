from detsad.core.permissions import Area
from detsad.core.registry import MenuItem

ADMIN = ("head", "coordinator", "sysadmin")

MENU = [
    MenuItem(
        "Учётные записи",
        "accounts:user_list",
        Area.ACCOUNTS,
        section="Администрирование",
        order=10,
        roles=ADMIN,
    ),
    MenuItem(
        "Права ролей",
        "accounts:rights",
        Area.ACCOUNTS,
        section="Администрирование",
        order=20,
        roles=ADMIN,
    ),
    MenuItem(
        "Выдача паролей",
        "accounts:slips",
        Area.ACCOUNTS,
        write=True,
        section="Администрирование",
        order=30,
        roles=("sysadmin",),
    ),
    MenuItem(
        "Журнал выдачи паролей",
        "accounts:issue_list",
        Area.ACCOUNTS,
        section="Администрирование",
        order=40,
        roles=ADMIN,
    ),
    MenuItem(
        "Блокировки входа",
        "accounts:lockouts",
        Area.ACCOUNTS,
        write=True,
        section="Администрирование",
        order=50,
        roles=("sysadmin",),
    ),
    MenuItem(
        "Журнал изменений", "core:audit_list", Area.AUDIT, section="Администрирование", order=60
    ),
]
