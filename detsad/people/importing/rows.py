"""Rows of a children list: personal data read and checked cell by cell.

`parse_children_file(content, name, today=...)` is pure: it reads the file, finds the header,
and turns every non-empty row after it into a `ChildRow` with the data the people services
take (``child_create`` / ``guardian_create`` keyword arguments), the group as written, the
enrollment date and the personal account, plus the `Fault` list of that row. It touches no
database; matching against existing children, groups and accounts happens in
``detsad.movement.children_import``, which writes through the services.

Rules checked here (Russian messages, one fault per cell):

- surname and name are required (three columns, or one «ФИО» column split on spaces);
- the birth date is required, a real date (see values.parse_date, case C21), not in the
  future and giving an age of 0–8 full years on `today` (people.validators);
- sex is М/Ж or the words (мужской/женский, мальчик/девочка);
- SNILS check digits (people.validators.normalize_snils), phones as +7XXXXXXXXXX
  (normalize_phone), e-mail syntax, health group I–V;
- the enrollment date is a real date not before the birth date;
- the same child twice in the file (same birth certificate, or same full name and birth
  date) is reported on the later row; so is a personal account number used twice.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from ..models import Relation
from ..services import ACCOUNT_RE
from ..validators import normalize_phone, normalize_snils, validate_child_birth_date
from .columns import ROLE_LABELS, Header, best_header
from .reader import MAX_ROWS, read_tables
from .values import (
    detail,
    fold,
    parse_date,
    parse_health_group,
    parse_sex,
    relation_from_patronymic,
    split_full_name,
    text,
)

ROLE_RELATION = {"mother": Relation.MOTHER, "father": Relation.FATHER, "trustee": Relation.GUARDIAN}
_CERT = re.compile(r"^(?P<series>\D+?)(?P<number>\d{6,})$")
_NUMBER_SIGN = re.compile(r"№|(?<!\w)(?:N|No)(?!\w)")


@dataclass(frozen=True)
class Fault:
    """One problem: sheet row (None: the whole file), column as named in the file, text."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"строка {self.row}" if self.row else "файл"
        column = f", столбец «{self.column}»" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass
class GuardianRow:
    """A parent named in the row: ``data`` are guardian_create keyword arguments."""

    role: str
    relation: str
    data: dict[str, Any]
    columns: dict[str, str]  # guardian field → column title, for messages

    @property
    def full_name(self) -> str:
        return " ".join(
            p
            for p in (self.data["last_name"], self.data["first_name"], self.data["patronymic"])
            if p
        )

    @property
    def role_label(self) -> str:
        return Relation(self.relation).label if self.role == "guardian" else ROLE_LABELS[self.role]


@dataclass
class ChildRow:
    """One child of the list as read from the sheet."""

    row: int
    child: dict[str, Any] = field(default_factory=dict)  # child_create keyword arguments
    group: str = ""
    enroll_date: dt.date | None = None
    account: str = ""
    guardians: list[GuardianRow] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # child field → column title
    shown: dict[str, str] = field(default_factory=dict)  # cells as text, for the preview

    @property
    def ok(self) -> bool:
        return not self.faults

    @property
    def full_name(self) -> str:
        parts = (
            self.child.get("last_name"),
            self.child.get("first_name"),
            self.child.get("patronymic"),
        )
        return " ".join(p for p in parts if p) or self.shown.get("name", "")

    def fault(self, column: str, message: str) -> None:
        self.faults.append(Fault(self.row, column, message))


@dataclass
class ParsedFile:
    """The outcome of reading: recognised columns, rows, and what was skipped."""

    name: str
    sheet: str
    header: Header
    rows: list[ChildRow]
    empty_rows: list[int]
    encoding: str = ""
    delimiter: str = ""

    @property
    def faults(self) -> list[Fault]:
        return [f for r in self.rows for f in r.faults]


def parse_children_file(content: bytes, name: str, *, today: dt.date) -> ParsedFile:
    """Read and check a children list. Raises ValidationError for the file as a whole
    (type, size, unreadable, no header); row problems are in ``rows[i].faults``."""
    table, header = best_header(read_tables(content, name))
    rows, empty = [], []
    for number, cells in table.rows:
        if number <= header.row:
            continue
        if all(not text(c) for c in cells):
            empty.append(number)
            continue
        rows.append(_parse_row(number, cells, header, today))
    if len(rows) > MAX_ROWS:
        raise ValidationError(f"В файле больше {MAX_ROWS} строк: разделите список на части.")
    if not rows:
        raise ValidationError(f"Под строкой заголовков ({header.row}) нет ни одного ребёнка.")
    _check_repeats(rows)
    return ParsedFile(
        name=name,
        sheet=table.sheet,
        header=header,
        rows=rows,
        empty_rows=empty,
        encoding=table.encoding,
        delimiter=table.delimiter,
    )


