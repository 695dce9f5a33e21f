from detsad.core.permissions import Area
from detsad.core.registry import MenuItem

STAFF = ("head", "coordinator", "sysadmin", "educator", "hr")
WRITERS = ("head", "coordinator", "hr")

MENU = [
    MenuItem(
        "Книга движения", "movement:book", Area.MOVEMENT, section="Движение", order=10, roles=STAFF
    ),
    MenuItem(
        "Приказы",
        "movement:order_list",
        Area.MOVEMENT,
        section="Движение",
        order=20,
        # the department officer: the registry with counts, no names (selectors)
        roles=(*STAFF, "dept_officer"),
    ),
    MenuItem(
        "Зачислить",
        "movement:enroll",
        Area.MOVEMENT,
        write=True,
        section="Движение",
        order=30,
        roles=WRITERS,
    ),
    MenuItem(
        "Перевести",
        "movement:transfer",
        Area.MOVEMENT,
        write=True,
        section="Движение",
        order=40,
        roles=WRITERS,
    ),
    MenuItem(
        "Отчислить",
        "movement:withdraw",
        Area.MOVEMENT,
        write=True,
        section="Движение",
        order=50,
        roles=WRITERS,
    ),
    MenuItem(
        "Шаблоны документов",
        "movement:template_list",
        Area.MOVEMENT,
        write=True,
        section="Движение",
        order=60,
        roles=WRITERS,
    ),
    MenuItem(
        "Движение воспитанников",
        "movement:report_movement",
        Area.MOVEMENT,
        section="Отчёты",
        order=30,
    ),
    MenuItem(
        "Наполняемость групп",
        "movement:report_occupancy",
        Area.MOVEMENT,
        section="Отчёты",
        order=31,
    ),
]
