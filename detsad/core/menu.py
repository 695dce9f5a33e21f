from detsad.core.permissions import Area
from detsad.core.registry import MenuItem

MENU = [
    MenuItem(
        "Организация",
        "core:organization",
        Area.ORGANIZATION,
        section="Организация",
        order=10,
        roles=("head", "coordinator", "sysadmin", "educator", "hr", "committee_rep"),
    ),
    MenuItem(
        "Организации района",
        "core:organization_list",
        Area.ORGANIZATION,
        section="Организация",
        order=5,
        roles=("dept_officer",),
    ),
    MenuItem("Группы", "core:group_list", Area.ORGANIZATION, section="Организация", order=20),
    MenuItem(
        "Календарь",
        "core:calendar",
        Area.ORGANIZATION,
        section="Организация",
        order=30,
        roles=("head", "coordinator", "sysadmin", "educator", "hr"),
    ),
]
