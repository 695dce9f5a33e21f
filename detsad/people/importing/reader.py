"""Reading an uploaded list into plain tables of cells: XLSX (openpyxl) or CSV.

Rules (issue 2 item 8):

- only ``.xlsx`` and ``.csv`` files, at most `MAX_BYTES`; an ``.xls`` file of Excel 97–2003
  gets its own message (save it as .xlsx); the content must match the extension (an .xlsx
  is a ZIP archive, a CSV has no NUL bytes);
- CSV in UTF-8 (with or without BOM) or Windows-1251, cells separated by ``;``, ``,`` or a
  tab: every separator gives a candidate table and the caller keeps the one whose header
  it recognises;
- every sheet of a workbook is a candidate table (the active sheet first);
- sheet row numbers are kept as Excel shows them (1-based, empty rows counted), so a
  report can say «строка 14»;
- only rows with something in them count towards `MAX_ROWS`; empty rows after the last
  filled one (kept by office suites for their formatting: borders drawn to row 3000,
  «;;;;» lines in a CSV) are dropped.

Problems with the file as a whole raise ``ValidationError`` with a Russian message.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError

MAX_BYTES = 2 * 1024 * 1024
#: An .xlsx is a ZIP archive: what it may unpack to (a list of 1000 children is under 1 MB;
#: pictures are stored already compressed). Bounds the memory and time of a «zip bomb».
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
#: Data rows read at most: a kindergarten has a few hundred children, and the import runs
#: within one request (about 10 ms a row on SQLite, for the preview and again for the run).
MAX_ROWS = 1000
#: Rows looked at at most, empty ones included (bounds the reading time of a sheet whose
#: formatting runs far below the list: about 3 s per 100,000 rows).
MAX_SCANNED_ROWS = 20_000
MAX_COLUMNS = 100
CSV_DELIMITERS = (";", ",", "\t")
EXTENSIONS = (".xlsx", ".csv")


@dataclass
class Table:
    """Cells of one sheet (or one reading of a CSV file), rows numbered as in the sheet."""

    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    sheet: str = ""
    delimiter: str = ""
    encoding: str = ""


def check_upload(name: str, size: int) -> str:
    """Return the lower-case extension of an allowed upload or raise ValidationError."""
    suffix = PurePath(name or "").suffix.lower()
    if suffix == ".xls":
        raise ValidationError(
            "Файл в старом формате Excel 97–2003 (.xls) не поддерживается: откройте его в Excel "
            "или LibreOffice и сохраните как «Книга Excel (.xlsx)» или CSV."
        )
    if suffix not in EXTENSIONS:
        raise ValidationError(
            f"Можно загрузить только таблицу .xlsx или .csv, а выбран файл «{name}»."
        )
    if size == 0:
        raise ValidationError("Файл пустой.")
    if size > MAX_BYTES:
        raise ValidationError(
            f"Файл слишком большой: {size / 1024 / 1024:.1f} МБ, допускается не более "
            f"{MAX_BYTES // 1024 // 1024} МБ. Уберите из книги лишние листы и картинки."
        )
    return suffix


def read_tables(content: bytes, name: str) -> list[Table]:
    """Candidate tables of the file (see the module docstring). Raises ValidationError."""
    suffix = check_upload(name, len(content))
    if suffix == ".xlsx":
        return _read_xlsx(content)
    return _read_csv(content)


def _read_xlsx(content: bytes) -> list[Table]:
    import openpyxl

    if not content.startswith(b"PK\x03\x04"):
        raise ValidationError(
            "Файл не похож на книгу Excel (.xlsx): возможно, у него неверное расширение."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            # the declared sizes bound what zipfile will unpack, so checking them suffices
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(
            "Не удалось прочитать книгу Excel: файл повреждён или это не .xlsx."
        ) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(
            f"Книга Excel слишком велика в распакованном виде ({unpacked // 1024 // 1024} МБ): "
            "скопируйте список детей на новый лист новой книги и загрузите её."
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ValidationError(
            "Не удалось прочитать книгу Excel: файл повреждён или это не .xlsx."
        ) from exc
    try:
        sheets = list(workbook.worksheets)
        active = workbook.active
        if active in sheets:
            sheets.remove(active)
            sheets.insert(0, active)
        tables = []
        for sheet in sheets:
            if not hasattr(sheet, "iter_rows"):
                continue  # a chart sheet
            sheet.reset_dimensions()  # do not trust a wrong <dimension> written by some programs
            table = Table(sheet=sheet.title)
            _collect(
                table,
                enumerate(
                    sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True), start=1
                ),
            )
            tables.append(table)
        return tables
    finally:
        workbook.close()


def _filled(values) -> bool:
    return any(v is not None and str(v).strip() for v in values)


def _collect(table: Table, numbered_rows) -> None:
    """Append (number, cells) to `table`: empty rows only when a filled row follows them
    (stored without cells), at most MAX_ROWS + 50 filled rows (ValidationError beyond)."""
    filled = 0
    empty: list[int] = []
    for number, values in numbered_rows:
        if number > MAX_SCANNED_ROWS:
            raise ValidationError(
                f"В таблице больше {MAX_SCANNED_ROWS} строк (вместе с пустыми оформленными): "
                "удалите пустые строки под списком или скопируйте список на новый лист."
            )
        if not _filled(values):
            empty.append(number)
            continue
        filled += 1
        if filled > MAX_ROWS + 50:
            raise _too_many_rows()
        table.rows.extend((n, []) for n in empty)
        empty.clear()
        table.rows.append((number, list(values)))


def _too_many_rows() -> ValidationError:
    return ValidationError(
        f"В файле больше {MAX_ROWS} строк: разделите список на несколько файлов."
    )


def _decode(content: bytes) -> tuple[str, str]:
    if b"\x00" in content:
        raise ValidationError(
            "Файл не похож на текстовую таблицу CSV: сохраните список как «CSV (разделители — "
            "точка с запятой)» или как .xlsx."
        )
    try:
        return content.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1251"), "Windows-1251"
    except UnicodeDecodeError as exc:
        raise ValidationError(
            "Не удалось определить кодировку файла: сохраните CSV в UTF-8 или Windows-1251."
        ) from exc


def _read_csv(content: bytes) -> list[Table]:
    text, encoding = _decode(content)
    tables = []
    errors: dict[str, ValidationError] = {}
    first_line = text.split("\n", 1)[0]
    for delimiter in CSV_DELIMITERS:
        table = Table(delimiter=delimiter, encoding=encoding)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            _collect(
                table,
                (
                    (number, [v if v.strip() else None for v in values])
                    for number, values in enumerate(reader, start=1)
                ),
            )
        except csv.Error as exc:
            raise ValidationError(f"Не удалось разобрать CSV: {exc}.") from exc
        except ValidationError as exc:
            # Read with a wrong separator, «;;;;» lines are not empty: only this reading fails.
            errors[delimiter] = exc
            continue
        tables.append(table)
    if not tables and errors:
        # the reading with the separator the header line uses most tells the real problem
        raise errors[max(errors, key=first_line.count)]
    return tables
