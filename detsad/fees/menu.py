from detsad.core.permissions import Area
from detsad.core.registry import MenuItem

SECTION = "Родительская плата"
OFFICE = ("head", "coordinator", "sysadmin")

MENU = [
    MenuItem("Оплата детского сада", "fees:my", Area.FEES, rows=True, order=60, roles=("parent",)),
    MenuItem("Расчёт за месяц", "fees:index", Area.FEES, section=SECTION, order=10, roles=OFFICE),
    MenuItem(
        "Лицевые счета",
        "fees:accounts",
        Area.FEES,
        section=SECTION,
        rows=True,
        order=20,
        roles=(*OFFICE, "educator"),
    ),
    MenuItem("Платежи", "fees:payments", Area.FEES, section=SECTION, order=30, roles=OFFICE),
    MenuItem(
        "Загрузка выписки банка",
        "fees:payment_import",
        Area.FEES,
        write=True,
        section=SECTION,
        order=40,
        roles=("coordinator",),
    ),
    MenuItem(
        "Квитанции",
        "fees:receipts",
        Area.FEES,
        section=SECTION,
        rows=True,
        order=50,
        roles=(*OFFICE, "educator"),
    ),
    MenuItem("Льготы", "fees:benefits", Area.FEES, section=SECTION, order=60, roles=OFFICE),
    MenuItem(
        "Тарифы и правила",
        "fees:setup",
        Area.FEES,
        section=SECTION,
        order=70,
        roles=(*OFFICE, "dept_officer"),
    ),
    MenuItem(
        "Оборотная ведомость (плата)",
        "fees:turnover",
        Area.FEES,
        section="Отчёты",
        rows=True,
        order=40,
        roles=(*OFFICE, "educator"),
    ),
    MenuItem(
        "Должники по плате",
        "fees:debtors",
        Area.FEES,
        section="Отчёты",
        rows=True,
        order=41,
        roles=(*OFFICE, "educator"),
    ),
    MenuItem(
        "Родительская плата: сводка",
        "fees:summary",
        Area.FEES,
        section="Отчёты",
        order=42,
        roles=("head", "coordinator", "dept_officer"),
    ),
    MenuItem(
        "Реестр компенсации",
        "fees:compensation",
        Area.FEES,
        section="Отчёты",
        order=43,
        roles=OFFICE,
    ),
]
