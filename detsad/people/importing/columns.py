"""Finding the header row of a children list and mapping its columns by Russian names.

A header is recognised by words, not by position: case, «ё», punctuation and extra spaces
do not matter («Мать: ФИО», «ФИО матери» and «мать фио» are the same column). Accepted
names of each column are in `CHILD_COLUMNS` and `GUARDIAN_ROLES` / `GUARDIAN_ATTRS`; the
user guide (docs/guide-children.md) lists them for people.

Guardian columns name a role (мать, отец, родитель / законный представитель / опекун) and
an attribute (ФИО, телефон, e-mail, место работы); a bare «Телефон» or «E-mail» belongs to
the «Родитель» of the list (the layout of children_combined.csv).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from .reader import Table
from .values import fold, text

#: Header rows are looked for among the first rows of a sheet (titles come above them).
HEADER_SEARCH_ROWS = 30

CHILD_COLUMNS: dict[str, set[str]] = {
    "full_name": {
        "фио",
        "ф и о",
        "фио ребенка",
        "ф и о ребенка",
        "фио воспитанника",
        "фамилия имя отчество",
        "фамилия имя отчество ребенка",
        "воспитанник",
        "ребенок",
    },
    "last_name": {"фамилия", "фамилия ребенка", "фамилия воспитанника"},
    "first_name": {"имя", "имя ребенка", "имя воспитанника"},
    "patronymic": {"отчество", "отчество ребенка", "отчество воспитанника"},
    "birth_date": {
        "дата рождения",
        "дата рождения ребенка",
        "дата рожд",
        "д р",
        "др",
        "день рождения",
    },
    "sex": {"пол", "пол ребенка"},
    "cert_series": {
        "свидетельство о рождении серия",
        "серия свидетельства",
        "серия свидетельства о рождении",
        "св во о рождении серия",
    },
    "cert_number": {
        "свидетельство о рождении номер",
        "номер свидетельства",
        "номер свидетельства о рождении",
        "св во о рождении номер",
    },
    "cert": {
        "свидетельство о рождении",
        "свидетельство о рождении серия номер",
        "свидетельство о рождении серия и номер",
        "серия и номер свидетельства о рождении",
        "св во о рождении",
    },
    "snils": {"снилс", "снилс ребенка"},
    "address": {
        "адрес",
        "адрес проживания",
        "адрес места жительства",
        "место жительства",
        "домашний адрес",
        "адрес регистрации",
    },
    "group": {"группа", "название группы", "наименование группы", "группа ребенка"},
    "enroll_date": {
        "дата зачисления",
        "зачислен",
        "дата поступления",
        "дата приема",
        "дата зачисления в доу",
        "дата зачисления в группу",
    },
    "account": {
        "лицевой счет",
        "л с",
        "лс",
        "номер лицевого счета",
        "лицевой счет ребенка",
        "л сч",
    },
    "health_group": {"группа здоровья"},
    "allergies": {"аллергии", "аллергия"},
    "notes": {"примечание", "примечания"},
    "row_number": {"п п", "n п п", "no п п", "номер п п", "n", "no", "пп"},
}
_CHILD_LOOKUP = {name: key for key, names in CHILD_COLUMNS.items() for name in names}

#: Role words of guardian columns → role key. The relation of «guardian» is guessed from
#: the patronymic (values.relation_from_patronymic), «trustee» is «опекун».
GUARDIAN_ROLES = {
    "мать": "mother",
    "матери": "mother",
    "мама": "mother",
    "мамы": "mother",
    "отец": "father",
    "отца": "father",
    "папа": "father",
    "папы": "father",
    "родитель": "guardian",
    "родителя": "guardian",
    "представитель": "guardian",
    "представителя": "guardian",
    "опекун": "trustee",
    "опекуна": "trustee",
}
ROLE_LABELS = {
    "mother": "мать",
    "father": "отец",
    "guardian": "родитель (законный представитель)",
    "trustee": "опекун",
}
_FILLERS = {"законный", "законного", "законные", "ребенка", "воспитанника", "полностью"}
_NAME_WORDS = {"фио", "ф", "и", "о"}
_PHONE_WORDS = {"телефон", "тел", "телефона", "мобильный", "сотовый", "моб"}
_EMAIL_WORDS = {"mail", "email", "почта", "почты"}
GUARDIAN_ATTRS = {"name": "ФИО", "phone": "телефон", "email": "e-mail", "workplace": "место работы"}

_NOT_WORD = re.compile(r"[^\w]+")


def normalize_header(value) -> str:
    """«Мать: e-mail» → «мать e mail» (the key headers are compared by)."""
    return " ".join(_NOT_WORD.sub(" ", fold(text(value)).replace("_", " ")).split())


def classify(value) -> str | None:
    """The column key of a header cell: a child field (``birth_date``), a guardian
    attribute (``g:mother:phone``) or None when the header is not recognised."""
    header = normalize_header(value)
    if not header:
        return None
    if header in _CHILD_LOOKUP:
        return _CHILD_LOOKUP[header]
    words = header.split()
    role = next((GUARDIAN_ROLES[w] for w in words if w in GUARDIAN_ROLES), None)
    rest = {w for w in words if w not in GUARDIAN_ROLES and w not in _FILLERS}
    if rest & _PHONE_WORDS:
        attr = "phone"
    elif rest & _EMAIL_WORDS or {"e", "mail"} <= rest:
        attr = "email"
    elif "работы" in rest:
        attr = "workplace"
    elif role and rest <= _NAME_WORDS:
        attr = "name"
    else:
        return None
    return f"g:{role or 'guardian'}:{attr}"


@dataclass(frozen=True)
class Column:
    index: int
    title: str  # the header as written in the file (used in messages)
    key: str


@dataclass
class Header:
    """The recognised header of a table."""

    row: int
    columns: dict[str, Column] = field(default_factory=dict)  # key → column
    unused: list[tuple[str, str]] = field(default_factory=list)  # (title, why)

    def title(self, key: str) -> str:
        column = self.columns.get(key)
        return column.title if column else ""

    @property
    def guardian_roles(self) -> list[str]:
        roles = []
        for key in self.columns:
            if key.startswith("g:") and key.endswith(":name"):
                roles.append(key.split(":")[1])
        return roles


def _header_at(row: int, cells: list) -> Header:
    header = Header(row=row)
    for index, cell in enumerate(cells):
        title = text(cell)
        if not title:
            continue
        key = classify(title)
        if key is None:
            header.unused.append((title, "столбец не распознан"))
        elif key in header.columns:
            header.unused.append((title, f"повторяет столбец «{header.columns[key].title}»"))
        elif key != "row_number":
            header.columns[key] = Column(index, title, key)
    return header


def _has_name(header: Header) -> bool:
    cols = header.columns
    return "full_name" in cols or ("last_name" in cols and "first_name" in cols)


def find_header(table: Table) -> Header | None:
    """The first row among the first `HEADER_SEARCH_ROWS` that names the child (one full-name
    column or surname and name) and at least three known columns; None when none does."""
    for number, cells in table.rows[:HEADER_SEARCH_ROWS]:
        header = _header_at(number, cells)
        child_keys = [k for k in header.columns if not k.startswith("g:")]
        if _has_name(header) and len(child_keys) >= 3:
            return _settle_guardians(header)
    return None


def _settle_guardians(header: Header) -> Header:
    """Drop guardian attribute columns whose person has no ФИО column."""
    roles = set(header.guardian_roles)
    for key in list(header.columns):
        if key.startswith("g:") and key.split(":")[1] not in roles:
            column = header.columns.pop(key)
            header.unused.append((column.title, "нет столбца с ФИО этого родителя"))
    return header


REQUIRED = {
    "birth_date": "«Дата рождения»",
    "sex": "«Пол»",
}


def best_header(tables: list[Table]) -> tuple[Table, Header]:
    """The table (sheet / CSV reading) whose header is recognised with the most columns.

    Raises ValidationError (Russian) when no header is found or required columns are missing.
    """
    found = [(t, h) for t in tables if (h := find_header(t)) is not None]
    if not found:
        raise ValidationError(
            "Не найдена строка заголовков. В таблице нужны столбцы «Фамилия», «Имя», «Отчество» "
            "(или один столбец «ФИО»), «Дата рождения» и «Пол»; заголовки должны быть в одной "
            f"строке среди первых {HEADER_SEARCH_ROWS}."
        )
    table, header = max(found, key=lambda pair: len(pair[1].columns))
    missing = [label for key, label in REQUIRED.items() if key not in header.columns]
    if missing:
        raise ValidationError(
            f"В строке заголовков {header.row} нет столбцов: {', '.join(missing)}."
        )
    return table, header