def _cell(cells: list, header: Header, key: str) -> Any:
    column = header.columns.get(key)
    if column is None or column.index >= len(cells):
        return None
    return cells[column.index]


def _parse_row(number: int, cells: list, header: Header, today: dt.date) -> ChildRow:
    row = ChildRow(row=number)
    title = header.title
    get = lambda key: _cell(cells, header, key)  # noqa: E731
    row.shown = {key: text(get(key)) for key in header.columns if not key.startswith("g:")}
    _parse_name(row, header, get)
    data = row.child

    # Birth date: required, real, not in the future, age 0–8.
    row.columns["birth_date"] = title("birth_date")
    try:
        birth = parse_date(get("birth_date"))
        if birth is None:
            raise ValueError("не указана дата рождения")
        validate_child_birth_date(birth, today)
        data["birth_date"] = birth
    except ValueError as exc:
        row.fault(title("birth_date"), str(exc))
    except ValidationError as exc:
        row.fault(title("birth_date"), detail(" ".join(exc.messages)))

    row.columns["sex"] = title("sex")
    try:
        data["sex"] = parse_sex(get("sex"))
    except ValueError as exc:
        row.fault(title("sex"), str(exc))

    _parse_certificate(row, header, get)

    if "snils" in header.columns:
        row.columns["snils"] = title("snils")
        snils = text(get("snils"))
        if snils:
            if snils.isdigit() and len(snils) < 11:
                snils = snils.zfill(11)  # a number cell loses leading zeros
            try:
                data["snils"] = normalize_snils(snils)
            except ValidationError as exc:
                row.fault(title("snils"), detail(" ".join(exc.messages)).removeprefix("СНИЛС: "))
    for key in ("address", "allergies", "notes"):
        if key in header.columns:
            row.columns[key] = title(key)
            data[key] = text(get(key))
    if "health_group" in header.columns:
        row.columns["health_group"] = title("health_group")
        try:
            data["health_group"] = parse_health_group(get("health_group"))
        except ValueError as exc:
            row.fault(title("health_group"), str(exc))

    row.columns.update(
        group=title("group"), enroll_date=title("enroll_date"), account=title("account")
    )
    row.group = text(get("group"))
    try:
        row.enroll_date = parse_date(get("enroll_date"))
    except ValueError as exc:
        row.fault(title("enroll_date"), str(exc))
    else:
        birth = data.get("birth_date")
        if row.enroll_date and birth and row.enroll_date < birth:
            row.fault(
                title("enroll_date"),
                f"дата зачисления {row.enroll_date:%d.%m.%Y} раньше даты рождения",
            )
    row.account = text(get("account"))
    if row.account and not ACCOUNT_RE.match(row.account):
        row.fault(
            title("account"), f"лицевой счёт «{row.account}»: допустимы цифры и буквы, до 20 знаков"
        )
    for role in header.guardian_roles:
        _parse_guardian(row, header, get, role)
    return row


def _parse_name(row: ChildRow, header: Header, get) -> None:
    data, title = row.child, header.title
    if "last_name" in header.columns:
        row.columns.update(
            last_name=title("last_name"),
            first_name=title("first_name"),
            patronymic=title("patronymic"),
        )
        data["last_name"] = text(get("last_name"))
        data["first_name"] = text(get("first_name"))
        data["patronymic"] = text(get("patronymic"))
        row.shown["name"] = " ".join(p for p in data.values() if p)
        if not data["last_name"]:
            row.fault(title("last_name"), "не указана фамилия")
        if not data["first_name"]:
            row.fault(title("first_name"), "не указано имя")
        return
    column = title("full_name")
    row.columns.update(last_name=column, first_name=column, patronymic=column)
    value = text(get("full_name"))
    row.shown["name"] = value
    if not value:
        row.fault(column, "не указаны фамилия и имя ребёнка")
        return
    try:
        data["last_name"], data["first_name"], data["patronymic"] = split_full_name(value)
    except ValueError as exc:
        row.fault(column, str(exc))


