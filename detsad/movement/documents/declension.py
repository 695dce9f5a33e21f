"""Russian declension of people's names and group titles for orders and contracts.

Names are declined by pytrovich (a port of petrovich rules): surname, given name and
patronymic each by its own rules, with the person's grammatical gender. The gender comes
from the personal file (`Child.sex`) or, for a guardian, from the relation (mother →
female) and else from the patronymic/given name (pytrovich's detector).

Orders write the child in the accusative («зачислить Иванова Ивана Ивановича»,
«отчислить Петрову Марию Сергеевну»); the contract writes the child in the genitive
(«в интересах несовершеннолетнего Иванова Ивана Ивановича») and the parent in the
nominative.
"""

from __future__ import annotations

from functools import lru_cache

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

CASES = {
    "nom": Case.NOMINATIVE,
    "gen": Case.GENITIVE,
    "dat": Case.DATIVE,
    "acc": Case.ACCUSATIVE,
    "ins": Case.INSTRUMENTAL,
    "pre": Case.PREPOSITIONAL,
}

FEMALE_RELATIONS = {"mother", "grandmother"}
MALE_RELATIONS = {"father", "grandfather"}


@lru_cache(maxsize=1)
def _maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


@lru_cache(maxsize=1)
def _detector() -> PetrovichGenderDetector:
    return PetrovichGenderDetector()


def gender_of(person, relation: str = "") -> Gender:
    """Grammatical gender of a Child (``sex`` M/F) or a Guardian (relation, then names)."""
    sex = getattr(person, "sex", "")
    if sex == "M":
        return Gender.MALE
    if sex == "F":
        return Gender.FEMALE
    if relation in FEMALE_RELATIONS:
        return Gender.FEMALE
    if relation in MALE_RELATIONS:
        return Gender.MALE
    try:
        detected = _detector().detect(
            firstname=person.first_name or None,
            lastname=person.last_name or None,
            middlename=person.patronymic or None,
        )
    except Exception:  # unknown names: treat as androgynous
        detected = Gender.ANDROGYNOUS
    return detected


def decline_name(
    last_name: str, first_name: str, patronymic: str, gender: Gender, case: str
) -> str:
    """Full name in `case` ("nom", "gen", "dat", "acc", "ins", "pre").

    >>> decline_name("Петрова", "Мария", "Сергеевна", Gender.FEMALE, "acc")
    'Петрову Марию Сергеевну'

    A part written in capitals is declined in capitals («ЕЛИСЕЕВУ», not «ЕЛИСЕЕВу»: the
    rules append lower-case endings).
    """
    if case == "nom":
        return " ".join(p for p in (last_name, first_name, patronymic) if p)
    maker, grammatical_case = _maker(), CASES[case]
    parts = []
    for part, value in (
        (NamePart.LASTNAME, last_name),
        (NamePart.FIRSTNAME, first_name),
        (NamePart.MIDDLENAME, patronymic),
    ):
        if not value:
            continue
        capitals = value.isupper()  # lists from registries come in capitals
        try:
            declined = maker.make(
                part, gender, grammatical_case, value.title() if capitals else value
            )
        except Exception:  # a name the rules do not know stays as written
            declined = value
        parts.append(declined.upper() if capitals else declined)
    return " ".join(parts)


def person_in(person, case: str, relation: str = "") -> str:
    """A Child or Guardian's full name in `case` (see `decline_name`)."""
    return decline_name(
        person.last_name, person.first_name, person.patronymic, gender_of(person, relation), case
    )


#: Group titles by age category: (nominative, genitive, accusative).
GROUP_TITLES = {
    "early": ("группа раннего возраста", "группы раннего возраста", "группу раннего возраста"),
    "junior": ("младшая группа", "младшей группы", "младшую группу"),
    "middle": ("средняя группа", "средней группы", "среднюю группу"),
    "senior": ("старшая группа", "старшей группы", "старшую группу"),
    "preparatory": (
        "подготовительная к школе группа",
        "подготовительной к школе группы",
        "подготовительную к школе группу",
    ),
    "mixed": ("разновозрастная группа", "разновозрастной группы", "разновозрастную группу"),
}

#: Orientation in the genitive, as orders write it («… группу общеразвивающей направленности»).
ORIENTATION_GEN = {
    "general": "общеразвивающей направленности",
    "compensating": "компенсирующей направленности",
    "combined": "комбинированной направленности",
    "health": "оздоровительной направленности",
    "care": "по присмотру и уходу",
}


def group_in(group, case: str, *, orientation: bool = False) -> str:
    """«младшую группу «Солнышко»» (acc), «младшей группы «Солнышко»» (gen), or nominative."""
    titles = GROUP_TITLES.get(group.age_category, GROUP_TITLES["mixed"])
    title = {"nom": titles[0], "gen": titles[1], "acc": titles[2]}[case]
    text = f"{title} «{group.name}»"
    if orientation and group.orientation in ORIENTATION_GEN:
        text += f" {ORIENTATION_GEN[group.orientation]}"
    return text


def years_phrase(n: int) -> str:
    """«1 год», «3 года», «5 лет» (Russian plural of «год»)."""
    return f"{n} {_plural(n, 'год', 'года', 'лет')}"


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def years_months_phrase(months: int) -> str:
    """«4 года», «1 год 7 месяцев», «5 месяцев» from a number of months."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(years_phrase(years))
    if rest:
        parts.append(f"{rest} {_plural(rest, 'месяц', 'месяца', 'месяцев')}")
    return " ".join(parts)
