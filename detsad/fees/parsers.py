"""Strict parsers of the two bank files a kindergarten receives, and the reading of the
personal account number from a payment's purpose.

- `parse_statement_1c`: «1CClientBankExchange» text exchange format (FACTS.md §5),
  Windows-1251 (``Кодировка=Windows``; ``DOS`` = cp866), one ``Key=Value`` a line,
  ``СекцияДокумент=…``…``КонецДокумента`` per payment order, ``КонецФайла`` at the end.
  Incoming documents are those whose ``ПолучательСчет`` is the organization's account.
- `parse_registry`: a bank's registry of parents' payments, Windows-1251, one payment a
  line, 11 fields separated by «;» (date DD-MM-YYYY; time; branch; cashier; personal
  account; payer; address; period MMYYYY; paid; transferred; bank fee), and a last line
  ``=count;total;;date`` checked against the lines.

Both collect every fault with its line number and raise one ValidationError listing them
(«Строка 12: …»), so a person fixes the file once. Amounts become integer kopecks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from .rules import rubles

FORMAT_1C = "1c"
FORMAT_REGISTRY = "registry"


@dataclass
class ParsedPayment:
    line_no: int
    external_id: str
    doc_number: str
    paid_on: dt.date
    amount: int
    bank_fee: int = 0
    payer_name: str = ""
    payer_account: str = ""
    purpose: str = ""
    account_text: str = ""
    period_text: str = ""


@dataclass
class ParsedFile:
    format: str
    payments: list[ParsedPayment] = field(default_factory=list)
    total: int = 0
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    outgoing: int = 0


class Faults:
    """Collects «Строка N: …» messages."""

    def __init__(self):
        self.items: list[str] = []

    def add(self, line_no: int | None, message: str) -> None:
        self.items.append(f"Строка {line_no}: {message}" if line_no else message)

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError(self.items)


def decode(content: bytes) -> str:
    """Windows-1251 text (cp866 when a 1C header says ``Кодировка=DOS``)."""
    if content.startswith(b"\xef\xbb\xbf"):
        raise ValidationError(
            ["Строка 1: файл в кодировке UTF-8, банковские файлы — в Windows-1251."]
        )
    if not content.isascii():
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:  # Russian text in Windows-1251 is practically never valid UTF-8
            line = content[: next(i for i, b in enumerate(content) if b > 127)].count(b"\n") + 1
            raise ValidationError(
                [f"Строка {line}: файл в кодировке UTF-8, банковские файлы — в Windows-1251."]
            )
    try:
        text = content.decode("cp1251")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise ValidationError(
            [f"Строка {line}: байт не из кодировки Windows-1251 — файл повреждён?"]
        ) from None
    if re.search(r"^Кодировка=DOS\s*$", text[:2000], re.MULTILINE):
        return content.decode("cp866")
    odd = NOT_RUSSIAN_1251.search(text)
    if odd:
        line = text[: odd.start()].count("\n") + 1
        raise ValidationError(
            [
                f"Строка {line}: знак «{odd.group()}» — файл, похоже, не в кодировке "
                "Windows-1251 (DOS/866?)."
            ]
        )
    return text


#: Windows-1251 letters and signs of Serbian/Macedonian and rare symbols: never in a Russian
#: bank file, but what Russian text in cp866 (DOS) turns into when read as Windows-1251.
NOT_RUSSIAN_1251 = re.compile("[ЂЃѓЉЊЋЏђљњќћџЎўЈ¤¦§©¬®]")


def _kopecks(value: str, *, comma: bool) -> int | None:
    pattern = r"^\d{1,15}(,\d{2})?$" if comma else r"^\d{1,15}(\.\d{1,2})?$"
    if not re.match(pattern, value):
        return None
    whole, _, frac = value.replace(",", ".").partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def _date(value: str, fmt: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date
    except ValueError:
        return None


# --- 1CClientBankExchange ---------------------------------------------------------------------

DOC_REQUIRED = ["Номер", "Дата", "Сумма", "ПолучательСчет", "НазначениеПлатежа"]


def parse_statement_1c(content: bytes, *, own_account: str) -> ParsedFile:
    """Parse a 1C statement; return the incoming payments to `own_account`.

    Raises ValidationError listing every fault by line: a wrong first line, a line that is
    not ``Key=Value``, an unclosed or stray section, a missing required field, a bad date
    or amount, a statement of another account, totals that disagree with the documents,
    a missing ``КонецФайла``.
    """
    faults = Faults()
    if not own_account:
        raise ValidationError(["У организации не указан расчётный счёт (карточка организации)."])
    lines = decode(content).split("\n")
    lines = [line.rstrip("\r") for line in lines]
    if not lines or lines[0].strip() != "1CClientBankExchange":
        faults.add(1, "файл не начинается строкой «1CClientBankExchange».")
        faults.raise_if_any()
    result = ParsedFile(format=FORMAT_1C)
    header: dict[str, str] = {}
    section: str | None = None
    current: dict[str, tuple[str, int]] = {}
    start_line = 0
    ended_at: int | None = None
    balance: dict[str, tuple[str, int]] = {}
    documents: list[tuple[int, dict[str, tuple[str, int]]]] = []
    for no, raw in enumerate(lines[1:], start=2):
        line = raw.strip()
        if not line:
            continue
        if ended_at is not None:
            faults.add(no, "текст после строки «КонецФайла».")
            break
        if line == "КонецФайла":
            if section:
                faults.add(no, f"секция, начатая в строке {start_line}, не закрыта.")
            ended_at = no
            continue
        if line == "КонецДокумента":
            if section != "doc":
                faults.add(no, "«КонецДокумента» без «СекцияДокумент».")
            else:
                documents.append((start_line, current))
            section, current = None, {}
            continue
        if line == "КонецРасчСчет":
            if section != "balance":
                faults.add(no, "«КонецРасчСчет» без «СекцияРасчСчет».")
            section, current = None, {}
            continue
        if line == "СекцияРасчСчет" or line.startswith("СекцияДокумент="):
            if section:
                faults.add(no, f"новая секция, а секция из строки {start_line} не закрыта.")
            section = "balance" if line == "СекцияРасчСчет" else "doc"
            current, start_line = {}, no
            continue
        key, sep, value = line.partition("=")
        if not sep or not key or " " in key:
            faults.add(no, f"ожидается «Ключ=Значение», а не «{line[:60]}».")
            continue
        if section == "doc":
            current[key] = (value.strip(), no)
        elif section == "balance":
            balance[key] = (value.strip(), no)
        else:
            header.setdefault(key, value.strip())
            if key == "РасчСчет" and value.strip() != own_account:
                faults.add(
                    no,
                    f"выписка по счёту {value.strip()}, а счёт организации — {own_account}.",
                )
    if section:
        faults.add(start_line, "секция не закрыта до конца файла.")
    if ended_at is None:
        faults.add(len(lines), "файл не заканчивается строкой «КонецФайла».")
    if "РасчСчет" not in header:
        faults.add(None, "в заголовке выписки нет «РасчСчет» — по какому счёту выписка?")
    version = header.get("ВерсияФормата", "")
    if version not in ("1.01", "1.02", "1.03"):
        faults.add(2, f"ВерсияФормата «{version}» не поддерживается (ожидается 1.01–1.03).")
    result.period_start = _date(header.get("ДатаНачала", ""), "%d.%m.%Y")
    result.period_end = _date(header.get("ДатаКонца", ""), "%d.%m.%Y")
    incoming_total = 0
    seen: dict[str, int] = {}
    for start, doc in documents:
        missing = [k for k in DOC_REQUIRED if k not in doc]
        number = doc.get("Номер", ("?", start))[0]
        if missing:
            faults.add(
                start, f"документ № {number}: нет полей {', '.join(f'«{k}»' for k in missing)}."
            )
            continue
        if doc["ПолучательСчет"][0] != own_account:
            result.outgoing += 1
            continue
        amount_text, amount_line = doc["Сумма"]
        amount = _kopecks(amount_text, comma=False)
        if amount is None:
            faults.add(amount_line, f"документ № {number}: Сумма «{amount_text}» — не сумма.")
            continue
        if amount <= 0:
            faults.add(amount_line, f"документ № {number}: Сумма должна быть больше нуля.")
            continue
        bad_date = False
        for key in ("Дата", "ДатаПоступило"):
            if key in doc and _date(doc[key][0], "%d.%m.%Y") is None:
                faults.add(
                    doc[key][1], f"документ № {number}: {key} «{doc[key][0]}» — неверная дата."
                )
                bad_date = True
        if bad_date:
            continue
        paid_on = _date((doc.get("ДатаПоступило") or doc["Дата"])[0], "%d.%m.%Y")
        doc_date = doc["Дата"][0]
        payer = doc.get("Плательщик", ("", 0))[0] or doc.get("Плательщик1", ("", 0))[0]
        payer_account = doc.get("ПлательщикСчет", ("", 0))[0]
        external_id = f"1c|{doc_date}|{number}|{payer_account}|{payer}|{amount}"[:200]
        if external_id in seen:
            faults.add(
                start,
                f"документ № {number} от {doc_date} повторяет документ из строки "
                f"{seen[external_id]}.",
            )
            continue
        seen[external_id] = start
        incoming_total += amount
        result.payments.append(
            ParsedPayment(
                line_no=start,
                external_id=external_id,
                doc_number=number,
                paid_on=paid_on,
                amount=amount,
                payer_name=payer,
                payer_account=payer_account,
                purpose=doc["НазначениеПлатежа"][0],
            )
        )
    if "ВсегоПоступило" in balance:
        text, no = balance["ВсегоПоступило"]
        declared = _kopecks(text, comma=False)
        if declared is None:
            faults.add(no, f"ВсегоПоступило «{text}» — не сумма.")
        elif declared != incoming_total and not faults.items:
            faults.add(
                no,
                f"ВсегоПоступило {rubles(declared)} не равно сумме поступлений в файле "
                f"{rubles(incoming_total)}.",
            )
        else:
            result.total = declared
    else:
        result.total = incoming_total
    _check_balance(balance, faults)
    faults.raise_if_any()
    return result


def _check_balance(balance: dict[str, tuple[str, int]], faults: Faults) -> None:
    """НачальныйОстаток + ВсегоПоступило − ВсегоСписано must equal КонечныйОстаток."""
    keys = ("НачальныйОстаток", "ВсегоПоступило", "ВсегоСписано", "КонечныйОстаток")
    if not all(k in balance for k in keys):
        return
    values = {}
    for key in keys:
        text, no = balance[key]
        value = _kopecks(text.lstrip("-"), comma=False)
        if value is None:
            if key != "ВсегоПоступило":  # reported above
                faults.add(no, f"{key} «{text}» — не сумма.")
            return
        values[key] = -value if text.startswith("-") else value
    expected = values["НачальныйОстаток"] + values["ВсегоПоступило"] - values["ВсегоСписано"]
    if expected != values["КонечныйОстаток"]:
        faults.add(
            balance["КонечныйОстаток"][1],
            f"КонечныйОстаток {rubles(values['КонечныйОстаток'])} не равен "
            f"НачальныйОстаток + ВсегоПоступило − ВсегоСписано = {rubles(expected)}.",
        )


# --- bank registry --------------------------------------------------------------------------

REGISTRY_FIELDS = 11


def parse_registry(content: bytes) -> ParsedFile:
    """Parse a bank's payment registry (see module doc). The parent is credited with the
    amount paid; the bank's fee is recorded separately. Raises ValidationError listing the
    faults by line: a wrong number of fields, a bad date, period or amount, paid − fee ≠
    transferred, no final line, a count or total that disagrees with the lines."""
    faults = Faults()
    lines = [line.rstrip("\r") for line in decode(content).split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    result = ParsedFile(format=FORMAT_REGISTRY)
    summary: tuple[int, list[str]] | None = None
    seen: dict[str, int] = {}
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            faults.add(no, "пустая строка внутри реестра.")
            continue
        if line.startswith("="):
            summary = (no, line[1:].split(";"))
            if no != len(lines):
                faults.add(no, "итоговая строка «=…» должна быть последней.")
            continue
        parts = line.split(";")
        if len(parts) != REGISTRY_FIELDS:
            faults.add(no, f"ожидается {REGISTRY_FIELDS} полей через «;», найдено {len(parts)}.")
            continue
        day, time, branch, cashier, account, payer, _addr, period, paid, sent, fee = (
            p.strip() for p in parts
        )
        paid_on = _date(day, "%d-%m-%Y")
        if paid_on is None:
            faults.add(no, f"дата «{day}» — неверная дата (ДД-ММ-ГГГГ).")
        if not re.match(r"^\d{2}-\d{2}-\d{2}$", time):
            faults.add(no, f"время «{time}» — ожидается ЧЧ-ММ-СС.")
        if not account:
            faults.add(no, "не указан лицевой счёт.")
        if _date(f"01{period}", "%d%m%Y") is None:
            faults.add(no, f"период «{period}» — ожидается ММГГГГ.")
        amounts = [_kopecks(v, comma=True) for v in (paid, sent, fee)]
        for name, value, text in zip(
            ("сумма платежа", "сумма перечисления", "комиссия"),
            amounts,
            (paid, sent, fee),
            strict=True,
        ):
            if value is None:
                faults.add(no, f"{name} «{text}» — не сумма (например, 2500,00).")
        if None in amounts or paid_on is None:
            continue
        paid_k, sent_k, fee_k = amounts
        if paid_k <= 0:
            faults.add(no, "сумма платежа должна быть больше нуля.")
            continue
        if paid_k - fee_k != sent_k:
            faults.add(
                no,
                f"сумма {paid} минус комиссия {fee} не равна перечисленной сумме {sent}.",
            )
            continue
        external_id = f"reg|{day}|{time}|{branch}|{cashier}|{account}|{paid_k}"[:200]
        if external_id in seen:
            faults.add(no, f"платёж повторяет строку {seen[external_id]}.")
            continue
        seen[external_id] = no
        result.payments.append(
            ParsedPayment(
                line_no=no,
                external_id=external_id,
                doc_number=f"{branch}/{cashier}",
                paid_on=paid_on,
                amount=paid_k,
                bank_fee=fee_k,
                payer_name=payer,
                purpose=f"Реестр банка: л/с {account}, период {period}",
                account_text=account,
                period_text=period,
            )
        )
    if summary is None:
        faults.add(len(lines) or 1, "нет итоговой строки «=количество;сумма;;дата».")
    else:
        no, parts = summary
        count_ok = parts[0].strip().isdigit() if parts else False
        total = _kopecks(parts[1].strip(), comma=True) if len(parts) > 1 else None
        if not count_ok or total is None:
            faults.add(no, "итоговая строка: ожидается «=количество;сумма;;дата».")
        elif not faults.items:
            if int(parts[0]) != len(result.payments):
                faults.add(no, f"в итоге {parts[0]} платежей, а в реестре {len(result.payments)}.")
            paid_total = sum(p.amount for p in result.payments)
            if total != paid_total:
                faults.add(
                    no,
                    f"итоговая сумма {rubles(total)} не равна сумме строк {rubles(paid_total)}.",
                )
            result.total = total
    if result.payments:
        result.period_start = min(p.paid_on for p in result.payments)
        result.period_end = max(p.paid_on for p in result.payments)
    faults.raise_if_any()
    return result


def parse_bank_file(content: bytes, *, own_account: str) -> ParsedFile:
    """Recognize the file by its first line and parse it."""
    if content.lstrip().startswith(b"1CClientBankExchange"):
        return parse_statement_1c(content, own_account=own_account)
    return parse_registry(content)


# --- the personal account in the purpose ---------------------------------------------------

#: «ЛС 240001», «л/с240002», «ЛИЦЕВОЙ СЧЕТ 240003», «л.с. 240004», «Л/СЧ № 240005», …
LABELLED_ACCOUNT = re.compile(
    r"(?<![0-9a-zа-яё])"
    r"(?:лицев\w*\s*сч[её]т\w*|л\s*[./\\]?\s*с(?:ч(?:[её]т)?)?\.?)"
    r"\s*(?:№|n|no\.?|:|-)?\s*(\d{4,20})(?!\d)",
    re.IGNORECASE,
)
BARE_NUMBER = re.compile(r"(?<!\d)(\d{4,20})(?!\d)")


def accounts_in_purpose(purpose: str, *, pattern: str = "") -> list[str]:
    """Account numbers a parent wrote in the purpose, in order, without repeats.

    Labelled numbers (ЛС, л/с, л.с., лицевой счёт …) first; only when there is none, bare
    numbers of the organization's pattern shape (e.g. «24NNNN»: six digits starting 24).
    """
    found = list(dict.fromkeys(m.group(1) for m in LABELLED_ACCOUNT.finditer(purpose or "")))
    if found or not pattern or not pattern.replace("N", ""):
        return found
    prefix, width = pattern.replace("N", ""), len(pattern)
    return list(
        dict.fromkeys(
            n
            for n in BARE_NUMBER.findall(purpose or "")
            if len(n) == width and n.startswith(prefix)
        )
    )