def _parse_certificate(row: ChildRow, header: Header, get) -> None:
    data, title = row.child, header.title
    if "cert_series" in header.columns or "cert_number" in header.columns:
        row.columns["birth_certificate_series"] = title("cert_series")
        row.columns["birth_certificate_number"] = title("cert_number")
        data["birth_certificate_series"] = text(get("cert_series"))
        data["birth_certificate_number"] = text(get("cert_number"))
    elif "cert" in header.columns:
        row.columns["birth_certificate_series"] = row.columns["birth_certificate_number"] = title(
            "cert"
        )
        value = text(get("cert"))
        if value:
            parts = [p for p in _NUMBER_SIGN.sub(" ", value).split() if p]
            if len(parts) >= 2:
                series, number = " ".join(parts[:-1]), parts[-1]
            elif m := _CERT.match(parts[0]):
                series, number = m.group("series"), m.group("number")
            else:
                row.fault(
                    title("cert"), f"«{value}»: ожидается серия и номер, например IV-АГ 123456"
                )
                return
            data["birth_certificate_series"] = series
            data["birth_certificate_number"] = number


def _parse_guardian(row: ChildRow, header: Header, get, role: str) -> None:
    columns = {
        "name": header.title(f"g:{role}:name"),
        "phone": header.title(f"g:{role}:phone"),
        "email": header.title(f"g:{role}:email"),
        "workplace": header.title(f"g:{role}:workplace"),
    }
    name = text(get(f"g:{role}:name"))
    phone = text(get(f"g:{role}:phone"))
    email = text(get(f"g:{role}:email"))
    workplace = text(get(f"g:{role}:workplace"))
    if not name:
        if phone or email:
            row.fault(columns["name"], "указан телефон или e-mail, но нет ФИО")
        return
    data: dict[str, Any] = {"phone": "", "email": "", "workplace": workplace}
    try:
        data["last_name"], data["first_name"], data["patronymic"] = split_full_name(name)
    except ValueError as exc:
        row.fault(columns["name"], str(exc))
        return
    faults_before = len(row.faults)
    if phone:
        try:
            data["phone"] = normalize_phone(phone)
        except ValidationError as exc:
            row.fault(columns["phone"], detail(" ".join(exc.messages)))
    if email:
        try:
            validate_email(email)
            data["email"] = email.lower()
        except ValidationError:
            row.fault(columns["email"], f"«{email}» не похоже на адрес e-mail")
    if len(row.faults) > faults_before:
        return
    relation = ROLE_RELATION.get(role) or relation_from_patronymic(data["patronymic"])
    guardian_columns = {
        "last_name": columns["name"],
        "first_name": columns["name"],
        "patronymic": columns["name"],
        "phone": columns["phone"],
        "email": columns["email"],
        "workplace": columns["workplace"],
    }
    row.guardians.append(GuardianRow(role, relation, data, guardian_columns))


def child_key(data: dict[str, Any]) -> tuple:
    """Full name + birth date, compared case-insensitively with «ё» = «е»."""
    return (
        fold(data.get("last_name", "")),
        fold(data.get("first_name", "")),
        fold(data.get("patronymic", "")),
        data.get("birth_date"),
    )


def certificate_key(data: dict[str, Any]) -> tuple[str, str] | None:
    number = normalize_certificate(data.get("birth_certificate_number", ""))
    if not number:
        return None
    return normalize_certificate(data.get("birth_certificate_series", "")), number


def normalize_certificate(value: str) -> str:
    """As people.services stores it: upper case, no spaces."""
    return (value or "").strip().upper().replace(" ", "")


def _check_repeats(rows: list[ChildRow]) -> None:
    by_cert: dict[tuple, ChildRow] = {}
    by_name: dict[tuple, ChildRow] = {}
    by_account: dict[str, ChildRow] = {}
    for row in rows:
        cert = certificate_key(row.child)
        name = child_key(row.child)
        first = by_cert.get(cert) if cert else None
        if first is not None:
            row.fault(
                row.columns.get("birth_certificate_number", ""),
                f"тот же ребёнок, что в строке {first.row} (то же свидетельство о рождении)",
            )
        elif name[0] and name[3] and name in by_name:
            row.fault(
                row.columns.get("last_name", ""),
                f"тот же ребёнок, что в строке {by_name[name].row} (те же ФИО и дата рождения)",
            )
        if cert:
            by_cert.setdefault(cert, row)
        if name[0] and name[3]:
            by_name.setdefault(name, row)
        if row.account:
            if row.account in by_account:
                row.fault(
                    row.columns.get("account", "") or "",
                    f"лицевой счёт {row.account} уже указан в строке {by_account[row.account].row}",
                )
            else:
                by_account[row.account] = row
