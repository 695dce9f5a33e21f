"""Cell values of a children list: text, dates, sex, names, groups, relations.

Each ``parse_*`` function returns the value or raises ``ValueError`` whose text is the
Russian problem description shown to the user next to the row and column.

Dates (case C21 of shared/cases/CASES.md): real spreadsheet dates, text ``DD.MM.YYYY``
(also ``D.M.YYYY`` and ``DD-MM-YYYY``, the Russian day-first order) and ISO ``YYYY-MM-DD``
are read; a slash date is read only when the order cannot be mistaken (``25/12/2021``,
``5/5/2021``); ``3/5/2021`` (3 May or 5 March?) is rejected as ambiguous, an impossible date
such as ``31.02.2021`` as non-existent, a two-digit year as incomplete. A number that is
not formatted as a date is rejected rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from detsad.core.text import MONTHS_GENITIVE

from ..models import Relation, Sex

_SPACES = re.compile(r"\s+")
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2})?$")
_DMY = re.compile(r"^(\d{1,2})[.-](\d{1,2})[.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_SHORT_YEAR = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2}$")


def text(value: Any) -> str:
    """A cell as trimmed text with single spaces ('' for an empty cell).

    Whole numbers stored as numbers (an account 240001 typed without a text format)
    come back without a decimal part.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return _SPACES.sub(" ", str(value).replace("\xa0", " ")).strip()


def detail(message: str) -> str:
    """A validator's sentence as the detail of a fault: «Телефон … .» → «телефон …»
    (an acronym such as «СНИЛС» keeps its case)."""
    message = message.strip().rstrip(".")
    if len(message) > 1 and message[1].isupper():
        return message
    return message[:1].lower() + message[1:]


def fold(value: str) -> str:
    """Comparison key: lower case, «ё» as «е», single spaces."""
    return _SPACES.sub(" ", value.lower().replace("ё", "е")).strip()


def _make_date(year: int, month: int, day: int, shown: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"такой даты нет: «{shown}»") from None


def parse_date(value: Any) -> dt.date | None:
    """A date from a cell, None for an empty cell; ValueError (Russian) otherwise."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        raise ValueError(
            f"«{text(value)}» — число, а не дата: задайте ячейке формат «Дата» "
            "или запишите дату как ДД.ММ.ГГГГ"
        )
    shown = text(value)
    if not shown:
        return None
    raw = _TIME_TAIL.sub("", shown).strip()
    if m := _DMY.match(raw):
        day, month, year = (int(g) for g in m.groups())
        return _make_date(year, month, day, shown)
    if m := _ISO.match(raw):
        year, month, day = (int(g) for g in m.groups())
        return _make_date(year, month, day, shown)
    if m := _SLASH.match(raw):
        a, b, year = (int(g) for g in m.groups())
        if a == b or (a > 12 and b <= 12):
            return _make_date(year, b, a, shown)
        if b > 12 and a <= 12:
            return _make_date(year, a, b, shown)
        if a <= 12 and b <= 12:
            raise ValueError(
                f"дата «{shown}» неоднозначна ({a} {MONTHS_GENITIVE[b]} или {b} {MONTHS_GENITIVE[a]}?): "
                "запишите её как ДД.ММ.ГГГГ"
            )
        raise ValueError(f"такой даты нет: «{shown}»")
    if _SHORT_YEAR.match(raw):
        raise ValueError(f"в дате «{shown}» год из двух цифр: запишите год полностью (ДД.ММ.ГГГГ)")
    raise ValueError(f"«{shown}» не похоже на дату: ожидается ДД.ММ.ГГГГ")


_SEX_WORDS = {
    Sex.MALE: {"м", "m", "муж", "мужской", "мальчик", "мал"},
    Sex.FEMALE: {"ж", "f", "жен", "женский", "девочка", "дев"},
}


def parse_sex(value: Any) -> str:
    """«М»/«Ж», the words «мужской»/«женский», «мальчик»/«девочка» → Sex value."""
    word = fold(text(value)).rstrip(".")
    if not word:
        raise ValueError("не указан пол: укажите М или Ж")
    for sex, words in _SEX_WORDS.items():
        if word in words:
            return sex
    raise ValueError(f"пол «{text(value)}» не распознан: укажите М или Ж")


_HEALTH = {"1": "1", "i": "1", "2": "2", "ii": "2", "3": "3", "iii": "3", "4": "4", "iv": "4"}
_HEALTH |= {"5": "5", "v": "5"}


def parse_health_group(value: Any) -> str:
    """Health group I–V (Roman or Arabic digits) → '1'..'5'; '' for an empty cell."""
    word = fold(text(value)).replace("группа", "").strip()
    if not word:
        return ""
    if word in _HEALTH:
        return _HEALTH[word]
    raise ValueError(f"группа здоровья «{text(value)}»: укажите от I до V")


def split_full_name(value: str) -> tuple[str, str, str]:
    """«Иванов Иван Иванович» → (surname, name, patronymic); the tail after the second word
    is the patronymic (so «Мамедов Али Гусейн оглы» keeps «Гусейн оглы»)."""
    parts = text(value).split(" ")
    if len(parts) < 2 or not parts[0]:
        raise ValueError(f"«{text(value)}»: укажите фамилию и имя (и отчество, если есть)")
    return parts[0], parts[1], " ".join(parts[2:])


def relation_from_patronymic(patronymic: str) -> str:
    """The relation of a person named in a «Родитель» column, guessed from the patronymic:
    a female patronymic (-вна, -чна, «кызы») → mother, a male one (-вич, -ич, «оглы») →
    father; otherwise «другое». The guess is shown in the preview and can be changed later."""
    p = fold(patronymic)
    if p.endswith(("вна", "чна", "кызы", "гызы")):
        return Relation.MOTHER
    if p.endswith(("вич", "ич", "оглы", "улы", "уулу")):
        return Relation.FATHER
    return Relation.OTHER


_QUOTED = re.compile(r"[«\"“„'](.+?)[»\"”“']")
_CATEGORY_WORDS = re.compile(
    r"\b(группа|гр\.?|раннего|возраста|первая|вторая|1-я|2-я|младшая|средняя|старшая|"
    r"подготовительная|к школе|разновозрастная)\b"
)


def match_group(value: str, groups) -> Any | None:
    """The group a cell names, by full name («Младшая группа «Солнышко»»), by the name in
    quotes inside any wording, or by its short name («Солнышко»); None when none matches.

    `groups`: the organization's active groups (objects with ``name`` and ``full_name``).
    """
    key = fold(text(value))
    if not key:
        return None
    by_key = {}
    for g in groups:
        by_key.setdefault(fold(g.name), g)
        by_key.setdefault(fold(g.full_name), g)
    if key in by_key:
        return by_key[key]
    quoted = _QUOTED.search(key)
    if quoted and fold(quoted.group(1)) in by_key:
        return by_key[fold(quoted.group(1))]
    stripped = fold(_CATEGORY_WORDS.sub(" ", key).strip(" .«»\"'"))
    return by_key.get(stripped)


def group_name_in(value: str) -> str:
    """The bare name a group cell gives («Группа «Непоседы»» → «Непоседы») for messages."""
    shown = text(value)
    quoted = _QUOTED.search(shown)
    return quoted.group(1) if quoted else shown


__all__ = [
    "detail",
    "fold",
    "group_name_in",
    "match_group",
    "parse_date",
    "parse_health_group",
    "parse_sex",
    "relation_from_patronymic",
    "split_full_name",
    "text",
]
